package io.lakestream.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
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
 */
public record LandingEvent(String table, Map<String, String> partition, String objectKey, String uri, long rowCount,
                           String sourceTopic, int sourcePartition, long firstOffset, long lastOffset,
                           long windowStart, long windowEnd, boolean late) {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

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
