package io.lakestream.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.config.ConfigLoader;
import io.lakestream.config.LakestreamConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class StreamsPropertiesTest {

    private static LakestreamConfig claims(Map<String, String> kafka) {
        LakestreamConfig c = ConfigLoader.load(Path.of("config/claims.yaml"), Map.of());
        Map<String, String> merged = new HashMap<>(c.kafka());
        merged.putAll(kafka);
        return new LakestreamConfig(c.application(), merged, c.registry(), c.lake(), c.catalog(), c.http(),
                c.pipelines());
    }

    @Test
    void shouldBatchProducerSendsAndCommitAtTheConfiguredInterval() {
        Properties p = StreamsProperties.of(claims(Map.of()));
        assertThat(p).containsEntry("processing.guarantee", "exactly_once_v2")
                .containsEntry("commit.interval.ms", 1000L)
                .containsEntry("producer.linger.ms", 50)
                .containsEntry("producer.batch.size", 256 * 1024)
                .containsEntry("consumer.auto.offset.reset", "earliest");
    }

    @Test
    void shouldRunOneStreamThreadPerCoreUpToTheSourcePartitions() {
        assertThat(StreamsProperties.defaultThreads(2, Map.of("claims.raw", 4))).isEqualTo(2);
        assertThat(StreamsProperties.defaultThreads(8, Map.of("claims.raw", 4, "payments.raw", 3))).isEqualTo(7);
        assertThat(StreamsProperties.defaultThreads(4, Map.of("claims.raw", 1))).isEqualTo(1);
        assertThat(StreamsProperties.defaultThreads(1, Map.of("claims.raw", 12))).isEqualTo(1);
        assertThat(StreamsProperties.defaultThreads(2, Map.of())).isEqualTo(1);
    }

    @Test
    void shouldLetTheKafkaSectionOverrideEveryDefault() {
        Properties p = StreamsProperties.of(claims(Map.of("producer.linger.ms", "5", "num.stream.threads", "4")));
        assertThat(p).containsEntry("producer.linger.ms", "5").containsEntry("num.stream.threads", "4");
    }

    @Test
    void shouldStillTakeTheNameTheRocksDbMemoryBoundHadBeforeItMoved() {
        Properties p = StreamsProperties.of(claims(Map.of("rocksdb.config.setter",
                "io.lakestream.runtime.BoundedRocksDbMemory")));
        assertThat(p).containsEntry("rocksdb.config.setter", BoundedRocksDbMemory.class.getName());
        assertThat(StreamsProperties.of(claims(Map.of()))).containsEntry("rocksdb.config.setter",
                "io.lakestream.runtime.BoundedRocksDbMemory"); // as config/claims.yaml names it
    }
}
