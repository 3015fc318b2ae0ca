package io.lakestream.sink;

import io.lakestream.config.LandingConfig;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/** Picks a record's table from its routing field: the table listed for the field's text, else the default. */
final class TableRouter {

    private final LandingConfig.RouteBy routeBy;
    private final String defaultTable;
    private final String field;

    TableRouter(LandingConfig.RouteBy routeBy, String defaultTable, Schema schema) {
        this.routeBy = routeBy;
        this.defaultTable = defaultTable;
        if (schema.getField(routeBy.field()) == null) {
            throw new IllegalArgumentException("route-by field " + routeBy.field() + " not in " + schema.getFullName());
        }
        this.field = routeBy.field();
    }

    String table(GenericRecord record) {
        Object value = record.get(field);
        return value == null ? defaultTable : routeBy.tables().getOrDefault(value.toString(), defaultTable);
    }
}
