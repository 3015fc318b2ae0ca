package io.lakestream.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakestream.config.FileFormat;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class AvroColumnsTest {

    private static final Schema SCHEMA = new Schema.Parser().parse("""
            {"type": "record", "name": "R", "fields": [
              {"name": "s", "type": "string", "doc": "a string"},
              {"name": "l", "type": "long"},
              {"name": "i", "type": "int"},
              {"name": "d", "type": "double"},
              {"name": "f", "type": "float"},
              {"name": "b", "type": "boolean"},
              {"name": "dec", "type": {"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 2}},
              {"name": "fdec", "type": {"type": "fixed", "name": "F", "size": 8, "logicalType": "decimal",
                                        "precision": 18, "scale": 4}},
              {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-millis"}},
              {"name": "tsu", "type": {"type": "long", "logicalType": "timestamp-micros"}},
              {"name": "day", "type": {"type": "int", "logicalType": "date"}},
              {"name": "raw", "type": "bytes"},
              {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "B"]}},
              {"name": "opt", "type": ["null", "long"], "default": null},
              {"name": "arr", "type": {"type": "array", "items": "string"}},
              {"name": "m", "type": {"type": "map", "values": ["null", "double"]}},
              {"name": "st", "type": {"type": "record", "name": "S", "fields": [
                {"name": "x", "type": "int"}, {"name": "y", "type": {"type": "array", "items": "long"}}]}}
            ]}""");

    @Test
    void shouldMapEveryAvroTypeToItsHiveType() {
        assertThat(AvroColumns.columns(SCHEMA)).extracting(TableDefinition.Column::type).containsExactly(
                "string", "bigint", "int", "double", "float", "boolean", "decimal(12,2)", "decimal(18,4)",
                "timestamp", "timestamp", "date", "binary", "string", "bigint", "array<string>",
                "map<string,double>", "struct<x:int,y:array<bigint>>");
        assertThat(AvroColumns.columns(SCHEMA).get(0).comment()).isEqualTo("a string");
    }

    @Test
    void shouldRefuseUnionsOfSeveralTypesNamingTheField() {
        Schema schema = new Schema.Parser().parse("""
                {"type": "record", "name": "R", "fields": [
                  {"name": "v", "type": ["null", "string", "long"]}]}""");
        assertThatThrownBy(() -> AvroColumns.columns(schema)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("v: union");
    }

    @Test
    void shouldDescribeEachFormatWithTheSerDeAthenaReads() {
        assertThat(StorageFormats.of(FileFormat.PARQUET).serializationLibrary())
                .isEqualTo("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
        assertThat(StorageFormats.of(FileFormat.CSV).tableParameters()).containsEntry("skip.header.line.count", "1");
        assertThat(StorageFormats.of(FileFormat.JSONL).serializationLibrary())
                .isEqualTo("org.openx.data.jsonserde.JsonSerDe");
        assertThat(StorageFormats.of(FileFormat.AVRO).inputFormat())
                .isEqualTo("org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat");
    }
}
