package io.lakestream.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * The {@code protect}, {@code dlq} and {@code alerts} sections: what a valid one becomes, and one test per error
 * message ({@code config/protect-alert-errors.csv}: each row edits the valid base and names the single problem).
 */
class ProtectAlertConfigTest {

    static final String SECRET = "0123456789abcdef0123456789abcdef";
    /** 15 bytes: 30 hex digits, more than 16 characters. */
    static final String SHORT = "00112233445566778899aabbccddee";
    static final String PASSPHRASE = "base64:correct horse battery staple";
    static final String VALID = ConfigYaml.CLAIMS_HEAD + """
                protect:
                  hash-secret: ${HASH_SECRET}
                  fields:
                    account_id: hash
                    claim_id: {method: hash, encoding: base64}
                    adjuster: {method: mask, keep-last: 2}
                    policy: drop
                    claim_ts: {method: truncate-timestamp, to: hour}
                dlq:
                  include-original: false
                alerts:
                  rules:
                    - name: large_claim
                      when: {field: amount, gt: 1000000}
                    - name: rejected_vip
                      when:
                        and:
                          - {field: status, eq: REJECTED}
                          - {field: account_id, in: [A-1, A-2]}
                    - name: not_recent
                      when: {not: {or: [{field: claim_ts, ge: "2024-05-01T00:00:00Z"}, {field: currency, ne: EUR}]}}
                aggregations:
                  - name: by_account
                    group-by: account_id
                    window:
                      size: 2h
                    measures:
                      - name: total
                        fn: sum
                        field: amount
            """;

    private PipelineConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, ConfigYaml.SCHEMA_DIR, Map.of("HASH_SECRET", SECRET), "test").pipelines()
                .get(0);
    }

    @Test
    void shouldReadEveryRuleWithItsOptionsAndTypedLiterals() {
        PipelineConfig p = parse(VALID);

        ProtectionConfig protection = p.protection();
        assertThat(protection.hashSecret()).isEqualTo(SECRET);
        assertThat(protection.dlqIncludeOriginal()).isFalse();
        assertThat(protection.fields().keySet()).containsExactly("account_id", "claim_id", "adjuster", "policy",
                "claim_ts");
        assertThat(protection.fields().get("account_id").encoding()).isEqualTo(ProtectionConfig.Encoding.HEX);
        assertThat(protection.fields().get("claim_id").encoding()).isEqualTo(ProtectionConfig.Encoding.BASE64);
        assertThat(protection.fields().get("adjuster").keepLast()).isEqualTo(2);
        assertThat(protection.fields().get("policy").method()).isEqualTo(ProtectionConfig.Method.DROP);
        assertThat(protection.fields().get("claim_ts").truncateTo()).isEqualTo(ChronoUnit.HOURS);

        assertThat(p.alerts().topic()).isEqualTo("claims.alerts");
        assertThat(p.alerts().rules()).extracting(AlertConfig.Rule::name)
                .containsExactly("large_claim", "rejected_vip", "not_recent");
        // The structured form is written as SQL, with literals typed from the schema.
        assertThat(p.alerts().rules()).extracting(AlertConfig.Rule::when).containsExactly(
                "\"amount\" > 1000000",
                "(\"status\" = 'REJECTED' AND \"account_id\" IN ('A-1', 'A-2'))",
                "NOT (\"claim_ts\" >= TIMESTAMP '2024-05-01 00:00:00.000000' OR \"currency\" <> 'EUR')");
    }

    @Test
    void shouldDefaultToNoProtectionNoAlertsAndOriginalDeadLetters() {
        String plain = VALID.substring(0, VALID.indexOf("    protect:")) + VALID.substring(VALID.indexOf(
                "    aggregations:"));

        PipelineConfig p = parse(plain);

        assertThat(p.protection().isEmpty()).isTrue();
        assertThat(p.protection().dlqIncludeOriginal()).isTrue();
        assertThat(p.alerts().rules()).isEmpty();
    }

    @Test
    void shouldShowTheHashSecretMaskedInTheEffectiveConfig() {
        LakestreamConfig cfg = ConfigLoader.parse(VALID, ConfigYaml.SCHEMA_DIR, Map.of("HASH_SECRET", SECRET), "test");

        String shown = EffectiveConfig.masked(cfg).toString();

        assertThat(shown).doesNotContain(SECRET).contains("hash-secret=****")
                .contains("account_id={method=hash, encoding=hex}")
                .contains("rules=[{name=large_claim, when=\"amount\" > 1000000}, {name=rejected_vip");
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @CsvFileSource(resources = "/config/protect-alert-errors.csv", delimiter = '|', quoteCharacter = '`',
            numLinesToSkip = 1)
    void shouldReportExactlyThisProblem(String find, String replaceWith, String expected) {
        ConfigException e = ConfigYaml.refusedEdit(VALID, find, replaceWith, ConfigYaml.SCHEMA_DIR,
                Map.of("HASH_SECRET", SECRET, "SHORT", SHORT, "PASSPHRASE", PASSPHRASE));
        assertThat(e.problems()).containsExactly(expected);
        assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain(SHORT)
                .doesNotContain(PASSPHRASE.substring(5));
    }
}
