package io.lakestream.sink.format;

import org.apache.parquet.io.api.Binary;

/**
 * Reads Avro's binary encoding in place: numbers decoded from the buffer, strings, bytes and fixed handed out as
 * slices of it ({@link Binary#fromConstantByteArray}), never copied. The buffer must not change while the slices
 * live (a buffered record's wire bytes never do).
 */
final class AvroBinaryCursor {

    private byte[] buf;
    private int pos;

    void reset(byte[] bytes, int offset) {
        buf = bytes;
        pos = offset;
    }

    /** Whether every byte up to the end of the buffer was read. */
    boolean atEnd() {
        return pos == buf.length;
    }

    boolean readBoolean() {
        return buf[pos++] != 0;
    }

    int readInt() {
        int n = 0;
        int shift = 0;
        int b;
        do {
            b = buf[pos++] & 0xff;
            n |= (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0 && shift < 35);
        return (n >>> 1) ^ -(n & 1);
    }

    long readLong() {
        long n = 0;
        int shift = 0;
        long b;
        do {
            b = buf[pos++] & 0xffL;
            n |= (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0 && shift < 70);
        return (n >>> 1) ^ -(n & 1);
    }

    float readFloat() {
        return Float.intBitsToFloat(littleEndianInt());
    }

    double readDouble() {
        long low = littleEndianInt() & 0xffffffffL;
        long high = littleEndianInt() & 0xffffffffL;
        return Double.longBitsToDouble((high << 32) | low);
    }

    /** A string's or bytes' value: its length, then that many bytes. */
    Binary readBinary() {
        return readFixed(readInt());
    }

    Binary readFixed(int size) {
        if (size < 0 || size > buf.length - pos) {
            throw new IllegalStateException("corrupt Avro binary: length " + size + " at byte " + pos + " of "
                    + buf.length);
        }
        Binary slice = Binary.fromConstantByteArray(buf, pos, size);
        pos += size;
        return slice;
    }

    /**
     * The item count of the next block of an array or map (0 ends it); a negative count is followed by the block's
     * size in bytes, which is not needed here.
     */
    long readBlockCount() {
        long count = readLong();
        if (count < 0) {
            readLong();
            return -count;
        }
        return count;
    }

    private int littleEndianInt() {
        int n = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0xff) << 16
                | (buf[pos + 3] & 0xff) << 24;
        pos += 4;
        return n;
    }
}
