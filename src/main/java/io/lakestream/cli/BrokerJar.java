package io.lakestream.cli;

/**
 * Whether this jar carries the embedded Kafka broker. The production jar ({@code target/lakestream.jar}, the one the
 * image ships) leaves it out with Scala; {@code target/lakestream-demo.jar} has it, for {@code demo} and
 * {@code broker}. Checked by name, before anything touches {@code io.lakestream.embedded}.
 */
final class BrokerJar {

    private static final String BROKER_CLASS = "kafka.server.KafkaRaftServer";

    private BrokerJar() {
    }

    /** Prints where {@code command} runs and returns true when the broker is not on the class path. */
    static boolean missing(String command) {
        try {
            Class.forName(BROKER_CLASS, false, BrokerJar.class.getClassLoader());
            return false;
        } catch (ClassNotFoundException e) {
            System.err.println("`" + command + "` needs the embedded Kafka broker, which the production jar leaves out;"
                    + " run it from the demo jar: java -jar target/lakestream-demo.jar " + command);
            return true;
        }
    }
}
