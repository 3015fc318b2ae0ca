package io.lakestream.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.RegistryConfig;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GlueSchemaRegistrySerdesTest {

    @Test
    void shouldConfigureTheLibraryForGenericAvroRecordsInTheNamedRegistry() {
        var config = new RegistryConfig("glue", "eu-west-1", URI.create("http://127.0.0.1:5000"), "lake", "FULL",
                false, true, null);

        assertThat(GlueSchemaRegistrySerdes.properties(config)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "region", "eu-west-1",
                "endpoint", "http://127.0.0.1:5000",
                "registry.name", "lake",
                "dataFormat", "AVRO",
                "avroRecordType", "GENERIC_RECORD",
                "schemaAutoRegistrationEnabled", false,
                "compatibility", "FULL"));
    }

    @Test
    void shouldLeaveTheEndpointToTheSdkWhenNoOverrideIsGiven() {
        var config = new RegistryConfig("glue", "us-east-1", null, "lakestream", null, true, true, null);

        assertThat(GlueSchemaRegistrySerdes.properties(config)).doesNotContainKeys("endpoint", "compatibility");
    }
}
