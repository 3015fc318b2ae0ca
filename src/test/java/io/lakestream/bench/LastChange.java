package io.lakestream.bench;

import java.util.function.DoubleSupplier;

/**
 * When a growing count last changed: a daemon thread samples it every {@code periodMillis} and keeps the
 * {@link System#nanoTime()} of the first sample that saw its newest value. The benchmark uses it for the moment the
 * last object landed (or the last Iceberg commit became visible), which the caught-up check confirms only seconds later
 * (it must see the lake stay quiet).
 * The figure is late by at most one period.
 */
final class LastChange implements AutoCloseable {

    private final DoubleSupplier count;
    private final long periodMillis;
    private final Thread sampler;
    private volatile double last;
    private volatile long changedAtNanos;

    LastChange(DoubleSupplier count, long periodMillis) {
        this.count = count;
        this.periodMillis = periodMillis;
        this.last = count.getAsDouble();
        this.changedAtNanos = System.nanoTime();
        this.sampler = new Thread(this::sample, "bench-last-change");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void sample() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(periodMillis);
                observe();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void observe() {
        double now = count.getAsDouble();
        if (now != last) {
            last = now;
            changedAtNanos = System.nanoTime();
        }
    }

    /** {@link System#nanoTime()} when the count was first seen at its current value (the start, if it never moved). */
    long changedAtNanos() {
        observe();
        return changedAtNanos;
    }

    @Override
    public void close() throws InterruptedException {
        sampler.interrupt();
        sampler.join();
    }
}
