package io.lakestream.deploy;

import static io.lakestream.deploy.CloudFormationYaml.actions;
import static io.lakestream.deploy.CloudFormationYaml.container;
import static io.lakestream.deploy.CloudFormationYaml.containers;
import static io.lakestream.deploy.CloudFormationYaml.flattenIf;
import static io.lakestream.deploy.CloudFormationYaml.items;
import static io.lakestream.deploy.CloudFormationYaml.names;
import static io.lakestream.deploy.CloudFormationYaml.policy;
import static io.lakestream.deploy.CloudFormationYaml.resource;
import static io.lakestream.deploy.CloudFormationYaml.resources;
import static io.lakestream.deploy.CloudFormationYaml.statements;
import static io.lakestream.deploy.CloudFormationYaml.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * Static checks of the deployment artifacts (Dockerfile, docker-compose.yml, the ECS CloudFormation
 * template) against the environment contract in {@code deploy/ENVIRONMENT.md}. No Docker, no AWS,
 * no network; {@code cfn-lint} must be on PATH.
 *
 * <p>The template keeps CloudFormation's readable short-form tags ({@code !Ref}, {@code !Sub}, {@code !If});
 * {@link CloudFormationYaml} turns each into its long form while parsing, so the checks see what
 * CloudFormation sees. Each check returns its violations, and the bad fixtures under
 * {@code src/test/resources/deploy} prove that it finds them.
 */
class DeployArtifactsTest {

    private static final Path TEMPLATE = Path.of("deploy/cloudformation/lakestream.yaml");
    private static final Path CONTRACT = Path.of("deploy/ENVIRONMENT.md");
    private static final Path COMPOSE = Path.of("docker-compose.yml");
    private static final Path DOCKERFILE = Path.of("Dockerfile");
    private static final Path PARAMETERS = Path.of("deploy/parameters.example.json");
    private static final Path BAD = Path.of("src/test/resources/deploy");
    /** Points the AWS SDK at an emulator: must be set in compose, must never be set on ECS. */
    private static final String EMULATOR_ONLY = "AWS_ENDPOINT_URL";
    private static final String APP_CONTAINER = "lakestream";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** A table row of ENVIRONMENT.md: | `NAME` | secret yes/no | required yes/no | ... */
    private static final Pattern CONTRACT_ROW =
            Pattern.compile("^\\|\\s*`([A-Z0-9_]+)`\\s*\\|\\s*(yes|no)\\s*\\|\\s*(yes|no)\\s*\\|");

    /** {@code everyConfig}: read by every shipped config; otherwise by the one its row names. */
    record EnvVar(String name, boolean secret, boolean required, boolean readByConfig, boolean everyConfig) {
    }

    // ---- the real artifacts -------------------------------------------------------------------

    @Test
    void shouldTakeEverySecretFromSecretsAndNeverFromEnvironment() throws IOException {
        assertThat(secretViolations(CloudFormationYaml.read(TEMPLATE), contract())).isEmpty();
    }

    @Test
    void shouldSetEveryContractVariableButTheEmulatorEndpointInTheEcsTask() throws IOException {
        Map<String, EnvVar> contract = contract();
        JsonNode app = container(CloudFormationYaml.read(TEMPLATE), APP_CONTAINER);
        Set<String> provided = new HashSet<>(names(app.path("Environment")));
        provided.addAll(names(app.path("Secrets")));
        Set<String> expected = contract.values().stream().filter(EnvVar::readByConfig).map(EnvVar::name)
                .filter(n -> !n.equals(EMULATOR_ONLY)).collect(Collectors.toSet());
        assertThat(provided).containsAll(expected).doesNotContain(EMULATOR_ONLY)
                .allSatisfy(n -> assertThat(contract).as("documented in %s", CONTRACT).containsKey(n));
    }

    @Test
    void shouldReadEveryContractVariableInEveryShippedConfigAndNoUndocumentedOne() throws IOException {
        // Every config of config/ is in the image (/etc/lakestream/config/) and may be the one ECS runs (ConfigFile):
        // each honours the same environment (Kafka security, SSE, table format, RocksDB bound...).
        Set<String> everyConfig = contract().values().stream().filter(EnvVar::everyConfig).map(EnvVar::name)
                .collect(Collectors.toSet());
        Set<String> documented = contract().values().stream().filter(EnvVar::readByConfig).map(EnvVar::name)
                .collect(Collectors.toSet());
        // Folders of the local store and registry: only for running outside a container.
        Set<String> localOnly = Set.of("LAKE_DIR", "REGISTRY_DIR");
        List<Path> configs;
        try (var files = Files.list(Path.of("config"))) {
            configs = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(configs).hasSizeGreaterThanOrEqualTo(3);
        for (Path config : configs) {
            Set<String> read = new HashSet<>();
            Matcher m = Pattern.compile("\\$\\{([A-Z0-9_]+)").matcher(Files.readString(config));
            while (m.find()) {
                read.add(m.group(1));
            }
            assertThat(read).as("variables %s reads", config).containsAll(everyConfig);
            assertThat(read).as("undocumented variables in %s", config).allSatisfy(v ->
                    assertThat(documented.contains(v) || localOnly.contains(v)).as(v).isTrue());
        }
    }

    @Test
    void shouldRunEveryContainerOfTheTaskOnAReadOnlyRootFileSystemButTheMetricsAgent() throws IOException {
        List<JsonNode> containers = CloudFormationYaml.containers(CloudFormationYaml.read(TEMPLATE));
        assertThat(containers).extracting(c -> c.path("Name").asText())
                .contains(APP_CONTAINER, "kafka-tls-init", "cloudwatch-agent");
        assertThat(containers).filteredOn(c -> !c.path("Name").asText().equals("cloudwatch-agent"))
                .allSatisfy(c -> assertThat(c.path("ReadonlyRootFilesystem").asBoolean()).as(c.path("Name").asText())
                        .isTrue());
    }

    @Test
    void shouldGrantTheTaskRoleNoWildcardS3OrGlueResources() throws IOException {
        assertThat(wildcardViolations(CloudFormationYaml.read(TEMPLATE))).isEmpty();
    }

    @Test
    void shouldConfineLakeAccessToTheBucketPrefix() throws IOException {
        List<JsonNode> s3 = statements(CloudFormationYaml.read(TEMPLATE), "TaskRole").stream()
                .filter(s -> actions(s).stream().anyMatch(a -> a.startsWith("s3:"))).toList();
        assertThat(s3).isNotEmpty().allSatisfy(s -> {
            if (actions(s).equals(List.of("s3:ListBucket"))) {
                // Unconditional on purpose: S3 answers 404 (not 403) for a missing key only to a principal that may
                // list the bucket, and a HEAD request carries no s3:prefix for a condition to match.
                assertThat(resources(s)).containsExactly("arn:${AWS::Partition}:s3:::${LakeBucket}");
                assertThat(s.has("Condition")).as("condition on s3:ListBucket").isFalse();
            } else {
                assertThat(resources(s)).containsExactly("arn:${AWS::Partition}:s3:::${LakeBucket}/${LakePrefix}*");
            }
        });
    }

    @Test
    void shouldGrantKmsOnlyWhenALakeKeyIsGiven() throws IOException {
        JsonNode lakePolicy = policy(CloudFormationYaml.read(TEMPLATE), "TaskRole", "lake");
        List<JsonNode> kms = new ArrayList<>();
        for (JsonNode s : lakePolicy.path("PolicyDocument").path("Statement")) {
            boolean conditional = s.has("Fn::If");
            for (JsonNode branch : flattenIf(s)) {
                if (actions(branch).stream().anyMatch(a -> a.startsWith("kms:"))) {
                    assertThat(conditional).as("KMS statement must sit inside !If HasKmsKey").isTrue();
                    assertThat(s.path("Fn::If").get(0).asText()).isEqualTo("HasKmsKey");
                    kms.add(branch);
                }
            }
        }
        assertThat(kms).singleElement().satisfies(s -> assertThat(resources(s)).containsExactly("${LakeKmsKeyArn}"));
    }

    @Test
    void shouldAbortIncompleteMultipartUploadsUnderThePrefixOfABucketTheStackCreates() throws IOException {
        JsonNode template = CloudFormationYaml.read(TEMPLATE);
        JsonNode bucket = resource(template, "LakeBucketResource");
        assertThat(bucket.path("Condition").asText()).isEqualTo("CreateLakeBucket");
        assertThat(bucket.path("DeletionPolicy").asText()).as("the lake outlives the stack").isEqualTo("Retain");
        JsonNode props = bucket.path("Properties");
        assertThat(props.path("PublicAccessBlockConfiguration").properties()).hasSize(4)
                .allSatisfy(e -> assertThat(e.getValue().asBoolean()).as(e.getKey()).isTrue());
        assertThat(items(props.path("BucketEncryption").path("ServerSideEncryptionConfiguration"))).isNotEmpty();
        JsonNode rule = items(props.path("LifecycleConfiguration").path("Rules")).stream()
                .filter(r -> r.has("AbortIncompleteMultipartUpload")).findFirst().orElseThrow();
        assertThat(rule.path("Status").asText()).isEqualTo("Enabled");
        assertThat(rule.path("Prefix").path("Ref").asText()).isEqualTo("LakePrefix");
        // deploy/README.md gives operators of an existing bucket the same rule as JSON.
        Matcher json = Pattern.compile("(?s)```json\\n(.*?AbortIncompleteMultipartUpload.*?)```")
                .matcher(Files.readString(Path.of("deploy/README.md")));
        assertThat(json.find()).as("lifecycle JSON in deploy/README.md").isTrue();
        JsonNode documented = new ObjectMapper().readTree(json.group(1)).path("Rules").get(0);
        assertThat(documented.path("Filter").path("Prefix").asText())
                .isEqualTo(template.path("Parameters").path("LakePrefix").path("Default").asText());
        int days = rule.path("AbortIncompleteMultipartUpload").path("DaysAfterInitiation").asInt();
        assertThat(days).isPositive().isEqualTo(
                documented.path("AbortIncompleteMultipartUpload").path("DaysAfterInitiation").asInt());
    }

    @Test
    void shouldLetTheExecutionRoleReadOnlyTheNamedSecrets() throws IOException {
        JsonNode template = CloudFormationYaml.read(TEMPLATE);
        List<JsonNode> secretReads = statements(template, "ExecutionRole").stream()
                .filter(s -> actions(s).contains("secretsmanager:GetSecretValue")).toList();
        assertThat(secretReads).singleElement().satisfies(s -> assertThat(resources(s))
                .isNotEmpty().allMatch(r -> r.matches("\\$\\{\\w+SecretArn}")));
    }

    @Test
    void shouldStopGracefullyAndKeepStateOnEphemeralStorage() throws IOException {
        JsonNode template = CloudFormationYaml.read(TEMPLATE);
        JsonNode taskDef = resource(template, "TaskDefinition").path("Properties");
        assertThat(taskDef.path("EphemeralStorage").path("SizeInGiB").path("Ref").asText()).isEqualTo("EphemeralStorageGiB");
        JsonNode app = container(template, APP_CONTAINER);
        // The mount must hit the image's VOLUME path: only then does Fargate keep its ownership.
        assertThat(items(app.path("MountPoints"))).anySatisfy(m -> {
            assertThat(m.path("ContainerPath").asText()).isEqualTo("/var/lib/lakestream");
            assertThat(items(taskDef.path("Volumes"))).extracting(v -> v.path("Name").asText())
                    .contains(m.path("SourceVolume").asText());
        });
        assertThat(app.path("StopTimeout").asInt()).isGreaterThanOrEqualTo(60);
        assertThat(text(app.path("HealthCheck").path("Command"))).contains("/health/live");
        JsonNode breaker = resource(template, "Service").path("Properties").path("DeploymentConfiguration")
                .path("DeploymentCircuitBreaker");
        assertThat(breaker.path("Enable").asBoolean()).isTrue();
    }

    @Test
    void shouldCoverEveryRequiredTemplateParameterInTheExampleParameters() throws IOException {
        JsonNode parameters = CloudFormationYaml.read(TEMPLATE).path("Parameters");
        Set<String> given = StreamSupport.stream(new ObjectMapper().readTree(PARAMETERS.toFile()).spliterator(), false)
                .map(p -> p.path("ParameterKey").asText()).collect(Collectors.toSet());
        Set<String> required = new HashSet<>();
        parameters.properties().forEach(e -> {
            if (!e.getValue().has("Default")) {
                required.add(e.getKey());
            }
        });
        assertThat(given).containsAll(required).allSatisfy(k -> assertThat(parameters.has(k)).as(k).isTrue());
    }

    @Test
    void shouldSetRequiredVariablesAndTheEmulatorInTheComposeService() throws IOException {
        JsonNode compose = YAML.readTree(COMPOSE.toFile());
        Map<String, String> env = composeEnvironment(compose.path("services").path(APP_CONTAINER));
        Map<String, EnvVar> contract = contract();
        contract.values().stream().filter(EnvVar::required)
                .forEach(v -> assertThat(env.get(v.name())).as(v.name()).isNotBlank());
        assertThat(env.keySet()).allSatisfy(n -> assertThat(contract).as("documented in %s", CONTRACT).containsKey(n));
        // Secrets of the contract may only come from the host environment, never as literals in git.
        contract.values().stream().filter(v -> v.secret() && v.readByConfig() && env.containsKey(v.name()))
                .forEach(v -> assertThat(env.get(v.name())).as(v.name()).startsWith("${"));
        // The stack is only self-contained when the app talks to the compose services.
        Set<String> services = new HashSet<>();
        compose.path("services").fieldNames().forEachRemaining(services::add);
        assertThat(env.get(EMULATOR_ONLY)).matches("http://[a-z0-9-]+:\\d+");
        assertThat(services).contains(env.get(EMULATOR_ONLY).replaceAll("http://([^:]+):.*", "$1"),
                env.get("KAFKA_BOOTSTRAP").split(":")[0]);
        assertThat(compose.path("services").path(APP_CONTAINER).path("depends_on").toString())
                .contains("service_completed_successfully").contains("service_healthy");
    }

    @Test
    void shouldRunTheImageAsNonRootWithHealthcheckAndStateVolume() throws IOException {
        assertThat(dockerfileViolations(Files.readString(DOCKERFILE))).isEmpty();
    }

    @Test
    void shouldPassCfnLint() throws Exception {
        Path cfnLint = onPath("cfn-lint");
        if (cfnLint == null) {
            fail("cfn-lint is not on PATH; install it with `pip install cfn-lint` (CI installs it)");
        }
        Process process = new ProcessBuilder(cfnLint.toString(), "--", TEMPLATE.toString())
                .redirectErrorStream(true).start();
        boolean done = process.waitFor(3, TimeUnit.MINUTES);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(done).as("cfn-lint finished").isTrue();
        assertThat(process.exitValue()).as("cfn-lint %s:%n%s", TEMPLATE, output).isZero();
    }

    // ---- the checks catch what they are meant to catch -----------------------------------------

    @Test
    void shouldReportSecretsInEnvironmentAndWildcardResourcesOfABadTemplate() throws IOException {
        JsonNode bad = CloudFormationYaml.read(BAD.resolve("bad-template.yaml"));
        assertThat(secretViolations(bad, contract())).containsExactlyInAnyOrder(
                "KAFKA_SSL_KEYSTORE_PASSWORD is a secret but set in Environment of lakestream",
                "KAFKA_SASL_JAAS_CONFIG is a secret but not taken from Secrets of lakestream",
                "KAFKA_SSL_KEYSTORE_PASSWORD is a secret but not taken from Secrets of lakestream");
        assertThat(wildcardViolations(bad)).containsExactlyInAnyOrder(
                "[s3:GetObject, s3:PutObject] on *",
                "[glue:GetTable] on arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:*",
                "[glue:*] on arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:database/x");
    }

    @Test
    void shouldReportRootUserMissingHealthcheckAndMissingStateVolumeOfABadDockerfile() throws IOException {
        assertThat(dockerfileViolations(Files.readString(BAD.resolve("bad.Dockerfile")))).containsExactlyInAnyOrder(
                "final stage runs as root (USER root)",
                "no HEALTHCHECK against /health/live in the final stage",
                "no VOLUME for /var/lib/lakestream",
                "state dir /var/lib/lakestream is not chowned to the app user",
                "runtime base image is not pinned: eclipse-temurin:latest",
                "ENTRYPOINT lacks -XX:MaxRAMPercentage=50",
                "ENTRYPOINT lacks -Djava.io.tmpdir=/var/lib/lakestream");
    }

    // ---- checks ----------------------------------------------------------------------------------

    static List<String> secretViolations(JsonNode template, Map<String, EnvVar> contract) {
        List<String> violations = new ArrayList<>();
        for (JsonNode c : containers(template)) {
            String name = c.path("Name").asText();
            Set<String> env = new HashSet<>(names(c.path("Environment")));
            contract.values().stream().filter(v -> v.secret() && env.contains(v.name()))
                    .forEach(v -> violations.add(v.name() + " is a secret but set in Environment of " + name));
        }
        Set<String> fromSecrets = names(container(template, APP_CONTAINER).path("Secrets"));
        contract.values().stream().filter(v -> v.secret() && v.readByConfig() && !fromSecrets.contains(v.name()))
                .forEach(v -> violations.add(v.name() + " is a secret but not taken from Secrets of " + APP_CONTAINER));
        return violations;
    }

    /** s3/glue grants on "*" (or an ARN whose resource part is "*"), and s3:* / glue:* actions. */
    static List<String> wildcardViolations(JsonNode template) {
        List<String> violations = new ArrayList<>();
        for (JsonNode s : statements(template, "TaskRole")) {
            List<String> actions = actions(s).stream().filter(a -> a.startsWith("s3:") || a.startsWith("glue:")
                    || a.equals("*")).sorted().toList();
            if (actions.isEmpty()) {
                continue;
            }
            // AWS documents Resource "*" for this read-only lookup by schema version id (wire format).
            boolean documentedException = actions.equals(List.of("glue:GetSchemaVersion"));
            for (String r : resources(s)) {
                // ${AWS::Region} and friends hold colons: make each substitution one opaque token first.
                String arn = r.replaceAll("\\$\\{[^}]*}", "X");
                boolean wildcard = arn.equals("*") || arn.matches("arn:[^:]*:(s3|glue):[^:]*:[^:]*:\\*.*");
                if ((wildcard && !documentedException) || actions.stream().anyMatch(a -> a.endsWith(":*") || a.equals("*"))) {
                    violations.add(actions + " on " + r);
                }
            }
        }
        return violations;
    }

    static List<String> dockerfileViolations(String dockerfile) {
        List<String> lines = List.of(dockerfile.replaceAll("\\\\\\r?\\n", " ").split("\\r?\\n"));
        Map<String, String> args = new HashMap<>();
        int lastFrom = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith("ARG ") && line.contains("=")) {
                String[] kv = line.substring(4).strip().split("=", 2);
                args.put(kv[0], kv[1]);
            }
            if (line.startsWith("FROM ")) {
                lastFrom = i;
            }
        }
        List<String> finalStage = lines.subList(Math.max(lastFrom, 0), lines.size()).stream().map(String::strip).toList();
        List<String> violations = new ArrayList<>();
        String base = finalStage.get(0).substring(5).split("\\s+")[0];
        base = args.getOrDefault(base.replaceAll("^\\$\\{?([A-Za-z_]+)}?$", "$1"), base);
        if (!base.matches(".+:.*\\d+\\.\\d+.*")) {
            violations.add("runtime base image is not pinned: " + base);
        }
        String user = finalStage.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElse("USER root");
        String who = user.substring(5).strip().split(":")[0];
        if (who.equals("root") || who.equals("0")) {
            violations.add("final stage runs as root (" + user + ")");
        }
        String healthcheck = instruction(finalStage, "HEALTHCHECK");
        if (!healthcheck.contains("/health/live")) {
            violations.add("no HEALTHCHECK against /health/live in the final stage");
        } else if (healthcheck.contains("curl") && !instruction(finalStage, "RUN").matches("(?s).*install[^&;]*\\bcurl\\b.*")) {
            violations.add("HEALTHCHECK uses curl but the final stage does not install it");
        }
        if (!instruction(finalStage, "VOLUME").contains("/var/lib/lakestream")) {
            violations.add("no VOLUME for /var/lib/lakestream");
        }
        if (!instruction(finalStage, "RUN").matches("(?s).*chown [^&;]*/var/lib/lakestream.*")) {
            violations.add("state dir /var/lib/lakestream is not chowned to the app user");
        }
        String entrypoint = instruction(finalStage, "ENTRYPOINT");
        // Heap half the memory (RocksDB is bounded by the config); natives unpack on the state volume, not the root.
        for (String flag : List.of("-XX:MaxRAMPercentage=50", "-XX:+ExitOnOutOfMemoryError",
                "-Djava.io.tmpdir=/var/lib/lakestream", "/opt/lakestream/lakestream.jar")) {
            if (!entrypoint.contains(flag)) {
                violations.add("ENTRYPOINT lacks " + flag);
            }
        }
        if (!entrypoint.isEmpty() && !entrypoint.startsWith("[")) {
            violations.add("ENTRYPOINT is not in exec form: the JVM would not receive SIGTERM");
        }
        return violations;
    }

    // ---- readers -------------------------------------------------------------------------------

    static Map<String, EnvVar> contract() throws IOException {
        Map<String, EnvVar> vars = new LinkedHashMap<>();
        boolean readByConfig = false;
        boolean everyConfig = false;
        for (String line : Files.readAllLines(CONTRACT)) {
            if (line.startsWith("## ")) {
                everyConfig = line.startsWith("## Read by the config");
                readByConfig = everyConfig || line.startsWith("## Read by one config");
            }
            Matcher m = CONTRACT_ROW.matcher(line);
            if (m.find()) {
                vars.put(m.group(1), new EnvVar(m.group(1), m.group(2).equals("yes"), m.group(3).equals("yes"),
                        readByConfig, everyConfig));
            }
        }
        assertThat(vars).as("variables in %s", CONTRACT).isNotEmpty();
        return vars;
    }

    static Map<String, String> composeEnvironment(JsonNode service) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode e = service.path("environment");
        if (e.isArray()) {
            e.forEach(kv -> env.put(kv.asText().split("=", 2)[0], kv.asText().contains("=") ? kv.asText().split("=", 2)[1] : ""));
        } else {
            e.properties().forEach(kv -> env.put(kv.getKey(), kv.getValue().asText()));
        }
        return env;
    }

    private static String instruction(List<String> stage, String keyword) {
        return stage.stream().filter(l -> l.startsWith(keyword + " ")).map(l -> l.substring(keyword.length()).strip())
                .collect(Collectors.joining("\n"));
    }

    private static Path onPath(String executable) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, executable);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
