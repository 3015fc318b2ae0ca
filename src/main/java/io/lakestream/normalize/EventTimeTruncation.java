package io.lakestream.normalize;

import io.lakestream.config.PipelineConfig;
import io.lakestream.config.ProtectionConfig;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The truncation of a pipeline's event-time field ({@code truncate-timestamp}), applied to the event time itself as
 * soon as it is read: windows, watermarks, the source header, object names, late-record logs and dead-letter
 * messages then only ever see the truncated value, as the records table does.
 *
 * @param unit HOURS or DAYS; null when the event-time field is not truncated
 */
record EventTimeTruncation(ChronoUnit unit) {

    static EventTimeTruncation of(PipelineConfig pipeline) {
        ProtectionConfig.FieldRule rule = pipeline.protection().fields().get(pipeline.eventTime().field());
        return new EventTimeTruncation(rule != null && rule.method() == ProtectionConfig.Method.TRUNCATE_TIMESTAMP
                ? rule.truncateTo() : null);
    }

    /** {@code millis} floored to the start of its UTC unit; unchanged without truncation. */
    long apply(long millis) {
        if (unit == null) {
            return millis;
        }
        long step = unit.getDuration().toMillis();
        return Math.floorDiv(millis, step) * step;
    }

    /** An event time (already {@link #apply applied}) for a message, saying that it is truncated. */
    String text(long millis) {
        return Instant.ofEpochMilli(millis) + (unit == null ? ""
                : " (truncated to the " + (unit == ChronoUnit.HOURS ? "hour" : "day") + ")");
    }
}
