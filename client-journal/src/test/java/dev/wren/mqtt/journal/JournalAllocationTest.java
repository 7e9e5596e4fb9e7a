package dev.wren.mqtt.journal;

import dev.wren.mqtt.MonotonicClock;
import dev.wren.mqtt.testing.AllocationMeter;
import dev.wren.mqtt.testing.FakeClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The journal's steady state allocates nothing: append, take, read, assign a packet id, release, remove and
 * force, 0 bytes per cycle in the steady state ({@link AllocationMeter#assertSteadyStateAllocatesNothing}).
 */
@Timeout(120)
class JournalAllocationTest {

    /** Cycles per measured round. */
    private static final int CYCLES = 10_000;
    /** Cycles per measured round when records are forced to the disk (a force costs about a millisecond). */
    private static final int SYNCED_CYCLES = 100;

    @TempDir
    Path dir;

    private final byte[] frame = JournalTest.frame(12345, 40);
    private final byte[] readBack = new byte[JournalTest.MAX_FRAME];
    private int checksum;

    @Test
    void appendTakeReadRemoveAllocateNothing() throws Exception {
        try (Journal j = JournalTest.open(dir.resolve("a.journal"), 1 << 20, JournalTest.MAX_FRAME, 16, 0, 0,
                MonotonicClock.SYSTEM)) {
            assertZeroAllocation(j, CYCLES, "without forcing");
        }
    }

    @Test
    void forcingEveryRecordAllocatesNothing() throws Exception {
        try (Journal j = JournalTest.open(dir.resolve("b.journal"), 1 << 20, JournalTest.MAX_FRAME, 16, 1, 0,
                MonotonicClock.SYSTEM)) {
            long cycles = assertZeroAllocation(j, SYNCED_CYCLES, "forcing every record");
            assertEquals(3 * cycles, j.syncCount(), "one force per append: 3 appends per cycle");
        }
    }

    @Test
    void forcingByTimeAllocatesNothing() throws Exception {
        FakeClock clock = new FakeClock();
        try (Journal j = JournalTest.open(dir.resolve("c.journal"), 1 << 20, JournalTest.MAX_FRAME, 16, 0, 5, clock)) {
            assertZeroAllocation(j, SYNCED_CYCLES, "forcing by time", clock);
        }
    }

    private long assertZeroAllocation(Journal j, int cycles, String mode) throws Exception {
        return assertZeroAllocation(j, cycles, mode, null);
    }

    /** Returns the number of cycles run in all. */
    private long assertZeroAllocation(Journal j, int cycles, String mode, FakeClock clock) throws Exception {
        long total = AllocationMeter.assertSteadyStateAllocatesNothing("journal " + mode
                + " (cycles of 3 appends, takes, reads, removes)", cycles, n -> checksum += run(j, n, clock))
                .operations();
        assertEquals(0, j.liveCount());
        return total;
    }

    /** Each cycle: 3 appends (one of them QoS 2-style: id assigned, released), then take, read, remove all three. */
    private int run(Journal j, int cycles, FakeClock clock) throws IOException {
        int checksum = 0;
        for (int i = 0; i < cycles; i++) {
            j.append(frame, 0, frame.length, 0);
            j.append(frame, 0, frame.length, 1 + i % 65535);
            j.append(frame, 0, frame.length, 0);
            int a = j.take();
            int b = j.take();
            int c = j.take();
            checksum += j.read(b, readBack, 0) + readBack[7];
            j.assignPacketId(a, 7);
            j.release(a);
            j.remove(b); // out of order
            j.remove(a);
            j.remove(c);
            if (clock != null) {
                clock.advanceMillis(3);
                j.syncIfDue();
            }
        }
        return checksum;
    }
}
