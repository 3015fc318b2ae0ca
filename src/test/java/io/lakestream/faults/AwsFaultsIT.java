package io.lakestream.faults;

import static io.lakestream.testing.FaultProxy.ALWAYS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakestream.aws.S3ObjectStore;
import io.lakestream.demo.SampleClaims;
import io.lakestream.embedded.EmbeddedKafka;
import io.lakestream.port.ObjectStore;
import io.lakestream.runtime.LakestreamApp;
import io.lakestream.testing.AppUnderTest;
import io.lakestream.testing.EmbeddedKafkaExtension;
import io.lakestream.testing.FaultProxy;
import io.lakestream.testing.LandedOffsets;
import io.lakestream.testing.MotoExtension;
import io.lakestream.testing.MotoServer;
import io.lakestream.testing.RawProducer;
import io.lakestream.testing.RawProducer.Raw;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real application against moto behind a {@link FaultProxy}: each transient S3, Glue and schema-registry fault is
 * retried and the lake still holds every valid source offset exactly once; each fatal misconfiguration stops the
 * application quickly with a message saying what to fix.
 *
 * <p>Which retry each test relies on: S3 5xx, SlowDown and resets, and Glue throttling, are retried by the AWS SDK
 * (standard mode, 3 attempts); Glue throttling beyond that and ConcurrentModificationException by
 * {@code GlueRetry}. Run with {@code -Daws.maxAttempts=1} to take the SDK's retries away: the S3 tests then fail.
 */
@ExtendWith({EmbeddedKafkaExtension.class, MotoExtension.class})
class AwsFaultsIT {

    private static final String TABLE_PREFIX = "lakestream/claims/";
    private static final Duration CAUGHT_UP = Duration.ofSeconds(60);
    private static final AtomicInteger RUN = new AtomicInteger();
    private EmbeddedKafka kafka;

    @TempDir
    Path tmp;
    private FaultProxy proxy;
    private MotoServer moto;
    private final List<AppUnderTest> apps = new ArrayList<>();
    private String bucket;
    private String topic;
    private String appId;

    @BeforeEach
    void startProxy(EmbeddedKafka broker, MotoServer moto) {
        this.kafka = broker;
        this.moto = moto;
        int run = RUN.incrementAndGet();
        bucket = "faults-" + run;
        topic = "raw." + run;
        appId = "faults-" + run;
        kafka.createTopics(1, topic);
        proxy = FaultProxy.start(moto.endpoint());
    }

    @AfterEach
    void stop() {
        apps.forEach(AppUnderTest::close);
        proxy.close();
    }

    // ---- S3 -----------------------------------------------------------------------------------------------

    @Test
    void shouldLandExactlyOnceWhenS3PutAnswersInternalError() throws Exception {
        FaultProxy.Rule rule = proxy.s3Error(FaultProxy.s3PutObject(), 2, 500, "InternalError");

        landClaimsExactlyOnce();

        assertThat(rule.injected()).isEqualTo(2);
    }

    @Test
    void shouldLandExactlyOnceWhenS3PutAnswersSlowDown() throws Exception {
        FaultProxy.Rule rule = proxy.s3Error(FaultProxy.s3PutObject(), 2, 503, "SlowDown");

        landClaimsExactlyOnce();

        assertThat(rule.injected()).isEqualTo(2);
    }

    @Test
    void shouldLandExactlyOnceWhenS3PutConnectionsAreResetBeforeAndAfterTheWrite() throws Exception {
        // Before: the PUT never arrives. After: it created the object and only the answer is lost, so the retry
        // meets If-None-Match and the object of the lost answer must be recognised as this flush's own.
        FaultProxy.Rule before = proxy.reset(FaultProxy.s3PutObject(), 1, false);
        FaultProxy.Rule after = proxy.reset(FaultProxy.s3PutObject(), 1, true);

        landClaimsExactlyOnce();

        assertThat(before.injected()).isEqualTo(1);
        assertThat(after.injected()).isEqualTo(1);
    }

    @Test
    void shouldLandExactlyOnceWhenEveryMultipartStepFailsOnce() throws Exception {
        List<FaultProxy.Rule> rules = List.of(
                proxy.s3Error(FaultProxy.s3CreateMultipartUpload(), 1, 500, "InternalError"),
                proxy.reset(FaultProxy.s3UploadPart(), 1, false),
                proxy.s3Error(FaultProxy.s3UploadPart(), 1, 503, "SlowDown"),
                proxy.reset(FaultProxy.s3CompleteMultipartUpload(), 1, true));
        LakestreamApp app = start(createBucket());

        // 64 claims of ~100 KiB in one window: one object of ~6.4 MiB, above the 5 MiB threshold, in two parts.
        List<String> offsets = produce(bigClaims(64, 100 << 10));
        app.awaitCaughtUp(CAUGHT_UP);

        LandedOffsets.assertExactlyOnce(store(), TABLE_PREFIX, offsets);
        assertThat(rules).allSatisfy(r -> assertThat(r.injected()).as(r.toString()).isEqualTo(1));
        assertThat(proxy.count(FaultProxy.s3PutObject())).as("nothing went up in a single PUT").isZero();
    }

    // ---- Glue Data Catalog ----------------------------------------------------------------------------------

    @Test
    void shouldLandAndCatalogWhenGlueThrottlesCreateTableAndBatchCreatePartition() throws Exception {
        // Four in a row outlast the SDK's three attempts: GlueRetry must take over for the rest.
        FaultProxy.Rule table = proxy.glueError(FaultProxy.glue("CreateTable"), 4, 400, "ThrottlingException");
        FaultProxy.Rule partitions = proxy.glueError(FaultProxy.glue("BatchCreatePartition"), 4, 400,
                "ThrottlingException");

        landClaimsExactlyOnce();

        assertThat(table.injected()).isEqualTo(4);
        assertThat(partitions.injected()).isEqualTo(4);
        assertCatalogHasEveryPartitionWithObjects();
    }

    @Test
    void shouldLandAndCatalogWhenGlueReportsConcurrentModification() throws Exception {
        FaultProxy.Rule table = proxy.glueError(FaultProxy.glue("CreateTable"), 2, 400,
                "ConcurrentModificationException");
        FaultProxy.Rule partitions = proxy.glueError(FaultProxy.glue("BatchCreatePartition"), 2, 400,
                "ConcurrentModificationException");

        landClaimsExactlyOnce();

        assertThat(table.injected()).isEqualTo(2);
        assertThat(partitions.injected()).isEqualTo(2);
        assertCatalogHasEveryPartitionWithObjects();
    }

    // ---- Glue Schema Registry -------------------------------------------------------------------------------

    @Test
    void shouldFailFastNamingTheRegistryEndpointWhenTheRegistryIsUnreachableAtStartThenStartOnceItIsBack()
            throws Exception {
        createBucket();
        proxy.refuse();
        AppUnderTest down = app();

        Instant started = Instant.now();
        assertThatThrownBy(down::start)
                .hasMessageContaining("cannot reach the Glue Schema Registry")
                .hasMessageContaining(proxy.endpoint().toString())
                .hasMessageContaining("registry.endpoint");
        assertThat(Duration.between(started, Instant.now())).as("fails fast").isLessThan(Duration.ofSeconds(20));

        proxy.accept();
        landClaimsExactlyOnce();
    }

    @Test
    void shouldKeepLandingRecordsOfAKnownSchemaWhileTheRegistryIsUnreachable() throws Exception {
        LakestreamApp app = start(createBucket());
        List<String> offsets = new ArrayList<>(produceValid(SampleClaims.generate(60, 150, 3)));
        app.awaitCaughtUp(CAUGHT_UP);
        long registryCallsWhileUp = proxy.count(FaultProxy.schemaRegistry());

        // From now on every registry call is cut off; S3 and the Data Catalog stay reachable.
        FaultProxy.Rule down = proxy.reset(FaultProxy.schemaRegistry(), ALWAYS, false);
        List<SampleClaims.Claim> later = SampleClaims.generate(60, 150, 4).stream()
                .map(c -> new SampleClaims.Claim(c.key(), shiftHours(c.value()), c.kind(), c.eventTimeMillis()))
                .toList();
        offsets.addAll(produceValid(later));
        app.awaitCaughtUp(CAUGHT_UP);

        LandedOffsets.assertExactlyOnce(store(), TABLE_PREFIX, offsets);
        assertThat(registryCallsWhileUp).as("the registry was used while it was up").isPositive();
        assertThat(down.injected()).as("serialization used the cached schema version id").isZero();
        assertThat(store().list(TABLE_PREFIX)).anyMatch(k -> k.contains("/hour=12/"));
    }

    @Test
    void shouldStopNamingTheRegistryWhenItIsUnreachableForTheFirstRecordOfASchema() throws Exception {
        // Without create-registry nothing calls the registry at start; the first record of a schema needs its
        // version id, and with no cached id and no registry that record cannot be written.
        moto.clients().glue().createRegistry(b -> b.registryName("lakestream"));
        proxy.reset(FaultProxy.schemaRegistry(), ALWAYS, false);
        createBucket();
        LakestreamApp app = start(app("create-registry: false, "));
        produce(claims(SampleClaims.generate(30, 100, 8)));

        assertStopsWith(app, "Glue Schema Registry at " + proxy.endpoint() + " failed to serialize a record of topic"
                + " 'faults.normalized'", "check registry.endpoint");
    }

    // ---- fatal misconfiguration -----------------------------------------------------------------------------

    @Test
    void shouldStopQuicklyNamingThePermissionWhenS3DeniesThePut() throws Exception {
        proxy.s3Error(FaultProxy.s3PutObject(), ALWAYS, 403, "AccessDenied");
        LakestreamApp app = start(createBucket());
        produce(claims(SampleClaims.generate(30, 100, 5)));

        assertStopsWith(app, "access denied (AccessDenied) on write of s3://" + bucket + "/", "s3:PutObject");
    }

    @Test
    void shouldStopQuicklyNamingTheBucketWhenItDoesNotExist() throws Exception {
        LakestreamApp app = start(app());
        produce(claims(SampleClaims.generate(30, 100, 6)));

        assertStopsWith(app, "bucket '" + bucket + "' does not exist", "lake.bucket");
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private void assertStopsWith(LakestreamApp app, String... fragments) {
        Instant started = Instant.now();
        assertThatThrownBy(() -> app.awaitCaughtUp(CAUGHT_UP))
                .isInstanceOf(IllegalStateException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(fragments));
        assertThat(Duration.between(started, Instant.now())).as("stops within a bounded time")
                .isLessThan(Duration.ofSeconds(30));
        assertThat(app.state()).isIn(KafkaStreams.State.ERROR, KafkaStreams.State.PENDING_ERROR);
    }

    /** Lands 60 sample claims (some malformed) through the faults in place and checks the lake. */
    private void landClaimsExactlyOnce() throws Exception {
        LakestreamApp app = start(bucketExists() ? app() : createBucket());
        List<String> offsets = produceValid(SampleClaims.generate(60, 150, 1));
        app.awaitCaughtUp(CAUGHT_UP);
        LandedOffsets.assertExactlyOnce(store(), TABLE_PREFIX, offsets);
    }

    private boolean bucketExists() {
        return moto.clients().s3().listBuckets().buckets().stream().anyMatch(b -> b.name().equals(bucket));
    }

    private AppUnderTest createBucket() {
        moto.clients().s3().createBucket(b -> b.bucket(bucket));
        return app();
    }

    private AppUnderTest app() {
        return app("");
    }

    /** @param registrySettings more settings of the registry section, e.g. {@code create-registry: false, } */
    private AppUnderTest app(String registrySettings) {
        AppUnderTest app = AppUnderTest.parse("""
                application: { id: %s, state-dir: "%s", commit-interval: 200ms }
                kafka: { bootstrap.servers: "%s" }
                registry: { %stype: glue, region: us-east-1, endpoint: "%s", registry-name: lakestream }
                lake:
                  store: s3
                  bucket: %s
                  prefix: lakestream/
                  region: us-east-1
                  endpoint: "%s"
                  compression: none
                  multipart-threshold: 5MiB
                catalog: { type: glue, database: faults_lake, region: us-east-1, endpoint: "%s" }
                http: { port: 0 }
                pipelines:
                  - name: faults
                    source: { topics: [%s], format: json }
                    schema: claim.avsc
                    key: account_id
                    event-time: { field: claim_ts, format: iso-8601 }
                    fields: { account_id: $.account.id, claim_id: $.claimId, claim_ts: $.claimTs,
                              adjuster: $.adjuster.name }
                    landing: { table: claims, window: 100s, grace: 30s, partition-by: [dt, hour] }
                """.formatted(appId, tmp.resolve("state-" + apps.size()), kafka.bootstrapServers(), registrySettings,
                proxy.endpoint(), bucket, proxy.endpoint(), proxy.endpoint(), topic), Path.of("schemas"));
        apps.add(app);
        return app;
    }

    private static LakestreamApp start(AppUnderTest app) throws Exception {
        return app.start();
    }

    /** An object store on moto directly, not through the proxy, for reading the lake back. */
    private ObjectStore store() {
        return new S3ObjectStore(moto.clients().s3(), bucket, S3ObjectStore.Options.defaults());
    }

    private void assertCatalogHasEveryPartitionWithObjects() {
        var glue = moto.clients().glue();
        List<List<String>> partitions = glue.getPartitionsPaginator(r -> r.databaseName("faults_lake")
                        .tableName("claims")).stream().flatMap(p -> p.partitions().stream())
                .map(p -> p.values()).toList();
        List<List<String>> withObjects = store().list(TABLE_PREFIX).stream().map(k -> k.split("/"))
                .map(s -> List.of(s[2].substring(3), s[3].substring(5))).distinct().toList();
        assertThat(partitions).containsExactlyInAnyOrderElementsOf(withObjects);
    }

    private List<String> produce(List<Raw> records) {
        return RawProducer.send(kafka.bootstrapServers(), topic, records);
    }

    /** Produces every claim and returns the coordinates of the valid ones. */
    private List<String> produceValid(List<SampleClaims.Claim> claims) {
        List<String> coordinates = produce(claims(claims));
        List<String> valid = new ArrayList<>();
        for (int i = 0; i < claims.size(); i++) {
            if (claims.get(i).valid()) {
                valid.add(coordinates.get(i));
            }
        }
        return valid;
    }

    private static List<Raw> claims(List<SampleClaims.Claim> claims) {
        return claims.stream().map(c -> new Raw(c.key().getBytes(StandardCharsets.UTF_8), c.value())).toList();
    }

    /** Claims dated two hours after the sample ones (10:45 → 12:45), so they land in windows of their own. */
    private static byte[] shiftHours(byte[] claim) {
        return new String(claim, StandardCharsets.UTF_8).replace("T10:", "T12:").replace("T11:", "T13:")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Valid claims in one landing window (10:46:40-10:48:20), each with an incompressible adjuster name of {@code bytes} bytes. */
    private static List<Raw> bigClaims(int count, int bytes) {
        Random random = new Random(9);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        List<Raw> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder name = new StringBuilder(bytes);
            for (int j = 0; j < bytes; j++) {
                name.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String json = "{\"account\":{\"id\":\"A-1\"},\"claimId\":\"C-" + i + "\",\"amount\":\"10.00\","
                    + "\"currency\":\"EUR\",\"status\":\"OPEN\",\"claimTs\":\"2024-05-01T10:47:"
                    + String.format(java.util.Locale.ROOT, "%02d", i % 60) + "Z\",\"adjuster\":{\"name\":\"" + name + "\"}}";
            out.add(new Raw("A-1".getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }
}
