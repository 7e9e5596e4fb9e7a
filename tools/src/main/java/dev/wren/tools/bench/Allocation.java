package dev.wren.tools.bench;

import java.lang.management.ManagementFactory;

/**
 * Bytes allocated by every live JVM thread, from {@link com.sun.management.ThreadMXBean#getThreadAllocatedBytes(long[])}.
 * A snapshot holds per-thread counters; the difference of two sums each thread present in the later one (a thread
 * born in between counts from zero). A thread that dies in between loses its share, so measure while connected.
 */
final class Allocation {
    private static final com.sun.management.ThreadMXBean MX =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final long[] ids;
    private final long[] bytes;

    private Allocation(long[] ids, long[] bytes) {
        this.ids = ids;
        this.bytes = bytes;
    }

    /** Takes a snapshot of every live thread's allocation counter. */
    static Allocation snapshot() {
        if (!MX.isThreadAllocatedMemoryEnabled()) {
            MX.setThreadAllocatedMemoryEnabled(true);
        }
        long[] ids = MX.getAllThreadIds();
        return new Allocation(ids, MX.getThreadAllocatedBytes(ids));
    }

    private static long overhead = -1;

    /**
     * What taking the two snapshots of a measurement allocates by itself (the id and counter arrays), measured
     * as the least of several empty measurements; {@link #since} subtracts it.
     */
    static synchronized long measurementOverhead() {
        if (overhead < 0) {
            long least = Long.MAX_VALUE;
            for (int i = 0; i < 5; i++) {
                Allocation before = snapshot();
                least = Math.min(least, snapshot().rawSince(before));
            }
            overhead = least;
        }
        return overhead;
    }

    /** Live threads now. */
    static int liveThreads() {
        return MX.getThreadCount();
    }

    /** Bytes allocated by all threads between {@code before} and this snapshot, less the measurement's own. */
    long since(Allocation before) {
        return rawSince(before) - measurementOverhead();
    }

    private long rawSince(Allocation before) {
        long sum = 0;
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] < 0) {
                continue;
            }
            long base = 0;
            for (int j = 0; j < before.ids.length; j++) {
                if (before.ids[j] == ids[i]) {
                    base = Math.max(0, before.bytes[j]);
                    break;
                }
            }
            sum += bytes[i] - base;
        }
        return sum;
    }
}
