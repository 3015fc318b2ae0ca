package io.lakestream.aws;

import com.amazonaws.services.schemaregistry.deserializers.GlueSchemaRegistryKafkaDeserializer;
import com.amazonaws.services.schemaregistry.serializers.GlueSchemaRegistryKafkaSerializer;
import com.amazonaws.services.schemaregistry.utils.AWSSchemaRegistryConstants;
import com.amazonaws.services.schemaregistry.utils.AvroRecordType;
import io.lakestream.config.RegistryConfig;
import io.lakestream.registry.RegistryException;
import io.lakestream.registry.RegistrySerdes;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;
import software.amazon.awssdk.services.glue.model.GetSchemaVersionResponse;

/**
 * {@link RegistrySerdes} on the AWS Glue Schema Registry through its serde library. The schema name is the
 * topic name (the library's default naming strategy); with auto-registration on, the first record of a new
 * writer schema registers it (or a new version of it, under the configured compatibility mode).
 */
public final class GlueSchemaRegistrySerdes implements RegistrySerdes {

    private static final Logger log = LoggerFactory.getLogger(GlueSchemaRegistrySerdes.class);
    static final String METRIC = "lakestream.registry.calls";

    private final GlueSchemaRegistryKafkaSerializer serializer;
    private final GlueSchemaRegistryKafkaDeserializer deserializer;
    private final MeterRegistry metrics;
    /** Where the registry is, for error messages. */
    private final String where;
    private final AwsClients clients;
    private final String registryName;

    /**
     * Builds the serializer and deserializer; creates the registry first when {@code config.createRegistry()}.
     *
     * @param clients AWS clients for the registry's region and endpoint (their credentials are used)
     * @param metrics where {@code lakestream.registry.calls} are counted, or null
     */
    public GlueSchemaRegistrySerdes(RegistryConfig config, AwsClients clients, MeterRegistry metrics) {
        Objects.requireNonNull(config.registryName(), "registry name");
        this.metrics = metrics;
        this.clients = clients;
        this.registryName = config.registryName();
        this.where = clients.endpoint() == null ? "the AWS endpoint of region " + clients.region()
                : clients.endpoint().toString();
        if (config.createRegistry()) {
            ensureRegistry(clients, config.registryName());
        }
        Map<String, Object> properties = properties(config);
        this.serializer = new GlueSchemaRegistryKafkaSerializer(clients.credentials(), properties);
        this.deserializer = new GlueSchemaRegistryKafkaDeserializer(clients.credentials(), properties);
    }

    /** The registry {@code config} describes ({@code registry.type = glue}), with the default credential chain. */
    public static GlueSchemaRegistrySerdes from(RegistryConfig config, MeterRegistry metrics) {
        return new GlueSchemaRegistrySerdes(config, AwsClients.of(config.region(), config.endpoint()), metrics);
    }

    static Map<String, Object> properties(RegistryConfig config) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(AWSSchemaRegistryConstants.AWS_REGION, config.region());
        if (config.endpoint() != null) {
            properties.put(AWSSchemaRegistryConstants.AWS_ENDPOINT, config.endpoint().toString());
        }
        properties.put(AWSSchemaRegistryConstants.REGISTRY_NAME, config.registryName());
        properties.put(AWSSchemaRegistryConstants.DATA_FORMAT, "AVRO");
        properties.put(AWSSchemaRegistryConstants.AVRO_RECORD_TYPE, AvroRecordType.GENERIC_RECORD.getName());
        properties.put(AWSSchemaRegistryConstants.SCHEMA_AUTO_REGISTRATION_SETTING, config.autoRegister());
        if (config.compatibility() != null) {
            properties.put(AWSSchemaRegistryConstants.COMPATIBILITY_SETTING, config.compatibility());
        }
        return properties;
    }

    /** Creates the registry unless it exists: the library cannot create schemas in a missing custom registry. */
    private void ensureRegistry(AwsClients clients, String name) {
        try {
            boolean created = clients.createSchemaRegistryIfAbsent(name);
            count("create_registry", created ? "success" : "already_exists");
            log.info("Glue schema registry {} {}", name, created ? "created" : "already exists");
        } catch (SdkClientException e) {
            // No answer at all (refused, reset, DNS, timeout) after the SDK's retries: no grant or registry setting
            // fixes that. Stopping at start lets the orchestrator restart lakestream once the registry is back.
            count("create_registry", "error");
            throw new IllegalStateException("cannot reach the Glue Schema Registry at " + where + " to ensure registry '"
                    + name + "': " + e.getMessage() + "; check registry.endpoint, registry.region and the network", e);
        } catch (RuntimeException e) {
            count("create_registry", "error");
            throw new IllegalStateException("cannot create Glue schema registry '" + name + "' (" + clients
                    + "): " + e.getMessage() + "; create it, grant glue:CreateRegistry, or set"
                    + " registry.create-registry: false", e);
        }
    }

    @Override
    public Serializer<GenericRecord> serializer() {
        return new Serializer<>() {
            @Override
            public byte[] serialize(String topic, GenericRecord data) {
                return counted("serialize", topic, () -> serializer.serialize(topic, data));
            }

            @Override
            public byte[] serialize(String topic, Headers headers, GenericRecord data) {
                return serialize(topic, data);
            }
        };
    }

    @Override
    public Deserializer<GenericRecord> deserializer() {
        return new Deserializer<>() {
            @Override
            public GenericRecord deserialize(String topic, byte[] data) {
                return data == null ? null
                        : counted("deserialize", topic, () -> (GenericRecord) deserializer.deserialize(topic, data));
            }

            @Override
            public GenericRecord deserialize(String topic, Headers headers, byte[] data) {
                return deserialize(topic, data);
            }
        };
    }

    /**
     * The latest registered version only: Glue itself checks a new version against every earlier one when the
     * {@code _ALL} modes ask for it, so the start-up check needs the latest to name an incompatible field early.
     * Empty when the schema does not exist yet, or when the registry cannot be read (logged).
     */
    @Override
    public List<Schema> versions(String schemaName) {
        try (GlueClient glue = clients.glue()) {
            GetSchemaVersionResponse latest = glue.getSchemaVersion(b -> b.schemaId(id -> id
                    .registryName(registryName).schemaName(schemaName)).schemaVersionNumber(n -> n.latestVersion(true)));
            return List.of(new Schema.Parser().parse(latest.schemaDefinition()));
        } catch (EntityNotFoundException e) {
            return List.of();
        } catch (RuntimeException e) {
            // Records of a known schema must keep landing while the registry is away, and Glue checks compatibility
            // itself when a version is registered: an unreachable registry skips the early check, it does not stop.
            count("get_latest_version", "error");
            log.warn("cannot read the latest version of schema '{}' from the Glue Schema Registry at {} ({}); the"
                    + " start-up compatibility check is skipped, Glue still checks a new version when it is"
                    + " registered; check registry.endpoint, registry.region and glue:GetSchemaVersion", schemaName,
                    where, e.getMessage());
            return List.of();
        }
    }

    /**
     * Counts failures only: a success per record would measure records, which other metrics already do. A failure
     * is rethrown naming the registry: the library's own exception is often just the network error underneath.
     */
    private <T> T counted(String op, String topic, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            count(op, "error");
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new RegistryException("Glue Schema Registry at " + where + " failed to " + op + " a record of topic '"
                    + topic + "': " + e.getMessage() + (root == e ? "" : " (cause: " + root + ")")
                    + "; check registry.endpoint, registry.region, the network and the credentials' Glue schema"
                    + " registry permissions (records of a schema version this process already used need no call)", e);
        }
    }

    private void count(String op, String outcome) {
        if (metrics != null) {
            metrics.counter(METRIC, "op", op, "outcome", outcome).increment();
        }
    }

    @Override
    public void close() {
        serializer.close();
        deserializer.close();
    }
}
