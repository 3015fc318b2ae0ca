package io.lakestream.bench;

/** Stands in until the lakestream topology is wired; the harness reports its variants as "not run". */
final class NotWiredEndToEndRun implements EndToEndRun {

    static final String MESSAGE = "lakestream end-to-end run is wired by the lead";

    @Override
    public RunResult run(Request request) {
        throw new UnsupportedOperationException(MESSAGE);
    }
}
