package io.lakestream.check;

import java.util.Objects;

/**
 * The outcome of one connection check, one line of the {@code check} table.
 *
 * @param name   what was checked, e.g. {@code kafka}, {@code topic claims.raw}, {@code store}
 * @param status OK, WARN (works, but worth knowing), FAIL (lakestream would not work) or SKIPPED (nothing to
 *               check, or a prerequisite failed)
 * @param detail what was found: the reason for a FAIL, or what was reached for an OK
 * @param hint   what to do about it, or null
 */
public record CheckResult(String name, Status status, String detail, String hint) {

    public enum Status { OK, WARN, FAIL, SKIPPED }

    public CheckResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        detail = detail == null ? "" : detail;
    }

    static CheckResult ok(String name, String detail) {
        return new CheckResult(name, Status.OK, detail, null);
    }

    static CheckResult warn(String name, String detail, String hint) {
        return new CheckResult(name, Status.WARN, detail, hint);
    }

    static CheckResult fail(String name, String detail, String hint) {
        return new CheckResult(name, Status.FAIL, detail, hint);
    }

    static CheckResult skipped(String name, String detail) {
        return new CheckResult(name, Status.SKIPPED, detail, null);
    }

    CheckResult withText(String detail, String hint) {
        return new CheckResult(name, status, detail, hint);
    }
}
