package io.lakestream.aggregate;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.memory.WritableMemory;

/**
 * A {@code count_distinct} accumulator: an Apache DataSketches HLL sketch (HLL_8) laid out in a byte array of its
 * largest updatable size, {@code 2^lgK} bytes plus a small header, so that every record updates it in place (no
 * decode and encode of the sketch per record), whichever of its list, set and HLL modes it is in.
 */
final class DistinctSketch {

    private static final TgtHllType TYPE = TgtHllType.HLL_8;
    /** Stands for the empty string and empty byte arrays, which the sketch would otherwise ignore. */
    private static final byte[] EMPTY = {0};

    private DistinctSketch() {
    }

    static ByteBuffer empty(int lgK) {
        byte[] bytes = new byte[HllSketch.getMaxUpdatableSerializationBytes(lgK, TYPE)];
        new HllSketch(lgK, TYPE, WritableMemory.writableWrap(bytes));
        return ByteBuffer.wrap(bytes);
    }

    /**
     * Adds a logical value: whole numbers by their value (an int and a long alike), floating point by its value,
     * decimals by their value whatever the scale (1.50 and 1.5 are one value, as in SQL), anything else by its text.
     */
    static void add(ByteBuffer sketch, Object value) {
        if (value == null) {
            return;
        }
        HllSketch s = HllSketch.writableWrap(WritableMemory.writableWrap(array(sketch)));
        if (value instanceof Integer || value instanceof Long) {
            s.update(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            s.update(((Number) value).doubleValue());
        } else {
            String text = value instanceof BigDecimal d ? d.stripTrailingZeros().toPlainString() : value.toString();
            if (text.isEmpty()) {
                s.update(EMPTY);
            } else {
                s.update(text);
            }
        }
    }

    /** The estimated number of distinct values, rounded. */
    static long estimate(ByteBuffer sketch) {
        return Math.round(HllSketch.wrap(Memory.wrap(array(sketch))).getEstimate());
    }

    /** The sketch's own array: Avro decodes a bytes field into a buffer of exactly its length. */
    private static byte[] array(ByteBuffer sketch) {
        if (sketch.hasArray() && sketch.arrayOffset() == 0 && sketch.position() == 0
                && sketch.remaining() == sketch.array().length) {
            return sketch.array();
        }
        throw new IllegalStateException("a count_distinct accumulator must be a whole heap buffer");
    }
}
