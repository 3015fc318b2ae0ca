package io.lakestream.sink.format;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * Writes {@link BinaryRow}s into Parquet's record consumer straight from their Avro binary encoding: no Avro datum
 * is built and no value is looked up by class. The file is the one parquet-avro's {@code AvroWriteSupport} writes
 * for the same table schema and values: the same Parquet schema (from parquet-avro's own converter, with the
 * writer's configuration), the same calls to the record consumer in the same order (a null is no call, lists have
 * three levels), and the Avro schema in the footer under the key parquet-avro reads.
 *
 * <p>{@link #layout} decides once per table schema whether its types are covered: booleans, ints, longs, floats,
 * doubles, strings, bytes, fixed (decimals of both kinds, dates, times and timestamps are these underneath), enums,
 * records, arrays, and unions of one type with null. Maps are not: parquet-avro writes a map in the iteration order
 * of the {@code HashMap} the Avro reader builds, not in the order of the encoding. Nor are unions of several types.
 */
final class AvroBinaryWriteSupport extends WriteSupport<BinaryRow> {

    /** The footer key under which parquet-avro writes the Avro schema, and its readers look for it. */
    private static final String AVRO_SCHEMA_KEY = "parquet.avro.schema";

    /** One value of a field, list element or nested record, read from the cursor and added to the consumer. */
    private interface Value {
        void write(AvroBinaryCursor in, RecordConsumer out);
    }

    /**
     * A field or list element: its Parquet name and index, the branch of its union that is null (-1: not a union),
     * and its value.
     */
    private record Slot(String name, int index, int nullBranch, Value value) {
        void write(AvroBinaryCursor in, RecordConsumer out) {
            if (nullBranch >= 0 && in.readInt() == nullBranch) {
                return;
            }
            out.startField(name, index);
            value.write(in, out);
            out.endField(name, index);
        }
    }

    /** How rows of one table schema are written: the Parquet schema, the data fields and the trailing columns. */
    static final class Layout {
        private final MessageType type;
        private final Slot[] fields;
        private final String[] trailing;
        private final Map<String, String> metadata;

        private Layout(MessageType type, Slot[] fields, String[] trailing, Schema table) {
            this.type = type;
            this.fields = fields;
            this.trailing = trailing;
            this.metadata = Map.of(AVRO_SCHEMA_KEY, table.toString());
        }

        MessageType type() {
            return type;
        }
    }

    /** A type the binary path does not write; the schema is then written through parquet-avro. */
    private static final class Unsupported extends Exception {
        Unsupported(String message) {
            super(message, null, false, false);
        }
    }

    private final Layout layout;
    private final AvroBinaryCursor cursor = new AvroBinaryCursor();
    private final Trailing trailing = new Trailing();
    private RecordConsumer out;

    AvroBinaryWriteSupport(Layout layout) {
        this.layout = layout;
    }

    /**
     * The layout of {@code table}, whose first fields are those of {@code data}, followed by trailing columns of
     * primitive types; empty when a data field has a type this path does not cover.
     *
     * @param conf the configuration parquet-avro's writer gets, so that the Parquet schema is the one it derives
     */
    static Optional<Layout> layout(Schema table, Schema data, ParquetConfiguration conf) {
        MessageType type;
        try {
            type = new AvroSchemaConverter(conf).convert(table);
        } catch (RuntimeException e) {
            return Optional.empty(); // parquet-avro's writer reports it
        }
        int n = data.getFields().size();
        try {
            Slot[] fields = fields(type, table, n, new HashSet<>());
            List<Schema.Field> all = table.getFields();
            String[] trailing = new String[all.size() - n];
            for (int i = n; i < all.size(); i++) {
                Type t = type.getType(i);
                if (!t.isPrimitive() || !t.isRepetition(Type.Repetition.REQUIRED)) {
                    throw new Unsupported("trailing column " + t.getName() + " is not a required primitive");
                }
                trailing[i - n] = t.getName();
            }
            return Optional.of(new Layout(type, fields, trailing, table));
        } catch (Unsupported e) {
            return Optional.empty();
        }
    }

    private static Slot[] fields(GroupType group, Schema record, int count, Set<String> enclosing) throws Unsupported {
        if (!enclosing.add(record.getFullName())) {
            throw new Unsupported("recursive record " + record.getFullName());
        }
        Slot[] slots = new Slot[count];
        for (int i = 0; i < count; i++) {
            Schema.Field f = record.getFields().get(i);
            if (f.schema().getType() == Schema.Type.NULL) {
                // parquet-avro leaves null-typed fields out of the Parquet schema, shifting the indexes after them.
                throw new Unsupported("null-typed field " + f.name());
            }
            slots[i] = slot(group.getType(i), i, f.schema(), enclosing);
        }
        enclosing.remove(record.getFullName());
        return slots;
    }

    private static Slot slot(Type type, int index, Schema schema, Set<String> enclosing) throws Unsupported {
        int nullBranch = -1;
        Schema value = schema;
        if (schema.getType() == Schema.Type.UNION) {
            List<Schema> branches = schema.getTypes();
            if (branches.size() != 2 || branches.stream().noneMatch(b -> b.getType() == Schema.Type.NULL)) {
                throw new Unsupported("union " + schema + " is not one type or null");
            }
            nullBranch = branches.get(0).getType() == Schema.Type.NULL ? 0 : 1;
            value = branches.get(1 - nullBranch);
        }
        Type.Repetition expected = nullBranch >= 0 ? Type.Repetition.OPTIONAL : Type.Repetition.REQUIRED;
        if (!type.isRepetition(expected)) {
            throw new Unsupported(type.getName() + " is " + type.getRepetition() + ", expected " + expected);
        }
        return new Slot(type.getName(), index, nullBranch, value(type, value, enclosing));
    }

    private static Value value(Type type, Schema schema, Set<String> enclosing) throws Unsupported {
        return switch (schema.getType()) {
            case BOOLEAN -> primitive(type, PrimitiveTypeName.BOOLEAN, (in, out) -> out.addBoolean(in.readBoolean()));
            case INT -> primitive(type, PrimitiveTypeName.INT32, (in, out) -> out.addInteger(in.readInt()));
            case LONG -> primitive(type, PrimitiveTypeName.INT64, (in, out) -> out.addLong(in.readLong()));
            case FLOAT -> primitive(type, PrimitiveTypeName.FLOAT, (in, out) -> out.addFloat(in.readFloat()));
            case DOUBLE -> primitive(type, PrimitiveTypeName.DOUBLE, (in, out) -> out.addDouble(in.readDouble()));
            case STRING -> {
                if (type.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.UUIDLogicalTypeAnnotation) {
                    throw new Unsupported(type.getName() + " is written as a Parquet UUID");
                }
                yield primitive(type, PrimitiveTypeName.BINARY, (in, out) -> out.addBinary(in.readBinary()));
            }
            case BYTES -> primitive(type, PrimitiveTypeName.BINARY, (in, out) -> out.addBinary(in.readBinary()));
            case FIXED -> {
                int size = schema.getFixedSize();
                if (type.isPrimitive() && type.asPrimitiveType().getTypeLength() != size) {
                    throw new Unsupported(type.getName() + " is not fixed[" + size + "]");
                }
                yield primitive(type, PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY,
                        (in, out) -> out.addBinary(in.readFixed(size)));
            }
            case ENUM -> {
                Binary[] symbols = schema.getEnumSymbols().stream().map(Binary::fromString).toArray(Binary[]::new);
                yield primitive(type, PrimitiveTypeName.BINARY, (in, out) -> out.addBinary(symbols[in.readInt()]));
            }
            case RECORD -> {
                if (type.isPrimitive()) {
                    throw new Unsupported(type.getName() + " is not a group");
                }
                Slot[] fields = fields(type.asGroupType(), schema, schema.getFields().size(), enclosing);
                yield (in, out) -> {
                    out.startGroup();
                    for (Slot f : fields) {
                        f.write(in, out);
                    }
                    out.endGroup();
                };
            }
            case ARRAY -> list(type, schema, enclosing);
            default -> throw new Unsupported(type.getName() + " is an Avro " + schema.getType());
        };
    }

    private static Value primitive(Type type, PrimitiveTypeName expected, Value value) throws Unsupported {
        if (!type.isPrimitive() || type.asPrimitiveType().getPrimitiveTypeName() != expected) {
            throw new Unsupported(type.getName() + " is " + type + ", expected " + expected);
        }
        return value;
    }

    /** A three-level list: {@code group (LIST) { repeated group list { element } }}, empty lists without a level. */
    private static Value list(Type type, Schema schema, Set<String> enclosing) throws Unsupported {
        if (type.isPrimitive() || type.asGroupType().getFieldCount() != 1) {
            throw new Unsupported(type.getName() + " is not a three-level list");
        }
        Type repeated = type.asGroupType().getType(0);
        if (repeated.isPrimitive() || !repeated.isRepetition(Type.Repetition.REPEATED)
                || repeated.asGroupType().getFieldCount() != 1) {
            throw new Unsupported(type.getName() + " is not a three-level list");
        }
        String name = repeated.getName();
        Slot element = slot(repeated.asGroupType().getType(0), 0, schema.getElementType(), enclosing);
        return (in, out) -> {
            out.startGroup();
            long count = in.readBlockCount();
            if (count > 0) {
                out.startField(name, 0);
                do {
                    for (long i = 0; i < count; i++) {
                        out.startGroup();
                        element.write(in, out);
                        out.endGroup();
                    }
                    count = in.readBlockCount();
                } while (count > 0);
                out.endField(name, 0);
            }
            out.endGroup();
        };
    }

    @Override
    public WriteContext init(Configuration configuration) {
        return new WriteContext(layout.type, layout.metadata);
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
        return new WriteContext(layout.type, layout.metadata);
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        this.out = recordConsumer;
    }

    /** The data model named in the footer: the file is what parquet-avro writes, and readers take it as such. */
    @Override
    public String getName() {
        return "avro";
    }

    @Override
    public void write(BinaryRow row) {
        cursor.reset(row.bytes(), row.bodyOffset());
        out.startMessage();
        for (Slot f : layout.fields) {
            f.write(cursor, out);
        }
        if (!cursor.atEnd()) {
            throw new IllegalStateException("the record's Avro binary is longer than its schema says");
        }
        trailing.next = 0;
        row.addTrailing(trailing);
        if (trailing.next != layout.trailing.length) {
            throw new IllegalStateException("the row added " + trailing.next + " trailing values, expected "
                    + layout.trailing.length);
        }
        out.endMessage();
    }

    /** Adds the trailing columns, in order, after the data fields. */
    private final class Trailing implements BinaryRow.Columns {
        private int next;
        private String lastString;
        private Binary lastBinary;

        private int start() {
            int index = layout.fields.length + next;
            out.startField(layout.trailing[next], index);
            return index;
        }

        private void end(int index) {
            out.endField(layout.trailing[next++], index);
        }

        @Override
        public void addString(String value) {
            if (!value.equals(lastString)) {
                // The same topic on every row of a file: encoded once.
                lastString = value;
                lastBinary = Binary.fromString(value);
            }
            int index = start();
            out.addBinary(lastBinary);
            end(index);
        }

        @Override
        public void addInt(int value) {
            int index = start();
            out.addInteger(value);
            end(index);
        }

        @Override
        public void addLong(long value) {
            int index = start();
            out.addLong(value);
            end(index);
        }

        @Override
        public void addBoolean(boolean value) {
            int index = start();
            out.addBoolean(value);
            end(index);
        }
    }
}
