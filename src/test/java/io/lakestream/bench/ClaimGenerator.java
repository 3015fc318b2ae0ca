package io.lakestream.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Synthetic insurance claims as raw JSON in the shape {@code config/claims.yaml} maps, padded with an unmapped
 * {@code notes} field towards a target size. Record {@code i} is a pure function of (seed, i), so every run and
 * every process sees the same data. Event times grow with {@code i} and spread evenly over {@code windows}
 * windows of 100 s, so each partition is in event-time order and many windows close during a run.
 */
public final class ClaimGenerator {

    static final long WINDOW_MILLIS = 100_000L;
    public static final Instant DEFAULT_START = Instant.parse("2024-05-01T00:00:00Z");
    private static final String[] CURRENCIES = {"EUR", "EUR", "EUR", "USD", "GBP", "CHF"};
    private static final String[] STATUSES = {"OPEN", "OPEN", "APPROVED", "REJECTED", "PAID"};
    private static final String[] PRODUCTS = {"home", "motor", "travel", "health"};
    private static final String[] ADJUSTERS = {"J. Roe", "A. Smith", "M. Dupont", "K. Weber"};
    private static final int ACCOUNTS = 1000;
    private static final int SMALL_RECORD_LIMIT = 300;
    // ,"notes":"" is the padding field's own overhead
    private static final int PADDING_OVERHEAD = 12;

    private final long records;
    private final int targetSize;
    private final long startMillis;
    private final long spanMillis;
    private final long seed;

    public ClaimGenerator(long records, int targetSize, int windows, Instant start, long seed) {
        if (records <= 0 || targetSize <= 0 || windows <= 0) {
            throw new IllegalArgumentException("records, target size and windows must be positive");
        }
        this.records = records;
        this.targetSize = targetSize;
        this.startMillis = start.toEpochMilli();
        this.spanMillis = windows * WINDOW_MILLIS;
        this.seed = seed;
    }

    long records() {
        return records;
    }

    String account(long i) {
        return "A-%03d".formatted(Math.floorMod(i * 7919L, ACCOUNTS));
    }

    byte[] key(long i) {
        return account(i).getBytes(StandardCharsets.UTF_8);
    }

    /** Non-decreasing in {@code i}: record 0 at the start, the last record in the last window. */
    Instant eventTime(long i) {
        return Instant.ofEpochMilli(startMillis + Math.multiplyExact(i, spanMillis) / records);
    }

    public byte[] value(long i) {
        return value(i, eventTime(i));
    }

    /** Record {@code i} with the given event time (the live benchmark stamps claims with the wall clock). */
    byte[] value(long i, Instant eventTime) {
        SplittableRandom r = new SplittableRandom(seed ^ (i * 0x9E3779B97F4A7C15L));
        long cents = r.nextLong(100, 10_000_000);
        StringBuilder json = new StringBuilder(Math.max(targetSize, 256));
        json.append("{\"account\":{\"id\":\"").append(account(i))
                .append("\"},\"claimId\":\"C-").append(String.format("%09d", i))
                .append("\",\"amount\":\"").append(cents / 100).append('.').append(String.format("%02d", cents % 100))
                .append("\",\"currency\":\"").append(pick(CURRENCIES, r))
                .append("\",\"status\":\"").append(pick(STATUSES, r))
                .append("\",\"claimTs\":\"").append(eventTime)
                .append("\",\"policy\":{\"number\":\"P-").append(String.format("%07d", r.nextInt(10_000_000)))
                .append("\",\"product\":\"").append(pick(PRODUCTS, r)).append("\"}");
        // The adjuster is optional in the schema; small records leave it out to stay near their target size.
        String adjuster = pick(ADJUSTERS, r);
        if (targetSize >= SMALL_RECORD_LIMIT) {
            json.append(",\"adjuster\":{\"name\":\"").append(adjuster).append("\"}");
        }
        int room = targetSize - json.length() - 1 - PADDING_OVERHEAD;
        if (room > 0) {
            json.append(",\"notes\":\"");
            for (int k = 0; k < room; k++) {
                json.append((char) ('a' + r.nextInt(26)));
            }
            json.append('"');
        }
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String pick(String[] values, SplittableRandom r) {
        return values[r.nextInt(values.length)];
    }
}
