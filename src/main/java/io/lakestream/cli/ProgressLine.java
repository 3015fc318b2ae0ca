package io.lakestream.cli;

import io.lakestream.runtime.MeterFigures;
import io.lakestream.window.DrainSignal;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The line {@code run} prints on stdout every few seconds while it works, so that a person at a terminal sees it
 * move: records read (and per second since the last line), lag of the raw topics, open windows, files landed, dead
 * letters and Iceberg commits, all of this process.
 */
final class ProgressLine implements AutoCloseable {

    private final MeterRegistry meters;
    private final DrainSignal drain;
    private final LongSupplier lag;
    private final PrintStream out;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lakestream-progress");
        t.setDaemon(true);
        return t;
    });
    private long lastRead;
    private long lastNanos = System.nanoTime();

    ProgressLine(MeterRegistry meters, DrainSignal drain, LongSupplier lag, PrintStream out) {
        this.meters = meters;
        this.drain = drain;
        this.lag = lag;
        this.out = out;
    }

    /** Prints a line every {@code every} (at least 1 s) until closed. */
    ProgressLine start(Duration every) {
        long millis = Math.max(1000, every.toMillis());
        scheduler.scheduleWithFixedDelay(() -> out.println(line()), millis, millis, TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * E.g. {@code 10:15:30 progress: 20,000 records read (1,840/s), lag 0, 12 open windows, 36 files landed, 557
     * dead letters, 4 Iceberg commits}.
     */
    String line() {
        long read = MeterFigures.count(meters, MeterFigures.RECORDS_IN);
        long now = System.nanoTime();
        double seconds = Math.max(0.001, (now - lastNanos) / 1e9);
        long perSecond = Math.round((read - lastRead) / seconds);
        lastRead = read;
        lastNanos = now;
        long behind = lag.getAsLong();
        return String.format(Locale.ROOT, "%s progress: %,d records read (%,d/s), lag %s, %,d open windows, "
                        + "%,d files landed, %,d dead letters, %,d Iceberg commits",
                LocalTime.now().truncatedTo(ChronoUnit.SECONDS), read, perSecond,
                behind < 0 ? "unknown" : String.format(Locale.ROOT, "%,d", behind), drain.openWindows(),
                MeterFigures.count(meters, MeterFigures.OBJECTS_WRITTEN), MeterFigures.count(meters,
                        MeterFigures.DLQ_RECORDS), MeterFigures.count(meters, MeterFigures.ICEBERG_COMMITS));
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
