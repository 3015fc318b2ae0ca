package io.lakestream.runtime;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakestream.catalog.InMemoryCatalog;
import io.lakestream.catalog.TableDefinition;
import io.lakestream.config.ConfigLoader;
import io.lakestream.config.FileFormat;
import io.lakestream.config.LakestreamConfig;
import io.lakestream.port.Ports;
import io.lakestream.registry.InMemoryRegistry;
import io.lakestream.sink.InMemoryObjectStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * At start the configured schema is compared with the registered versions and the catalog table: the adversarial
 * change (amount decimal(12,2) → double) and a registry-compatible change the table cannot take are refused.
 */
class SchemaChangeCheckTest {

    private final LakestreamConfig config = ConfigLoader.load(Path.of("config/claims.yaml"), Map.of());
    private final Schema claim = Schemas.load(config).get("claims");
    private final InMemoryRegistry registry = new InMemoryRegistry();
    private final InMemoryCatalog catalog = new InMemoryCatalog();
    private final Ports ports = new Ports(registry, new InMemoryObjectStore(), catalog, new SimpleMeterRegistry());

    private Schema withAmount(String type) {
        return new Schema.Parser().parse(claim.toString().replaceFirst(
                "\\{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":12,\"scale\":2}", type));
    }

    @Test
    void shouldRefuseAnIncompatibleSchemaNamingFieldTypesModeAndWaysForward() {
        registry.schemaVersionId("claims.normalized", claim);

        assertThatThrownBy(() -> SchemaChangeCheck.verify(config, Map.of("claims", withAmount("\"double\"")), ports))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the configured schema is an incompatible change: pipelines[0].schema"
                        + " (claim.avsc): schema claims.normalized is not BACKWARD compatible with its registered"
                        + " versions: field amount changed from decimal(12,2) to double")
                .hasMessageContaining("(registry.compatibility: BACKWARD)")
                .hasMessageContaining("Ways forward: keep the registered schema");
        assertThatCode(() -> SchemaChangeCheck.verify(config, Map.of("claims", claim), ports))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseACompatibleChangeTheCatalogColumnCannotTake() {
        Schema intAmount = withAmount("\"int\"");
        Schema longAmount = withAmount("\"long\"");
        registry.schemaVersionId("claims.normalized", intAmount);
        catalog.ensureTable(new TableDefinition("claims_lake", "claims", List.of(
                new TableDefinition.Column("claim_id", "string", null),
                new TableDefinition.Column("amount", "int", null)), List.of("dt", "hour"), FileFormat.PARQUET, "x"));

        assertThatThrownBy(() -> SchemaChangeCheck.verify(config, Map.of("claims", longAmount), ports))
                .hasMessageContaining("pipelines[0].schema (claim.avsc): column amount of table claims is int in"
                        + " the catalog and would become bigint: the files already in the table hold int")
                .hasMessageNotContaining("not BACKWARD compatible");
    }
}
