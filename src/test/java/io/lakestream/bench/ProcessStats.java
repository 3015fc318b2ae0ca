package io.lakestream.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Memory and GC figures of the current JVM while a variant runs. Peak heap is the largest heap in use seen either
 * by a 20 ms sampler or just before any collection (from GC notifications, so a peak between two samples is not
 * missed); live heap is the largest heap left after a collection, the figure closest to what the run really needs.
 */
final class ProcessStats implements AutoCloseable {

    /** USER_HZ: 100 on every Linux architecture the JDK runs on. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    record Snapshot(long heapPeakBytes, long heapLiveBytes, long rssPeakBytes, long gcMillis, long gcCount,
                    long cpuMillis, long jitMillis) {
    }

    private final Set<String> heapPools = new HashSet<>();
    private final AtomicLong heapPeak = new AtomicLong();
    private final AtomicLong heapLive = new AtomicLong();
    private final long gcMillisAtStart;
    private final long gcCountAtStart;
    private final long cpuNanosAtStart;
    private final long jitMillisAtStart;
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::onGc;
    private final Thread sampler;
    private volatile boolean running = true;

    ProcessStats() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        gcMillisAtStart = gcMillis();
        gcCountAtStart = gcCount();
        cpuNanosAtStart = cpuNanos();
        jitMillisAtStart = jitMillisOf("self");
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                emitters.add(emitter);
            }
        }
        sampler = new Thread(this::sample, "bench-heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    Snapshot snapshot() {
        heapPeak.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
        return new Snapshot(heapPeak.get(), heapLive.get(), rssPeakBytes(), gcMillis() - gcMillisAtStart,
                gcCount() - gcCountAtStart, cpuNanosAtStart < 0 ? -1 : (cpuNanos() - cpuNanosAtStart) / 1_000_000,
                jitMillisAtStart < 0 ? -1 : jitMillisOf("self") - jitMillisAtStart);
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
        for (NotificationEmitter e : emitters) {
            try {
                e.removeNotificationListener(listener);
            } catch (ListenerNotFoundException ignored) {
                // already gone: nothing left to remove
            }
        }
    }

    /** CPU time of this whole process (every thread, JIT and GC included), or -1 where the JVM does not tell. */
    private static long cpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    /** CPU time (user + system) of another process from /proc/PID/stat, or -1 where /proc is absent. */
    static long cpuMillisOf(long pid) {
        try {
            return cpuMillis(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * CPU time of the JIT compiler threads ({@code C1 CompilerThre…}, {@code C2 CompilerThre…}) of process
     * {@code pid} ({@code self} for this one), from /proc/PID/task/TID/stat; -1 where /proc is absent. A compiler
     * thread that ended between two looks takes its time with it (HotSpot retires idle ones): the figure is a floor.
     */
    static long jitMillisOf(String pid) {
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", pid, "task"))) {
            long total = 0;
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException ended) {
                    continue; // the thread ended since the listing
                }
                String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
                    total += cpuMillis(stat);
                }
            }
            return total;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime + stime of one /proc stat line, in milliseconds. */
    static long cpuMillis(String stat) {
        // fields after the command name, which is in parentheses and may hold spaces: utime is the 12th
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return ticks * 1000 / CLOCK_TICKS_PER_SECOND;
    }

    /** VmHWM of this process (the kernel's own peak resident set), or -1 where /proc is absent. */
    static long rssPeakBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024L;
                }
            }
            return -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private void sample() {
        while (running) {
            heapPeak.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void onGc(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()).getGcInfo();
        heapPeak.accumulateAndGet(heapUsed(info.getMemoryUsageBeforeGc()), Math::max);
        heapLive.accumulateAndGet(heapUsed(info.getMemoryUsageAfterGc()), Math::max);
    }

    /** Heap pools only: G1 reports the non-heap pools (metaspace, code cache) in GC info as well. */
    private long heapUsed(Map<String, MemoryUsage> byPool) {
        long sum = 0;
        for (String pool : heapPools) {
            MemoryUsage usage = byPool.get(pool);
            sum += usage == null ? 0 : usage.getUsed();
        }
        return sum;
    }

    private static long gcMillis() {
        long sum = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionTime());
        }
        return sum;
    }

    private static long gcCount() {
        long sum = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionCount());
        }
        return sum;
    }
}
