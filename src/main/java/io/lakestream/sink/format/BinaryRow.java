package io.lakestream.sink.format;

/**
 * A table row still in Avro's binary encoding: the data record's body as the registry wire format holds it, then
 * the values of the table's columns that follow the data fields (the lineage columns), which the row writes itself.
 */
public interface BinaryRow {

    /** The bytes holding the data record's Avro binary body, from {@link #bodyOffset()} to the end. */
    byte[] bytes();

    int bodyOffset();

    /** Adds the values of the columns after the data fields, in table order, one call each. */
    void addTrailing(Columns columns);

    /** Receives the trailing columns' values; each call fills the next column. */
    interface Columns {
        void addString(String value);

        void addInt(int value);

        void addLong(long value);

        void addBoolean(boolean value);
    }
}
