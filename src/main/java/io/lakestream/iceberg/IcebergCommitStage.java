package io.lakestream.iceberg;

import io.lakestream.config.LakeConfig;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.port.ObjectStore;
import io.lakestream.sink.ObjectKeys;
import io.lakestream.window.DrainSignal;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.Stores;

/**
 * The Iceberg committers: a sub-topology reading {@code <application-id>.landings}. Landing events are keyed by
 * table, so all events of a table come from one landings partition and one task commits each table: one writer per
 * table, no coordinator. Events wait in a changelogged store until the next commit (every
 * {@code catalog.commit-interval}); the store and the snapshot summary's landings offsets make the commit exactly
 * once across crashes (see {@link IcebergCommitter}).
 */
public final class IcebergCommitStage {

    public static final String PROCESSOR = "iceberg-committer";
    public static final String STORE = "iceberg-committer-pending";

    private IcebergCommitStage() {
    }

    /**
     * Adds the committers when at least one table is an Iceberg table; opens the catalog at first use. A drain of
     * {@code drain} (a run ending caught up) makes them commit their pending files at once.
     */
    public static void add(StreamsBuilder builder, LakestreamConfig config, ObjectStore store, DrainSignal drain,
                           MeterRegistry metrics) {
        add(builder, config, store, Memo.of(() -> IcebergCatalogs.open(config)), drain, System::currentTimeMillis,
                metrics, IcebergCommitProcessor.MAX_LANDINGS_PER_COMMIT);
    }

    /**
     * As above with a given catalog, wall clock and bound on the files of one commit (tests that move time with
     * TopologyTestDriver).
     */
    static void add(StreamsBuilder builder, LakestreamConfig config, ObjectStore store,
                    Supplier<IcebergCatalogs.Opened> catalog, DrainSignal drain,
                    java.util.function.LongSupplier clock, MeterRegistry metrics, int maxLandingsPerCommit) {
        if (config.tableFormats().icebergTables().isEmpty()) {
            return;
        }
        String prefix = config.lake().prefix();
        TableHealth health = new TableHealth(metrics, clock);
        Supplier<IcebergCommitter> committer = Memo.of(() -> new IcebergCommitter(catalog.get().catalog(),
                catalog.get().io(), config.catalog().database(), config.tableFormats(),
                table -> tableLocation(store, prefix, table), config.landingsTopic(), health,
                IcebergCommitter.Backoff.SLEEP));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
                Serdes.String()));
        builder.stream(config.landingsTopic(), Consumed.with(Serdes.String(), Serdes.String())
                        .withName(PROCESSOR + "-source"))
                .process(() -> new IcebergCommitProcessor(config.tableFormats(), committer, drain, clock,
                        maxLandingsPerCommit), Named.as(PROCESSOR), STORE);
    }

    /** A table's location from the config alone (as the store would name it), without the trailing '/'. */
    public static String tableLocation(LakestreamConfig config, String table) {
        String key = ObjectKeys.tablePath(config.lake().prefix(), table);
        String folder = key.substring(0, key.length() - 1);
        return config.lake().store() == LakeConfig.Store.S3 ? config.lake().s3().uri(folder)
                : config.lake().localDir().toAbsolutePath().normalize().resolve(key).toString();
    }

    /** A table's location: the folder of its objects, without the trailing '/'. */
    static String tableLocation(ObjectStore store, String prefix, String table) {
        String uri = store.uri(ObjectKeys.tablePath(prefix, table));
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }

    /** A supplier computing its value once, at first use (the topology is built without side effects). */
    static final class Memo<T> implements Supplier<T> {
        private final Supplier<T> delegate;
        private volatile T value;

        private Memo(Supplier<T> delegate) {
            this.delegate = delegate;
        }

        static <T> Memo<T> of(Supplier<T> delegate) {
            return new Memo<>(delegate);
        }

        @Override
        public T get() {
            T v = value;
            if (v == null) {
                synchronized (this) {
                    if (value == null) {
                        value = delegate.get();
                    }
                    v = value;
                }
            }
            return v;
        }
    }
}
