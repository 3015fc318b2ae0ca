package io.lakestream.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakestream.demo.SampleClaims.Claim;
import io.lakestream.demo.SampleClaims.Kind;
import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.testing.DuckLake;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Shared steps of the Iceberg ITs: producing sample claims, waiting for commits, the DuckDB read-back. */
final class IcebergClaims {

    private static final ObjectMapper JSON = new ObjectMapper();

    private IcebergClaims() {
    }

    /**
     * The table as it is now, after a run that ended caught up: its current snapshot must hold {@code rows} rows
     * (any, when negative) without waiting for another commit.
     */
    static Table committed(Catalog catalog, TableIdentifier id, long rows) {
        Table table = catalog.loadTable(id);
        assertThat(table.currentSnapshot()).as("%s has a snapshot when the caught-up run returns", id).isNotNull();
        long seen = Long.parseLong(table.currentSnapshot().summary().get("total-records"));
        if (rows < 0) {
            assertThat(seen).as("rows of %s when the caught-up run returns", id).isPositive();
        } else {
            assertThat(seen).as("rows of %s when the caught-up run returns", id).isEqualTo(rows);
        }
        return table;
    }

    /** Downloads the snapshot's data files from S3; returns their local paths (what DuckDB reads offline). */
    static List<String> download(software.amazon.awssdk.services.s3.S3Client s3, Table table, java.nio.file.Path dir)
            throws java.io.IOException {
        List<String> local = new ArrayList<>();
        for (String file : IcebergRows.files(table)) {
            java.net.URI uri = java.net.URI.create(file);
            java.nio.file.Path target = dir.resolve(uri.getHost() + uri.getPath());
            java.nio.file.Files.createDirectories(target.getParent());
            java.nio.file.Files.write(target, s3.getObjectAsBytes(r -> r.bucket(uri.getHost())
                    .key(uri.getPath().substring(1))).asByteArray());
            local.add(target.toString());
        }
        return local;
    }

    static void verifyDuckDb(Table table, Map<String, Claim> valid) {
        verifyDuckDb(IcebergRows.files(table), valid);
    }

    /** DuckDB over exactly the Parquet files the current snapshot lists: the same rows and exact values. */
    static void verifyDuckDb(List<String> files, Map<String, Claim> valid) {
        String list = files.stream().map(f -> "'" + f + "'").collect(Collectors.joining(", "));
        List<Map<String, Object>> rows = DuckLake.at(java.nio.file.Path.of("/")).query(
                "SELECT _source_partition AS p, _source_offset AS o, CAST(amount AS VARCHAR) AS amount, "
                        + "epoch_ms(claim_ts) AS ts, _late AS late FROM read_parquet([" + list + "])");
        List<String> offsets = rows.stream().map(r -> r.get("p") + ":" + r.get("o")).toList();
        assertThat(offsets).as("DuckDB: each source offset exactly once").doesNotHaveDuplicates();
        assertThat(new HashSet<>(offsets)).as("DuckDB: exactly the valid claims").isEqualTo(valid.keySet());
        for (Map<String, Object> r : rows) {
            Claim claim = valid.get(r.get("p") + ":" + r.get("o"));
            assertThat(((Number) r.get("ts")).longValue()).isEqualTo(claim.eventTimeMillis());
            assertThat(r.get("late")).isEqualTo(claim.kind() == Kind.LATE);
            assertThat(r.get("amount").toString()).matches("-?\\d+\\.\\d{2}");
        }
    }
    /** Iceberg's reader: exactly the valid claims, each source offset once, exact values; no file twice. */
    static void verifyRecords(Table table, Map<String, Claim> valid) throws Exception {
        List<Record> rows = IcebergRows.rows(table);
        List<String> offsets = rows.stream().map(r -> r.getField("_source_partition") + ":"
                + r.getField("_source_offset")).toList();
        assertThat(offsets).as("each source offset exactly once").doesNotHaveDuplicates();
        assertThat(new HashSet<>(offsets)).as("exactly the valid claims").isEqualTo(valid.keySet());
        for (Record row : rows) {
            Claim claim = valid.get(row.getField("_source_partition") + ":" + row.getField("_source_offset"));
            JsonNode json = JSON.readTree(claim.value());
            assertThat(row.getField("claim_id")).isEqualTo(json.get("claimId").asText());
            assertThat(((java.math.BigDecimal) row.getField("amount")).toPlainString())
                    .isEqualTo(json.get("amount").asText());
            assertThat(((OffsetDateTime) row.getField("claim_ts")).toInstant().toEpochMilli())
                    .isEqualTo(claim.eventTimeMillis());
            assertThat(row.getField("status")).isEqualTo(json.get("status").asText());
            assertThat(row.getField("_late")).isEqualTo(claim.kind() == Kind.LATE);
        }
        assertThat(IcebergRows.files(table)).as("no data file referenced twice").doesNotHaveDuplicates();

        // A query filtering on the event time must keep every file holding a matching row (bounds in microseconds).
        long middle = valid.values().stream().mapToLong(Claim::eventTimeMillis).sorted()
                .skip(valid.size() / 2).findFirst().orElseThrow();
        Set<String> needed = new HashSet<>();
        IcebergRows.rowsByFile(table).forEach((file, records) -> {
            if (records.stream().anyMatch(r -> ((OffsetDateTime) r.getField("claim_ts")).toInstant().toEpochMilli()
                    >= middle)) {
                needed.add(file);
            }
        });
        Set<String> planned = new HashSet<>();
        try (var tasks = table.newScan().filter(org.apache.iceberg.expressions.Expressions.greaterThanOrEqual(
                "claim_ts", middle * 1000)).planFiles()) {
            tasks.forEach(t -> planned.add(t.file().location()));
        }
        assertThat(needed).as("files with claims at or after the median event time").isNotEmpty();
        assertThat(planned).as("files a scan filtered on claim_ts keeps").containsAll(needed);
    }

}
