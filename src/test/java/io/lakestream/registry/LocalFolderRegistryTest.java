package io.lakestream.registry;

import static io.lakestream.registry.TestSchemas.V1;
import static io.lakestream.registry.TestSchemas.amount;
import static io.lakestream.registry.TestSchemas.claim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFolderRegistryTest {

    @TempDir
    Path dir;

    @Test
    void shouldStoreEachSchemaVersionAsAFileUnderTheSchemaName() throws Exception {
        byte[] bytes = new LocalFolderRegistry(dir).serializer().serialize("claims.normalized",
                claim(V1, "CL-1", "1.00"));
        UUID id = GsrWireFormat.decode(bytes).schemaVersionId();

        Path file = dir.resolve("claims.normalized").resolve(id + ".avsc");
        assertThat(new Schema.Parser().parse(file.toFile())).isEqualTo(V1);
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file); // no temp file left behind
        }
    }

    @Test
    void shouldLetALaterProcessReadRecordsWithTheStoredSchema() {
        byte[] bytes = new LocalFolderRegistry(dir).serializer().serialize("claims.normalized",
                claim(V1, "CL-1", "1234.50"));

        LocalFolderRegistry later = new LocalFolderRegistry(dir);

        assertThat(amount(later.deserializer().deserialize("claims.normalized", bytes)))
                .isEqualTo(new BigDecimal("1234.50"));
        assertThat(amount(later.deserializer().deserialize("a-copy-of-the-topic", bytes)))
                .isEqualTo(new BigDecimal("1234.50"));
    }

    @Test
    void shouldWriteTheSameBytesAsTheInMemoryRegistry() {
        assertThat(new LocalFolderRegistry(dir).serializer().serialize("t", claim(V1, "CL-1", "1.00")))
                .isEqualTo(new InMemoryRegistry().serializer().serialize("t", claim(V1, "CL-1", "1.00")));
    }

    @Test
    void shouldRefuseASchemaNameThatWouldEscapeTheFolder() {
        assertThatThrownBy(() -> new LocalFolderRegistry(dir).serializer().serialize("..", claim(V1, "CL-1", "1.00")))
                .hasMessageContaining("schema name .. is not a safe folder name");
    }
}
