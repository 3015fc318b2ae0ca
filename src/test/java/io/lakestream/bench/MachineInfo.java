package io.lakestream.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The facts a published figure needs next to it: cores, CPU, memory, JVM, OS, commit, date. */
record MachineInfo(int cores, String cpuModel, long memTotalMib, String jvm, String os, String commit, Instant date) {

    static MachineInfo capture() {
        return new MachineInfo(Runtime.getRuntime().availableProcessors(),
                procField("/proc/cpuinfo", "model name").orElse("unknown CPU"),
                procField("/proc/meminfo", "MemTotal").map(v -> Long.parseLong(v.replaceAll("\\D", "")) / 1024)
                        .orElse(-1L),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                gitCommit(), Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    /** The machine, and its load average when the benchmark started. */
    record Start(MachineInfo machine, String loadBefore) {
    }

    /** Captures the machine and prints the head of a benchmark's output: machine, options, load average. */
    static Start announce(Object options) {
        MachineInfo machine = capture();
        String load = loadAverage();
        System.out.println(machine.benchLine());
        System.out.println("BENCH-OPTIONS " + options);
        System.out.println("BENCH-LOAD before loadavg=" + load);
        return new Start(machine, load);
    }

    /** The {@code BENCH-MACHINE} line every benchmark prints first. */
    String benchLine() {
        return "BENCH-MACHINE date=" + date + " nproc=" + cores + " cpu=\"" + cpuModel + "\" mem_mb=" + memTotalMib
                + " jvm=\"" + jvm + "\" os=\"" + os + "\" commit=" + commit;
    }

    /** The 1, 5 and 15-minute load averages of {@code /proc/loadavg}, comma separated; "unknown" elsewhere. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + "," + f[1] + "," + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    String summary() {
        return "nproc=" + cores + ", CPU " + cpuModel + ", RAM " + memTotalMib + " MiB, " + jvm + ", " + os
                + ", commit " + commit;
    }

    private static java.util.Optional<String> procField(String file, String key) {
        try {
            List<String> lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
            return lines.stream().filter(l -> l.startsWith(key)).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim());
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    private static String gitCommit() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return git.waitFor(10, TimeUnit.SECONDS) && git.exitValue() == 0 ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
