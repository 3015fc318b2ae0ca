package io.lakestream.sink;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Map;

/**
 * One object landed in the lake, published as JSON (key = table) on the landings topic in the same Kafka
 * transaction as the flush. After a replay that finds the object already written, the event is published for the
 * existing object, so a consumer may see the same object key twice; it identifies objects by {@code objectKey}.
 *
 * @param partition   partition column → value (unescaped), in layout order
 * @param uri         the object's location, e.g. {@code s3://bucket/key}
 * @param windowStart event window start, epoch millis
 * @param windowEnd   event window end (exclusive), epoch millis
 * @param statistics  the file's length, schema and column metrics, for a Parquet file this flush wrote into an
 *                    Iceberg table; null otherwise (an object found already written by a replay, whose footer the
 *                    sink does not read, a Hive table, or an event of a version before statistics)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LandingEvent(String table, Map<String, String> partition, String objectKey, String uri, long rowCount,
                           String sourceTopic, int sourcePartition, long firstOffset, long lastOffset,
                           long windowStart, long windowEnd, boolean late, FileStatistics statistics) {

    // Unknown properties are ignored so that an application rolled back to an older version still reads the events
    // a newer one wrote.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /** An event without statistics. */
    public LandingEvent(String table, Map<String, String> partition, String objectKey, String uri, long rowCount,
                        String sourceTopic, int sourcePartition, long firstOffset, long lastOffset, long windowStart,
                        long windowEnd, boolean late) {
        this(table, partition, objectKey, uri, rowCount, sourceTopic, sourcePartition, firstOffset, lastOffset,
                windowStart, windowEnd, late, null);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("landing event not serializable", e);
        }
    }

    public static LandingEvent fromJson(String json) {
        try {
            return JSON.readValue(json, LandingEvent.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a landing event: " + json, e);
        }
    }
}
