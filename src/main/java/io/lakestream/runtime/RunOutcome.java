package io.lakestream.runtime;

import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of one {@code run}: who reports (the command's thread, or the shutdown hook after SIGTERM), and how the
 * data-quality gate stops the command's wait. Built on the command's thread.
 */
public final class RunOutcome {

    private static final Logger log = LoggerFactory.getLogger(RunOutcome.class);
    /** How long the final report may read the landings and dead-letter topics. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

    private final RunMonitor monitor;
    private final Path jsonFile;
    private final Thread commandThread = Thread.currentThread();
    private boolean waiting;
    private boolean terminating;
    private boolean reported;

    public RunOutcome(RunMonitor monitor, Path jsonFile) {
        this.monitor = monitor;
        this.jsonFile = jsonFile;
    }

    /** While true, a tripped gate interrupts the command thread's wait; off, a pending interrupt is cleared. */
    public synchronized void waiting(boolean waiting) {
        this.waiting = waiting;
        if (waiting && monitor.breached()) {
            commandThread.interrupt(); // the gate tripped before the wait began
        }
        if (!waiting && Thread.currentThread() == commandThread) {
            Thread.interrupted(); // the app closes next, and must not see the gate's interrupt
        }
    }

    public synchronized void interruptWait() {
        if (waiting) {
            commandThread.interrupt();
        }
    }

    /** SIGTERM: the shutdown hook reports, the command thread does not. */
    public synchronized void terminating() {
        terminating = true;
    }

    /** Prints the report (and writes its JSON), from the shutdown hook after SIGTERM. */
    public synchronized void reportOnSigterm() {
        write(ExitCodes.SIGTERM, "stopped");
    }

    /** Prints the report on stdout (and writes its JSON); returns the exit code, which a gate failure turns into 4. */
    public synchronized int report(String outcome, int code) {
        return terminating ? code : write(code, outcome);
    }

    private int write(int code, String outcome) {
        if (reported) {
            return code;
        }
        reported = true;
        try {
            RunReport r = monitor.finish(outcome, code, READ_TIMEOUT);
            System.out.print(r.toText());
            System.out.flush();
            if (jsonFile != null) {
                r.writeJson(jsonFile);
            }
            return r.exitCode();
        } catch (RuntimeException e) {
            // A report that cannot be written must not turn a good run into a failed one.
            log.error("cannot write the run report", e);
            System.err.println("cannot write the run report: " + e.getMessage());
            return code;
        } finally {
            monitor.close();
        }
    }
}
