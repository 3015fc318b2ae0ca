package io.lakestream.iceberg;

import io.lakestream.config.LakestreamConfig;
import io.lakestream.sink.LandingEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.parquet.Parquet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Another writer of a lakestream table (the Iceberg API, as Spark or Athena would), and what a replay of lakestream's
 * landings needs: the committed landing events and a committer built as the service builds it. Shared by the local
 * maintenance IT and the chaos run on Glue.
 */
public final class OutsideWriter {

    private OutsideWriter() {
    }

    /**
     * Rewrites one data file of a partition {@code victimPartition} accepts into a copy of its own, appends a file of
     * one foreign row (source partition 99, offset 1), then expires every snapshot but its own last one, so that no
     * snapshot lakestream wrote is left.
     *
     * @return the source coordinates ("partition:offset") of the foreign rows
     */
    public static Set<String> rewriteAppendAndExpireTheRest(Table table, Predicate<String> victimPartition) {
        table.refresh();
        long readFrom = table.currentSnapshot().snapshotId();
        List<DataFile> current = new ArrayList<>();
        try (var tasks = table.newScan().planFiles()) {
            for (FileScanTask t : tasks) {
                current.add(t.file());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DataFile victim = current.stream().filter(f -> victimPartition.test(table.spec().partitionToPath(
                f.partition()))).findFirst().orElseThrow();
        List<Record> rows = new ArrayList<>();
        try (var read = IcebergRows.read(table, victim.location())) {
            read.forEach(r -> rows.add(r.copy()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DataFile copy = write(table, victim, rows, "foreign-rewrite.parquet");
        // As a concurrent writer does: validated from the snapshot it read, not from the table's first (whose
        // history lakestream's own maintenance may have expired).
        table.newRewrite().validateFromSnapshot(readFrom).deleteFile(victim).addFile(copy)
                .commit();
        Record extra = GenericRecord.create(table.schema());
        rows.get(0).struct().fields().forEach(f -> extra.setField(f.name(), rows.get(0).getField(f.name())));
        extra.setField("_source_partition", 99);
        extra.setField("_source_offset", 1L);
        table.newAppend().appendFile(write(table, victim, List.of(extra), "foreign-append.parquet")).commit();
        table.expireSnapshots().expireOlderThan(System.currentTimeMillis() + 1).retainLast(1).commit();
        table.refresh();
        return new TreeSet<>(Set.of("99:1"));
    }

    /** A committer over the config's catalog as the service builds it (no sleeping between retries). */
    public static IcebergCommitter committer(IcebergCatalogs.Opened catalog, LakestreamConfig cfg, String database) {
        return new IcebergCommitter(catalog.catalog(), catalog.io(), database, cfg.tableFormats(),
                t -> IcebergCommitStage.tableLocation(cfg, t), cfg.landingsTopic(), IcebergFixtures.health(),
                attempt -> { });
    }

    /** The committed landing events of {@code table}, as its committer reads them (read_committed). */
    public static List<IcebergCommitter.Landing> landings(String bootstrapServers, String topic, String table) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<IcebergCommitter.Landing> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.currentTimeMillis() + 30_000;
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))
                    && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    if (table.equals(r.key()) && r.value() != null) {
                        out.add(new IcebergCommitter.Landing(r.partition(), r.offset(),
                                LandingEvent.fromJson(r.value())));
                    }
                }
            }
        }
        return out;
    }

    /** The table's snapshots. */
    public static int snapshots(Table table) {
        int n = 0;
        for (Snapshot ignored : table.snapshots()) {
            n++;
        }
        return n;
    }

    private static DataFile write(Table table, DataFile like, List<Record> rows, String name) {
        try {
            DataWriter<Record> w = Parquet.writeData(table.io().newOutputFile(table.locationProvider()
                            .newDataLocation(table.spec(), like.partition(), name)))
                    .schema(table.schema()).withSpec(table.spec()).withPartition(like.partition())
                    .createWriterFunc(t -> GenericParquetWriter.create(table.schema(), t)).overwrite().build();
            try (w) {
                rows.forEach(w::write);
            }
            return w.toDataFile();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
