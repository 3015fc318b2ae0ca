package io.lakestream.sink;

import java.util.List;
import java.util.function.Supplier;
import org.apache.avro.generic.GenericRecord;

/**
 * Where a table's objects go and what partition they belong to: the Hive layout ({@code dt=/hour=} folders plus
 * catalog partitions) or an Iceberg table's data folder (partitions tracked by the table's snapshots). The flusher
 * writes one object per partition value list, so an object never spans two partitions of either format.
 */
public interface TableLayout {

    /** Partition column names, in the order of {@link #partitionValues}. */
    List<String> partitionNames();

    /**
     * The partition values of one record (unescaped).
     *
     * @param eventTime the record's event time, epoch millis
     * @param record    the record's value, deserialized only when the layout needs a field
     */
    List<String> partitionValues(long eventTime, Supplier<GenericRecord> record);

    /** True when values depend on the event hour only, so the flusher may compute them once per hour. */
    boolean byEventHourOnly();

    /** The key prefix (ending in '/') of the objects of one partition. */
    String partitionPath(List<String> values);

    /** True for the Hive layout, whose sinks keep the Hive catalog (table + partitions) current. */
    boolean hiveCatalog();

    /**
     * The table's committer in its sinks: {@code hive} (the sink's catalog updater) for a Hive table, the table
     * format's own otherwise.
     */
    TableCommitter committer(Supplier<TableCommitter> hive);

    /**
     * How many distinct partition value lists a sink task lands per landing window; records beyond them land in
     * {@link #overflow} of their values. Unbounded unless the layout partitions by record fields.
     */
    default int maxValuesPerWindow() {
        return Integer.MAX_VALUE;
    }

    /** {@code values} with every record-field column replaced by {@link ObjectKeys#OVERFLOW_PARTITION}. */
    default List<String> overflow(List<String> values) {
        return values;
    }

    /**
     * The Hive layout of {@link ObjectKeys}: partition columns from event time ({@code dt}, {@code hour}) and record
     * fields, Hive catalog partitions.
     */
    static TableLayout hive(String prefix, String table, List<String> partitionBy) {
        return hive(prefix, table, partitionBy, Integer.MAX_VALUE);
    }

    /** @param maxValues {@code landing.max-partition-values}, for a table partitioned by a record field */
    static TableLayout hive(String prefix, String table, List<String> partitionBy, int maxValues) {
        boolean byField = partitionBy.stream().anyMatch(c -> !c.equals("dt") && !c.equals("hour"));
        return new TableLayout() {
            @Override
            public int maxValuesPerWindow() {
                return byField ? maxValues : Integer.MAX_VALUE;
            }

            @Override
            public List<String> overflow(List<String> values) {
                List<String> out = new java.util.ArrayList<>(values);
                for (int i = 0; i < partitionBy.size(); i++) {
                    if (!partitionBy.get(i).equals("dt") && !partitionBy.get(i).equals("hour")) {
                        out.set(i, ObjectKeys.OVERFLOW_PARTITION);
                    }
                }
                return out;
            }

            @Override
            public List<String> partitionNames() {
                return partitionBy;
            }

            @Override
            public List<String> partitionValues(long eventTime, Supplier<GenericRecord> record) {
                return byField ? ObjectKeys.partitionValues(partitionBy, eventTime, record.get())
                        : ObjectKeys.partitionValues(partitionBy, eventTime);
            }

            @Override
            public boolean byEventHourOnly() {
                return !byField;
            }

            @Override
            public String partitionPath(List<String> values) {
                return ObjectKeys.partitionPath(prefix, table, partitionBy, values);
            }

            @Override
            public boolean hiveCatalog() {
                return true;
            }

            @Override
            public TableCommitter committer(Supplier<TableCommitter> hive) {
                return hive.get();
            }
        };
    }
}
