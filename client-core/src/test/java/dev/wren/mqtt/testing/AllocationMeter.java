package dev.wren.mqtt.testing;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Bytes allocated by the calling thread, from {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}, and
 * the one assertion every allocation test uses: {@link #assertSteadyStateAllocatesNothing}.
 */
public final class AllocationMeter {

    /** Warm-up rounds always run, however early the figure reads 0. */
    public static final int MIN_WARM_UP_ROUNDS = 2;
    /** Warm-up rounds at most, when the figure never settles. */
    public static final int MAX_WARM_UP_ROUNDS = 10;
    /** Measured rounds after the warm-up; the median of them must be 0 bytes. */
    public static final int MEASURED_ROUNDS = 5;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static {
        if (!THREADS.isThreadAllocatedMemorySupported()) {
            throw new IllegalStateException("this JVM cannot count the bytes a thread allocates");
        }
        THREADS.setThreadAllocatedMemoryEnabled(true);
    }

    private AllocationMeter() {
    }

    /** Runs {@code count} operations on the calling thread; what it allocates is what is measured. */
    @FunctionalInterface
    public interface Operations {
        void run(int count) throws Exception;
    }

    /** What {@link #assertSteadyStateAllocatesNothing} measured. */
    public static final class SteadyState {
        private final int operationsPerRound;
        private final long[] warmUpBytes;
        private final long[] measuredBytes;

        SteadyState(int operationsPerRound, long[] warmUpBytes, long[] measuredBytes) {
            this.operationsPerRound = operationsPerRound;
            this.warmUpBytes = warmUpBytes;
            this.measuredBytes = measuredBytes;
        }

        /** Operations run in all, warm-up included (for a test that counts what the operations did). */
        public long operations() {
            return (long) operationsPerRound * (warmUpBytes.length + measuredBytes.length);
        }

        /** Bytes allocated by the median measured round. */
        public long medianBytes() {
            long[] sorted = measuredBytes.clone();
            Arrays.sort(sorted);
            return sorted[sorted.length / 2];
        }

        @Override
        public String toString() {
            return "bytes per round of " + operationsPerRound + " operations: warm-up " + Arrays.toString(warmUpBytes)
                    + ", measured " + Arrays.toString(measuredBytes) + ", median "
                    + String.format("%.3f", (double) medianBytes() / operationsPerRound) + " bytes/operation";
        }
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

    /**
     * Asserts that {@code operations} allocate nothing in the steady state, and prints what was measured.
     *
     * <p>Warm-up rounds of {@code operationsPerRound} run (at least {@value #MIN_WARM_UP_ROUNDS}, at most
     * {@value #MAX_WARM_UP_ROUNDS}) until the figure is stable: a round allocates 0 bytes, or two rounds in a row
     * allocate the same. Then {@value #MEASURED_ROUNDS} rounds are measured and the median round must allocate 0
     * bytes. A stray allocation by the JVM itself (a deoptimisation rematerialising an object, a tier change on a
     * busy machine) lands in one round and does not move the median; one allocation per operation (at least 16
     * bytes) lands in every round and always fails. {@code AllocationMeterTest} proves both.
     *
     * @param what               names the operation in the output and the failure message
     * @param operationsPerRound operations per round (large enough that one per operation shows)
     * @param operations         runs the given number of operations; no assertions inside (they allocate)
     * @return the figures, for a test that also checks what the operations did
     */
    public static SteadyState assertSteadyStateAllocatesNothing(String what, int operationsPerRound,
            Operations operations) throws Exception {
        SteadyState s = measureSteadyState(operationsPerRound, operations);
        System.out.println("allocation " + what + ": " + s);
        if (s.medianBytes() != 0) {
            throw new AssertionError(what + " allocates in the steady state: " + s);
        }
        return s;
    }

    /** The measurement of {@link #assertSteadyStateAllocatesNothing}, without the assertion. */
    public static SteadyState measureSteadyState(int operationsPerRound, Operations operations) throws Exception {
        if (operationsPerRound < 1) {
            throw new IllegalArgumentException("operations per round " + operationsPerRound + " < 1");
        }
        long[] warmUp = new long[MAX_WARM_UP_ROUNDS];
        int warmUpRounds = 0;
        while (warmUpRounds < MAX_WARM_UP_ROUNDS) {
            warmUp[warmUpRounds] = round(operationsPerRound, operations, 0);
            warmUpRounds++;
            boolean stable = warmUp[warmUpRounds - 1] == 0
                    || warmUpRounds >= 2 && warmUp[warmUpRounds - 1] == warmUp[warmUpRounds - 2];
            if (warmUpRounds >= MIN_WARM_UP_ROUNDS && stable) {
                break;
            }
        }
        long cost = Math.min(readingCost(), Math.min(readingCost(), readingCost()));
        long[] measured = new long[MEASURED_ROUNDS];
        for (int r = 0; r < MEASURED_ROUNDS; r++) {
            measured[r] = round(operationsPerRound, operations, cost);
        }
        return new SteadyState(operationsPerRound, Arrays.copyOf(warmUp, warmUpRounds), measured);
    }

    private static long round(int count, Operations operations, long readingCost) throws Exception {
        long before = allocatedBytes();
        operations.run(count);
        return allocatedBytes() - before - readingCost;
    }
}
