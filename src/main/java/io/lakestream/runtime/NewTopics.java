package io.lakestream.runtime;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates topics and returns once they take writes: every place lakestream (and its embedded broker) creates topics
 * goes through {@link #create}.
 *
 * <p>The controller acknowledges a creation before the brokers act on it. A broker's metadata names a new partition's
 * leader a moment before that leader takes writes; a produce in between is refused NOT_LEADER_OR_FOLLOWER, and an
 * idempotent or transactional producer whose first batch was refused so has its next batches refused
 * OUT_OF_ORDER_SEQUENCE_NUMBER (logged at ERROR by the broker) until the first one is retried, or, for a plain
 * idempotent producer, until its delivery timeout. ListOffsets is answered by a partition's leader only, once it
 * serves the partition, so an answer for every partition is the signal; on a cluster of several brokers each
 * partition's request goes to its own leader.
 */
public final class NewTopics {

    private static final Logger log = LoggerFactory.getLogger(NewTopics.class);
    private static final long RETRY_MILLIS = 50;

    private NewTopics() {
    }

    /**
     * Creates {@code topics} (one that exists already is kept, as it is) and waits until every partition of each,
     * created or existing, has a leader that answers ListOffsets.
     *
     * @param timeout how long creating and waiting may take together
     * @throws IllegalStateException when a topic cannot be created, or a partition has no leader that answers within
     *                               {@code timeout} (the message names the partitions)
     */
    public static void create(Admin admin, Collection<NewTopic> topics, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (var entry : admin.createTopics(List.copyOf(topics)).values().entrySet()) {
            try {
                entry.getValue().get(millisLeft(deadline), TimeUnit.MILLISECONDS);
                log.info("created topic {}", entry.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + entry.getKey() + ": "
                            + e.getCause().getMessage(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("creating topic " + entry.getKey() + " took longer than " + timeout,
                        e);
            }
        }
        awaitLeaders(admin, topics.stream().map(NewTopic::name).toList(), timeout, deadline);
    }

    private static void awaitLeaders(Admin admin, List<String> topics, Duration timeout, long deadline)
            throws InterruptedException {
        Map<TopicPartition, OffsetSpec> waiting = null;
        Throwable lastError = null;
        while (true) {
            try {
                if (waiting == null) {
                    waiting = partitions(admin.describeTopics(topics).allTopicNames()
                            .get(millisLeft(deadline), TimeUnit.MILLISECONDS));
                }
                ListOffsetsResult offsets = admin.listOffsets(waiting,
                        new ListOffsetsOptions().timeoutMs((int) Math.min(Integer.MAX_VALUE, millisLeft(deadline))));
                for (TopicPartition partition : List.copyOf(waiting.keySet())) {
                    try {
                        offsets.partitionResult(partition).get(millisLeft(deadline), TimeUnit.MILLISECONDS);
                        waiting.remove(partition);
                    } catch (ExecutionException e) {
                        lastError = retriable(e, partition.toString());
                    }
                }
                if (waiting.isEmpty()) {
                    return;
                }
            } catch (ExecutionException e) {
                // a topic the controller has created may not be in the metadata of the broker answering yet
                lastError = retriable(e, String.join(", ", topics));
            } catch (TimeoutException e) {
                lastError = e;
            }
            if (System.nanoTime() - deadline > 0) {
                String what = waiting == null ? "topic(s) " + topics + " are not in the cluster's metadata"
                        : "partition(s) " + waiting.keySet() + " have no leader that serves them";
                throw new IllegalStateException(what + " after " + timeout + " (last error: " + lastError
                        + "); every partition needs a live leader: check that the brokers holding them are up",
                        lastError);
            }
            Thread.sleep(RETRY_MILLIS);
        }
    }

    private static Map<TopicPartition, OffsetSpec> partitions(Map<String, TopicDescription> topics) {
        Map<TopicPartition, OffsetSpec> partitions = new LinkedHashMap<>();
        topics.values().forEach(t -> t.partitions().forEach(p ->
                partitions.put(new TopicPartition(t.name(), p.partition()), OffsetSpec.latest())));
        return partitions;
    }

    /** The cause of a failed call when waiting may cure it; otherwise (e.g. not authorized) fails at once. */
    private static Throwable retriable(ExecutionException e, String what) {
        if (e.getCause() instanceof RetriableException) {
            return e.getCause();
        }
        throw new IllegalStateException("cannot check that " + what + " takes writes: " + e.getCause().getMessage(),
                e.getCause());
    }

    private static long millisLeft(long deadline) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }
}
