package io.lakestream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;

/** {@code broker}: a local broker that stays up, at the address it prints, until SIGTERM. */
class BrokerCommandIT {

    @Test
    void shouldKeepABrokerUpAtThePrintedAddressWithTheAskedTopicsUntilStopped() throws Exception {
        Process process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "broker",
                "--topic", "sensors.raw:2")).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            String line = out.readLine();
            while (line != null && !line.startsWith("bootstrap.servers: ")) {
                line = out.readLine();
            }
            assertThat(line).as("prints its address").isNotNull();
            String bootstrap = line.substring("bootstrap.servers: ".length());
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                TopicDescription topic = admin.describeTopics(List.of("sensors.raw")).allTopicNames()
                        .get(30, TimeUnit.SECONDS).get("sensors.raw");
                assertThat(topic.partitions()).hasSize(2);
            }
            assertThat(process.isAlive()).as("still up").isTrue();
        } finally {
            process.destroy();
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
    }
}
