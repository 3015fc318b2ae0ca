package io.lakestream.demo;

import io.lakestream.config.AggregationConfig;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.config.PipelineConfig;
import io.lakestream.port.Ports;
import io.lakestream.sink.ObjectMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What has landed per table, read back from the object store and the catalog (not from counters). */
public record LakeSummary(List<Table> tables) {

    /**
     * @param objects     objects under the table's prefix
     * @param lateObjects objects holding records that arrived after their window had closed
     * @param rows        rows across objects, from each object's record-count metadata
     */
    public record Table(String name, String location, int partitions, int objects, int lateObjects, long rows) {
    }

    public static LakeSummary of(LakestreamConfig config, Ports ports) {
        List<Table> tables = new ArrayList<>();
        for (PipelineConfig p : config.pipelines()) {
            tables.add(table(config, ports, p.landing().table()));
            for (AggregationConfig a : p.aggregations()) {
                tables.add(table(config, ports, a.table()));
            }
        }
        return new LakeSummary(tables);
    }

    private static Table table(LakestreamConfig config, Ports ports, String table) {
        String prefix = config.lake().prefix() + table + "/";
        int objects = 0;
        int late = 0;
        long rows = 0;
        for (String key : ports.store().list(prefix)) {
            Map<String, String> meta = ports.store().metadata(key).orElse(Map.of());
            String count = meta.get(ObjectMetadata.RECORD_COUNT);
            if (count == null) {
                continue; // not written by lakestream
            }
            objects++;
            rows += Long.parseLong(count);
            if (Boolean.parseBoolean(meta.get(ObjectMetadata.LATE))) {
                late++;
            }
        }
        int partitions = ports.catalog().partitions(config.catalog().database(), table).size();
        return new Table(table, ports.store().uri(prefix), partitions, objects, late, rows);
    }

    public Table table(String name) {
        return tables.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no table " + name));
    }
}
