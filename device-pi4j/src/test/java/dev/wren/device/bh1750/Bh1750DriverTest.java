package dev.wren.device.bh1750;

import dev.wren.device.DeviceException;
import dev.wren.device.DeviceException.Reason;
import dev.wren.device.Pause;
import dev.wren.device.sim.SimulatedBh1750;
import dev.wren.device.sim.SimulatedClock;
import dev.wren.device.sim.SimulatedEnvironment;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Bh1750DriverTest {
    private final SimulatedEnvironment environment = new SimulatedEnvironment(new SimulatedClock(0), 5);

    @Test
    void technicalNoteReadFormatExample0x8390Is28067Lux() throws DeviceException {
        // "I²C Bus Access, 4) Read Format": High Byte 1000_0011, Low Byte 1001_0000
        // → (2^15 + 2^9 + 2^8 + 2^7 + 2^4) / 1.2 ≈ 28067 lx. The count itself is 0x8390 = 33680.
        assertEquals(33680, 0x8390);
        SimulatedBh1750 chip = new SimulatedBh1750(1, 0x23, environment);
        chip.setRawCount(0x8390);
        Bh1750Driver driver = new Bh1750Driver(chip, Bh1750Mode.ONE_TIME_HIGH_RES, Bh1750Driver.DEFAULT_MT, Pause.NONE);
        double lux = driver.readLux();
        assertEquals(28067, Math.round(lux));
        assertEquals(33680 / 1.2, lux, 1e-9);
    }

    @Test
    void mtregAndMode2ScaleTheCountAsTheOpticalWindowSectionSays() {
        assertEquals(100.0, Bh1750Driver.lux(120, Bh1750Mode.ONE_TIME_HIGH_RES, 69), 1e-9);
        assertEquals(100.0 * 69 / 138, Bh1750Driver.lux(120, Bh1750Mode.ONE_TIME_HIGH_RES, 138), 1e-9);
        assertEquals(50.0, Bh1750Driver.lux(120, Bh1750Mode.ONE_TIME_HIGH_RES_2, 69), 1e-9);
    }

    @Test
    void measurementTimeRegisterIsSentAsHighAndLowBitOpcodes() throws DeviceException {
        SimulatedBh1750 chip = new SimulatedBh1750(1, 0x5C, environment);
        new Bh1750Driver(chip, Bh1750Mode.CONTINUOUS_HIGH_RES, 254, Pause.NONE);
        assertEquals(254, chip.measurementTimeRegister());
    }

    @Test
    void oneTimeModeWaitsTheMaximumTimeScaledByMtreg() throws DeviceException {
        long[] waited = new long[1];
        Bh1750Driver driver = new Bh1750Driver(new SimulatedBh1750(1, 0x23, environment),
                Bh1750Mode.ONE_TIME_HIGH_RES, 138, micros -> waited[0] = micros);
        driver.readLux();
        assertEquals(360_000, waited[0], "180 ms × 138/69");
    }

    @Test
    void readsTheSimulatedLightBackInEveryMode() throws DeviceException {
        environment.hold(20, 50, 100_000, 321.0);
        for (Bh1750Mode mode : Bh1750Mode.values()) {
            Bh1750Driver driver = new Bh1750Driver(new SimulatedBh1750(1, 0x23, environment), mode, 69, Pause.NONE);
            assertEquals(321.0, driver.readLux(), 0.9, mode.toString());
        }
    }

    @Test
    void oneTimeModePowersOnBeforeEachMeasurementAsTheMeasurementProcedureShows() throws DeviceException {
        SimulatedBh1750 chip = new SimulatedBh1750(1, 0x23, environment);
        Bh1750Driver driver = new Bh1750Driver(chip, Bh1750Mode.ONE_TIME_HIGH_RES_2, 69, Pause.NONE);
        for (int i = 0; i < 3; i++) {
            driver.readLux();
        }
        assertEquals(3, chip.measurementCount());
        assertEquals(4, chip.powerOnCount(), "one at start, one per one-time measurement");
    }

    @Test
    void saturationIsRejectedAndCounted() throws DeviceException {
        SimulatedBh1750 chip = new SimulatedBh1750(1, 0x23, environment);
        chip.setRawCount(0xFFFF);
        Bh1750Driver driver = new Bh1750Driver(chip, Bh1750Mode.CONTINUOUS_HIGH_RES, 69, Pause.NONE);
        DeviceException e = assertThrows(DeviceException.class, driver::readLux);
        assertEquals(Reason.OUT_OF_RANGE, e.reason());
        assertTrue(e.getMessage().contains("saturated"), e.getMessage());
        assertEquals(1, driver.rejections().count(Reason.OUT_OF_RANGE));
    }

    @Test
    void missingSensorIsReportedWithBusAndAddress() {
        SimulatedBh1750 chip = new SimulatedBh1750(1, 0x5C, environment);
        chip.setResponding(false);
        DeviceException e = assertThrows(DeviceException.class,
                () -> new Bh1750Driver(chip, Bh1750Mode.ONE_TIME_HIGH_RES, 69, Pause.NONE));
        assertEquals(Reason.NOT_RESPONDING, e.reason());
        assertTrue(e.getMessage().startsWith("i2c bus 1 address 0x5c"), e.getMessage());
    }

    @Test
    void mtregOutsideTheDatasheetRangeIsRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Bh1750Driver(
                new SimulatedBh1750(1, 0x23, environment), Bh1750Mode.ONE_TIME_HIGH_RES, 30, Pause.NONE))
                .getMessage().contains("MTreg 30"));
    }
}
