package io.lakestream.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.AggregationConfig;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.PipelineConfig;
import io.lakestream.demo.LakeSummary;
import io.lakestream.demo.SampleClaims;
import io.lakestream.testing.AppUnderTest;
import io.lakestream.testing.LakestreamEnv;
import io.lakestream.testing.SecureKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The claims pipeline of {@code config/claims.yaml} run end to end against the secured listeners of a
 * {@link SecureKafka} broker, configured only through the environment variables that file documents.
 */
final class ClaimsRun {

    static final String RAW_TOPIC = "onprem.claims.raw";
    static final int RECORDS = 600;
    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);

    private ClaimsRun() {
    }

    /** What was produced and what landed. */
    record Outcome(List<SampleClaims.Claim> produced, LakeSummary lake) {
        long validClaims() {
            return produced.stream().filter(SampleClaims.Claim::valid).count();
        }
    }

    /**
     * The environment of {@code config/claims.yaml} for a client of {@code protocol}'s listener: the CA truststore
     * for TLS, the trusted client certificate for SSL (mTLS), the SCRAM user for SASL; the local adapters in
     * {@code work}; an application id of its own; HTTP on a free port.
     */
    static LakestreamEnv env(SecureKafka kafka, SecurityProtocol protocol, Path work, String appId) {
        LakestreamEnv env = LakestreamEnv.inFolder(kafka.broker().bootstrapServers(protocol), appId, work)
                .with("KAFKA_SECURITY_PROTOCOL", protocol.name);
        String password = kafka.certificates().password();
        if (protocol == SecurityProtocol.SSL || protocol == SecurityProtocol.SASL_SSL) {
            env.with("KAFKA_SSL_TRUSTSTORE_LOCATION", kafka.certificates().truststore().toString())
                    .with("KAFKA_SSL_TRUSTSTORE_PASSWORD", password);
        }
        if (protocol == SecurityProtocol.SSL) {
            env.withAll(clientCertificate(kafka.certificates().clientKeystore(), password));
        }
        if (protocol == SecurityProtocol.SASL_PLAINTEXT || protocol == SecurityProtocol.SASL_SSL) {
            Map<String, String> scram = SecureKafka.scramSettings(SecureKafka.SCRAM_USER, kafka.scramPassword());
            env.with("KAFKA_SASL_MECHANISM", scram.get("sasl.mechanism"))
                    .with("KAFKA_SASL_JAAS_CONFIG", scram.get("sasl.jaas.config"));
        }
        return env;
    }

    /** The variables that make the client present the certificate in {@code keystore}. */
    static Map<String, String> clientCertificate(Path keystore, String password) {
        return Map.of("KAFKA_SSL_KEYSTORE_LOCATION", keystore.toString(), "KAFKA_SSL_KEYSTORE_PASSWORD", password,
                "KAFKA_SSL_KEY_PASSWORD", password);
    }

    /**
     * Gives the run topics of its own: the raw topic (3 partitions) and the pipeline's output topics are shared
     * names on the shared broker, so what an earlier run left in them is deleted first.
     */
    static void freshTopics(SecureKafka kafka, LakestreamConfig config) throws Exception {
        List<String> topics = new ArrayList<>(List.of(RAW_TOPIC));
        for (PipelineConfig p : config.pipelines()) {
            topics.addAll(List.of(p.outputTopic(), p.dlqTopic()));
            p.aggregations().stream().map(AggregationConfig::topic).forEach(topics::add);
        }
        try (Admin admin = kafka.broker().admin()) {
            try {
                admin.deleteTopics(topics).all().get(TOPIC_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            long deadline = System.nanoTime() + TOPIC_TIMEOUT.toNanos();
            while (admin.listTopics().names().get().stream().anyMatch(topics::contains)) {
                assertThat(System.nanoTime()).as("topics %s deleted", topics).isLessThan(deadline);
                Thread.sleep(100);
            }
        }
        kafka.broker().createTopics(3, RAW_TOPIC);
    }

    /**
     * Starts lakestream as {@code run} does, produces {@link #RECORDS} sample claims through {@code producerClient}
     * (a secured listener), waits until everything landed (at most 2 minutes), stops it, then reads the lake.
     */
    static Outcome run(LakestreamConfig config, Map<String, String> producerClient, long seed) throws Exception {
        List<SampleClaims.Claim> claims = SampleClaims.generate(RECORDS, 900, seed);
        try (AppUnderTest app = AppUnderTest.of(config)) {
            app.start();
            produce(producerClient, claims);
            app.app().awaitCaughtUp(Duration.ofMinutes(2));
            return new Outcome(claims, LakeSummary.of(config, app.ports()));
        }
    }

    private static void produce(Map<String, String> client, List<SampleClaims.Claim> claims) throws Exception {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            List<Future<?>> sent = new ArrayList<>();
            claims.forEach(c -> sent.add(producer.send(new ProducerRecord<>(RAW_TOPIC, c.key(), c.value()))));
            for (Future<?> f : sent) {
                f.get(TOPIC_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        }
    }
}
