package io.lakestream.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The effective configuration as nested maps in the YAML's own shape, with secret values masked. */
final class EffectiveConfig {

    static final String MASK = "****";
    private static final List<String> SECRET_PARTS = List.of("password", "secret", "token", "credential",
            "sasl.jaas.config");

    private EffectiveConfig() {
    }

    /**
     * True for keys whose values must never be shown: passwords, secrets, tokens, JAAS configs (they embed
     * passwords) and private keys ({@code ssl.key.*}, {@code ssl.keystore.key}, anything ending in {@code .key}).
     */
    static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return SECRET_PARTS.stream().anyMatch(k::contains) || k.startsWith("ssl.key") || k.endsWith(".key")
                || k.endsWith("-key") || k.endsWith("_key");
    }

    static Map<String, Object> masked(LakestreamConfig c) {
        Map<String, Object> root = new LinkedHashMap<>();
        ApplicationConfig a = c.application();
        root.put("application", map("id", a.id(), "state-dir", a.stateDir(), "processing-guarantee",
                a.processingGuarantee().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                "commit-interval", a.commitInterval(), "window-buffer", a.windowBuffer()));
        root.put("kafka", new TreeMap<>(c.kafka()));
        RegistryConfig r = c.registry();
        root.put("registry", map("type", r.type(), "region", r.region(), "endpoint", r.endpoint(),
                "registry-name", r.registryName(), "compatibility", r.compatibility(), "auto-register", r.autoRegister(),
                "create-registry", r.createRegistry(), "local-dir", r.localDir()));
        LakeConfig l = c.lake();
        LakeConfig.S3Settings s3 = l.s3();
        root.put("lake", map("store", l.store().toString(), "bucket", s3.bucket(), "prefix", l.prefix(),
                "local-dir", l.localDir(), "format", format(l.format()), "compression", l.compression(),
                "region", s3.region(), "endpoint", s3.endpoint(), "sse", s3.sse(), "kms-key-id", s3.kmsKeyId(),
                "expected-bucket-owner", s3.expectedBucketOwner(), "multipart-threshold", s3.multipartThreshold()));
        CatalogConfig cat = c.catalog();
        root.put("catalog", map("type", cat.type(), "database", cat.database(), "region", cat.region(),
                "endpoint", cat.endpoint()));
        root.put("http", map("port", c.http().port(), "bind-address", c.http().bindAddress()));
        List<Object> pipelines = new ArrayList<>();
        c.pipelines().forEach(p -> pipelines.add(pipeline(p, c.tableFormats())));
        root.put("pipelines", pipelines);
        tableFormats(root, c.tableFormats());
        return mask(root);
    }

    /** lake.table-format, catalog.commit-interval, and each Iceberg table's partition spec (by table name). */
    @SuppressWarnings("unchecked")
    private static void tableFormats(Map<String, Object> root, TableFormatConfig f) {
        ((Map<String, Object>) root.get("lake")).put("table-format", f.defaultFormat());
        ((Map<String, Object>) root.get("catalog")).putAll(map("commit-interval", f.commitInterval()));
        Map<String, Object> tables = new TreeMap<>();
        f.icebergTables().forEach((table, t) -> tables.put(table, map("partition-spec",
                t.partitionSpec().stream().map(Object::toString).toList())));
        root.put("iceberg-tables", tables);
    }

    private static Map<String, Object> pipeline(PipelineConfig p, TableFormatConfig formats) {
        PipelineConfig.SourceConfig s = p.source();
        Map<String, Object> source = map("topics", s.topics(), "format", s.format().name().toLowerCase(Locale.ROOT));
        if (s.csv() != null) {
            source.put("csv", map("header", s.csv().header(), "delimiter", String.valueOf(s.csv().delimiter()),
                    "quote", String.valueOf(s.csv().quote()), "columns", s.csv().columns()));
        }
        PipelineConfig.EventTimeConfig e = p.eventTime();
        LandingConfig l = p.landing();
        List<Object> aggregations = new ArrayList<>();
        for (AggregationConfig a : p.aggregations()) {
            List<Object> measures = new ArrayList<>();
            a.measures().forEach(m -> measures.add(map("name", m.name(), "fn",
                    m.fn().name().toLowerCase(Locale.ROOT), "field", m.field(), "expr", m.expr(), "where",
                    m.where(), "lg-k", m.fn() == AggregationConfig.MeasureFn.COUNT_DISTINCT ? m.lgK() : null)));
            AggregationConfig.WindowConfig w = a.window();
            Map<String, Object> aggregation = map("name", a.name(), "group-by", a.groupBy(), "window", map("size",
                    w.size(), "advance", w.advance(), "grace", w.grace(), "idle-timeout", w.idleTimeout()), "measures",
                    measures, "topic", a.topic(), "table", a.table(), "format", format(a.format()));
            aggregation.putAll(layout(a.table(), formats, List.of("dt", "hour")));
            aggregations.add(aggregation);
        }
        return map("name", p.name(), "source", source, "schema", p.schemaFile(), "key", p.key(),
                "event-time", map("field", e.field(), "format", e.format(), "pattern", e.pattern(), "zone", e.zone(),
                        "max-future", e.maxFuture(), "max-past", e.maxPast()),
                "fields", new TreeMap<>(p.fields()), "output-topic", p.outputTopic(), "dlq-topic", p.dlqTopic(),
                "landing", landing(l, formats),
                "derive", p.derive().isEmpty() ? null : p.derive().stream().map(d -> map("name", d.name(), "expr",
                        d.expr())).toList(),
                "filter", p.filter(),
                "aggregations", aggregations,
                "limits", map("max-record-bytes", p.limits().maxRecordBytes(), "max-json-depth",
                        p.limits().maxJsonDepth(), "max-dead-letter-ratio", p.limits().maxDeadLetterRatio()),
                "dlq", map("include-original", p.protection().dlqIncludeOriginal()),
                "protect", protection(p.protection()),
                "alerts", p.alerts().rules().isEmpty() ? null : map("topic", p.alerts().topic(), "rules",
                        p.alerts().rules().stream().map(r -> map("name", r.name(), "when", r.when()))
                                .toList()));
    }

    /** The records table with the layout it really gets: Hive partition-by, or the Iceberg table's spec. */
    private static Map<String, Object> landing(LandingConfig l, TableFormatConfig formats) {
        Map<String, Object> landing = map("table", l.table(), "window", l.window(), "grace", l.grace(),
                "idle-timeout", l.idleTimeout(), "format", format(l.format()));
        landing.putAll(layout(l.table(), formats, l.partitionBy()));
        if (l.routeBy() != null) {
            landing.put("route-by", map("field", l.routeBy().field(), "tables", new TreeMap<>(l.routeBy().tables())));
        }
        return landing;
    }

    /** An Iceberg table shows the partition spec it is created with, a Hive table its partition columns. */
    private static Map<String, Object> layout(String table, TableFormatConfig formats, List<String> hive) {
        TableFormatConfig.IcebergTableConfig iceberg = formats.iceberg(table);
        return iceberg == null ? map("table-format", TableFormatConfig.HIVE, "partition-by", hive)
                : map("table-format", TableFormatConfig.ICEBERG, "partition-spec",
                        iceberg.partitionSpec().stream().map(Object::toString).toList());
    }

    /** The methods per field; the hash secret only as {@code ****} (masked with every secret-looking key). */
    private static Map<String, Object> protection(ProtectionConfig p) {
        if (p.isEmpty()) {
            return null;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        p.fields().forEach((name, r) -> fields.put(name, map("method",
                r.method().name().toLowerCase(Locale.ROOT).replace('_', '-'), "encoding", r.encoding() == null ? null
                        : r.encoding().name().toLowerCase(Locale.ROOT), "keep-last", r.method()
                        == ProtectionConfig.Method.MASK && r.pattern() == null ? r.keepLast() : null,
                "pattern", r.pattern() == null ? null : r.pattern().pattern(),
                "to", r.truncateTo() == null ? null : r.truncateTo() == java.time.temporal.ChronoUnit.HOURS ? "hour"
                        : "day")));
        return map("hash-secret", p.hashSecret(), "fields", fields);
    }

    private static String format(FileFormat f) {
        return ConfigLoader.FORMATS.get(f.ordinal());
    }

    /** Key/value pairs in order; null values left out, durations as {@code 100s}, paths and URIs as text. */
    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            Object v = kv[i + 1];
            if (v instanceof java.time.Duration d) {
                v = d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
            } else if (v instanceof java.nio.file.Path || v instanceof java.net.URI) {
                v = v.toString();
            }
            if (v != null) {
                m.put((String) kv[i], v);
            }
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mask(Map<String, ?> in) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : in.entrySet()) {
            Object v = e.getValue();
            if (isSecret(e.getKey()) && !(v instanceof Map) && !(v instanceof List)) {
                v = MASK;
            } else if (v instanceof Map<?, ?> m) {
                v = mask((Map<String, ?>) m);
            } else if (v instanceof List<?> list) {
                v = list.stream().map(x -> x instanceof Map<?, ?> m ? mask((Map<String, ?>) m) : x).toList();
            }
            out.put(e.getKey(), v);
        }
        return out;
    }
}
