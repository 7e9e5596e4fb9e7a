package dev.wren.mqtt.testing;

import java.lang.management.ManagementFactory;

/** Bytes allocated by the calling thread, from {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}. */
public final class AllocationMeter {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private AllocationMeter() {
    }

    /** Total bytes the current thread allocated so far; subtract two readings to measure a section. */
    public static long allocatedBytes() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    /** The cost of one reading, measured now, so a section's measurement can subtract it. */
    public static long readingCost() {
        long a = allocatedBytes();
        long b = allocatedBytes();
        return b - a;
    }
}
