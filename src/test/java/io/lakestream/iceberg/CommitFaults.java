package io.lakestream.iceberg;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.LocationProvider;

/**
 * A catalog whose tables' commits fail as a real catalog's can: {@code conflicts} commits are refused as if another
 * writer had committed first, and {@code unknown} commits succeed but answer as if the connection broke before the
 * answer arrived.
 */
final class CommitFaults extends FailingCatalog {

    final AtomicInteger conflicts = new AtomicInteger();
    final AtomicInteger unknown = new AtomicInteger();

    CommitFaults(Catalog delegate) {
        super(delegate, new AtomicInteger());
    }

    @Override
    public org.apache.iceberg.Table loadTable(TableIdentifier identifier) {
        org.apache.iceberg.Table table = super.loadTable(identifier);
        return new BaseTable(new Ops(((HasTableOperations) table).operations()), table.name());
    }

    private final class Ops implements TableOperations {
        private final TableOperations delegate;

        Ops(TableOperations delegate) {
            this.delegate = delegate;
        }

        @Override
        public TableMetadata current() {
            return delegate.current();
        }

        @Override
        public TableMetadata refresh() {
            return delegate.refresh();
        }

        @Override
        public void commit(TableMetadata base, TableMetadata metadata) {
            if (conflicts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new CommitFailedException("injected: another writer committed first");
            }
            delegate.commit(base, metadata);
            if (unknown.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new CommitStateUnknownException(new RuntimeException("injected: no answer after the commit"));
            }
        }

        @Override
        public FileIO io() {
            return delegate.io();
        }

        @Override
        public String metadataFileLocation(String fileName) {
            return delegate.metadataFileLocation(fileName);
        }

        @Override
        public LocationProvider locationProvider() {
            return delegate.locationProvider();
        }
    }
}
