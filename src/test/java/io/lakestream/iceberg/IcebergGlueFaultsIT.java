package io.lakestream.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakestream.config.CatalogConfig;
import io.lakestream.config.ConfigLoader;
import io.lakestream.config.FileFormat;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.iceberg.IcebergCommitter.Landing;
import io.lakestream.sink.LandingEvent;
import io.lakestream.sink.format.FormatWriter;
import io.lakestream.testing.FaultProxy;
import io.lakestream.testing.MotoExtension;
import io.lakestream.testing.MotoServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Glue faults during an Iceberg commit (moto behind a fault-injecting proxy): throttling and concurrent-modification
 * answers to the commit's UpdateTable are retried, and a commit that failed for good is retried by the next batch
 * without committing a file twice.
 */
@ExtendWith(MotoExtension.class)
class IcebergGlueFaultsIT {

    private static final String BUCKET = "iceberg-faults";
    private FaultProxy proxy;
    private IcebergCatalogs.Opened catalog;
    private IcebergCommitter committer;
    private MotoServer moto;
    private long offset;

    @BeforeEach
    void start(MotoServer moto) {
        this.moto = moto;
        moto.clients().s3().createBucket(b -> b.bucket(BUCKET));
        proxy = FaultProxy.start(moto.endpoint());
        LakestreamConfig base = ConfigLoader.load(Path.of("config/claims.yaml"), Map.of("LAKE_STORE", "s3",
                "LAKE_BUCKET", BUCKET, "AWS_ENDPOINT_URL", moto.endpoint().toString(), "LAKE_TABLE_FORMAT", "iceberg",
                "CATALOG_TYPE", "glue"));
        LakestreamConfig cfg = new LakestreamConfig(base.application(), base.kafka(), base.registry(), base.lake(),
                new CatalogConfig("glue", IcebergFixtures.DATABASE, MotoServer.REGION, proxy.endpoint()), base.http(),
                base.pipelines(), IcebergFixtures.formats(IcebergFixtures.hour()));
        moto.clients().glue().createDatabase(r -> r.databaseInput(d -> d.name(IcebergFixtures.DATABASE)));
        catalog = IcebergCatalogs.open(cfg);
        committer = new IcebergCommitter(catalog.catalog(), catalog.io(), IcebergFixtures.DATABASE, cfg.tableFormats(),
                t -> "s3://" + BUCKET + "/lakestream/" + t, IcebergFixtures.LANDINGS, IcebergFixtures.health(),
                attempt -> { });
        committer.commit(IcebergFixtures.TABLE, List.of(upload(0, 4)));
    }

    @AfterEach
    void stop() throws Exception {
        catalog.close();
        proxy.close();
    }

    /** Writes a file of rows [first, last] to S3 as the sink would and returns its landing. */
    private Landing upload(long first, long last) {
        String key = "lakestream/claims/data/claim_ts_hour=2024-05-01-10/" + IcebergFixtures.HOUR_10 + "-raw-0-" + first
                + ".parquet";
        byte[] content = FormatWriter.of(FileFormat.PARQUET, "snappy").write(IcebergFixtures.V1,
                IcebergFixtures.rows(IcebergFixtures.V1, first, last));
        moto.clients().s3().putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromBytes(content));
        return new Landing(0, offset++, new LandingEvent(IcebergFixtures.TABLE, Map.of("claim_ts_hour",
                "2024-05-01-10"), key, "s3://" + BUCKET + "/" + key, last - first + 1, "raw", 0, first, last,
                IcebergFixtures.HOUR_10, IcebergFixtures.HOUR_10 + 100_000, false));
    }

    private Table table() {
        return catalog.catalog().loadTable(TableIdentifier.of(IcebergFixtures.DATABASE, IcebergFixtures.TABLE));
    }

    private List<Long> offsets() {
        return IcebergRows.rows(table()).stream().map(r -> (Long) r.getField("_source_offset")).sorted().toList();
    }

    @Test
    void shouldRetryACommitThatGlueThrottles() {
        FaultProxy.Rule throttled = proxy.glueError(FaultProxy.glue("UpdateTable"), 2, 400, "ThrottlingException");

        assertThat(committer.commit(IcebergFixtures.TABLE, List.of(upload(5, 9)))).isEqualTo(1);

        assertThat(throttled.injected()).isEqualTo(2);
        assertThat(offsets()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    }

    @Test
    void shouldRetryACommitThatGlueRejectsAsConcurrentModification() {
        FaultProxy.Rule conflict = proxy.glueError(FaultProxy.glue("UpdateTable"), 2, 400,
                "ConcurrentModificationException");

        assertThat(committer.commit(IcebergFixtures.TABLE, List.of(upload(5, 9)))).isEqualTo(1);

        assertThat(conflict.injected()).isEqualTo(2);
        assertThat(offsets()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(table().snapshots()).hasSize(2);
    }

    @Test
    void shouldCommitAFileOnceWhenAFailedCommitIsRetriedByTheNextBatch() {
        Landing pending = upload(5, 9);
        proxy.glueError(FaultProxy.glue("UpdateTable"), FaultProxy.ALWAYS, 500, "InternalServiceException");
        assertThatThrownBy(() -> committer.commit(IcebergFixtures.TABLE, List.of(pending)));
        proxy.clear();

        // The next interval: the same pending landing plus a replayed announcement of the first file.
        committer.commit(IcebergFixtures.TABLE, List.of(pending, upload(10, 12)));

        assertThat(offsets()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
        assertThat(IcebergRows.files(table())).doesNotHaveDuplicates().hasSize(3);
    }
}
