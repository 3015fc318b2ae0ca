package io.lakestream.registry;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.UUID;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The AWS Glue Schema Registry wire format: header version byte {@code 0x03}, a compression byte
 * ({@code 0} none, {@code 5} zlib), the 16-byte schema version id, then the (possibly compressed) Avro binary body.
 * Encoding never compresses; decoding accepts both, as records written by other GSR producers may be compressed.
 */
public final class GsrWireFormat {

    public static final byte HEADER_VERSION = 3;
    public static final byte COMPRESSION_NONE = 0;
    public static final byte COMPRESSION_ZLIB = 5;
    /** Header version, compression byte, schema version id. */
    public static final int HEADER_LENGTH = 2 + 16;

    /**
     * @param schemaVersionId GSR schema version id
     * @param body            Avro binary encoding of the record, without compression
     */
    public record Decoded(UUID schemaVersionId, byte[] body) {
    }

    private GsrWireFormat() {
    }

    public static byte[] encode(UUID schemaVersionId, byte[] avroBody) {
        ByteBuffer out = ByteBuffer.allocate(HEADER_LENGTH + avroBody.length);
        out.put(HEADER_VERSION).put(COMPRESSION_NONE);
        out.putLong(schemaVersionId.getMostSignificantBits()).putLong(schemaVersionId.getLeastSignificantBits());
        out.put(avroBody);
        return out.array();
    }

    /** @throws SerializationException when the bytes are not in the GSR wire format */
    public static Decoded decode(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER_LENGTH) {
            throw new SerializationException("not in the Glue Schema Registry wire format: "
                    + (bytes == null ? "null" : bytes.length + " bytes") + ", expected at least " + HEADER_LENGTH);
        }
        if (bytes[0] != HEADER_VERSION) {
            throw new SerializationException("not in the Glue Schema Registry wire format: header version byte "
                    + bytes[0] + ", expected " + HEADER_VERSION);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 2, 16);
        UUID id = new UUID(in.getLong(), in.getLong());
        byte[] body = Arrays.copyOfRange(bytes, HEADER_LENGTH, bytes.length);
        return switch (bytes[1]) {
            case COMPRESSION_NONE -> new Decoded(id, body);
            case COMPRESSION_ZLIB -> new Decoded(id, inflate(body));
            default -> throw new SerializationException("unsupported Glue Schema Registry compression byte " + bytes[1]
                    + ", expected " + COMPRESSION_NONE + " (none) or " + COMPRESSION_ZLIB + " (zlib)");
        };
    }

    /** The schema version id of bytes in the wire format with an uncompressed body; null for any other bytes. */
    public static UUID uncompressedSchemaVersionId(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER_LENGTH || bytes[0] != HEADER_VERSION
                || bytes[1] != COMPRESSION_NONE) {
            return null;
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 2, 16);
        return new UUID(in.getLong(), in.getLong());
    }

    /** Whether both hold the same header: version byte, compression byte and schema version id. */
    public static boolean sameHeader(byte[] a, byte[] b) {
        return a.length >= HEADER_LENGTH && b.length >= HEADER_LENGTH
                && Arrays.equals(a, 0, HEADER_LENGTH, b, 0, HEADER_LENGTH);
    }

    private static byte[] inflate(byte[] compressed) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(compressed);
            ByteArrayOutputStream out = new ByteArrayOutputStream(compressed.length * 4);
            byte[] chunk = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new SerializationException("truncated zlib body in Glue Schema Registry record");
                }
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new SerializationException("corrupt zlib body in Glue Schema Registry record", e);
        } finally {
            inflater.end();
        }
    }
}
