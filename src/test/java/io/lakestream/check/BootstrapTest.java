package io.lakestream.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BootstrapTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Test
    void shouldPassWhenAnyBootstrapServerAcceptsConnections() throws IOException {
        int closed = closedPort();
        try (ServerSocket open = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(Bootstrap.unreachable("127.0.0.1:" + closed + ", 127.0.0.1:" + open.getLocalPort(), TIMEOUT))
                    .isEmpty();
        }
    }

    @Test
    void shouldNameEveryBootstrapServerAndWhyItCannotBeReached() throws IOException {
        int closed = closedPort();

        assertThat(Bootstrap.unreachable("127.0.0.1:" + closed + ",broker-without-port", TIMEOUT)).contains(
                "cannot connect to any bootstrap server: 127.0.0.1:" + closed + " (Connection refused),"
                        + " broker-without-port (not host:port)");
    }

    @Test
    void shouldAcceptAListenerPrefixAsKafkaClientsDo() throws IOException {
        try (ServerSocket open = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(Bootstrap.unreachable("SSL://127.0.0.1:" + open.getLocalPort(), TIMEOUT)).isEmpty();
        }
    }

    @Test
    void shouldSayWhenTheListIsEmpty() {
        assertThat(Bootstrap.unreachable(" , ", TIMEOUT)).contains("kafka.bootstrap.servers is empty");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
