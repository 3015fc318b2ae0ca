package io.lakestream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The production jar ({@code target/lakestream.jar}, the one the Dockerfile ships) carries what production needs and
 * nothing else: native libraries for linux x86-64 and aarch64 (glibc) only, no embedded Kafka broker or Scala, no
 * ORC, only the AWS SDK's URL-connection HTTP client; and it stays under {@value #MAX_BYTES} bytes. The demo jar
 * keeps the broker. Runs after {@code package} (failsafe), on the jars Maven just built.
 */
class ProductionJarIT {

    static final Path PRODUCTION_JAR = Path.of("target/lakestream.jar");
    static final Path DEMO_JAR = Path.of("target/lakestream-demo.jar");
    /**
     * 87 MB (85.9 MB reached). Calcite's parser and validator made the jar 102.1 MB; the production jar now leaves out
     * what neither `validate` nor `run` loads (Calcite's planner, rules and adapters, Avatica's remote driver, most
     * of commons-math, Glue shapes of operations nobody calls, the asynchronous AWS clients; see pom.xml). The limit
     * leaves room for what features add, not for what production does not run.
     */
    static final long MAX_BYTES = 87_000_000L;

    /**
     * The Glue operations lakestream (catalog, check), Iceberg's Glue catalog and the schema registry serde call: the
     * production jar leaves out the model classes of the others (pom.xml), and must keep every shape of these.
     */
    static final List<String> GLUE_OPERATIONS = List.of("BatchCreatePartition", "CreateDatabase", "CreateRegistry",
            "CreateSchema", "CreateTable", "DeleteDatabase", "DeleteTable", "GetDatabase", "GetDatabases",
            "GetPartitions", "GetRegistry", "GetSchemaByDefinition", "GetSchemaVersion", "GetTable", "GetTables",
            "GetTags", "PutSchemaVersionMetadata", "QuerySchemaVersionMetadata", "RegisterSchemaVersion",
            "UpdateDatabase", "UpdateTable");

    /** Every native library the production jar may hold, and must hold (both platforms of each library). */
    static final Map<String, List<String>> NATIVES = Map.of(
            "RocksDB", List.of("librocksdbjni-linux64.so", "librocksdbjni-linux-aarch64.so"),
            "SQLite", List.of("org/sqlite/native/Linux/x86_64/libsqlitejdbc.so",
                    "org/sqlite/native/Linux/aarch64/libsqlitejdbc.so"),
            "Snappy", List.of("org/xerial/snappy/native/Linux/x86_64/libsnappyjava.so",
                    "org/xerial/snappy/native/Linux/aarch64/libsnappyjava.so"),
            "zstd", List.of("linux/amd64/libzstd-jni-\\d[\\d.-]*\\.so", "linux/aarch64/libzstd-jni-\\d[\\d.-]*\\.so"),
            "LZ4", List.of("net/jpountz/util/linux/amd64/liblz4-java.so", "net/jpountz/util/linux/aarch64/liblz4-java.so"));

    private static final Pattern NATIVE = Pattern.compile(".*\\.(so|dll|dylib|jnilib|a)$");

    /** Packages of the embedded broker (kafka_2.13 and its server modules), of Scala, and of what was left out. */
    static final List<String> FORBIDDEN_PREFIXES = List.of("kafka/", "scala/", "org/apache/kafka/controller/",
            "org/apache/kafka/coordinator/", "org/apache/kafka/image/", "org/apache/kafka/metadata/",
            "org/apache/kafka/raft/", "org/apache/kafka/snapshot/", "org/apache/kafka/storage/",
            "org/apache/kafka/timeline/", "org/apache/kafka/network/", "org/apache/kafka/queue/",
            "org/apache/orc/", "io/netty/", "software/amazon/awssdk/http/apache5/", "software/amazon/awssdk/http/nio/",
            "org/apache/hc/", "lombok/launch/", "SCL.lombok/");

    @Test
    void shouldHoldNativesForLinuxX8664AndAarch64Only() throws IOException {
        List<String> natives = entries(PRODUCTION_JAR).stream().filter(e -> NATIVE.matcher(e).matches()).toList();
        List<String> allowed = NATIVES.values().stream().flatMap(List::stream).toList();

        assertThat(natives).as("native libraries for other platforms in %s", PRODUCTION_JAR)
                .allSatisfy(n -> assertThat(allowed).as(n).anyMatch(n::matches));
        NATIVES.forEach((library, platforms) -> platforms.forEach(p ->
                assertThat(natives).as("%s native %s", library, p).anyMatch(n -> n.matches(p))));
    }

    @Test
    void shouldHoldNoBrokerScalaOrUnusedLibraries() throws IOException {
        List<String> found = new ArrayList<>();
        // Classes only: kafka-clients and kafka-streams keep their version files under kafka/.
        for (String entry : entries(PRODUCTION_JAR)) {
            if ((entry.endsWith(".class") || entry.endsWith(".SCL.lombok"))
                    && FORBIDDEN_PREFIXES.stream().anyMatch(entry::startsWith)) {
                found.add(entry);
            }
        }
        assertThat(found).as("classes the production jar must not carry").isEmpty();
        assertThat(entries(PRODUCTION_JAR)).as("lakestream itself and the Kafka Streams runtime")
                .contains("io/lakestream/cli/Main.class", "org/apache/kafka/streams/KafkaStreams.class");
    }

    @Test
    void shouldStayUnderTheSizeLimit() throws IOException {
        assertThat(Files.size(PRODUCTION_JAR)).as("size of %s in bytes", PRODUCTION_JAR).isLessThanOrEqualTo(MAX_BYTES);
    }

    @Test
    void shouldKeepTheBrokerInTheDemoJar() throws IOException {
        assertThat(entries(DEMO_JAR)).contains("kafka/server/KafkaRaftServer.class", "io/lakestream/cli/Main.class",
                "librocksdbjni-osx-arm64.jnilib");
    }

    @Test
    void shouldPointDemoAndBrokerAtTheDemoJar() throws Exception {
        for (String command : List.of("demo", "broker")) {
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", PRODUCTION_JAR.toString(), command).redirectErrorStream(true).start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as(output).isEqualTo(2);
            assertThat(output).contains("java -jar target/lakestream-demo.jar " + command);
        }
    }

    /**
     * Builds every structure, list member and map value of the used Glue operations' requests and responses from the
     * production jar alone, as the SDK's marshallers do: a shape the jar left out fails here, not at a Glue call.
     */
    @Test
    void shouldHoldEveryShapeOfTheGlueOperationsUsed() throws Exception {
        try (URLClassLoader jar = new URLClassLoader(new URL[] {PRODUCTION_JAR.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            Set<String> shapes = new TreeSet<>();
            for (String operation : GLUE_OPERATIONS) {
                for (String kind : List.of("Request", "Response")) {
                    Class<?> type = Class.forName("software.amazon.awssdk.services.glue.model." + operation + kind,
                            true, jar);
                    walkShape(type.getMethod("builder").invoke(null), jar, shapes);
                }
            }
            assertThat(shapes).as("shapes reached").contains("software.amazon.awssdk.services.glue.model.Table",
                    "software.amazon.awssdk.services.glue.model.StorageDescriptor",
                    "software.amazon.awssdk.services.glue.model.PartitionInput");
        }
    }

    private static void walkShape(Object builder, ClassLoader jar, Set<String> shapes) throws Exception {
        Class<?> pojo = Class.forName("software.amazon.awssdk.core.SdkPojo", false, jar);
        for (Object field : (List<?>) pojo.getMethod("sdkFields").invoke(builder)) {
            walkField(field, jar, shapes);
        }
    }

    private static void walkField(Object field, ClassLoader jar, Set<String> shapes) throws Exception {
        Class<?> sdkField = Class.forName("software.amazon.awssdk.core.SdkField", false, jar);
        Supplier<?> constructor = (Supplier<?>) sdkField.getMethod("constructor").invoke(field);
        if (constructor != null) {
            Object shape = constructor.get();
            if (shapes.add(shape.getClass().getName().replaceAll("\\$.*", ""))) {
                walkShape(shape, jar, shapes);
            }
        }
        for (String[] trait : new String[][] {{"ListTrait", "memberFieldInfo"}, {"MapTrait", "valueFieldInfo"}}) {
            Class<?> type = Class.forName("software.amazon.awssdk.core.traits." + trait[0], false, jar);
            Object found = sdkField.getMethod("getTrait", Class.class).invoke(field, type);
            if (found != null) {
                walkField(type.getMethod(trait[1]).invoke(found), jar, shapes);
            }
        }
    }

    /**
     * The shaded jar must still run Calcite: its parser, validator and error messages (resource bundles, service
     * files) are loaded from the production jar, not from Maven's class path.
     */
    @Test
    void shouldTypeExpressionsFromTheProductionJar() throws Exception {
        Path dir = Files.createTempDirectory("jar-expressions");
        Path schema = Path.of("schemas/claim.avsc").toAbsolutePath();
        String good = config(schema, "amount * 100", "status <> 'rejected'",
                "UPPER(currency) = 'EUR' AND amount BETWEEN 10 AND 1000000");
        String bad = config(schema, "amount * quantity", "status <> 'rejected'", "amount > 1000");
        Files.writeString(dir.resolve("good.yaml"), good);
        Files.writeString(dir.resolve("bad.yaml"), bad);

        Process ok = validate(dir.resolve("good.yaml"));
        String okOutput = new String(ok.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ok.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(ok.exitValue()).as(okOutput).isZero();

        Process refused = validate(dir.resolve("bad.yaml"));
        String refusedOutput = new String(refused.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(refused.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(refused.exitValue()).as(refusedOutput).isNotZero();
        assertThat(refusedOutput).contains("pipelines[0].derive[0].expr").contains("quantity");
    }

    private static Process validate(Path config) throws IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", PRODUCTION_JAR.toString(), "validate", "--config", config.toString())
                .redirectErrorStream(true).start();
    }

    private static String config(Path schema, String derive, String filter, String when) {
        return """
                application: { id: jar-expressions }
                kafka: { bootstrap.servers: "localhost:9" }
                registry: { type: local }
                lake: { store: local }
                catalog: { type: local, database: jar_expressions }
                pipelines:
                  - name: claims
                    source: { topics: [claims.raw], format: json }
                    schema: %s
                    key: account_id
                    event-time: { field: claim_ts, format: iso-8601 }
                    fields: { account_id: $.account.id, claim_id: $.claimId, amount: $.amount, currency: $.currency,
                              status: $.status, claim_ts: $.claimTs }
                    derive: [ { name: amount_cents, expr: "%s" } ]
                    filter: "%s"
                    landing: { table: claims, window: 100s }
                    aggregations:
                      - name: by_account
                        group-by: [account_id]
                        window: { size: 100s }
                        measures:
                          - { name: big, fn: count, where: "amount_cents > 100000" }
                          - { name: cents, fn: sum, expr: "amount_cents * 2" }
                    alerts:
                      rules:
                        - { name: big_eur, when: "%s" }
                """.formatted(schema, derive, filter, when);
    }

    static List<String> entries(Path jar) throws IOException {
        assertThat(jar).as("%s is built by `mvn package`", jar).exists();
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(ZipEntry::getName).toList();
        }
    }
}
