package io.lakestream.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KafkaKeysTest {

    @Test
    void shouldSuggestTheKafkaNameOfAMisspelledKeyKeepingItsClientPrefix() {
        assertThat(KafkaKeys.misspelled("bootstrap.server")).contains("bootstrap.servers");
        assertThat(KafkaKeys.misspelled("secutiry.protocol")).contains("security.protocol");
        assertThat(KafkaKeys.misspelled("producer.linger.m")).contains("producer.linger.ms");
        assertThat(KafkaKeys.misspelled("main.consumer.fetch.min.byte")).contains("main.consumer.fetch.min.bytes");
    }

    @Test
    void shouldAcceptKnownKeysAndKeysOfPlugInsThatAreNearNoKafkaName() {
        assertThat(KafkaKeys.misspelled("bootstrap.servers")).isEmpty();
        assertThat(KafkaKeys.misspelled("num.stream.threads")).isEmpty();
        assertThat(KafkaKeys.misspelled("consumer.max.poll.records")).isEmpty();
        assertThat(KafkaKeys.misspelled("sasl.jaas.config")).isEmpty();
        assertThat(KafkaKeys.misspelled("topic.min.insync.replicas")).isEmpty();
        assertThat(KafkaKeys.misspelled("config.providers.file.class")).isEmpty();
        assertThat(KafkaKeys.misspelled("confluent.monitoring.interceptor.bootstrap.servers")).isEmpty();
    }
}
