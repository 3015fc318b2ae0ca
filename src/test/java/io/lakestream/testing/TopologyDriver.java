package io.lakestream.testing;

import io.lakestream.config.LakestreamConfig;
import io.lakestream.port.Ports;
import io.lakestream.runtime.Schemas;
import io.lakestream.topology.TopologyFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The application's whole topology ({@link TopologyFactory#build}) of a config in a {@link TopologyTestDriver}:
 * exactly-once, a fresh state dir, a broker that is never contacted, wall clock at 2030-01-01.
 */
public final class TopologyDriver {

    private TopologyDriver() {
    }

    /** @param rawTopic the source topic, of one partition */
    public static TopologyTestDriver of(LakestreamConfig cfg, Ports ports, String rawTopic) throws IOException {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, cfg.application().id());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("ttd").toString());
        return new TopologyTestDriver(TopologyFactory.build(cfg, Schemas.load(cfg), ports, Map.of(rawTopic, 1)),
                props, Instant.parse("2030-01-01T00:00:00Z"));
    }
}
