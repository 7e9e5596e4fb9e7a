package dev.wren.mqtt.testing;

import dev.wren.mqtt.MonotonicClock;

import java.util.concurrent.TimeUnit;

/** A {@link MonotonicClock} that moves only when told, for keep-alive and timeout tests. */
public final class FakeClock implements MonotonicClock {

    private long nanos;

    /** Starts at an arbitrary non-zero origin close to the wrap-around, so subtraction-only comparisons are exercised. */
    public FakeClock() {
        this(Long.MAX_VALUE - TimeUnit.HOURS.toNanos(1));
    }

    /** Starts at {@code startNanos}. */
    public FakeClock(long startNanos) {
        this.nanos = startNanos;
    }

    @Override
    public long nanoTime() {
        return nanos;
    }

    /** Moves time forward by {@code millis}. */
    public void advanceMillis(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("time cannot go backwards: " + millis + " ms");
        }
        nanos += TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /** Milliseconds elapsed since {@code startNanos} (a value read from this clock earlier). */
    public long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos - startNanos);
    }
}
