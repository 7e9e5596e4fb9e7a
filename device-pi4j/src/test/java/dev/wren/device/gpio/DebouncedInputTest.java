package dev.wren.device.gpio;

import dev.wren.device.DeviceException;
import dev.wren.device.sim.SimulatedClock;
import dev.wren.device.sim.SimulatedDigitalInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DebouncedInputTest {
    private final SimulatedClock clock = new SimulatedClock(1_000_000_000L);
    private final SimulatedDigitalInput line = new SimulatedDigitalInput("sim line 5", clock, true);

    /** Records events in primitive arrays, like the node's loop would. */
    static final class Recorder implements InputEventHandler {
        final boolean[] active = new boolean[1024];
        final long[] nanos = new long[1024];
        int count;

        @Override
        public void onInputEvent(boolean active, long timestampNanos) {
            this.active[count] = active;
            this.nanos[count] = timestampNanos;
            count++;
        }
    }

    @Test
    void buttonBounceBurstGivesOnePressAfterTheWindow() throws DeviceException {
        DebouncedInput button = new DebouncedInput(line, true, 30, 64);   // pull-up, contact to ground
        Recorder rec = new Recorder();
        assertFalse(button.active());
        long pressNanos = clock.getAsLong();
        line.bounce(false, 7, 500_000);                                    // 7 edges 0.5 ms apart, ends low
        assertEquals(0, button.drain(clock.getAsLong(), rec), "not settled yet");
        clock.advanceMillis(29);
        assertEquals(0, button.drain(clock.getAsLong(), rec));
        assertTrue(button.nanosUntilSettled(clock.getAsLong()) > 0);
        clock.advanceMillis(5);
        assertEquals(1, button.drain(clock.getAsLong(), rec));
        assertTrue(rec.active[0], "pressed = active");
        assertEquals(pressNanos + 6 * 500_000, rec.nanos[0], "stamped with the edge that started the stable level");
        assertTrue(button.active());
        assertEquals(Long.MAX_VALUE, button.nanosUntilSettled(clock.getAsLong()));
    }

    @Test
    void aGlitchShorterThanTheWindowProducesNoEvent() throws DeviceException {
        DebouncedInput door = new DebouncedInput(line, false, 50, 16);
        Recorder rec = new Recorder();
        line.set(false);
        clock.advanceMillis(10);
        line.set(true);
        clock.advanceMillis(100);
        assertEquals(0, door.drain(clock.getAsLong(), rec));
        assertEquals(0, door.eventCount());
    }

    @Test
    void pirWithoutDebounceReportsEachEdgeInOrder() throws DeviceException {
        SimulatedDigitalInput pir = new SimulatedDigitalInput("sim line 4", clock, false);
        DebouncedInput motion = new DebouncedInput(pir, false, 0, 16);
        Recorder rec = new Recorder();
        pir.set(true);
        clock.advanceMillis(2000);
        pir.set(false);
        clock.advanceMillis(10);
        pir.set(true);
        assertEquals(3, motion.drain(clock.getAsLong(), rec));
        assertTrue(rec.active[0]);
        assertFalse(rec.active[1]);
        assertTrue(rec.active[2]);
        assertEquals(rec.nanos[0] + 2_000_000_000L, rec.nanos[1]);
    }

    @Test
    void nodeThatStopsDrainingLosesIntermediateEventsButNeverTheFinalState() throws DeviceException {
        SimulatedDigitalInput pir = new SimulatedDigitalInput("sim line 4", clock, false);
        DebouncedInput motion = new DebouncedInput(pir, false, 0, 4);
        Recorder rec = new Recorder();
        for (int i = 0; i < 11; i++) {                 // 11 edges into a ring of 4: ends high
            clock.advanceMillis(1);
            pir.set(i % 2 == 0);
        }
        assertEquals(7, motion.overflowCount());
        motion.drain(clock.getAsLong(), rec);
        assertTrue(motion.active(), "final level high");
        assertTrue(rec.active[rec.count - 1]);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void eventsCrossFromTheGpioThreadToTheNodeThreadInOrder() throws Exception {
        SimulatedDigitalInput pir = new SimulatedDigitalInput("sim line 4", System::nanoTime, false);
        DebouncedInput motion = new DebouncedInput(pir, false, 0, 1024);
        int edges = 200_000;
        Thread gpio = new Thread(() -> {
            for (int i = 0; i < edges; i++) {
                pir.set(i % 2 == 0);
                if ((i & 255) == 255) {
                    Thread.yield();
                }
            }
        }, "sim-gpio");
        boolean[] expectActive = {true};
        long[] lastNanos = {Long.MIN_VALUE};
        int[] count = {0};
        InputEventHandler checker = (active, nanos) -> {
            if (active != expectActive[0] || nanos < lastNanos[0]) {
                throw new AssertionError("event " + count[0] + " out of order");
            }
            expectActive[0] = !active;
            lastNanos[0] = nanos;
            count[0]++;
        };
        gpio.start();
        while (gpio.isAlive()) {
            motion.drain(System.nanoTime(), checker);
        }
        gpio.join();
        motion.drain(System.nanoTime(), checker);
        assertFalse(motion.active(), "an even number of edges ends low");
        if (motion.overflowCount() == 0) {
            assertEquals(edges, count[0]);
        } else {
            assertTrue(count[0] > 0 && count[0] < edges, "count " + count[0]);
        }
    }

    @Test
    void badConfigurationIsRefusedNamingTheValue() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new DebouncedInput(line, false, 10, 100))
                .getMessage().contains("ringCapacity 100"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new DebouncedInput(line, false, -1, 16))
                .getMessage().contains("debounceMillis -1"));
    }

    @Test
    void closeReleasesTheLineAndStopsEvents() throws DeviceException {
        DebouncedInput in = new DebouncedInput(line, false, 0, 16);
        in.close();
        line.set(false);
        assertEquals(0, in.drain(clock.getAsLong(), new Recorder()));
        assertTrue(line.isClosed());
    }
}
