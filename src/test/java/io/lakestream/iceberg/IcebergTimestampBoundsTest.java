package io.lakestream.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakestream.sink.LandingEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.SnapshotChanges;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifest bounds of a committed file's timestamp column are microseconds, as every engine reads them: a scan
 * filtered on event time finds the file (with millisecond bounds it was pruned, and the query answered no rows).
 */
class IcebergTimestampBoundsTest {

    @TempDir
    Path lake;
    private IcebergCatalogs.Opened catalog;
    private Table table;

    @BeforeEach
    void commitOneFile() {
        catalog = IcebergCatalogs.local(lake);
        IcebergCommitter committer = new IcebergCommitter(catalog.catalog(), catalog.io(), IcebergFixtures.DATABASE,
                IcebergFixtures.formats(IcebergFixtures.hour()), t -> IcebergFixtures.tableLocation(lake));
        // offsets 0..9: event times 10:00:00 to 10:00:09
        LandingEvent landed = IcebergFixtures.land(lake, IcebergFixtures.V1, 0, 9);
        committer.commit(IcebergFixtures.TABLE, List.of(new IcebergCommitter.Landing(0, 1, landed)));
        table = catalog.catalog().loadTable(TableIdentifier.of(IcebergFixtures.DATABASE, IcebergFixtures.TABLE));
    }

    @AfterEach
    void close() throws Exception {
        catalog.close();
    }

    @Test
    void shouldRecordTimestampBoundsInMicroseconds() {
        Types.NestedField claimTs = table.schema().findField("claim_ts");
        DataFile file = SnapshotChanges.builderFor(table).snapshot(table.currentSnapshot()).build().addedDataFiles()
                .iterator().next();

        long lower = Conversions.fromByteBuffer(claimTs.type(), file.lowerBounds().get(claimTs.fieldId()));
        long upper = Conversions.fromByteBuffer(claimTs.type(), file.upperBounds().get(claimTs.fieldId()));

        assertThat(lower).isEqualTo(IcebergFixtures.HOUR_10 * 1000);
        assertThat(upper).isEqualTo((IcebergFixtures.HOUR_10 + 9_000) * 1000);
    }

    @Test
    void shouldPlanTheFileForAScanFilteredOnItsEventTimesAndNotForOtherTimes() throws IOException {
        assertThat(planned(Expressions.and(Expressions.greaterThanOrEqual("claim_ts", "2024-05-01T10:00:00+00:00"),
                Expressions.lessThan("claim_ts", "2024-05-01T10:01:00+00:00")))).hasSize(1);
        assertThat(planned(Expressions.equal("claim_ts", "2024-05-01T10:00:05+00:00"))).hasSize(1);
        assertThat(planned(Expressions.lessThan("claim_ts", "2024-05-01T09:00:00+00:00"))).isEmpty();
        assertThat(planned(Expressions.greaterThan("claim_ts", "2024-05-01T10:00:09+00:00"))).isEmpty();
    }

    private List<String> planned(Expression filter) throws IOException {
        List<String> files = new ArrayList<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().filter(filter).planFiles()) {
            tasks.forEach(t -> files.add(t.file().location()));
        }
        return files;
    }
}
