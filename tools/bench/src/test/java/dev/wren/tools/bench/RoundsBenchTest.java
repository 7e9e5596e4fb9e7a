package dev.wren.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The rounds table's arithmetic and the probe's CPU readings. */
class RoundsBenchTest {

    @Test
    void eachRoundStartsOneContenderLaterAndRunsEveryOneOnce() {
        List<String> c = List.of("raw", "wren", "paho");
        assertEquals(List.of("raw", "wren", "paho"), RoundsBench.rotated(c, 0));
        assertEquals(List.of("wren", "paho", "raw"), RoundsBench.rotated(c, 1));
        assertEquals(List.of("paho", "raw", "wren"), RoundsBench.rotated(c, 2));
        assertEquals(List.of("raw", "wren", "paho"), RoundsBench.rotated(c, 3));
    }

    @Test
    void medianIsTheMiddleValueOrTheMeanOfTheMiddleTwoNeverTheBest() {
        assertEquals(3.0, RoundsBench.median(List.of(9.0, 1.0, 3.0)));
        assertEquals(2.5, RoundsBench.median(List.of(4.0, 1.0, 2.0, 3.0)));
        assertNull(RoundsBench.median(List.of()));
    }

    @Test
    void processCpuCountsNanosecondsAndGrowsWithWork() {
        long before = Probe.processCpuNanos();
        long spin = System.nanoTime() + 50_000_000L;
        long x = 0;
        while (System.nanoTime() - spin < 0) {
            x += x * 31 + 7;
        }
        long after = Probe.processCpuNanos();
        assertTrue(after - before >= 20_000_000L, "50 ms of spinning counted " + (after - before) + " ns (x=" + x + ")");
        assertTrue(before % 10_000_000L != 0 || after % 10_000_000L != 0, "not in 10 ms ticks: " + before + ", " + after);
    }

    @Test
    void brokerCpuIsReadFromProcStatOfTheGivenPidAndUnknownWithoutOne() {
        assertTrue(Probe.brokerCpuNanos(ProcessHandle.current().pid()) > 0);
        assertEquals(-1, Probe.brokerCpuNanos(-1));
    }
}
