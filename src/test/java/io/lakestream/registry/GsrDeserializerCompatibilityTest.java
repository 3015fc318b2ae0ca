package io.lakestream.registry;

import static io.lakestream.registry.TestSchemas.V1;
import static io.lakestream.registry.TestSchemas.amount;
import static io.lakestream.registry.TestSchemas.claim;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.schemaregistry.common.AWSSchemaRegistryClient;
import com.amazonaws.services.schemaregistry.deserializers.GlueSchemaRegistryDeserializationFacade;
import com.amazonaws.services.schemaregistry.deserializers.GlueSchemaRegistryKafkaDeserializer;
import com.amazonaws.services.schemaregistry.utils.AWSSchemaRegistryConstants;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.DataFormat;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;
import software.amazon.awssdk.services.glue.model.GetSchemaVersionRequest;
import software.amazon.awssdk.services.glue.model.GetSchemaVersionResponse;
import software.amazon.awssdk.services.glue.model.SchemaVersionStatus;

/**
 * The in-memory registry's bytes are read by the real Glue Schema Registry Kafka deserializer: the wire format and
 * the Avro body are what GSR consumers expect. Only the Glue API is replaced, by a client answering
 * GetSchemaVersion from the in-memory registry.
 */
class GsrDeserializerCompatibilityTest {

    @Test
    void shouldBeReadableByTheGlueSchemaRegistryKafkaDeserializer() {
        InMemoryRegistry registry = new InMemoryRegistry();
        byte[] bytes = registry.serializer().serialize("claims.normalized", claim(V1, "CL-1", "1234.50"));
        List<String> asked = new ArrayList<>();
        GlueClient glue = new GlueClient() {
            @Override
            public GetSchemaVersionResponse getSchemaVersion(GetSchemaVersionRequest request) {
                String id = request.schemaVersionId();
                asked.add(id);
                return registry.schemaVersion(java.util.UUID.fromString(id))
                        .map(schema -> GetSchemaVersionResponse.builder().schemaVersionId(id)
                                .schemaArn("arn:aws:glue:us-east-1:123456789012:schema/lakestream/claims.normalized")
                                .schemaDefinition(schema.toString()).dataFormat(DataFormat.AVRO)
                                .status(SchemaVersionStatus.AVAILABLE).build())
                        .orElseThrow(() -> EntityNotFoundException.builder().message("no version " + id).build());
            }

            @Override
            public String serviceName() {
                return "glue";
            }

            @Override
            public void close() {
            }
        };
        Map<String, Object> config = Map.of(
                AWSSchemaRegistryConstants.AWS_REGION, "us-east-1",
                AWSSchemaRegistryConstants.AVRO_RECORD_TYPE, "GENERIC_RECORD");
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"));
        GlueSchemaRegistryKafkaDeserializer deserializer = new GlueSchemaRegistryKafkaDeserializer(credentials, config);
        deserializer.setGlueSchemaRegistryDeserializationFacade(GlueSchemaRegistryDeserializationFacade.builder()
                .configs(config).credentialProvider(credentials)
                .schemaRegistryClient(new AWSSchemaRegistryClient(glue)).build());

        GenericRecord read = (GenericRecord) deserializer.deserialize("claims.normalized", bytes);

        assertThat(read.get("claim_id").toString()).isEqualTo("CL-1");
        assertThat(amount(read)).isEqualTo(new BigDecimal("1234.50"));
        assertThat(asked).containsExactly(GsrWireFormat.decode(bytes).schemaVersionId().toString());
    }
}
