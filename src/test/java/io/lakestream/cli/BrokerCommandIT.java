package io.lakestream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.testing.LakestreamJvm;
import java.time.Duration;
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
        try (LakestreamJvm broker = LakestreamJvm.command("broker", "--topic", "sensors.raw:2").start()) {
            broker.awaitOutput("bootstrap.servers: ", Duration.ofMinutes(1));
            String bootstrap = broker.output().lines().filter(l -> l.startsWith("bootstrap.servers: "))
                    .findFirst().orElseThrow(() -> new AssertionError("prints its address")).substring(
                            "bootstrap.servers: ".length());
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                TopicDescription topic = admin.describeTopics(List.of("sensors.raw")).allTopicNames()
                        .get(30, TimeUnit.SECONDS).get("sensors.raw");
                assertThat(topic.partitions()).hasSize(2);
            }
            assertThat(broker.isAlive()).as("still up").isTrue();
            assertThat(broker.stop()).as("stops on SIGTERM").isNotEqualTo(-1);
        }
    }
}
