package io.lakestream.config;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How a pipeline's normalized records are protected before anything leaves the normalize stage: every topic
 * lakestream writes, the lake, landing events and logs see only the protected values.
 *
 * @param fields             top-level field name → rule, in the order declared
 * @param hashSecret         HMAC-SHA-256 key as written ({@link HashSecret#key} decodes it: hex, {@code base64:…} or
 *                           {@code text:…}; from {@code ${ENV}} or {@code ${file:...}});
 *                           null when no field is hashed. Never logged.
 * @param dlqIncludeOriginal true (default): dead letters carry the raw key, value and headers; false: only the
 *                           coordinates and the reason (a raw record that failed normalization has no protected form)
 */
public record ProtectionConfig(Map<String, FieldRule> fields, String hashSecret, boolean dlqIncludeOriginal) {

    /** No protection: the default of a pipeline without a {@code protect} section. */
    public static final ProtectionConfig NONE = new ProtectionConfig(Map.of(), null, true);

    public enum Method { HASH, MASK, DROP, TRUNCATE_TIMESTAMP }

    public enum Encoding { HEX, BASE64 }

    /**
     * @param method     what is done to the field
     * @param encoding   hash output text (hash only)
     * @param keepLast   mask: characters left in clear at the end (mask without a pattern)
     * @param pattern    mask: every match is replaced instead (null: mask all but {@code keepLast})
     * @param maskChar   mask: replacement character
     * @param truncateTo truncate-timestamp: HOURS or DAYS (UTC)
     */
    public record FieldRule(Method method, Encoding encoding, int keepLast, Pattern pattern, char maskChar,
                            ChronoUnit truncateTo) {

        /** Hash, mask and drop take the clear value out of every output; truncation only coarsens it. */
        public boolean hidesValue() {
            return method != Method.TRUNCATE_TIMESTAMP;
        }
    }

    public boolean isEmpty() {
        return fields.isEmpty();
    }

    /** Fields whose clear value must never be echoed (in DLQ messages, logs). */
    public List<String> protectedFields() {
        return List.copyOf(fields.keySet());
    }
}
