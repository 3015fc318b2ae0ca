package io.lakestream.sink;

import io.lakestream.config.LandingConfig;
import io.lakestream.config.PipelineConfig;
import io.lakestream.record.NormalizeOutcome.Normalized;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The partition value lists a sample of records would land in, per records table: what {@code check --sample} reports
 * so that a partition column of unbounded cardinality shows before a run, against {@code landing.max-partition-values}
 * (a bound per landing window and sink task, i.e. per source partition). Values as the Hive layout computes them
 * (unescaped), from the records as the sinks receive them (protected, shaped).
 */
public final class PartitionCardinality {

    /**
     * One table's figures.
     *
     * @param columns         its partition columns
     * @param distinct        distinct value lists in the sample
     * @param perWindowMax    the most distinct value lists one landing window of one source partition holds
     * @param limit           {@code landing.max-partition-values} when a record field partitions the table, else 0
     */
    public record Table(List<String> columns, int distinct, int perWindowMax, int limit) {

        /** True when a window of the sample holds more value lists than the limit lets into their own folder. */
        public boolean overLimit() {
            return limit > 0 && perWindowMax > limit;
        }
    }

    private final LandingConfig landing;
    private final TableLayout layout;
    private final TableRouter router;
    private final Map<String, Set<List<String>>> distinct = new TreeMap<>();
    private final Map<String, Map<String, Set<List<String>>>> perWindow = new HashMap<>();

    /** @param records the pipeline's records schema (after protection and derived columns) */
    public PartitionCardinality(PipelineConfig pipeline, org.apache.avro.Schema records) {
        this.landing = pipeline.landing();
        this.layout = TableLayout.hive("", landing.table(), landing.partitionBy());
        this.router = landing.routeBy() == null ? null : new TableRouter(landing.routeBy(), landing.table(), records);
    }

    /** Counts one record as a records sink would receive it. */
    public void add(Normalized n) {
        String table = router == null ? landing.table() : router.table(n.value());
        List<String> values = layout.partitionValues(n.eventTime(), n::value);
        distinct.computeIfAbsent(table, t -> new HashSet<>()).add(values);
        long window = Math.floorDiv(n.eventTime(), landing.window().toMillis());
        perWindow.computeIfAbsent(table, t -> new HashMap<>())
                .computeIfAbsent(n.topic() + "-" + n.partition() + "@" + window, w -> new HashSet<>()).add(values);
    }

    /** Every table the sample reached, by name. */
    public Map<String, Table> tables() {
        boolean byField = landing.partitionBy().stream().anyMatch(c -> !c.equals("dt") && !c.equals("hour"));
        Map<String, Table> out = new TreeMap<>();
        distinct.forEach((table, lists) -> out.put(table, new Table(landing.partitionBy(), lists.size(),
                perWindow.get(table).values().stream().mapToInt(Set::size).max().orElse(0),
                byField ? landing.maxPartitionValues() : 0)));
        return out;
    }
}
