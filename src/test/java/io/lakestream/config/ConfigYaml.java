package io.lakestream.config;

/** Config text shared by the config tests, in YAML's block style (their cases replace parts of it). */
final class ConfigYaml {

    /** A valid config up to the claims pipeline's event-time field; append the pipeline's other keys, indented 4. */
    static final String CLAIMS_HEAD = """
            application:
              id: app
            kafka:
              bootstrap.servers: "b:9092"
            lake:
              store: local
            catalog:
              type: none
            pipelines:
              - name: claims
                source:
                  topics: [raw]
                schema: claim.avsc
                key: account_id
                event-time:
                  field: claim_ts
            """;

    private ConfigYaml() {
    }
}
