package io.lakestream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code validate --effective} shows what a run will use: every setting, alert rules whole, each table's layout. */
class ValidateEffectiveLayoutTest {

    @TempDir
    Path dir;

    @Test
    void shouldPrintBindAddressWholeAlertRulesAndTheIcebergSpecInsteadOfHivePartitionColumns() throws Exception {
        Files.copy(Path.of("schemas/claim.avsc"), dir.resolve("claim.avsc"));
        Path config = Files.writeString(dir.resolve("c.yaml"), """
                application: { id: effective, state-dir: %1$s/state }
                kafka: { bootstrap.servers: "localhost:9092" }
                registry: { type: local, local-dir: %1$s/registry }
                lake: { store: local, local-dir: %1$s/lake, table-format: iceberg }
                catalog: { type: local, database: effective }
                http: { port: 0, bind-address: 127.0.0.1 }
                pipelines:
                  - name: claims
                    source: { topics: [claims.raw], format: json }
                    schema: %1$s/claim.avsc
                    key: account_id
                    event-time: { field: claim_ts, format: iso-8601 }
                    alerts:
                      rules:
                        - name: big_rejected
                          when: { and: [ { field: status, eq: REJECTED }, { field: amount, gt: 100000.50 } ] }
                    landing: { table: claims, window: 100s, partition-spec: [day(claim_ts), "bucket(8, account_id)"] }
                    aggregations:
                      - name: by_account
                        group-by: [account_id]
                        window: { size: 100s }
                        table-format: hive
                        measures: [ { name: n, fn: count } ]
                """.formatted(dir));

        CommandOutput out = CommandOutput.run(() -> Main.execute("validate", "--config", config.toString(),
                "--effective"));

        assertThat(out.exit()).as(out.err()).isZero();
        assertThat(out.out()).contains("bind-address: \"127.0.0.1\"")
                .contains("window-buffer: ")
                // a rule whole (as the SQL condition it is evaluated as), not only its name
                .contains("- name: \"big_rejected\"\n      when: \"(\\\"status\\\" = 'REJECTED' AND \\\"amount\\\" > "
                        + "100000.5)\"")
                .containsPattern("table: \"claims\"\\s+window: \"100s\"\\s+grace: \"\\d+s\"\\s+idle-timeout: \"\\d+s\""
                        + "\\s+format: \"parquet\"\\s+table-format: \"iceberg\"\\s+partition-spec:\\s+- \"day\\(claim_ts\\)\""
                        + "\\s+- \"bucket\\(8, account_id\\)\"")
                .containsPattern("table: \"by_account\"\\s+format: \"parquet\"\\s+table-format: \"hive\"\\s+"
                        + "partition-by:\\s+- \"dt\"\\s+- \"hour\"");
    }
}
