package io.lakestream.aggregate;

import io.lakestream.config.AggregationConfig;
import io.lakestream.config.AggregationConfig.MeasureConfig;
import io.lakestream.record.NormalizeOutcome.Normalized;
import io.lakestream.sink.format.LogicalData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What an aggregation grouped by other fields than the key sends through its repartition topic: the group-by and
 * measured fields of a record (plain Avro binary of a sub-schema, no registry: the topic is internal and both ends
 * know the schema from the config), its event time and raw coordinates. Not the whole record.
 */
final class Projection implements Serde<Normalized> {

    private final Schema schema;
    private final List<String> topics;
    private final ThreadLocal<GenericDatumWriter<GenericRecord>> writer;
    private final ThreadLocal<GenericDatumReader<GenericRecord>> reader;

    /** @param topics the pipeline's source topics (a record names its topic by index) */
    Projection(Schema input, AggregationConfig aggregation, List<String> topics) {
        this.schema = schema(input, aggregation);
        this.topics = topics;
        // Either form of a logical value (BigDecimal or bytes, ...) is written; the reader hands raw values back.
        this.writer = ThreadLocal.withInitial(() -> new GenericDatumWriter<>(schema, LogicalData.MODEL));
        this.reader = ThreadLocal.withInitial(() -> new GenericDatumReader<>(schema));
    }

    /** The sub-schema of {@code input} with the fields {@code aggregation} reads, in input order. */
    static Schema schema(Schema input, AggregationConfig aggregation) {
        Set<String> names = new LinkedHashSet<>(aggregation.groupBy());
        for (MeasureConfig m : aggregation.measures()) {
            if (m.field() != null) {
                names.add(m.field());
            }
            names.addAll(MeasureInput.of(input, aggregation.name(), m).fields());
        }
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : input.getFields()) {
            if (names.contains(f.name())) {
                fields.add(new Schema.Field(f, f.schema()));
            }
        }
        return Schema.createRecord(input.getName() + "_" + aggregation.name() + "_projection", null,
                input.getNamespace(), false, fields);
    }

    /** The record cut down to the projection's fields (values shared, not copied). */
    Normalized project(Normalized n) {
        GenericData.Record p = new GenericData.Record(schema);
        for (Schema.Field f : schema.getFields()) {
            p.put(f.pos(), n.value().get(f.name()));
        }
        return new Normalized(n.key(), p, n.eventTime(), n.topic(), n.partition(), n.offset(), n.kafkaTimestamp());
    }

    @Override
    public Serializer<Normalized> serializer() {
        return (topic, n) -> {
            if (n == null) {
                return null;
            }
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream(64);
                out.write(ByteBuffer.allocate(8 + 8 + 8 + 4 + 2).putLong(n.eventTime()).putLong(n.kafkaTimestamp())
                        .putLong(n.offset()).putInt(n.partition()).putShort((short) topics.indexOf(n.topic()))
                        .array());
                BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
                writer.get().write(n.value(), encoder);
                return out.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    @Override
    public Deserializer<Normalized> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer b = ByteBuffer.wrap(bytes);
            long eventTime = b.getLong();
            long kafkaTimestamp = b.getLong();
            long offset = b.getLong();
            int partition = b.getInt();
            String source = topics.get(b.getShort());
            try {
                BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, b.position(), b.remaining(), null);
                GenericRecord value = reader.get().read(null, decoder);
                return new Normalized(null, value, eventTime, source, partition, offset, kafkaTimestamp);
            } catch (IOException e) {
                throw new UncheckedIOException("repartitioned record does not match the projection " + schema.getName()
                        + "; an aggregation's group-by and measures cannot change under the same name", e);
            }
        };
    }
}
