package io.lakestream.protect;

import io.lakestream.config.HashSecret;
import io.lakestream.config.ProtectionConfig;
import io.lakestream.record.BusinessKeys;
import io.lakestream.record.NormalizeOutcome.Normalized;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Turns a clear normalized record into its protected form ({@link ProtectedSchema}). Deterministic: the same value
 * and key give the same output on every instance and after every restart, so hashed fields still join.
 *
 * <p>A hash is HMAC-SHA-256 over the UTF-8 text of the value (decimals as plain text, enums as their symbol),
 * keyed by the bytes {@code protect.hash-secret} encodes ({@link HashSecret}: hex, base64 or text); the field name is not part of the input, so the same account id hashes
 * alike in every field and pipeline sharing the secret. Not thread-safe (one {@link Mac}): one per processor.
 */
public final class FieldProtector {

    private final Schema source;
    private final Schema target;
    private final ProtectionConfig.FieldRule[] rules;
    private final int[] sourcePos;
    private final Mac mac;
    private final List<Schema.Field> keyFields;

    /** @param key the pipeline's key fields: the business key is recomputed from the protected values */
    public FieldProtector(Schema source, ProtectionConfig protection, List<String> key) {
        this.source = source;
        this.target = ProtectedSchema.of(source, protection);
        List<Schema.Field> out = target.getFields();
        this.rules = new ProtectionConfig.FieldRule[out.size()];
        this.sourcePos = new int[out.size()];
        for (Schema.Field f : out) {
            rules[f.pos()] = protection.fields().get(f.name());
            sourcePos[f.pos()] = source.getField(f.name()).pos();
        }
        this.mac = protection.hashSecret() == null ? null : mac(protection.hashSecret());
        this.keyFields = key.stream().map(target::getField).toList();
    }

    /** The record protected, its business key recomputed from the protected values; coordinates unchanged. */
    public Normalized protect(Normalized clear) {
        if (target == source) {
            return clear;
        }
        GenericRecord value = protect(clear.value());
        return new Normalized(BusinessKeys.of(value, keyFields), value, clear.eventTime(), clear.topic(),
                clear.partition(), clear.offset(), clear.kafkaTimestamp());
    }

    private static Mac mac(String secret) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(HashSecret.key(secret), "HmacSHA256"));
            return m;
        } catch (GeneralSecurityException e) {
            // Every Java 17 runtime ships HmacSHA256; reaching this is a broken JRE, not a config problem.
            throw new IllegalStateException("HmacSHA256 unavailable: " + e.getClass().getName(), e);
        }
    }

    /** The schema of the records {@link #protect} returns. */
    public Schema schema() {
        return target;
    }

    public GenericRecord protect(GenericRecord clear) {
        if (target == source) {
            return clear;
        }
        GenericData.Record out = new GenericData.Record(target);
        for (int i = 0; i < rules.length; i++) {
            Object value = clear.get(sourcePos[i]);
            ProtectionConfig.FieldRule rule = rules[i];
            out.put(i, rule == null || value == null ? value : apply(rule, value,
                    source.getFields().get(sourcePos[i]).schema()));
        }
        return out;
    }

    private Object apply(ProtectionConfig.FieldRule rule, Object value, Schema schema) {
        return switch (rule.method()) {
            case HASH -> hash(BusinessKeys.text(value, schema), rule.encoding());
            case MASK -> Masks.mask(BusinessKeys.text(value, schema), rule);
            case TRUNCATE_TIMESTAMP -> Masks.truncate((Long) value, rule.truncateTo(), schema);
            case DROP -> throw new IllegalStateException("a dropped field is not in the protected schema");
        };
    }

    String hash(String text, ProtectionConfig.Encoding encoding) {
        byte[] digest = mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        return encoding == ProtectionConfig.Encoding.BASE64 ? Base64.getEncoder().encodeToString(digest)
                : HexFormat.of().formatHex(digest);
    }
}
