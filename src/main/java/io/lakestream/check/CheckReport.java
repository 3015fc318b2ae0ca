package io.lakestream.check;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders check results as the aligned text table {@code check} prints, and derives its exit code. */
public final class CheckReport {

    private static final String GAP = "  ";

    private CheckReport() {
    }

    /**
     * One line per result (CHECK, STATUS, DETAIL columns), an indented {@code hint:} line under each result that
     * has a hint, and a summary line. Line breaks inside a detail are flattened so every result stays one row.
     */
    public static String render(List<CheckResult> results) {
        int nameWidth = Math.max("CHECK".length(),
                results.stream().mapToInt(r -> r.name().length()).max().orElse(0));
        int statusWidth = "SKIPPED".length();
        String hintIndent = " ".repeat(nameWidth + GAP.length() + statusWidth + GAP.length());
        StringBuilder out = new StringBuilder();
        row(out, nameWidth, statusWidth, "CHECK", "STATUS", "DETAIL");
        for (CheckResult r : results) {
            row(out, nameWidth, statusWidth, r.name(), r.status().name(), oneLine(r.detail()));
            if (r.hint() != null && !r.hint().isBlank()) {
                out.append(hintIndent).append("hint: ").append(oneLine(r.hint())).append('\n');
            }
        }
        out.append(summary(results)).append('\n');
        return out.toString();
    }

    /** 1 if any result is a FAIL, else 0 (a WARN does not fail the check). */
    public static int exitCode(List<CheckResult> results) {
        return results.stream().anyMatch(r -> r.status() == CheckResult.Status.FAIL) ? 1 : 0;
    }

    /** e.g. {@code 4 OK, 1 WARN, 1 FAIL, 1 SKIPPED}; statuses that do not occur are left out. */
    static String summary(List<CheckResult> results) {
        Map<CheckResult.Status, Long> counts = new EnumMap<>(CheckResult.Status.class);
        results.forEach(r -> counts.merge(r.status(), 1L, Long::sum));
        if (counts.isEmpty()) {
            return "nothing checked";
        }
        return counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "));
    }

    private static void row(StringBuilder out, int nameWidth, int statusWidth, String name, String status,
                            String detail) {
        String line = pad(name, nameWidth) + GAP + pad(status, statusWidth) + GAP + detail;
        out.append(line.stripTrailing()).append('\n');
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
