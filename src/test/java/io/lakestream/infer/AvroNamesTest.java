package io.lakestream.infer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AvroNamesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "claimId|claim_id",
            "claimTs|claim_ts",
            "HTTPCode|http_code",
            "already_snake|already_snake",
            "Claim Amount ($)|claim_amount",
            "1st|f_1st",
            "__|field",
            "Ünïcode|unicode",
            "a--b|a_b",
            "_id|id",
            "value2Go|value2_go",
    })
    void shouldTurnSourceNamesIntoSnakeCaseAvroNames(String source, String expected) {
        assertThat(AvroNames.snakeCase(source)).isEqualTo(expected);
    }

    @Test
    void shouldJoinNestedPathSegments() {
        assertThat(AvroNames.flattened(List.of("account", "homeAddress", "zipCode"))).isEqualTo("account_home_address_zip_code");
    }

    @Test
    void shouldBracketJsonPathSegmentsThatAreNotPlainKeys() {
        assertThat(AvroNames.jsonPathSegment("claimId")).isEqualTo(".claimId");
        assertThat(AvroNames.jsonPathSegment("a.b")).isEqualTo("['a.b']");
        assertThat(AvroNames.jsonPathSegment("it's")).isEqualTo("['it\\'s']");
    }

    @Test
    void shouldHandOutTheSmallestFreeSuffixOnCollision() {
        AvroNames.Registry registry = new AvroNames.Registry();

        assertThat(List.of(registry.claim("a"), registry.claim("a_2"), registry.claim("a"), registry.claim("a")))
                .containsExactly("a", "a_2", "a_3", "a_4");
    }

    @Test
    void shouldDerivePascalCaseRecordNames() {
        assertThat(AvroNames.recordName("claim_lines")).isEqualTo("ClaimLines");
        assertThat(AvroNames.recordName("f_1st")).isEqualTo("F1st");
    }
}
