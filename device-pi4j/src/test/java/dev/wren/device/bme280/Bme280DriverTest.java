package dev.wren.device.bme280;

import dev.wren.device.ClimateReading;
import dev.wren.device.DeviceException;
import dev.wren.device.DeviceException.Reason;
import dev.wren.device.Pause;
import dev.wren.device.sim.SimulatedBme280;
import dev.wren.device.sim.SimulatedClock;
import dev.wren.device.sim.SimulatedEnvironment;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real driver over the register-level simulated chip. */
class Bme280DriverTest {
    private final SimulatedClock clock = new SimulatedClock(0);
    private final SimulatedEnvironment environment = new SimulatedEnvironment(clock, 42);

    @Test
    void datasheetGoldenVectorThroughTheRegistersGives2508And100653() throws DeviceException {
        SimulatedBme280 chip = new SimulatedBme280(1, 0x76, 0x60, environment);
        chip.setRawAdc(519888, 415148, 0x6000);   // BMP280 §3.12 raw words
        Bme280Driver driver = new Bme280Driver(chip, Bme280Config.WEATHER_MONITORING, Pause.NONE);
        ClimateReading r = new ClimateReading();
        driver.read(r);
        assertEquals(25.08, r.temperatureCelsius(), 1e-9);
        assertEquals(100653, (long) r.pressurePascals());
        assertEquals(25767233 / 256.0, r.pressurePascals(), 0.0);  // Q24.8 exactly
        assertEquals(1006.53, r.pressureHectopascals(), 0.01);
        assertTrue(r.humidityPercent() > 0 && r.humidityPercent() < 100, "humidity " + r.humidityPercent());
    }

    @Test
    void readsTheSimulatedClimateBackWithinOneResolutionStep() throws DeviceException {
        environment.hold(18.5, 63.0, 98_765.0, 0);
        Bme280Driver driver = new Bme280Driver(new SimulatedBme280(1, 0x77, 0x60, environment),
                Bme280Config.WEATHER_MONITORING, Pause.NONE);
        ClimateReading r = new ClimateReading();
        driver.read(r);
        assertEquals(18.5, r.temperatureCelsius(), 0.011);
        assertEquals(63.0, r.humidityPercent(), 0.05);
        assertEquals(98_765.0, r.pressurePascals(), 1.0);
    }

    @Test
    void driftingClimateStaysPlausibleOverADay() throws DeviceException {
        Bme280Driver driver = new Bme280Driver(new SimulatedBme280(1, 0x76, 0x60, environment),
                Bme280Config.WEATHER_MONITORING, Pause.NONE);
        ClimateReading r = new ClimateReading();
        double min = Double.MAX_VALUE, max = -Double.MAX_VALUE;
        for (int minute = 0; minute < 24 * 60; minute += 10) {
            clock.advanceMillis(600_000);
            driver.read(r);
            assertTrue(r.humidityPercent() >= 10 && r.humidityPercent() <= 95, "humidity " + r.humidityPercent());
            assertTrue(r.pressurePascals() >= 95_000 && r.pressurePascals() <= 105_000, "pressure " + r.pressurePascals());
            min = Math.min(min, r.temperatureCelsius());
            max = Math.max(max, r.temperatureCelsius());
        }
        assertTrue(min >= 5 && max <= 35, min + ".." + max);
        assertTrue(max - min > 2, "a day should show the daily cycle, got " + min + ".." + max);
    }

    @Test
    void bmp280IsAcceptedAndReportsNoHumidity() throws DeviceException {
        environment.hold(21.0, 40.0, 101_000.0, 0);
        Bme280Driver driver = new Bme280Driver(new SimulatedBme280(1, 0x76, 0x58, environment),
                Bme280Config.WEATHER_MONITORING, Pause.NONE);
        assertFalse(driver.hasHumidity());
        assertEquals(Bme280Driver.CHIP_ID_BMP280, driver.chipId());
        ClimateReading r = new ClimateReading();
        driver.read(r);
        assertEquals(21.0, r.temperatureCelsius(), 0.011);
        assertTrue(Double.isNaN(r.humidityPercent()));
    }

    @Test
    void wrongChipIdIsRejectedNamingWhatWasFoundAndWhere() {
        DeviceException e = assertThrows(DeviceException.class, () -> new Bme280Driver(
                new SimulatedBme280(3, 0x77, 0x61, environment), Bme280Config.WEATHER_MONITORING, Pause.NONE));
        assertEquals(Reason.WRONG_CHIP_ID, e.reason());
        assertTrue(e.getMessage().contains("i2c bus 3 address 0x77"), e.getMessage());
        assertTrue(e.getMessage().contains("chip id 0x61 found"), e.getMessage());
    }

    @Test
    void missingChipIsReportedWithBusAndAddress() {
        SimulatedBme280 chip = new SimulatedBme280(1, 0x76, 0x60, environment);
        chip.setResponding(false);
        DeviceException e = assertThrows(DeviceException.class,
                () -> new Bme280Driver(chip, Bme280Config.WEATHER_MONITORING, Pause.NONE));
        assertEquals(Reason.NOT_RESPONDING, e.reason());
        assertTrue(e.getMessage().startsWith("i2c bus 1 address 0x76"), e.getMessage());
    }

    @Test
    void sensorUnpluggedAfterStartFailsTheReadLeavesTheHolderAndRecovers() throws DeviceException {
        environment.hold(20.0, 50.0, 100_000.0, 0);
        SimulatedBme280 chip = new SimulatedBme280(1, 0x76, 0x60, environment);
        Bme280Driver driver = new Bme280Driver(chip, Bme280Config.WEATHER_MONITORING, Pause.NONE);
        ClimateReading r = new ClimateReading();
        driver.read(r);
        chip.setResponding(false);
        environment.hold(30.0, 50.0, 100_000.0, 0);
        assertEquals(Reason.NOT_RESPONDING, assertThrows(DeviceException.class, () -> driver.read(r)).reason());
        assertEquals(20.0, r.temperatureCelsius(), 0.011);
        assertEquals(1, driver.rejections().count(Reason.NOT_RESPONDING));
        chip.setResponding(true);
        driver.read(r);
        assertEquals(30.0, r.temperatureCelsius(), 0.011);
    }

    @Test
    void waitsTheSection91MaximumMeasurementTimeBeforeReading() throws DeviceException {
        long[] waited = new long[1];
        Bme280Config x16 = new Bme280Config(2, 16, 1, 4);
        Bme280Driver driver = new Bme280Driver(new SimulatedBme280(1, 0x76, 0x60, environment), x16,
                micros -> waited[0] += micros);
        waited[0] = 0;
        driver.read(new ClimateReading());
        // 1.25 + 2.3·2 + (2.3·16 + 0.575) + (2.3·1 + 0.575) ms = 46.1 ms
        assertEquals(46_100, driver.measurementMicros());
        assertEquals(46_100, waited[0]);
    }

    @Test
    void aChipThatStaysBusyTimesOutNamingTheDevice() throws DeviceException {
        SimulatedBme280 chip = new SimulatedBme280(1, 0x76, 0x60, environment);
        Bme280Driver driver = new Bme280Driver(chip, Bme280Config.WEATHER_MONITORING, Pause.NONE);
        chip.setBusyStatusReads(3);
        driver.read(new ClimateReading());          // busy for 3 polls: still within the poll budget
        chip.setBusyStatusReads(1000);
        DeviceException e = assertThrows(DeviceException.class, () -> driver.read(new ClimateReading()));
        assertEquals(Reason.TIMEOUT, e.reason());
        assertTrue(e.getMessage().contains("0x76"), e.getMessage());
    }

    @Test
    void skippedPressureReadsAsNaNAndTemperatureStillCounts() throws DeviceException {
        environment.hold(22.0, 45.0, 100_000.0, 0);
        Bme280Driver driver = new Bme280Driver(new SimulatedBme280(1, 0x76, 0x60, environment),
                new Bme280Config(1, 0, 1, 0), Pause.NONE);
        ClimateReading r = new ClimateReading();
        driver.read(r);
        assertEquals(22.0, r.temperatureCelsius(), 0.011);
        assertTrue(Double.isNaN(r.pressurePascals()));
        assertEquals(45.0, r.humidityPercent(), 0.05);
    }

    @Test
    void temperatureOutsideTheOperatingRangeIsRejectedAndCounted() throws DeviceException {
        SimulatedBme280 chip = new SimulatedBme280(1, 0x76, 0x60, environment);
        Bme280Driver driver = new Bme280Driver(chip, Bme280Config.WEATHER_MONITORING, Pause.NONE);
        chip.setRawAdc(900_000, 415148, 0x6000);   // far above 85 °C with this calibration
        ClimateReading r = new ClimateReading();
        DeviceException e = assertThrows(DeviceException.class, () -> driver.read(r));
        assertEquals(Reason.OUT_OF_RANGE, e.reason());
        assertTrue(e.getMessage().contains("outside -40..85 °C"), e.getMessage());
        assertTrue(Double.isNaN(r.temperatureCelsius()), "holder untouched");
        assertEquals(1, driver.rejections().count(Reason.OUT_OF_RANGE));
    }

    @Test
    void badOversamplingIsRefusedNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Bme280Config(3, 1, 1, 0));
        assertTrue(e.getMessage().contains("temperatureOversampling 3"), e.getMessage());
    }
}
