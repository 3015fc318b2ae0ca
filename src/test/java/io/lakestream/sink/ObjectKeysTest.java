package io.lakestream.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

class ObjectKeysTest {

    private static final String PREFIX = "lake/";
    private static final String TABLE = "claims";
    private static final List<String> KEYS = List.of("dt", "hour");

    @Property(tries = 2000)
    void shouldKeepEveryPartitionValueInsideItsTablePrefixAsExactlyOneSegment(
            @ForAll @Size(2) List<String> values) {
        String path = ObjectKeys.partitionPath(PREFIX, TABLE, KEYS, values);
        String key = path + ObjectKeys.objectName(0, "t", 0, 0, false, "parquet");

        assertThat(key).startsWith(PREFIX + TABLE + "/");
        String[] segments = path.substring((PREFIX + TABLE + "/").length()).split("/", -1);
        assertThat(segments).hasSize(KEYS.size() + 1);
        assertThat(segments[KEYS.size()]).isEmpty();
        for (int i = 0; i < KEYS.size(); i++) {
            String segment = segments[i];
            assertThat(segment).startsWith(KEYS.get(i) + "=");
            String escaped = segment.substring(KEYS.get(i).length() + 1);
            assertThat(escaped).doesNotContain("/", "=", "\\").isNotIn(".", "..", "")
                    .matches("[\\x20-\\x7E]+");
        }
    }

    @Property(tries = 1000)
    void shouldEscapeDistinctValuesToDistinctSegments(@ForAll String a, @ForAll String b) {
        if (!a.equals(b) && !a.isEmpty() && !b.isEmpty()) {
            assertThat(ObjectKeys.escape(a)).isNotEqualTo(ObjectKeys.escape(b));
        }
    }

    @Example
    void shouldEscapeLikeHiveAndEncodeNonAsciiAsUtf8() {
        assertThat(ObjectKeys.escape("a/b=c%d")).isEqualTo("a%2Fb%3Dc%25d");
        assertThat(ObjectKeys.escape("..")).isEqualTo("%2E%2E");
        assertThat(ObjectKeys.escape("a..b")).isEqualTo("a..b");
        assertThat(ObjectKeys.escape("tab\there\n")).isEqualTo("tab%09here%0A");
        assertThat(ObjectKeys.escape("café")).isEqualTo("caf%C3%A9");
        assertThat(ObjectKeys.escape("")).isEqualTo(ObjectKeys.DEFAULT_PARTITION);
        assertThat(ObjectKeys.escape("2024-03-01")).isEqualTo("2024-03-01");
    }

    @Example
    void shouldDeriveDtAndHourFromEventTimeInUtc() {
        long eventTime = java.time.Instant.parse("2024-12-31T23:59:59.999Z").toEpochMilli();
        assertThat(ObjectKeys.partitionValues(KEYS, eventTime)).containsExactly("2024-12-31", "23");
        assertThat(ObjectKeys.partitionValues(List.of("hour"), 0)).containsExactly("00");
    }

    @Example
    void shouldNameAValueLongerThanAFolderNameMayBeByItsPrefixAndAHashNeverCuttingAnEscape() {
        String longValue = "X".repeat(300);
        String unicode = "é".repeat(100); // %C3%A9 each: 600 characters escaped

        assertThat(ObjectKeys.escape(longValue)).matches("X{64}~[0-9a-f]{16}")
                .isEqualTo(ObjectKeys.escape(longValue)).isNotEqualTo(ObjectKeys.escape(longValue + "Y"));
        assertThat(ObjectKeys.escape(unicode)).matches("(%C3%A9){10}%C3~[0-9a-f]{16}");
        assertThat(ObjectKeys.escape("Y".repeat(128))).isEqualTo("Y".repeat(128));
    }
}
