package dev.wren.mqtt.internal;

import java.util.concurrent.TimeUnit;

/**
 * Delays between reconnect attempts: exponential backoff with jitter, so that a fleet of nodes that lost the
 * broker together does not come back together (no reconnect storm).
 *
 * <p>After the n-th failed attempt in a row (n = 0, 1, ...) the nominal delay is
 * {@code min(maxDelay, minDelay * multiplier^n)}; the delay used is the nominal one shortened by a random part
 * of up to {@code jitter} of it: uniform in {@code [nominal * (1 - jitter), nominal]}. With {@code jitter} 0.5
 * that is "equal jitter": never less than half the nominal delay, spread over the other half. {@link #reset}
 * starts the sequence again (the reconnect driver does so once a connection has stayed up for the maximum delay).
 *
 * <p>Pure: no clock, no threads, no allocation; randomness from a xorshift64* generator seeded once.
 */
final class Backoff {

    private final long minDelayNanos;
    private final long maxDelayNanos;
    private final double multiplier;
    private final double jitter;
    private long random;
    private long nominalNanos;
    private int failures;

    /**
     * @param minDelayMillis first delay, at least 1
     * @param maxDelayMillis cap, at least {@code minDelayMillis}
     * @param multiplier     growth per failure, at least 1.0
     * @param jitter         fraction of each delay that is random, 0.0..1.0
     * @param seed           random seed (any value)
     */
    Backoff(int minDelayMillis, int maxDelayMillis, double multiplier, double jitter, long seed) {
        if (minDelayMillis < 1 || maxDelayMillis < minDelayMillis) {
            throw new IllegalArgumentException("reconnect delays min " + minDelayMillis + " ms, max " + maxDelayMillis
                    + " ms: need 1 <= min <= max");
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("reconnect multiplier " + multiplier + " < 1.0");
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("reconnect jitter " + jitter + " outside 0.0..1.0");
        }
        this.minDelayNanos = TimeUnit.MILLISECONDS.toNanos(minDelayMillis);
        this.maxDelayNanos = TimeUnit.MILLISECONDS.toNanos(maxDelayMillis);
        this.multiplier = multiplier;
        this.jitter = jitter;
        this.random = seed == 0 ? 0x9E3779B97F4A7C15L : seed; // xorshift must not start at 0
    }

    /** Records a failed attempt and returns the delay before the next one, in nanoseconds. */
    long failed() {
        nominalNanos = failures == 0 ? minDelayNanos
                : (long) Math.min((double) maxDelayNanos, nominalNanos * multiplier);
        failures++;
        return nominalNanos - (long) (nominalNanos * jitter * nextUnit());
    }

    /** The next failure starts again from the minimum delay. */
    void reset() {
        failures = 0;
        nominalNanos = 0;
    }

    /** Failures since the last {@link #reset}. */
    int failures() {
        return failures;
    }

    /** The nominal (jitter-free) delay of the last failure, in nanoseconds; 0 after a reset. */
    long nominalNanos() {
        return nominalNanos;
    }

    /** Uniform in [0, 1): xorshift64* (Vigna 2016), top 53 bits. */
    private double nextUnit() {
        long x = random;
        x ^= x >>> 12;
        x ^= x << 25;
        x ^= x >>> 27;
        random = x;
        return ((x * 0x2545F4914F6CDD1DL) >>> 11) * 0x1.0p-53;
    }
}
