package io.lakestream.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What one variant measured, or why it did not run. It travels from the variant's JVM to the harness as one
 * {@code VARIANT_RESULT k=v ...} line ({@link #toWire()} / {@link #fromWire(String)}); {@code reason} comes last
 * and runs to the end of the line, so it may hold spaces. A count that does not apply is -1. {@code cpuMillis} is the
 * variant process's CPU time (all its threads: stream threads, JIT compiler, GC) over the timed run;
 * {@code brokerCpuMillis} the broker process's over the same run (measured by the variant when it ran warm-up passes
 * first, else by the harness over the variant's whole JVM); {@code jitMillis} the part of {@code cpuMillis} spent in
 * the JIT compiler threads.
 */
record VariantResult(String variant, int recordSize, Status status, String reason, long records, long payloadBytes,
                     double seconds, long objects, long heapPeakBytes, long heapLiveBytes, long rssPeakBytes,
                     long gcMillis, long cpuMillis, long brokerCpuMillis, long jitMillis) {

    static final String WIRE_PREFIX = "VARIANT_RESULT ";
    private static final double MIB = 1024.0 * 1024.0;

    enum Status {
        OK, NOT_RUN, FAILED;

        String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    static VariantResult notRun(String variant, int recordSize, String reason) {
        return new VariantResult(variant, recordSize, Status.NOT_RUN, reason, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    }

    static VariantResult failed(String variant, int recordSize, String reason) {
        return new VariantResult(variant, recordSize, Status.FAILED, reason, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    }

    VariantResult withStatus(Status newStatus, String newReason) {
        return new VariantResult(variant, recordSize, newStatus, newReason, records, payloadBytes, seconds, objects,
                heapPeakBytes, heapLiveBytes, rssPeakBytes, gcMillis, cpuMillis, brokerCpuMillis, jitMillis);
    }

    VariantResult withBrokerCpu(long millis) {
        return new VariantResult(variant, recordSize, status, reason, records, payloadBytes, seconds, objects,
                heapPeakBytes, heapLiveBytes, rssPeakBytes, gcMillis, cpuMillis, millis, jitMillis);
    }

    boolean ok() {
        return status == Status.OK;
    }

    double recordsPerSecond() {
        return ok() && seconds > 0 ? records / seconds : Double.NaN;
    }

    /** Input payload (key + value bytes) in MiB per second. */
    double mibPerSecond() {
        return ok() && seconds > 0 ? payloadBytes / MIB / seconds : Double.NaN;
    }

    static double mib(long bytes) {
        return bytes < 0 ? Double.NaN : bytes / MIB;
    }

    String toWire() {
        return WIRE_PREFIX + "variant=" + variant + " size=" + recordSize + " status=" + status.id() + " records="
                + records + " bytes=" + payloadBytes + " seconds=" + seconds + " objects=" + objects
                + " heap_peak=" + heapPeakBytes + " heap_live=" + heapLiveBytes + " rss_peak=" + rssPeakBytes
                + " gc_ms=" + gcMillis + " cpu_ms=" + cpuMillis + " broker_cpu_ms=" + brokerCpuMillis
                + " jit_ms=" + jitMillis
                + " reason=" + (reason == null ? "" : reason.replace('\n', ' '));
    }

    static VariantResult fromWire(String line) {
        if (!line.startsWith(WIRE_PREFIX)) {
            throw new IllegalArgumentException("not a result line: " + line);
        }
        String body = line.substring(WIRE_PREFIX.length());
        int reasonAt = body.indexOf(" reason=");
        if (reasonAt < 0) {
            throw new IllegalArgumentException("result line without reason field: " + line);
        }
        Map<String, String> f = new LinkedHashMap<>();
        for (String pair : body.substring(0, reasonAt).split(" ")) {
            int eq = pair.indexOf('=');
            f.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        String reason = body.substring(reasonAt + " reason=".length());
        return new VariantResult(f.get("variant"), Integer.parseInt(f.get("size")),
                Status.valueOf(f.get("status").toUpperCase(Locale.ROOT).replace('-', '_')),
                reason.isEmpty() ? null : reason, Long.parseLong(f.get("records")), Long.parseLong(f.get("bytes")),
                Double.parseDouble(f.get("seconds")), Long.parseLong(f.get("objects")),
                Long.parseLong(f.get("heap_peak")), Long.parseLong(f.get("heap_live")),
                Long.parseLong(f.get("rss_peak")), Long.parseLong(f.get("gc_ms")),
                Long.parseLong(f.getOrDefault("cpu_ms", "-1")), Long.parseLong(f.getOrDefault("broker_cpu_ms", "-1")),
                Long.parseLong(f.getOrDefault("jit_ms", "-1")));
    }
}
