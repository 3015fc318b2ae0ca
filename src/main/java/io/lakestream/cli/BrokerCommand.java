package io.lakestream.cli;

import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.runtime.ExitCodes;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A local Kafka broker that stays up: the demo's embedded single-node KRaft broker, for trying a config of one's own
 * (produce to it, then {@code check --sample} and {@code run}) without installing Kafka. Its data is temporary.
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Start an embedded single-node Kafka broker, print its bootstrap address and keep it up until "
                + "stopped (Ctrl-C). Its data lives in a temporary folder, deleted on stop.")
final class BrokerCommand implements Callable<Integer> {

    @Option(names = "--topic", paramLabel = "NAME[:PARTITIONS]",
            description = "Create this topic (repeat for more), with 3 partitions unless given.")
    List<String> topics = List.of();

    @Override
    public Integer call() throws InterruptedException {
        if (BrokerJar.missing("broker")) {
            return ExitCodes.BAD_CONFIG;
        }
        EmbeddedKafka kafka = EmbeddedKafka.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            stopped.countDown();
        }, "lakestream-broker-stop"));
        for (String topic : topics) {
            int colon = topic.lastIndexOf(':');
            int partitions = colon < 0 ? 3 : Integer.parseInt(topic.substring(colon + 1));
            kafka.createTopics(partitions, colon < 0 ? topic : topic.substring(0, colon));
        }
        System.out.println("bootstrap.servers: " + kafka.bootstrapServers());
        System.out.println("topics created: " + (topics.isEmpty() ? "none (lakestream creates its own; create the "
                + "raw topics with --topic or let the producer auto-create them)" : String.join(", ", topics)));
        System.out.println("e.g. KAFKA_BOOTSTRAP=" + kafka.bootstrapServers()
                + " java -jar lakestream.jar check --config my.yaml --sample 100; Ctrl-C stops the broker");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
