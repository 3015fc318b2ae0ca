package io.lakestream.testing;

import io.lakestream.cli.Main;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * lakestream as a process of its own, the way a user runs it: {@code java -cp <this JVM's class path> Main <args>},
 * stdout and stderr into one log file. Every test that needs a separate JVM (to send it SIGTERM, kill it, run it from
 * another folder or read its exit code) starts it here. {@link #close()} never leaves it running: SIGTERM, then
 * SIGKILL after a minute; a shutdown hook kills it if the test JVM ends first.
 */
public final class LakestreamJvm implements AutoCloseable {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path log;
    private final Thread reaper;

    private LakestreamJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.reaper = new Thread(process::destroyForcibly, "lakestream-jvm-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** A launch of {@code Main} with these arguments (e.g. {@code "run", "--config", file}). */
    public static Launch command(String... args) {
        return new Launch(List.of(args));
    }

    /** What a finished process said: its exit code and its output (stdout and stderr, interleaved). */
    public record Result(int exit, String output) {
    }

    /** Options of a launch; {@link #start()} or {@link #run(Duration)}. */
    public static final class Launch {

        private final List<String> args;
        private final List<String> jvmOptions = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private String heap = "512m";
        private Path directory;
        private Path log;

        private Launch(List<String> args) {
            this.args = args;
        }

        public Launch heap(String maxHeap) {
            this.heap = maxHeap;
            return this;
        }

        public Launch jvmOption(String option) {
            jvmOptions.add(option);
            return this;
        }

        /** The working directory (default: this JVM's). */
        public Launch directory(Path cwd) {
            this.directory = cwd;
            return this;
        }

        /** Variables added to the inherited environment. */
        public Launch env(Map<String, String> variables) {
            env.putAll(variables);
            return this;
        }

        /** Where stdout and stderr go (default: a temp file). */
        public Launch log(Path file) {
            this.log = file;
            return this;
        }

        /**
         * The command line. The class path, made absolute (the process may run in another folder), goes through an
         * argument file: one command-line argument may not exceed 128 KiB on Linux, and a test class path can.
         */
        public List<String> commandLine(Path argFile) throws IOException {
            String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                    .map(entry -> Path.of(entry).toAbsolutePath().toString())
                    .collect(Collectors.joining(File.pathSeparator));
            Files.writeString(argFile, "-cp \"" + classpath.replace("\\", "\\\\") + "\"\n");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx" + heap));
            command.addAll(jvmOptions);
            command.addAll(List.of("@" + argFile, Main.class.getName()));
            command.addAll(args);
            return command;
        }

        public LakestreamJvm start() throws IOException {
            Path out = log;
            if (out == null) {
                out = Files.createTempFile("lakestream-jvm-", ".log");
                out.toFile().deleteOnExit();
                Path.of(out + ".args").toFile().deleteOnExit();
            }
            Files.createDirectories(out.toAbsolutePath().getParent());
            ProcessBuilder pb = new ProcessBuilder(commandLine(Path.of(out + ".args"))).redirectErrorStream(true)
                    .redirectOutput(out.toFile());
            if (directory != null) {
                pb.directory(directory.toFile());
            }
            // A developer's AWS profile must never be used: moto accepts the test credentials of the environment.
            pb.environment().remove("AWS_PROFILE");
            pb.environment().putAll(env);
            return new LakestreamJvm(pb.start(), out);
        }

        /** Starts the process and waits until it exits; one that has not exited within {@code timeout} is killed. */
        public Result run(Duration timeout) throws IOException, InterruptedException {
            try (LakestreamJvm jvm = start()) {
                if (!jvm.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError(String.join(" ", args) + " did not end within " + timeout + ":\n"
                            + jvm.output());
                }
                return new Result(jvm.process.exitValue(), jvm.output());
            }
        }
    }

    public Process process() {
        return process;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** What the process has written so far. */
    public String output() throws IOException {
        return Files.readString(log);
    }

    /**
     * Waits until the output contains {@code text}.
     *
     * @throws AssertionError with the output when the process exits first or {@code timeout} passes
     */
    public void awaitOutput(String text, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!output().contains(text)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("no \"" + text + "\" within " + timeout + (process.isAlive() ? ""
                        : " (exited " + process.exitValue() + ")") + "; output:\n" + output());
            }
            Thread.sleep(200);
        }
    }

    /**
     * SIGTERM (lakestream's graceful shutdown) and waits for the exit.
     *
     * @return the exit code, or -1 when it had to be killed after a minute
     */
    public int stop() throws InterruptedException {
        process.destroy();
        if (process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            return process.exitValue();
        }
        process.destroyForcibly().waitFor();
        return -1;
    }

    /** Stops the process if it still runs; it never outlives the test (a leaked app keeps using the broker). */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }
}
