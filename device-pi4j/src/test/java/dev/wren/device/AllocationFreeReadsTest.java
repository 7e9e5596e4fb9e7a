package dev.wren.device;

import dev.wren.device.bh1750.Bh1750Driver;
import dev.wren.device.bh1750.Bh1750Mode;
import dev.wren.device.bme280.Bme280Config;
import dev.wren.device.bme280.Bme280Driver;
import dev.wren.device.ds18b20.Ds18b20Bus;
import dev.wren.device.ds18b20.Ds18b20Sensor;
import dev.wren.device.gpio.DebouncedInput;
import dev.wren.device.gpio.InputEventHandler;
import dev.wren.device.gpio.Relay;
import dev.wren.device.gpio.RelayConfig;
import dev.wren.device.sht.ShtDriver;
import dev.wren.device.sht.ShtModel;
import dev.wren.device.sim.SimulatedBh1750;
import dev.wren.device.sim.SimulatedBme280;
import dev.wren.device.sim.SimulatedClock;
import dev.wren.device.sim.SimulatedDigitalInput;
import dev.wren.device.sim.SimulatedDigitalOutput;
import dev.wren.device.sim.SimulatedEnvironment;
import dev.wren.device.sim.SimulatedOneWire;
import dev.wren.device.sim.SimulatedSht;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves "no object allocated per reading": counts the bytes the current thread allocates
 * (com.sun.management.ThreadMXBean#getThreadAllocatedBytes) over many reads on the simulated IO and prints the
 * figure. The same loop runs in rounds: early rounds include class loading and JIT tier changes (a deoptimisation
 * can rematerialise a scalar-replaced object, tens of bytes once); the last round is steady state and must be 0.
 * An allocation per reading would show as at least 16 bytes × 100 000 in every round.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AllocationFreeReadsTest {
    static final int ROUNDS = 4;
    static final int MEASURED = 100_000;
    private static com.sun.management.ThreadMXBean threads;

    @BeforeAll
    static void enableAllocationCounting() {
        threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported(), "JVM cannot count allocated bytes");
        threads.setThreadAllocatedMemoryEnabled(true);
    }

    /** A body run many times; checked exceptions pass through. */
    interface Body {
        void run(int i) throws Exception;
    }

    /** Runs {@code body} MEASURED times per round, ROUNDS rounds; prints each round; returns the last round's bytes. */
    static long allocatedBytes(String what, Body body) throws Exception {
        long[] perRound = new long[ROUNDS];
        int i = 0;
        for (int round = 0; round < ROUNDS; round++) {
            perRound[round] = measureRound(body, i);
            i += MEASURED;
        }
        System.out.println("allocation: " + what + ": bytes per round of " + MEASURED + " operations "
                + java.util.Arrays.toString(perRound));
        return perRound[ROUNDS - 1];
    }

    private static long measureRound(Body body, int first) throws Exception {
        long tid = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(tid);
        for (int i = first; i < first + MEASURED; i++) {
            body.run(i);
        }
        return threads.getThreadAllocatedBytes(tid) - before;
    }

    @Test
    void bme280ReadsAllocateNothing() throws Exception {
        SimulatedClock clock = new SimulatedClock(0);
        SimulatedEnvironment environment = new SimulatedEnvironment(clock, 7);
        Bme280Driver driver = new Bme280Driver(new SimulatedBme280(1, 0x76, 0x60, environment),
                Bme280Config.WEATHER_MONITORING, Pause.NONE);
        ClimateReading reading = new ClimateReading();
        assertEquals(0, allocatedBytes("BME280 read (drifting climate)", i -> {
            clock.advanceMillis(1000);
            driver.read(reading);
        }));
        assertTrue(reading.temperatureCelsius() > 5 && reading.temperatureCelsius() < 35);
    }

    @Test
    void debouncedInputEventsAllocateNothingFromEdgeToHandler() throws Exception {
        SimulatedClock clock = new SimulatedClock(0);
        SimulatedDigitalInput line = new SimulatedDigitalInput("sim line 17", clock, false);
        DebouncedInput button = new DebouncedInput(line, true, 20, 256);
        long[] events = new long[1];
        InputEventHandler handler = (active, nanos) -> events[0]++;
        assertEquals(0, allocatedBytes("debounced input bounce burst + drain", i -> {
            line.bounce(i % 2 == 0, 5, 200_000);
            clock.advanceMillis(25);
            button.drain(clock.getAsLong(), handler);
        }));
        assertEquals(ROUNDS * MEASURED, events[0], "every burst gives exactly one event");
    }

    @Test
    void relaySwitchingAllocatesNothing() throws Exception {
        SimulatedClock clock = new SimulatedClock(0);
        Relay relay = new Relay(new SimulatedDigitalOutput("sim line 27", clock, 4), new RelayConfig("fan", true,
                false, 500, null), clock);
        assertEquals(0, allocatedBytes("relay set + read-back + max on-time", i -> {
            relay.set(i % 3 != 0);
            clock.advanceMillis(200);
            relay.enforceMaxOnTime();
        }));
        assertTrue(relay.switchCount() > MEASURED / 2);
    }

    @Test
    void shtReadsAllocateNothing() throws Exception {
        for (ShtModel model : ShtModel.values()) {
            SimulatedClock clock = new SimulatedClock(0);
            ShtDriver driver = new ShtDriver(new SimulatedSht(1, 0x44, model, new SimulatedEnvironment(clock, 9)),
                    model, Pause.NONE);
            ClimateReading reading = new ClimateReading();
            assertEquals(0, allocatedBytes(model + " read", i -> {
                clock.advanceMillis(1000);
                driver.read(reading);
            }));
        }
    }

    @Test
    void bh1750ReadsAllocateNothing() throws Exception {
        SimulatedClock clock = new SimulatedClock(0);
        Bh1750Driver driver = new Bh1750Driver(new SimulatedBh1750(1, 0x23, new SimulatedEnvironment(clock, 11)),
                Bh1750Mode.ONE_TIME_HIGH_RES, Bh1750Driver.DEFAULT_MT, Pause.NONE);
        double[] sum = new double[1];
        assertEquals(0, allocatedBytes("BH1750 one-time read", i -> {
            clock.advanceMillis(1000);
            sum[0] += driver.readLux();
        }));
        assertTrue(sum[0] >= 0);
    }

    @Test
    void ds18b20SysfsReadsAllocateNothing(@TempDir Path root) throws Exception {
        SimulatedOneWire w1 = new SimulatedOneWire(root);
        w1.setCelsius("28-0316a2794cff", 21.0625);
        try (Ds18b20Sensor sensor = new Ds18b20Bus(root).open("28-0316a2794cff")) {
            double[] sum = new double[1];
            assertEquals(0, allocatedBytes("DS18B20 w1_slave read + parse", i -> sum[0] += sensor.readCelsius()));
            assertEquals(4 * MEASURED * 21.0625, sum[0], 1e-6);
        }
    }
}
