package dev.wren.mqtt.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The allocation assertion every module uses catches one allocation per operation and forgives a stray one. */
@Timeout(60)
class AllocationMeterTest {

    private static final int OPERATIONS = 10_000;

    /** Keeps what the allocating operation makes reachable, so escape analysis cannot remove the allocation. */
    private static volatile Object sink;
    private static long counter;

    @Test
    void anOperationThatAllocatesNothingPasses() throws Exception {
        AllocationMeter.SteadyState s = AllocationMeter.assertSteadyStateAllocatesNothing("counter increment",
                OPERATIONS, n -> {
                    for (int i = 0; i < n; i++) {
                        counter++;
                    }
                });
        assertEquals(0, s.medianBytes());
        assertTrue(s.operations() >= (long) OPERATIONS
                * (AllocationMeter.MIN_WARM_UP_ROUNDS + AllocationMeter.MEASURED_ROUNDS), s.toString());
    }

    @Test
    void oneByteArrayPerOperationFails() {
        AssertionError e = assertThrows(AssertionError.class, () -> AllocationMeter.assertSteadyStateAllocatesNothing(
                "new byte[1] per operation", OPERATIONS, n -> {
                    for (int i = 0; i < n; i++) {
                        sink = new byte[1];
                    }
                }));
        assertTrue(e.getMessage().startsWith("new byte[1] per operation allocates in the steady state"),
                e.getMessage());
    }

    @Test
    void oneObjectEveryHundredOperationsFails() {
        int[] i = new int[1];
        AssertionError e = assertThrows(AssertionError.class, () -> AllocationMeter.assertSteadyStateAllocatesNothing(
                "one byte[1] per 100 operations", OPERATIONS, n -> {
                    for (int k = 0; k < n; k++) {
                        if (++i[0] % 100 == 0) {
                            sink = new byte[1];
                        }
                    }
                }));
        assertTrue(e.getMessage().contains("allocates in the steady state"), e.getMessage());
    }

    @Test
    void aStrayAllocationInTwoOfTheMeasuredRoundsPasses() throws Exception {
        // As the JVM's own work on a busy machine does: an object in a round now and then, not per operation.
        int warmUpAtMost = AllocationMeter.MAX_WARM_UP_ROUNDS;
        int[] rounds = new int[1];
        AllocationMeter.SteadyState s = AllocationMeter.measureSteadyState(OPERATIONS, n -> {
            rounds[0]++;
            for (int i = 0; i < n; i++) {
                counter++;
            }
            // Every warm-up round, and the first two measured ones (the warm-up ends after at least 2 rounds).
            if (rounds[0] <= AllocationMeter.MIN_WARM_UP_ROUNDS + 2) {
                sink = new byte[64];
            }
        });
        assertTrue(rounds[0] <= warmUpAtMost + AllocationMeter.MEASURED_ROUNDS);
        assertEquals(0, s.medianBytes(), s.toString());
    }
}
