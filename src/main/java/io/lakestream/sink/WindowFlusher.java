package io.lakestream.sink;

import io.lakestream.port.ObjectStore;
import io.lakestream.port.ObjectStoreException;
import io.lakestream.registry.GsrWireFormat;
import io.lakestream.sink.BufferCodec.Entry;
import io.lakestream.sink.format.FormatWriter;
import io.lakestream.sink.format.WrittenFile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one closed flush window: its buffered records grouped by (partition values, event window, source partition,
 * late flag), one object per group, rows in offset order.
 *
 * <p>Exactly once rests on three facts. Object keys are deterministic (event window, source partition, first
 * offset, late flag). Writes are conditional creates. And every object carries its offset range, and holds every
 * record of its (event window, source partition, partition values) whose offset lies in that range: a writer sees a
 * source partition's offsets in order, closes windows monotonically, and writes one object per group. So before
 * writing, records whose offsets lie in the range of an object already present for the same event window and source
 * partition (written by an earlier attempt, a zombie, or the previous owner) are dropped; and when a create finds
 * its key taken, the records up to that object's last offset are dropped and the rest continue as a new object
 * named by its own first offset.
 */
final class WindowFlusher {

    private static final Logger LOG = LoggerFactory.getLogger(WindowFlusher.class);
    private static final long HOUR_MILLIS = 3_600_000L;

    private record Group(List<String> partitionValues, long eventWindowStart, String topic, int partition,
                         boolean late) {
    }

    private record Range(String key, Map<String, String> metadata, long first, long last) {
    }

    private final SinkSpec spec;
    private final ObjectStore store;
    private final Deserializer<GenericRecord> deserializer;
    private final FormatWriter writer;
    private final TableCommitter committer;
    private final SinkMetrics metrics;
    private final TableSchemas tableSchemas = new TableSchemas();
    private final Map<UUID, Schema> writerSchemas = new HashMap<>();

    WindowFlusher(SinkSpec spec, ObjectStore store, Deserializer<GenericRecord> deserializer, FormatWriter writer,
                  TableCommitter committer, SinkMetrics metrics) {
        this.spec = spec;
        this.store = store;
        this.deserializer = deserializer;
        this.writer = writer;
        this.committer = committer;
        this.metrics = metrics;
    }

    /** Lands the entries of one flush window (in buffer key order); returns the landing events to publish. */
    List<LandingEvent> flush(long flushWindowStart, List<Entry> entries) {
        long started = System.nanoTime();
        Map<Group, List<Entry>> groups = new LinkedHashMap<>();
        // Partition values (dt, hour) change with the event hour only: computed once per hour, not per record; a
        // field partition column needs each record's value.
        long hour = Long.MIN_VALUE;
        List<String> values = List.of();
        TableLayout layout = spec.target().layout();
        // The first max-partition-values distinct value lists of the window, in buffer order (the same on replay),
        // get their partitions; later ones go to the overflow partition.
        Set<List<String>> distinct = new java.util.HashSet<>();
        long overflowed = 0;
        for (Entry e : entries) {
            if (!layout.byEventHourOnly() || Math.floorDiv(e.eventTime(), HOUR_MILLIS) != hour) {
                hour = Math.floorDiv(e.eventTime(), HOUR_MILLIS);
                values = layout.partitionValues(e.eventTime(),
                        () -> deserializer.deserialize(spec.inputs().registryTopic(), e.wire()));
                if (!distinct.contains(values)) {
                    if (distinct.size() < layout.maxValuesPerWindow()) {
                        distinct.add(values);
                    } else {
                        values = layout.overflow(values);
                        overflowed++;
                    }
                }
            }
            Group g = new Group(values, e.eventWindowStart(), e.topic(), e.partition(), e.late());
            groups.computeIfAbsent(g, k -> new ArrayList<>()).add(e);
        }
        if (overflowed > 0) {
            metrics.partitionOverflow.increment(overflowed);
            LOG.warn("pipeline {} table {}: window {} has more than {} distinct partition values (landing."
                    + "max-partition-values); {} record(s) landed in the {} partition", spec.pipeline(), spec.table(),
                    flushWindowStart, layout.maxValuesPerWindow(), overflowed, ObjectKeys.OVERFLOW_PARTITION);
        }
        List<LandingEvent> events = new ArrayList<>();
        Set<List<String>> partitions = new LinkedHashSet<>();
        groups.forEach((group, rows) -> {
            List<LandingEvent> landed = land(group, rows);
            events.addAll(landed);
            if (!landed.isEmpty()) {
                partitions.add(group.partitionValues());
            }
        });
        committer.landed(partitions);
        metrics.windowsFlushed.increment();
        metrics.flushLatency.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        LOG.info("pipeline {} table {}: flushed window {} ({} records, {} objects)", spec.pipeline(), spec.table(),
                flushWindowStart, entries.size(), events.size());
        return events;
    }

    private List<LandingEvent> land(Group group, List<Entry> entries) {
        List<Entry> remaining = new ArrayList<>(entries);
        // The newest schema version in the group (that of the last record) is the one the object is written in.
        Schema binary = binarySchema(entries);
        Map<Long, GenericRecord> byOffset = new HashMap<>();
        if (binary == null) {
            for (Entry e : entries) {
                byOffset.put(e.offset(), deserializer.deserialize(spec.inputs().registryTopic(), e.wire()));
            }
        }
        Schema data = binary != null ? binary : byOffset.get(entries.get(entries.size() - 1).offset()).getSchema();
        Schema table = tableSchemas.tableSchema(data);
        committer.beforeWrite(table);
        String partitionPath = spec.target().layout().partitionPath(group.partitionValues());
        List<LandingEvent> events = new ArrayList<>();
        for (Range existing : existingRanges(group, partitionPath)) {
            boolean covers = remaining.removeIf(e -> e.offset() >= existing.first() && e.offset() <= existing.last());
            if (covers) {
                events.add(event(group, existing.key(), existing.metadata(), null));
                LOG.info("pipeline {} table {}: {} already holds offsets {}..{} of {}-{}; not writing them again",
                        spec.pipeline(), spec.table(), existing.key(), existing.first(), existing.last(),
                        group.topic(), group.partition());
            }
        }
        while (!remaining.isEmpty()) {
            long first = remaining.get(0).offset();
            long last = remaining.get(remaining.size() - 1).offset();
            String key = partitionPath + ObjectKeys.objectName(group.eventWindowStart(), group.topic(),
                    group.partition(), first, group.late(), spec.target().format().extension());
            WrittenFile written = binary != null
                    ? writer.writeBinary(table, data, remaining.stream().map(TableSchemas::binaryRow).toList())
                    : writer.writeFile(table, remaining.stream()
                            .map(e -> TableSchemas.row(table, data, byOffset.get(e.offset()), e)).toList());
            byte[] content = written.content();
            Map<String, String> metadata = metadata(group, first, last, remaining.size());
            if (store.createIfAbsent(key, content, metadata)) {
                metrics.objectsWritten.increment();
                metrics.bytesWritten.increment(content.length);
                LOG.info("pipeline {} table {}: wrote {} ({} rows, offsets {}..{} of {}-{}, {} bytes)",
                        spec.pipeline(), spec.table(), key, remaining.size(), first, last, group.topic(),
                        group.partition(), content.length);
                events.add(event(group, key, metadata, committer.describe(store.uri(key), written)));
                break;
            }
            Map<String, String> found = store.metadata(key)
                    .orElseThrow(() -> new ObjectStoreException("object " + key + " exists but has no metadata"));
            long foundLast = ObjectMetadata.longValue(found, ObjectMetadata.LAST_OFFSET, key);
            LOG.info("pipeline {} table {}: {} exists (offsets up to {}); continuing after it", spec.pipeline(),
                    spec.table(), key, foundLast);
            events.add(event(group, key, found, null));
            remaining.removeIf(e -> e.offset() <= foundLast);
        }
        return events;
    }

    /**
     * The data schema of a group whose records all carry the same uncompressed schema version, when the writer
     * writes that table straight from the records' Avro binary (Parquet): no record is decoded. Null otherwise
     * (mixed versions, compressed records, other formats, types the binary path does not cover): the group's
     * records are decoded and resolved to the newest version, as {@link TableSchemas#row} does.
     */
    private Schema binarySchema(List<Entry> entries) {
        byte[] last = entries.get(entries.size() - 1).wire();
        UUID version = GsrWireFormat.uncompressedSchemaVersionId(last);
        if (version == null) {
            return null;
        }
        for (Entry e : entries) {
            if (!GsrWireFormat.sameHeader(e.wire(), last)) {
                return null;
            }
        }
        // A schema version never changes: learnt from the first record decoded in it.
        Schema data = writerSchemas.computeIfAbsent(version,
                v -> deserializer.deserialize(spec.inputs().registryTopic(), last).getSchema());
        return writer.writesBinary(tableSchemas.tableSchema(data), data) ? data : null;
    }

    /** Offset ranges of objects already present for this group's event window and source partition. */
    private List<Range> existingRanges(Group group, String partitionPath) {
        String source = ObjectMetadata.source(group.topic(), group.partition());
        String window = Long.toString(group.eventWindowStart());
        List<Range> ranges = new ArrayList<>();
        for (String key : store.list(partitionPath
                + ObjectKeys.objectNamePrefix(group.eventWindowStart(), group.topic(), group.partition()))) {
            store.metadata(key)
                    .filter(m -> source.equals(m.get(ObjectMetadata.SOURCE))
                            && window.equals(m.get(ObjectMetadata.WINDOW_START)))
                    .ifPresent(m -> ranges.add(new Range(key, m,
                            ObjectMetadata.longValue(m, ObjectMetadata.FIRST_OFFSET, key),
                            ObjectMetadata.longValue(m, ObjectMetadata.LAST_OFFSET, key))));
        }
        return ranges;
    }

    private Map<String, String> metadata(Group group, long first, long last, int count) {
        return Map.of(ObjectMetadata.FIRST_OFFSET, Long.toString(first),
                ObjectMetadata.LAST_OFFSET, Long.toString(last),
                ObjectMetadata.RECORD_COUNT, Integer.toString(count),
                ObjectMetadata.SOURCE, ObjectMetadata.source(group.topic(), group.partition()),
                ObjectMetadata.WINDOW_START, Long.toString(group.eventWindowStart()),
                ObjectMetadata.WINDOW_END, Long.toString(group.eventWindowStart() + spec.window().millis()),
                ObjectMetadata.LATE, Boolean.toString(group.late()));
    }

    /** @param statistics the file's statistics when this flush wrote it, null for an object found written */
    private LandingEvent event(Group group, String key, Map<String, String> metadata, FileStatistics statistics) {
        Map<String, String> partition = new LinkedHashMap<>();
        List<String> names = spec.target().layout().partitionNames();
        for (int i = 0; i < names.size(); i++) {
            partition.put(names.get(i), group.partitionValues().get(i));
        }
        return new LandingEvent(spec.table(), partition, key, store.uri(key),
                ObjectMetadata.longValue(metadata, ObjectMetadata.RECORD_COUNT, key), group.topic(),
                group.partition(), ObjectMetadata.longValue(metadata, ObjectMetadata.FIRST_OFFSET, key),
                ObjectMetadata.longValue(metadata, ObjectMetadata.LAST_OFFSET, key), group.eventWindowStart(),
                group.eventWindowStart() + spec.window().millis(),
                Boolean.parseBoolean(metadata.get(ObjectMetadata.LATE)), statistics);
    }
}
