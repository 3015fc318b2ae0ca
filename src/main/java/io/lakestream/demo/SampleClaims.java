package io.lakestream.demo;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Deterministic sample insurance claims as raw JSON, as an on-prem system would publish them: mostly valid,
 * some malformed (one of several kinds), some arriving long after their event time. Used by {@code demo}
 * and by the end-to-end tests, which know from {@link Claim#kind()} where each record must end up.
 */
public final class SampleClaims {

    /** What a sample record is meant to exercise. */
    public enum Kind { VALID, LATE, MALFORMED_JSON, UNKNOWN_ENUM, DECIMAL_SCALE, MISSING_FIELD, BAD_TIMESTAMP }

    public record Claim(String key, byte[] value, Kind kind, long eventTimeMillis) {
        public boolean valid() {
            return kind == Kind.VALID || kind == Kind.LATE;
        }
    }

    public static final Instant START = Instant.parse("2024-05-01T10:45:00Z");
    private static final String[] STATUSES = {"OPEN", "APPROVED", "REJECTED", "PAID"};
    private static final String[] CURRENCIES = {"EUR", "USD", "GBP", "CHF"};

    private SampleClaims() {
    }

    /**
     * @param count   number of records
     * @param spanSec event time covered by the records, from {@link #START}
     */
    public static List<Claim> generate(int count, long spanSec, long seed) {
        Random random = new Random(seed);
        List<Claim> claims = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String account = String.format(Locale.ROOT, "A-%03d", random.nextInt(40));
            long eventMillis = START.toEpochMilli() + (spanSec * 1000L * i) / count + random.nextInt(2000);
            Kind kind = Kind.VALID;
            if (i % 47 == 46) {
                Kind[] bad = {Kind.MALFORMED_JSON, Kind.UNKNOWN_ENUM, Kind.DECIMAL_SCALE, Kind.MISSING_FIELD,
                              Kind.BAD_TIMESTAMP};
                kind = bad[(i / 47) % bad.length];
            } else if (i % 97 == 96 && eventMillis - START.toEpochMilli() > spanSec * 500L) {
                kind = Kind.LATE;
                eventMillis = START.toEpochMilli() + random.nextInt(30_000);
            }
            long cents = 100 + random.nextInt(5_000_000);
            String amount = (cents / 100) + "." + String.format(Locale.ROOT, "%02d", cents % 100);
            String json = json(kind, account, "C-" + i, amount, CURRENCIES[random.nextInt(CURRENCIES.length)],
                    STATUSES[random.nextInt(STATUSES.length)], Instant.ofEpochMilli(eventMillis).toString());
            claims.add(new Claim(account, json.getBytes(StandardCharsets.UTF_8), kind, eventMillis));
        }
        return claims;
    }

    private static String json(Kind kind, String account, String claimId, String amount, String currency,
                               String status, String ts) {
        return switch (kind) {
            case MALFORMED_JSON -> "{\"account\":{\"id\":\"" + account + "\"},\"claimId\":\"" + claimId
                    + "\",\"amount\":" + amount;
            case UNKNOWN_ENUM -> valid(account, claimId, amount, currency, "LOST_IN_MAIL", ts);
            case DECIMAL_SCALE -> valid(account, claimId, amount + "7", currency, status, ts);
            case MISSING_FIELD -> "{\"account\":{\"id\":\"" + account + "\"},\"amount\":\"" + amount
                    + "\",\"currency\":\"" + currency + "\",\"status\":\"" + status + "\",\"claimTs\":\"" + ts + "\"}";
            case BAD_TIMESTAMP -> valid(account, claimId, amount, currency, status, "yesterday at noon");
            case VALID, LATE -> valid(account, claimId, amount, currency, status, ts);
        };
    }

    private static String valid(String account, String claimId, String amount, String currency, String status,
                                String ts) {
        return "{\"account\":{\"id\":\"" + account + "\"},\"claimId\":\"" + claimId + "\",\"amount\":\"" + amount
                + "\",\"currency\":\"" + currency + "\",\"status\":\"" + status + "\",\"claimTs\":\"" + ts + "\"}";
    }
}
