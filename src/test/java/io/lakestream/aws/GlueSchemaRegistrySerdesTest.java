package io.lakestream.aws;

import io.lakestream.registry.RegistryException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakestream.config.RegistryConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

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

    @Test
    void shouldSayTheRegistryIsUnreachableAndWhereWhenNothingAnswersAtStart() throws Exception {
        URI closed = closedEndpoint();
        var config = new RegistryConfig("glue", "us-east-1", closed, "lakestream", null, true, true, null);
        var clients = clients(closed);
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();

        assertThatThrownBy(() -> new GlueSchemaRegistrySerdes(config, clients, metrics))
                .hasMessageStartingWith("cannot reach the Glue Schema Registry at " + closed
                        + " to ensure registry 'lakestream': ")
                .hasMessageEndingWith("; check registry.endpoint, registry.region and the network");
        assertThat(metrics.counter(GlueSchemaRegistrySerdes.METRIC, "op", "create_registry", "outcome", "error")
                .count()).isEqualTo(1);
    }

    @Test
    void shouldNameTheRegistryAndWhatToCheckWhenARecordCannotBeSerialized() throws Exception {
        URI closed = closedEndpoint();
        var config = new RegistryConfig("glue", "us-east-1", closed, "lakestream", null, true, false, null);
        var clients = clients(closed);
        Schema schema = SchemaBuilder.record("R").fields().requiredString("a").endRecord();
        GenericRecord record = new GenericRecordBuilder(schema).set("a", "x").build();

        try (var serdes = new GlueSchemaRegistrySerdes(config, clients, new SimpleMeterRegistry())) {
            assertThatThrownBy(() -> serdes.serializer().serialize("t.normalized", record))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageStartingWith("Glue Schema Registry at " + closed + " failed to serialize a record of"
                            + " topic 't.normalized': ")
                    .hasMessageContaining("check registry.endpoint");
        }
    }

    /** An endpoint where nothing listens: every connection is refused. */
    private static URI closedEndpoint() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
    }

    private static AwsClients clients(URI endpoint) {
        return new AwsClients("us-east-1", endpoint, StaticCredentialsProvider.create(
                AwsBasicCredentials.create("id", "secret")));
    }
}
