package dev.wren.device.sim;

import java.util.function.LongSupplier;

/**
 * A hand-driven monotonic clock in ns for tests and replays; it only moves when told to.
 */
public final class SimulatedClock implements LongSupplier {
    private volatile long nanos;

    /**
     * Creates a clock.
     *
     * @param startNanos initial time
     */
    public SimulatedClock(long startNanos) {
        this.nanos = startNanos;
    }

    @Override
    public long getAsLong() {
        return nanos;
    }

    /**
     * Moves time forward.
     *
     * @param millis ms to advance, at least 0
     */
    public void advanceMillis(long millis) {
        advanceNanos(millis * 1_000_000L);
    }

    /**
     * Moves time forward.
     *
     * @param delta ns to advance, at least 0
     */
    public void advanceNanos(long delta) {
        if (delta < 0) {
            throw new IllegalArgumentException("clock cannot go back: delta " + delta + " ns");
        }
        nanos += delta;
    }
}
