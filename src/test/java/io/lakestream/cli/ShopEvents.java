package io.lakestream.cli;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A generated e-commerce event stream (JSON): views, carts, orders and refunds over five countries, one event every
 * 1.2 s of event time, prices with two decimals written as JSON numbers, a few orders without a quantity, and one
 * malformed event in 40 of the kinds a producer sends.
 */
final class ShopEvents {

    /** What a generated event is; every kind but VALID is dead-lettered under the error class of its name. */
    enum Kind { VALID, MALFORMED_JSON, UNKNOWN_ENUM, DECIMAL_SCALE, MISSING_FIELD, WRONG_TYPE }

    /** @param json the record value as produced */
    record Event(String id, Kind kind, String country, String json) {
        boolean valid() {
            return kind == Kind.VALID;
        }
    }

    static final Instant T0 = Instant.parse("2024-06-01T10:00:00Z");
    private static final String[] TYPES = {"view", "view", "view", "view", "cart", "cart", "order", "order", "order",
            "refund"};
    private static final String[] COUNTRIES = {"DE", "FR", "US", "JP", "BR"};
    private static final String[] CURRENCIES = {"EUR", "USD", "GBP"};
    private static final Kind[] BAD = {Kind.MALFORMED_JSON, Kind.UNKNOWN_ENUM, Kind.DECIMAL_SCALE, Kind.MISSING_FIELD,
            Kind.WRONG_TYPE};

    private ShopEvents() {
    }

    static List<Event> generate(int count, long seed) {
        Random random = new Random(seed);
        List<Event> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String id = "E-" + i;
            String type = TYPES[random.nextInt(TYPES.length)];
            // one in 50 without a quantity: revenue is NULL, the order still counts
            String quantity = random.nextInt(50) == 0 ? "" : ",\"quantity\":" + (1 + random.nextInt(5));
            String price = BigDecimal.valueOf(50 + random.nextInt(60_000), 2).toPlainString();
            String ts = T0.plusMillis(i * 1200L + random.nextInt(1000)).toString();
            Kind kind = i % 40 == 17 ? BAD[(i / 40) % BAD.length] : Kind.VALID;
            String country = COUNTRIES[random.nextInt(COUNTRIES.length)];
            String currency = CURRENCIES[random.nextInt(CURRENCIES.length)];
            String json = switch (kind) {
                case VALID -> event(id, type, quantity, price, currency, country, ts);
                case MALFORMED_JSON -> event(id, type, quantity, price, currency, country, ts).substring(0, 30);
                case UNKNOWN_ENUM -> event(id, "wishlist", quantity, price, currency, country, ts);
                case DECIMAL_SCALE -> event(id, type, quantity, price + "5", currency, country, ts);
                case MISSING_FIELD -> event(id, type, quantity, price, currency, country, ts)
                        .replace(",\"country\":\"" + country + "\"", "");
                case WRONG_TYPE -> event(id, type, ",\"quantity\":\"two\"", price, currency, country, ts);
            };
            events.add(new Event(id, kind, country, json));
        }
        return events;
    }

    private static String event(String id, String type, String quantity, String price, String currency,
                                String country, String ts) {
        return "{\"event_id\":\"" + id + "\",\"event_type\":\"" + type + "\",\"sku\":\"SKU-"
                + Math.abs(id.hashCode() % 97) + "\"" + quantity + ",\"price\":" + price + ",\"currency\":\""
                + currency + "\",\"country\":\"" + country + "\",\"ts\":\"" + ts + "\"}";
    }
}
