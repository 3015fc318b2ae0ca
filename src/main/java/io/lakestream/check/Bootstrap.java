package io.lakestream.check;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.utils.Utils;

/**
 * A plain TCP connect to each bootstrap server before any Kafka client is built: an unreachable bootstrap then
 * fails at once and by name, instead of as a Kafka timeout that could as well be a TLS or protocol mismatch.
 */
public final class Bootstrap {

    private Bootstrap() {
    }

    /** Empty if at least one bootstrap server accepts a TCP connection, else why none does, address by address. */
    public static Optional<String> unreachable(String bootstrapServers, Duration connectTimeout) {
        List<String> problems = new ArrayList<>();
        for (String address : bootstrapServers.split(",")) {
            String trimmed = address.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            String problem = connect(trimmed, connectTimeout);
            if (problem == null) {
                return Optional.empty();
            }
            problems.add(trimmed + " (" + problem + ")");
        }
        if (problems.isEmpty()) {
            return Optional.of("kafka.bootstrap.servers is empty");
        }
        return Optional.of("cannot connect to any bootstrap server: " + String.join(", ", problems));
    }

    /** @return null if connected, else the problem */
    private static String connect(String address, Duration timeout) {
        String host = Utils.getHost(address);
        Integer port = Utils.getPort(address);
        if (host == null || port == null) {
            return "not host:port";
        }
        InetSocketAddress socketAddress = new InetSocketAddress(host, port);
        if (socketAddress.isUnresolved()) {
            return "unknown host";
        }
        try (Socket socket = new Socket()) {
            socket.connect(socketAddress, (int) timeout.toMillis());
            return null;
        } catch (IOException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }
}
