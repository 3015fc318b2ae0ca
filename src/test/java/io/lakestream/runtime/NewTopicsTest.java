package io.lakestream.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DescribeTopicsResult;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.junit.jupiter.api.Test;

/**
 * {@link NewTopics} against an admin double playing what a broker does after a topic is created: the creation is
 * acknowledged at once, the topic is missing from the metadata for a while, then a partition's leader is listed
 * while it still refuses requests (NOT_LEADER_OR_FOLLOWER) until it serves the partition and takes writes. The double
 * counts requests instead of time, so no test depends on how fast anything runs.
 */
class NewTopicsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final FakeCluster cluster = new FakeCluster();

    @Test
    void shouldReturnOnlyOnceEveryPartitionOfEveryNewTopicTakesWrites() throws Exception {
        cluster.describesBeforeVisible = 2;
        cluster.refusalsBeforeServing = 3;

        NewTopics.create(cluster.admin(), List.of(new NewTopic("a.normalized", 3, (short) 1),
                new NewTopic("a.dlq", 2, (short) 1)), TIMEOUT);

        assertThat(cluster.created).containsExactlyInAnyOrder("a.normalized", "a.dlq");
        assertThat(cluster.serving).containsExactlyInAnyOrder(new TopicPartition("a.normalized", 0),
                new TopicPartition("a.normalized", 1), new TopicPartition("a.normalized", 2),
                new TopicPartition("a.dlq", 0), new TopicPartition("a.dlq", 1));
    }

    @Test
    void shouldKeepATopicThatExistsAndWaitUntilItTakesWritesToo() throws Exception {
        cluster.existing.put("a.landings", 2);
        cluster.refusalsBeforeServing = 1;

        NewTopics.create(cluster.admin(), List.of(new NewTopic("a.landings", 4, (short) 1)), TIMEOUT);

        assertThat(cluster.created).isEmpty();
        assertThat(cluster.serving).containsExactlyInAnyOrder(new TopicPartition("a.landings", 0),
                new TopicPartition("a.landings", 1));
    }

    @Test
    void shouldNameThePartitionsWithoutALeaderThatServesThemWhenTheTimeoutPasses() {
        cluster.neverServing.add(new TopicPartition("b.normalized", 1));

        assertThatThrownBy(() -> NewTopics.create(cluster.admin(),
                List.of(new NewTopic("b.normalized", 2, (short) 1)), Duration.ofMillis(200)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("partition(s) [b.normalized-1] have no leader that serves them after PT0.2S "
                        + "(last error: org.apache.kafka.common.errors.NotLeaderOrFollowerException: not yet); every "
                        + "partition needs a live leader: check that the brokers holding them are up");
        assertThat(cluster.serving).containsExactly(new TopicPartition("b.normalized", 0));
    }

    @Test
    void shouldFailAtOnceWhenThePartitionsMayNotBeRead() {
        cluster.listOffsetsError = new TopicAuthorizationException("Not authorized to access topics: [c.dlq]");

        assertThatThrownBy(() -> NewTopics.create(cluster.admin(), List.of(new NewTopic("c.dlq", 1, (short) 1)),
                TIMEOUT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot check that c.dlq-0 takes writes: Not authorized to access topics: [c.dlq]");
    }

    @Test
    void shouldNameTheTopicThatCannotBeCreated() {
        cluster.createError = new InvalidReplicationFactorException("Replication factor: 3 larger than available "
                + "brokers: 1.");

        assertThatThrownBy(() -> NewTopics.create(cluster.admin(), List.of(new NewTopic("d.alerts", 1, (short) 3)),
                TIMEOUT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot create topic d.alerts: Replication factor: 3 larger than available brokers: 1.");
    }

    /** The admin calls {@link NewTopics} makes, answered as a broker just after a creation would. */
    private static final class FakeCluster {

        private static final Node BROKER = new Node(1, "127.0.0.1", 9092);

        final Map<String, Integer> existing = new HashMap<>();
        final Set<String> created = new HashSet<>();
        final Set<TopicPartition> serving = new HashSet<>();
        final Set<TopicPartition> neverServing = new HashSet<>();
        final Map<TopicPartition, Integer> refusals = new HashMap<>();
        int describesBeforeVisible;
        int refusalsBeforeServing;
        RuntimeException createError;
        RuntimeException listOffsetsError;

        Admin admin() {
            return (Admin) Proxy.newProxyInstance(Admin.class.getClassLoader(), new Class<?>[] {Admin.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "createTopics" -> createTopics(collection(args[0]));
                        case "describeTopics" -> describeTopics(collection(args[0]));
                        case "listOffsets" -> listOffsets(map(args[0]));
                        case "close" -> null;
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }

        private CreateTopicsResult createTopics(Collection<NewTopic> topics) {
            Map<String, KafkaFuture<CreateTopicsResult.TopicMetadataAndConfig>> results = new LinkedHashMap<>();
            for (NewTopic topic : topics) {
                if (createError != null) {
                    results.put(topic.name(), failed(createError));
                } else if (existing.containsKey(topic.name())) {
                    results.put(topic.name(), failed(new TopicExistsException("Topic '" + topic.name()
                            + "' already exists.")));
                } else {
                    existing.put(topic.name(), topic.numPartitions());
                    created.add(topic.name());
                    results.put(topic.name(), KafkaFuture.completedFuture(null));
                }
            }
            return new CreateTopicsResult(results) { };
        }

        private DescribeTopicsResult describeTopics(Collection<String> names) {
            boolean visible = describesBeforeVisible-- <= 0;
            return new DescribeTopicsResult(null, each(names, name -> visible
                    ? KafkaFuture.completedFuture(new TopicDescription(name, false,
                            IntStream.range(0, existing.get(name))
                                    .mapToObj(p -> new TopicPartitionInfo(p, BROKER, List.of(BROKER), List.of(BROKER)))
                                    .toList()))
                    : failed(new UnknownTopicOrPartitionException("not yet")))) { };
        }

        private ListOffsetsResult listOffsets(Map<TopicPartition, OffsetSpec> partitions) {
            return new ListOffsetsResult(each(partitions.keySet(), partition -> {
                if (listOffsetsError != null) {
                    return failed(listOffsetsError);
                }
                int refused = refusals.merge(partition, 1, Integer::sum);
                if (neverServing.contains(partition) || refused <= refusalsBeforeServing) {
                    return failed(new NotLeaderOrFollowerException("not yet"));
                }
                serving.add(partition);
                return KafkaFuture.completedFuture(new ListOffsetsResult.ListOffsetsResultInfo(0, -1,
                        java.util.Optional.empty()));
            }));
        }

        private static <K, V> Map<K, KafkaFuture<V>> each(Collection<K> keys, Function<K, KafkaFuture<V>> value) {
            Map<K, KafkaFuture<V>> result = new LinkedHashMap<>();
            keys.forEach(k -> result.put(k, value.apply(k)));
            return result;
        }

        private static <T> KafkaFuture<T> failed(RuntimeException e) {
            KafkaFutureImpl<T> future = new KafkaFutureImpl<>();
            future.completeExceptionally(e);
            return future;
        }

        @SuppressWarnings("unchecked")
        private static <T> Collection<T> collection(Object o) {
            return (Collection<T>) o;
        }

        @SuppressWarnings("unchecked")
        private static <K, V> Map<K, V> map(Object o) {
            return (Map<K, V>) o;
        }
    }
}
