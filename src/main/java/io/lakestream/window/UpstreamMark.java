package io.lakestream.window;

import java.nio.ByteBuffer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * How a windowed processor that emits closed windows (an aggregation) tells the processor it feeds (the aggregates
 * sink) how far it has closed: header {@link #HEADER} on a progress mark (a record with no key and no value) sent to
 * every partition of its output topic after the results of each close, and on each result (there, the mark in force
 * before that close). The header names the emitting task and the window start below which that task has emitted every
 * result. The receiving processor takes each task as a watermark source with that time, so it closes a window as
 * soon as every task has closed past it — no grace, no later result needed.
 *
 * <p>Value: the task's partition (4 bytes) then the window start (8 bytes), big-endian. A result of an older release
 * carries only the task (4 bytes): it moves no watermark.
 *
 * @param task          the emitting task's partition
 * @param completeBelow every result whose window starts before it has been emitted by that task
 */
public record UpstreamMark(int task, long completeBelow) {

    public static final String HEADER = "lakestream.upstream";

    /** The watermark source this mark speaks for. */
    public String source() {
        return source(task);
    }

    /** The watermark source name of upstream task {@code task}. */
    public static String source(int task) {
        return "aggregation-task-" + task;
    }

    /**
     * The first window start that closing up to {@code closedUpTo} leaves open, for windows of {@code size} starting
     * every {@code advance}: every window starting before it ends at or before {@code closedUpTo}.
     */
    public static long completeBelow(long closedUpTo, long size, long advance) {
        if (closedUpTo == Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        return Math.floorDiv(closedUpTo - size, advance) * advance + advance;
    }

    public Headers headers() {
        return new RecordHeaders().add(HEADER, ByteBuffer.allocate(12).putInt(task).putLong(completeBelow).array());
    }

    /** The mark in {@code headers}, or null when there is none. */
    public static UpstreamMark read(Headers headers) {
        Header h = headers.lastHeader(HEADER);
        if (h == null || h.value() == null) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(h.value());
        if (h.value().length == 4) {
            return new UpstreamMark(b.getInt(), Long.MIN_VALUE);
        }
        return h.value().length == 12 ? new UpstreamMark(b.getInt(), b.getLong()) : null;
    }
}
