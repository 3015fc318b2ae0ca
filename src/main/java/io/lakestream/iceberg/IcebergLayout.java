package io.lakestream.iceberg;

import io.lakestream.config.TableFormatConfig.PartitionField;
import io.lakestream.sink.FileStatistics;
import io.lakestream.sink.ObjectKeys;
import io.lakestream.sink.TableCommitter;
import io.lakestream.sink.TableLayout;
import io.lakestream.sink.TableLayouts;
import io.lakestream.sink.format.WrittenFile;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.transforms.Transforms;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * The layout of an Iceberg table's data files: {@code <prefix><table>/data/<field>=<value>/...}, one file per
 * partition of the table's spec. Partition values travel in landing events in Iceberg's human form
 * ({@code 2024-05-01-13} for hour, {@code 2024-05-01} for day, the value for identity, the bucket number), from which
 * {@link #partition} rebuilds the partition tuple the committer records.
 */
public final class IcebergLayout implements TableLayout {

    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH");
    /** An Iceberg table's committer in its sinks: describes each Parquet file for the landing event. */
    private static final TableCommitter DESCRIBES_FILES = new TableCommitter() {
        @Override
        public FileStatistics describe(String location, WrittenFile file) {
            return file.footer() == null ? null : FileMetrics.of(file.footer(), file.content().length, location);
        }
    };

    private final String prefix;
    private final String table;
    private final String eventTimeField;
    private final List<PartitionField> fields;
    private final List<String> names;

    public IcebergLayout(String prefix, String table, String eventTimeField, List<PartitionField> fields) {
        this.prefix = prefix;
        this.table = table;
        this.eventTimeField = eventTimeField;
        this.fields = List.copyOf(fields);
        this.names = fields.stream().map(IcebergLayout::name).toList();
    }

    /** The layouts of the tables of {@code config}: Iceberg for the tables it makes Iceberg tables, else Hive. */
    public static TableLayouts of(io.lakestream.config.LakestreamConfig config) {
        return (table, partitionBy, eventTimeField) -> {
            var iceberg = config.tableFormats().iceberg(table);
            return iceberg == null ? TableLayout.hive(config.lake().prefix(), table, partitionBy)
                    : new IcebergLayout(config.lake().prefix(), table, eventTimeField, iceberg.partitionSpec());
        };
    }

    /** Commits are the table's committer task's; the sinks describe each Parquet file they wrote for it. */
    @Override
    public TableCommitter committer(Supplier<TableCommitter> hive) {
        return DESCRIBES_FILES;
    }

    /** The partition field's name in the table's spec, as Iceberg names them by default. */
    static String name(PartitionField f) {
        return switch (f.transform()) {
            case "identity" -> f.source();
            case "bucket" -> f.source() + "_bucket";
            default -> f.source() + "_" + f.transform();
        };
    }

    /** The table's partition spec for {@code schema}. */
    static PartitionSpec spec(org.apache.iceberg.Schema schema, List<PartitionField> fields) {
        PartitionSpec.Builder b = PartitionSpec.builderFor(schema);
        for (PartitionField f : fields) {
            switch (f.transform()) {
                case "hour" -> b.hour(f.source(), name(f));
                case "day" -> b.day(f.source(), name(f));
                case "identity" -> b.identity(f.source());
                case "bucket" -> b.bucket(f.source(), f.buckets(), name(f));
                default -> throw new IllegalArgumentException("unknown transform " + f.transform());
            }
        }
        return b.build();
    }

    @Override
    public List<String> partitionNames() {
        return names;
    }

    @Override
    public boolean byEventHourOnly() {
        return fields.stream().allMatch(f -> f.source().equals(eventTimeField)
                && (f.transform().equals("hour") || f.transform().equals("day")));
    }

    @Override
    public List<String> partitionValues(long eventTime, Supplier<GenericRecord> record) {
        List<String> values = new ArrayList<>(fields.size());
        GenericRecord value = null;
        for (PartitionField f : fields) {
            long millis = eventTime;
            if (!f.source().equals(eventTimeField) || !(f.transform().equals("hour") || f.transform().equals("day"))) {
                value = value == null ? record.get() : value;
                Object v = value.get(f.source());
                if (f.transform().equals("hour") || f.transform().equals("day")) {
                    millis = timeMillis(v, value.getSchema().getField(f.source()).schema());
                } else {
                    values.add(v == null ? null : transformed(f, v, value.getSchema().getField(f.source()).schema()));
                    continue;
                }
            }
            Instant at = Instant.ofEpochMilli(millis);
            values.add(f.transform().equals("hour") ? HOUR.format(at.atOffset(ZoneOffset.UTC))
                    : at.atOffset(ZoneOffset.UTC).toLocalDate().toString());
        }
        return values;
    }

    @Override
    public String partitionPath(List<String> values) {
        StringBuilder path = new StringBuilder(prefix).append(table).append("/data/");
        for (int i = 0; i < names.size(); i++) {
            path.append(ObjectKeys.escape(names.get(i))).append('=').append(ObjectKeys.escape(values.get(i)))
                    .append('/');
        }
        return path.toString();
    }

    @Override
    public boolean hiveCatalog() {
        return false;
    }

    /** The partition tuple of {@code spec} from the human values of a landing event, in spec order. */
    static StructLike partition(PartitionSpec spec, List<String> values) {
        Object[] tuple = new Object[values.size()];
        for (int i = 0; i < values.size(); i++) {
            org.apache.iceberg.PartitionField field = spec.fields().get(i);
            String v = values.get(i);
            String transform = field.transform().toString();
            Type source = spec.schema().findType(field.sourceId());
            tuple[i] = v == null ? null : switch (transform) {
                case "hour" -> (int) (LocalDateTime.parse(v, HOUR).toEpochSecond(ZoneOffset.UTC) / 3600);
                case "day" -> (int) LocalDate.parse(v).toEpochDay();
                case "identity" -> identity(source, v);
                default -> Integer.parseInt(v);
            };
        }
        return new Tuple(tuple);
    }

    /** A filter over the partition tuples of {@code spec} selecting exactly {@code partition}. */
    static Expression partitionFilter(PartitionSpec spec, StructLike partition) {
        Expression filter = Expressions.alwaysTrue();
        for (int i = 0; i < spec.fields().size(); i++) {
            String name = spec.fields().get(i).name();
            Object value = partition.get(i, Object.class);
            filter = Expressions.and(filter, value == null ? Expressions.isNull(name) : Expressions.equal(name, value));
        }
        return filter;
    }

    private static Object identity(Type type, String v) {
        return switch (type.typeId()) {
            case INTEGER -> Integer.parseInt(v);
            case LONG -> Long.parseLong(v);
            case DECIMAL -> new BigDecimal(v);
            default -> v;
        };
    }

    private static String transformed(PartitionField f, Object avro, Schema fieldSchema) {
        Schema s = nonNull(fieldSchema);
        Object internal;
        Type type;
        if (s.getLogicalType() instanceof LogicalTypes.Decimal d) {
            type = Types.DecimalType.of(d.getPrecision(), d.getScale());
            internal = avro instanceof BigDecimal bd ? bd : avro instanceof ByteBuffer bb
                    ? new BigDecimal(new BigInteger(bytes(bb)), d.getScale())
                    : new BigDecimal(new BigInteger(((org.apache.avro.generic.GenericFixed) avro).bytes()),
                    d.getScale());
        } else if (s.getType() == Schema.Type.INT) {
            type = Types.IntegerType.get();
            internal = ((Number) avro).intValue();
        } else if (s.getType() == Schema.Type.LONG) {
            type = Types.LongType.get();
            internal = ((Number) avro).longValue();
        } else {
            type = Types.StringType.get();
            internal = avro.toString();
        }
        if (f.transform().equals("identity")) {
            return internal instanceof BigDecimal bd ? bd.toPlainString() : internal.toString();
        }
        Integer bucket = Transforms.<Object>bucket(f.buckets()).bind(type).apply(internal);
        return bucket.toString();
    }

    private static long timeMillis(Object v, Schema fieldSchema) {
        Schema s = nonNull(fieldSchema);
        if (v instanceof Instant i) {
            return i.toEpochMilli();
        }
        if (v instanceof LocalDate d) {
            return d.toEpochDay() * 86_400_000L;
        }
        long n = ((Number) v).longValue();
        if (s.getLogicalType() instanceof LogicalTypes.TimestampMicros) {
            return Math.floorDiv(n, 1000L);
        }
        return s.getLogicalType() instanceof LogicalTypes.Date ? n * 86_400_000L : n;
    }

    private static byte[] bytes(ByteBuffer bb) {
        byte[] out = new byte[bb.remaining()];
        bb.duplicate().get(out);
        return out;
    }

    static Schema nonNull(Schema s) {
        if (s.getType() != Schema.Type.UNION) {
            return s;
        }
        return s.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst().orElse(s);
    }

    private record Tuple(Object[] values) implements StructLike {
        @Override
        public int size() {
            return values.length;
        }

        @Override
        public <T> T get(int pos, Class<T> javaClass) {
            return javaClass.cast(values[pos]);
        }

        @Override
        public <T> void set(int pos, T value) {
            values[pos] = value;
        }
    }
}
