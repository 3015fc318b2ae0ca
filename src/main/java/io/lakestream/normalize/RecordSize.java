package io.lakestream.normalize;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Upper bounds of the size Kafka gives a record, compared with a topic's limit before a record is produced. Like the
 * producer's own estimate, uncompressed and with a whole batch's overhead, so a record within the bound is never
 * refused as too large.
 */
final class RecordSize {

    /** Record batch header (v2). */
    private static final int BATCH_OVERHEAD = 61;
    /** Length, attributes, timestamp and offset deltas, key and value lengths, header count: varints at their widest. */
    private static final int RECORD_OVERHEAD = 5 + 1 + 10 + 5 + 5 + 5 + 5;
    /** Header key and value lengths. */
    private static final int HEADER_OVERHEAD = 5 + 5;
    /** The Glue Schema Registry wire format's header: version, compression, schema version UUID. */
    static final int WIRE_FORMAT_HEADER = 18;

    private RecordSize() {
    }

    static long of(byte[] key, byte[] value, Headers headers) {
        return of(key == null ? 0 : key.length, value == null ? 0 : value.length, headers);
    }

    static long of(long keyBytes, long valueBytes, Headers headers) {
        long size = BATCH_OVERHEAD + RECORD_OVERHEAD + keyBytes + valueBytes;
        for (Header h : headers) {
            size += HEADER_OVERHEAD + h.key().getBytes(StandardCharsets.UTF_8).length
                    + (h.value() == null ? 0 : h.value().length);
        }
        return size;
    }

    /** Bytes of {@code record} in Avro binary, counted without keeping them. */
    static long avroBytes(GenericRecord record) {
        Counting out = new Counting();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            new GenericDatumWriter<GenericRecord>(record.getSchema(), GenericData.get()).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new IllegalStateException("cannot count the bytes of a record in memory", e);
        }
        return out.count;
    }

    private static final class Counting extends OutputStream {
        private long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
