package io.lakestream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.UUID;
import java.util.zip.DeflaterOutputStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class GsrWireFormatTest {

    private static final UUID ID = UUID.fromString("0b3e2f5c-1d2a-4c7e-9f10-2a3b4c5d6e7f");

    @Test
    void shouldWriteHeaderVersionNoCompressionAndSchemaVersionIdBeforeTheBody() {
        byte[] bytes = GsrWireFormat.encode(ID, new byte[] {42, 43});

        ByteBuffer b = ByteBuffer.wrap(bytes);
        assertThat(b.get()).isEqualTo((byte) 3);
        assertThat(b.get()).isEqualTo((byte) 0);
        assertThat(new UUID(b.getLong(), b.getLong())).isEqualTo(ID);
        assertThat(b.get()).isEqualTo((byte) 42);
        assertThat(b.get()).isEqualTo((byte) 43);
        assertThat(b.hasRemaining()).isFalse();
    }

    @Property
    void shouldDecodeWhatItEncodes(@ForAll long high, @ForAll long low, @ForAll byte[] body) {
        GsrWireFormat.Decoded decoded = GsrWireFormat.decode(GsrWireFormat.encode(new UUID(high, low), body));

        assertThat(decoded.schemaVersionId()).isEqualTo(new UUID(high, low));
        assertThat(decoded.body()).isEqualTo(body);
    }

    @Test
    void shouldInflateZlibCompressedBodies() throws Exception {
        byte[] body = "an avro body, repeated, repeated, repeated".getBytes();
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(compressed)) {
            out.write(body);
        }
        byte[] bytes = GsrWireFormat.encode(ID, compressed.toByteArray());
        bytes[1] = GsrWireFormat.COMPRESSION_ZLIB;

        assertThat(GsrWireFormat.decode(bytes).body()).isEqualTo(body);
    }

    @Test
    void shouldRejectBytesThatAreNotInTheWireFormat() {
        assertThatThrownBy(() -> GsrWireFormat.decode(new byte[] {3, 0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessage("not in the Glue Schema Registry wire format: 3 bytes, expected at least 18");
        byte[] confluent = GsrWireFormat.encode(ID, new byte[0]);
        confluent[0] = 0;
        assertThatThrownBy(() -> GsrWireFormat.decode(confluent))
                .hasMessage("not in the Glue Schema Registry wire format: header version byte 0, expected 3");
        byte[] unknownCompression = GsrWireFormat.encode(ID, new byte[0]);
        unknownCompression[1] = 9;
        assertThatThrownBy(() -> GsrWireFormat.decode(unknownCompression))
                .hasMessage("unsupported Glue Schema Registry compression byte 9, expected 0 (none) or 5 (zlib)");
    }
}
