package io.lakestream.sink;

/**
 * The unit a sink buffers: one record of an open window with what landing needs besides the record itself. How
 * entries are laid out in memory and in spill files is {@link WindowBuffer}'s business.
 */
final class BufferCodec {

    /** One buffered record: its coordinates, times, and the record in registry wire format. */
    record Entry(long flushWindowStart, String topic, int partition, long offset, long eventTime, long kafkaTimestamp,
                 boolean late, long eventWindowStart, byte[] wire) {
    }

    private BufferCodec() {
    }
}
