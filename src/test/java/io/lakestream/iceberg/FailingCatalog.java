package io.lakestream.iceberg;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;

/** A catalog whose table loads fail a given number of times first, as a catalog outage would. */
class FailingCatalog implements Catalog {
    private final Catalog delegate;
    private final AtomicInteger failures;

    FailingCatalog(Catalog delegate, AtomicInteger failures) {
        this.delegate = delegate;
        this.failures = failures;
    }

    @Override
    public Table loadTable(TableIdentifier identifier) {
        if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("injected catalog failure");
        }
        return delegate.loadTable(identifier);
    }

    @Override
    public List<TableIdentifier> listTables(Namespace namespace) {
        return delegate.listTables(namespace);
    }

    @Override
    public boolean dropTable(TableIdentifier identifier, boolean purge) {
        return delegate.dropTable(identifier, purge);
    }

    @Override
    public void renameTable(TableIdentifier from, TableIdentifier to) {
        delegate.renameTable(from, to);
    }

    @Override
    public Catalog.TableBuilder buildTable(TableIdentifier identifier, Schema schema) {
        return delegate.buildTable(identifier, schema);
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public void initialize(String name, Map<String, String> properties) {
    }
}
