package dev.wren.device;

import java.util.concurrent.locks.LockSupport;

/**
 * Waits for a chip's conversion time. Injected into drivers so tests over simulated chips need not sleep.
 * Implementations must not allocate.
 */
@FunctionalInterface
public interface Pause {

    /** Parks the calling thread for at least the given time. */
    Pause SLEEP = micros -> {
        long deadline = System.nanoTime() + micros * 1000L;
        for (long left = micros * 1000L; left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    };

    /** Returns at once; for simulated chips, whose conversions complete instantly. */
    Pause NONE = micros -> { };

    /**
     * Waits at least {@code micros} microseconds.
     *
     * @param micros time to wait, at least 0
     */
    void pauseMicros(long micros);
}
