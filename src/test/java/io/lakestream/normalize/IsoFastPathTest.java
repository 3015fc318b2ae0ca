package io.lakestream.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IsoFastPathTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    /** What the general parser makes of {@code text}: the instant, or null where it rejects it. */
    private static Instant general(String text, ZoneId zone) {
        String iso = text.length() > 10 && text.charAt(10) == ' ' ? text.substring(0, 10) + 'T' + text.substring(11)
                : text;
        try {
            TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parse(iso);
            return parsed.query(TemporalQueries.zone()) != null ? ZonedDateTime.from(parsed).toInstant()
                    : zone == null ? null : LocalDateTime.from(parsed).atZone(zone).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    @Test
    void shouldLeaveALocalTimeToTheGeneralParserWhenNoZoneIsConfigured() {
        assertThat(IsoFastPath.parse("2026-12-01 10:01:10", null)).isNull();
        assertThat(IsoFastPath.parse("2026-12-01T10:01:10", null)).isNull();
        assertThat(IsoFastPath.parse("2026-12-01T10:01:10Z", null)).isEqualTo(Instant.parse("2026-12-01T10:01:10Z"));
        assertThat(IsoFastPath.parse("2026-12-01 10:01:10+01:00", null))
                .isEqualTo(Instant.parse("2026-12-01T09:01:10Z"));
    }

    private static String pick(Random r, String... options) {
        return options[r.nextInt(options.length)];
    }

    private static String two(Random r, int bound) {
        return String.format("%02d", r.nextInt(bound));
    }

    @Test
    void shouldAgreeWithTheGeneralParserWheneverItAnswers() {
        Random r = new Random(42);
        int answered = 0;
        for (int i = 0; i < 200_000; i++) {
            String text = pick(r, "2024", "1969", "0000", "9999", "20x4") + pick(r, "-", "-", "/")
                    + two(r, 14) + "-" + two(r, 33) + pick(r, "T", "T", " ", "t") + two(r, 25) + ":" + two(r, 61)
                    + pick(r, ":", ":", "") + two(r, 61)
                    + pick(r, "", "", ".", ".5", ".123", ".123456", ".123456789", ".1234567891", ".12a")
                    + pick(r, "", "Z", "Z", "z", "+02:00", "-05:30", "+18:00", "+19:00", "-00:00", "+0200", "+02:00:00",
                    "[Europe/Paris]", "+01:00[Europe/Paris]", "Z ");
            ZoneId zone = pick(r, "UTC", "Europe/Paris", "none").equals("none") ? null : ZoneId.of(pick(r, "UTC",
                    "Europe/Paris"));
            Instant fast = IsoFastPath.parse(text, zone);
            if (fast != null) {
                answered++;
                assertThat(fast).as(text).isEqualTo(general(text, zone));
            }
        }
        // The common shapes take the fast path: the comparison above is not vacuous.
        assertThat(answered).isGreaterThan(10_000);
    }

    @Test
    void shouldReadTheCommonShapes() {
        assertThat(IsoFastPath.parse("2024-05-01T10:15:30Z", PARIS)).isEqualTo(Instant.parse("2024-05-01T10:15:30Z"));
        assertThat(IsoFastPath.parse("2024-05-01 10:15:30.25+02:00", PARIS))
                .isEqualTo(Instant.parse("2024-05-01T08:15:30.250Z"));
        assertThat(IsoFastPath.parse("2024-01-01T00:00:00.123456789", PARIS))
                .isEqualTo(Instant.parse("2023-12-31T23:00:00.123456789Z"));
    }

    @Test
    void shouldLeaveLeapSecondsInvalidDatesAndOtherShapesToTheGeneralParser() {
        for (String text : new String[]{"2016-12-31T23:59:60Z", "2024-02-30T00:00:00Z", "2024-05-01T24:00:00Z",
                "2024-05-01T10:15Z", "2024-05-01", "2024-05-01T10:15:30+01:00[Europe/Paris]", "+12024-05-01T00:00:00Z",
                "2024-05-01T10:15:30.Z", "2024-05-01T10:15:30+0100"}) {
            assertThat(IsoFastPath.parse(text, PARIS)).as(text).isNull();
        }
    }
}
