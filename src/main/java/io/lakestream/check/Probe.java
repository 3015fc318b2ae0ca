package io.lakestream.check;

import java.util.List;

/** One independent connection check; {@link ConnectionCheck} runs the probes in parallel under one deadline. */
interface Probe {

    /** Name of the probe's main result line, used for the FAIL line when it does not finish in time. */
    String name();

    /** Results in display order; failures are results, not exceptions. */
    List<CheckResult> run();
}
