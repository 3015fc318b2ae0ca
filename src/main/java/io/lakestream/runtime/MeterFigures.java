package io.lakestream.runtime;

import io.lakestream.window.LateRecords;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.TreeMap;

/** Sums of the app's own counters, read back from the meter registry the processors count into. */
public final class MeterFigures {

    public static final String RECORDS_IN = "lakestream.records.in";
    static final String RECORDS_OUT = "lakestream.records.out";
    static final String RECORDS_FILTERED = "lakestream.records.filtered";
    public static final String DLQ_RECORDS = "lakestream.dlq.records";
    static final String LATE_RECORDS = LateRecords.METRIC;
    static final String LEFT_OUT_RECORDS = LateRecords.LEFT_OUT_METRIC;
    static final String BYTES_WRITTEN = "lakestream.bytes.written";
    static final String REPLAY_MISSING = "lakestream.replay.missing.records";
    public static final String OBJECTS_WRITTEN = "lakestream.objects.written";
    public static final String ICEBERG_COMMITS = "lakestream.iceberg.commits";

    private MeterFigures() {
    }

    /** The sum of every counter named {@code name} carrying these tags (key, value, key, value...). */
    public static long count(MeterRegistry registry, String name, String... tags) {
        double sum = 0;
        for (Counter c : registry.find(name).tags(tags).counters()) {
            sum += c.count();
        }
        return Math.round(sum);
    }

    /** The counters named {@code name} with these tags, summed by the value of {@code byTag}. */
    static Map<String, Long> countBy(MeterRegistry registry, String name, String byTag, String... tags) {
        Map<String, Long> result = new TreeMap<>();
        for (Counter c : registry.find(name).tags(tags).counters()) {
            String value = c.getId().getTag(byTag);
            long n = Math.round(c.count());
            if (value != null && n > 0) {
                result.merge(value, n, Long::sum);
            }
        }
        return result;
    }
}
