package io.lakestream.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What one benchmark run measures; {@link #id()} is its name on the command line and in the output. */
public enum Variant {
    /** A plain read_committed KafkaConsumer reading the raw topic: the hard limit. */
    BASELINE(null, null, false, false, false),
    EOS_LOCAL(Guarantee.EXACTLY_ONCE, Store.LOCAL, true, false, false),
    EOS_S3(Guarantee.EXACTLY_ONCE, Store.S3, true, false, false),
    ALOS_LOCAL(Guarantee.AT_LEAST_ONCE, Store.LOCAL, true, false, false),
    ALOS_S3(Guarantee.AT_LEAST_ONCE, Store.S3, true, false, false),
    /** The records table only, no aggregation. */
    EOS_LOCAL_RECORDS(Guarantee.EXACTLY_ONCE, Store.LOCAL, false, false, false),
    ALOS_LOCAL_RECORDS(Guarantee.AT_LEAST_ONCE, Store.LOCAL, false, false, false),
    /** {@link #EOS_LOCAL} with three SQL expressions: a derived column, a record filter and a filtered measure. */
    EOS_LOCAL_EXPR(Guarantee.EXACTLY_ONCE, Store.LOCAL, true, true, false),
    /** {@link #EOS_LOCAL_RECORDS} as an Iceberg table: local folder, local JDBC (SQLite) catalog. */
    EOS_ICEBERG_RECORDS(Guarantee.EXACTLY_ONCE, Store.LOCAL, false, false, true),
    /** {@link #EOS_LOCAL} with both tables as Iceberg tables: local folder, local JDBC (SQLite) catalog. */
    EOS_ICEBERG(Guarantee.EXACTLY_ONCE, Store.LOCAL, true, false, true);

    /** lakestream's {@code application.processing-guarantee}. */
    public enum Guarantee { EXACTLY_ONCE, AT_LEAST_ONCE }

    /** lakestream's {@code lake.store}: a local folder, or S3 (moto server in the benchmark). */
    public enum Store { LOCAL, S3 }

    private final Guarantee guarantee;
    private final Store store;
    private final boolean aggregates;
    private final boolean expressions;
    private final boolean iceberg;

    Variant(Guarantee guarantee, Store store, boolean aggregates, boolean expressions, boolean iceberg) {
        this.guarantee = guarantee;
        this.store = store;
        this.aggregates = aggregates;
        this.expressions = expressions;
        this.iceberg = iceberg;
    }

    /**
     * Whether the tables are Iceberg tables ({@code lake.table-format: iceberg}), the run ending when their last file
     * is committed, rather than Hive-style, the run ending when the last object is written.
     */
    public boolean iceberg() {
        return iceberg;
    }

    /** Whether the pipeline adds {@code derive}, {@code filter} and a measure with {@code where}. */
    public boolean expressions() {
        return expressions;
    }

    /** Whether the pipeline runs its aggregation (claims_by_account) besides the records table. */
    public boolean aggregates() {
        return aggregates;
    }

    /** Null for {@link #BASELINE}. */
    public Guarantee guarantee() {
        return guarantee;
    }

    /** Null for {@link #BASELINE}. */
    public Store store() {
        return store;
    }

    public boolean isLakestream() {
        return this != BASELINE;
    }

    /** e.g. {@code eos-local}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses {@link #id()}. */
    public static Variant of(String id) {
        for (Variant v : values()) {
            if (v.id().equals(id.trim())) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown variant '" + id + "'; known: "
                + Arrays.stream(values()).map(Variant::id).collect(Collectors.joining(", ")));
    }
}
