package io.lakestream.runtime;

import io.lakestream.config.LakestreamConfig;
import io.lakestream.port.Ports;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;

/**
 * What must hold before Kafka Streams starts, beyond a valid config: changes since the last run that would corrupt
 * the lake silently are refused here, each with a message saying what changed and the ways forward.
 */
final class StartupChecks {

    private StartupChecks() {
    }

    /** @throws IllegalStateException when a schema change is incompatible or a window definition changed */
    static void verify(Admin admin, LakestreamConfig config, Map<String, Schema> schemas, Ports ports)
            throws InterruptedException {
        SchemaChangeCheck.verify(config, schemas, ports);
        DefinitionsCheck.verify(admin, config);
    }
}
