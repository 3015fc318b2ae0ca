package io.lakestream.sink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import io.lakestream.registry.GsrWireFormat;
import io.lakestream.sink.format.BinaryRow;
import io.lakestream.sink.format.LogicalData;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

/**
 * Table rows: the record's fields followed by the {@link LineageColumns}. The table schema is built once per data
 * schema (schema version), not per record.
 */
final class TableSchemas {

    private final Map<Schema, Schema> tableSchemas = new ConcurrentHashMap<>();

    /** The data schema plus lineage columns; same name and namespace as the data schema. */
    Schema tableSchema(Schema data) {
        return tableSchemas.computeIfAbsent(data, TableSchemas::build);
    }

    static Schema build(Schema data) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : data.getFields()) {
            if (LineageColumns.ALL.contains(f.name())) {
                throw new IllegalArgumentException("field " + f.name() + " of " + data.getFullName()
                        + " collides with a lineage column; rename it");
            }
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(new Schema.Field(LineageColumns.SOURCE_TOPIC, Schema.create(Schema.Type.STRING)));
        fields.add(new Schema.Field(LineageColumns.SOURCE_PARTITION, Schema.create(Schema.Type.INT)));
        fields.add(new Schema.Field(LineageColumns.SOURCE_OFFSET, Schema.create(Schema.Type.LONG)));
        fields.add(new Schema.Field(LineageColumns.KAFKA_TIMESTAMP,
                LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG))));
        fields.add(new Schema.Field(LineageColumns.LATE, Schema.create(Schema.Type.BOOLEAN)));
        Schema table = Schema.createRecord(data.getName(), data.getDoc(), data.getNamespace(), false, fields);
        data.getObjectProps().forEach(table::addProp);
        return table;
    }

    /**
     * One row of {@code table} (built from {@code data}); a record of another schema version is first resolved to
     * {@code data} with Avro's schema resolution (added fields take their defaults).
     */
    static GenericRecord row(Schema table, Schema data, GenericRecord value, BufferCodec.Entry source) {
        GenericRecord record = value.getSchema().equals(data) ? value : resolve(value, data);
        GenericData.Record row = new GenericData.Record(table);
        int n = data.getFields().size();
        for (int i = 0; i < n; i++) {
            row.put(i, record.get(i));
        }
        row.put(n, source.topic());
        row.put(n + 1, source.partition());
        row.put(n + 2, source.offset());
        row.put(n + 3, source.kafkaTimestamp());
        row.put(n + 4, source.late());
        return row;
    }

    /**
     * The row of {@code source} still in Avro binary, for {@link io.lakestream.sink.format.FormatWriter#writeBinary}:
     * the body of its uncompressed wire bytes (written with the table's data schema), then the lineage columns in the
     * order {@link #build} appends them and {@link #row} puts them (BinaryParquetRowsTest holds the two paths to the
     * same file).
     */
    static BinaryRow binaryRow(BufferCodec.Entry source) {
        return new BinaryRow() {
            @Override
            public byte[] bytes() {
                return source.wire();
            }

            @Override
            public int bodyOffset() {
                return GsrWireFormat.HEADER_LENGTH;
            }

            @Override
            public void addTrailing(Columns columns) {
                columns.addString(source.topic());
                columns.addInt(source.partition());
                columns.addLong(source.offset());
                columns.addLong(source.kafkaTimestamp());
                columns.addBoolean(source.late());
            }
        };
    }

    private static GenericRecord resolve(GenericRecord value, Schema reader) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(value.getSchema(), LogicalData.MODEL).write(value, encoder);
            return new GenericDatumReader<GenericRecord>(value.getSchema(), reader)
                    .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve " + value.getSchema().getFullName() + " to the newer "
                    + "schema version; is the new version backward compatible?", e);
        }
    }
}
