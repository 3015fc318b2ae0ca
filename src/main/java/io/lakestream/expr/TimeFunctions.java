package io.lakestream.expr;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.sql.SqlNode;

/**
 * EXTRACT and truncation (FLOOR(ts TO unit), DATE_TRUNC('unit', ts)) on DATE and TIMESTAMP values, in UTC (Avro
 * timestamps are instants; a timestamp in an expression is that instant's UTC wall time, as in Athena).
 */
final class TimeFunctions {

    private static final DateTimeFormatter TEXT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS]");

    private TimeFunctions() {
    }

    static Node extract(TimeUnitRange unit, Node operand, Repr in, SqlNode at) throws InvalidExpressionException {
        if (in != Repr.DATE && in != Repr.TIMESTAMP) {
            throw NodeCompiler.unsupported(at, "EXTRACT from " + in);
        }
        switch (unit) {
            case YEAR, QUARTER, MONTH, WEEK, DAY, DOW, ISODOW, DOY, HOUR, MINUTE, SECOND, MILLISECOND, MICROSECOND,
                 EPOCH -> {
            }
            default -> throw NodeCompiler.unsupported(at, "EXTRACT(" + unit + ")");
        }
        return r -> {
            Object v = operand.eval(r);
            if (v == null) {
                return null;
            }
            long micros = in == Repr.DATE ? (Integer) v * Values.MICROS_PER_DAY : (Long) v;
            LocalDateTime t = dateTime(micros);
            return switch (unit) {
                case YEAR -> (long) t.getYear();
                case QUARTER -> (long) t.get(IsoFields.QUARTER_OF_YEAR);
                case MONTH -> (long) t.getMonthValue();
                case WEEK -> (long) t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
                case DAY -> (long) t.getDayOfMonth();
                case DOW -> (long) (t.getDayOfWeek().getValue() % 7 + 1); // SQL: Sunday = 1 .. Saturday = 7
                case ISODOW -> (long) t.getDayOfWeek().getValue();
                case DOY -> (long) t.getDayOfYear();
                case HOUR -> (long) t.getHour();
                case MINUTE -> (long) t.getMinute();
                case SECOND -> (long) t.getSecond();
                case MILLISECOND -> t.getSecond() * 1000L + t.getNano() / 1_000_000;
                case MICROSECOND -> t.getSecond() * 1_000_000L + t.getNano() / 1000;
                default -> Math.floorDiv(micros, 1_000_000L); // EPOCH
            };
        };
    }

    static Node truncate(TimeUnitRange unit, Node operand, Repr in, SqlNode at) throws InvalidExpressionException {
        if (in != Repr.DATE && in != Repr.TIMESTAMP) {
            throw NodeCompiler.unsupported(at, "truncating a " + in);
        }
        switch (unit) {
            case YEAR, QUARTER, MONTH, WEEK, DAY, HOUR, MINUTE, SECOND -> {
            }
            default -> throw NodeCompiler.unsupported(at, "truncating to " + unit);
        }
        return r -> {
            Object v = operand.eval(r);
            if (v == null) {
                return null;
            }
            long micros = in == Repr.DATE ? (Integer) v * Values.MICROS_PER_DAY : (Long) v;
            long out = switch (unit) {
                case SECOND -> micros - Math.floorMod(micros, 1_000_000L);
                case MINUTE -> micros - Math.floorMod(micros, 60_000_000L);
                case HOUR -> micros - Math.floorMod(micros, 3_600_000_000L);
                case DAY -> micros - Math.floorMod(micros, Values.MICROS_PER_DAY);
                default -> calendar(micros, unit);
            };
            return in == Repr.DATE ? (Object) (int) Math.floorDiv(out, Values.MICROS_PER_DAY) : (Object) out;
        };
    }

    private static long calendar(long micros, TimeUnitRange unit) {
        LocalDate d = dateTime(micros).toLocalDate();
        LocalDate start = switch (unit) {
            case YEAR -> d.withDayOfYear(1);
            case QUARTER -> d.withMonth((d.getMonthValue() - 1) / 3 * 3 + 1).withDayOfMonth(1);
            case MONTH -> d.withDayOfMonth(1);
            default -> d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)); // WEEK: ISO weeks start Monday
        };
        return start.toEpochDay() * Values.MICROS_PER_DAY;
    }

    private static LocalDateTime dateTime(long micros) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
    }

    static String format(long micros) {
        LocalDateTime t = dateTime(micros);
        return t.getNano() == 0 ? t.truncatedTo(ChronoUnit.SECONDS).format(TEXT.withResolverStyle(
                java.time.format.ResolverStyle.STRICT)).substring(0, 19) : t.format(TEXT);
    }
}
