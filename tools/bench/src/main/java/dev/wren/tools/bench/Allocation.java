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

    /**
     * What taking the two snapshots of a measurement allocates by itself (the id and counter arrays, 16 bytes per
     * live thread), measured now as the least of several empty measurements; {@link #since} subtracts it. Not
     * cached: with fewer threads alive than at an earlier estimate, a cached figure would subtract too much and a
     * short run could print a negative allocation.
     */
    static long measurementOverhead() {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            Allocation before = snapshot();
            least = Math.min(least, snapshot().rawSince(before));
        }
        return least;
    }

    /**
     * Threads alive now that were not in {@code before} (ids are never reused): a count of live threads would
     * hide new threads behind ones of an earlier client still winding down.
     */
    int threadsBornSince(Allocation before) {
        int born = 0;
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0 && indexOf(before.ids, ids[i]) < 0) {
                born++;
            }
        }
        return born;
    }

    private static int indexOf(long[] ids, long id) {
        for (int j = 0; j < ids.length; j++) {
            if (ids[j] == id) {
                return j;
            }
        }
        return -1;
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
            int j = indexOf(before.ids, ids[i]);
            sum += bytes[i] - (j < 0 ? 0 : Math.max(0, before.bytes[j]));
        }
        return sum;
    }
}
