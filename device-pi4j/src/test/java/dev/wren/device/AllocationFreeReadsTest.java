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
import dev.wren.mqtt.testing.AllocationMeter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves "no object allocated per reading": counts the bytes the current thread allocates over rounds of reads on
 * the simulated IO with {@link AllocationMeter#assertSteadyStateAllocatesNothing} (client-core's test support), which
 * warms up until the figure is stable (class loading, JIT tier changes, a deoptimisation rematerialising a
 * scalar-replaced object) and then requires the median of the measured rounds to be 0 bytes. An allocation per
 * reading would show as at least 16 bytes x {@value #PER_ROUND} in every round.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AllocationFreeReadsTest {
    static final int PER_ROUND = 20_000;

    /** A body run many times with a running index; checked exceptions pass through. */
    interface Body {
        void run(int i) throws Exception;
    }

    /** Runs {@code body} in rounds with a running index and asserts that the steady state allocates nothing. */
    static AllocationMeter.SteadyState assertAllocatesNothing(String what, Body body) throws Exception {
        int[] next = new int[1];
        return AllocationMeter.assertSteadyStateAllocatesNothing(what, PER_ROUND, n -> {
            int first = next[0];
            for (int i = first; i < first + n; i++) {
                body.run(i);
            }
            next[0] = first + n;
        });
    }

    @Test
    void bme280ReadsAllocateNothing() throws Exception {
        SimulatedClock clock = new SimulatedClock(0);
        SimulatedEnvironment environment = new SimulatedEnvironment(clock, 7);
        Bme280Driver driver = new Bme280Driver(new SimulatedBme280(1, 0x76, 0x60, environment),
                Bme280Config.WEATHER_MONITORING, Pause.NONE);
        ClimateReading reading = new ClimateReading();
        assertAllocatesNothing("BME280 read (drifting climate)", i -> {
            clock.advanceMillis(1000);
            driver.read(reading);
        });
        assertTrue(reading.temperatureCelsius() > 5 && reading.temperatureCelsius() < 35);
    }

    @Test
    void debouncedInputEventsAllocateNothingFromEdgeToHandler() throws Exception {
        SimulatedClock clock = new SimulatedClock(0);
        SimulatedDigitalInput line = new SimulatedDigitalInput("sim line 17", clock, false);
        DebouncedInput button = new DebouncedInput(line, true, 20, 256);
        long[] events = new long[1];
        InputEventHandler handler = (active, nanos) -> events[0]++;
        AllocationMeter.SteadyState s = assertAllocatesNothing("debounced input bounce burst + drain", i -> {
            line.bounce(i % 2 == 0, 5, 200_000);
            clock.advanceMillis(25);
            button.drain(clock.getAsLong(), handler);
        });
        assertEquals(s.operations(), events[0], "every burst gives exactly one event");
    }

    @Test
    void relaySwitchingAllocatesNothing() throws Exception {
        SimulatedClock clock = new SimulatedClock(0);
        Relay relay = new Relay(new SimulatedDigitalOutput("sim line 27", clock, 4), new RelayConfig("fan", true,
                false, 500, null), clock);
        assertAllocatesNothing("relay set + read-back + max on-time", i -> {
            relay.set(i % 3 != 0);
            clock.advanceMillis(200);
            relay.enforceMaxOnTime();
        });
        assertTrue(relay.switchCount() > PER_ROUND / 2);
    }

    @Test
    void shtReadsAllocateNothing() throws Exception {
        for (ShtModel model : ShtModel.values()) {
            SimulatedClock clock = new SimulatedClock(0);
            ShtDriver driver = new ShtDriver(new SimulatedSht(1, 0x44, model, new SimulatedEnvironment(clock, 9)),
                    model, Pause.NONE);
            ClimateReading reading = new ClimateReading();
            assertAllocatesNothing(model + " read", i -> {
                clock.advanceMillis(1000);
                driver.read(reading);
            });
        }
    }

    @Test
    void bh1750ReadsAllocateNothing() throws Exception {
        SimulatedClock clock = new SimulatedClock(0);
        Bh1750Driver driver = new Bh1750Driver(new SimulatedBh1750(1, 0x23, new SimulatedEnvironment(clock, 11)),
                Bh1750Mode.ONE_TIME_HIGH_RES, Bh1750Driver.DEFAULT_MT, Pause.NONE);
        double[] sum = new double[1];
        assertAllocatesNothing("BH1750 one-time read", i -> {
            clock.advanceMillis(1000);
            sum[0] += driver.readLux();
        });
        assertTrue(sum[0] >= 0);
    }

    @Test
    void ds18b20SysfsReadsAllocateNothing(@TempDir Path root) throws Exception {
        SimulatedOneWire w1 = new SimulatedOneWire(root);
        w1.setCelsius("28-0316a2794cff", 21.0625);
        try (Ds18b20Sensor sensor = new Ds18b20Bus(root).open("28-0316a2794cff")) {
            double[] sum = new double[1];
            AllocationMeter.SteadyState s = assertAllocatesNothing("DS18B20 w1_slave read + parse",
                    i -> sum[0] += sensor.readCelsius());
            assertEquals(s.operations() * 21.0625, sum[0], 1e-6);
        }
    }
}
