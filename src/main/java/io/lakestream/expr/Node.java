package io.lakestream.expr;

import org.apache.avro.generic.GenericRecord;

/**
 * One compiled node of an expression tree. Values are in the node's SQL type's Java form ({@link Repr}); null is
 * SQL NULL. Nodes are immutable (a column's schema binding aside) and shared between stream threads.
 */
@FunctionalInterface
interface Node {

    Object eval(GenericRecord record);
}
