package dev.wren.device.sht;

import dev.wren.device.ClimateReading;
import dev.wren.device.DeviceException;
import dev.wren.device.DeviceException.Reason;
import dev.wren.device.Pause;
import dev.wren.device.sim.SimulatedClock;
import dev.wren.device.sim.SimulatedEnvironment;
import dev.wren.device.sim.SimulatedSht;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShtDriverTest {
    private final SimulatedEnvironment environment = new SimulatedEnvironment(new SimulatedClock(0), 3);

    @Test
    void sensirionCrcOf0xBeefIs0x92AsSht3xSection412Table20Gives() {
        assertEquals(0x92, SensirionCrc.crc8(new byte[] {(byte) 0xBE, (byte) 0xEF}, 0, 2));
        // A zero status word is sent as 00 00 81: the init value 0xFF matters, a zero-init CRC would give 0x00.
        assertEquals(0x81, SensirionCrc.crc8(new byte[] {0x00, 0x00}, 0, 2));
    }

    @Test
    void sht3xSection413ConversionAtTheEndsAndMiddleOfTheScale() throws DeviceException {
        SimulatedSht chip = new SimulatedSht(1, 0x44, ShtModel.SHT3X, environment);
        ShtDriver driver = new ShtDriver(chip, ShtModel.SHT3X, Pause.NONE);
        ClimateReading r = new ClimateReading();
        chip.setRawWords(0x0000, 0xFFFF);       // T = -45 + 175·0 → out of range; check RH path separately below
        assertEquals(Reason.OUT_OF_RANGE, assertThrows(DeviceException.class, () -> driver.read(r)).reason());
        chip.setRawWords(0x6666, 0x8000);       // T = -45 + 175·26214/65535 = 25.0 °C; RH = 100·32768/65535
        driver.read(r);
        assertEquals(-45 + 175 * 26214 / 65535.0, r.temperatureCelsius(), 1e-9);
        assertEquals(25.0, r.temperatureCelsius(), 0.001);
        assertEquals(50.0008, r.humidityPercent(), 0.0001);
        assertTrue(Double.isNaN(r.pressurePascals()));
        chip.setRawWords(0x6666, 0xFFFF);
        driver.read(r);
        assertEquals(100.0, r.humidityPercent(), 1e-9);
    }

    @Test
    void sht4xHumidityUsesMinus6Plus125AndIsCroppedTo0And100() throws DeviceException {
        SimulatedSht chip = new SimulatedSht(1, 0x44, ShtModel.SHT4X, environment);
        ShtDriver driver = new ShtDriver(chip, ShtModel.SHT4X, Pause.NONE);
        ClimateReading r = new ClimateReading();
        chip.setRawWords(0x6666, 0x8000);       // RH = -6 + 125·32768/65535 = 56.50 %RH
        driver.read(r);
        assertEquals(-6 + 125 * 32768 / 65535.0, r.humidityPercent(), 1e-9);
        chip.setRawWords(0x6666, 0x0000);       // -6 %RH → cropped to 0
        driver.read(r);
        assertEquals(0.0, r.humidityPercent());
        chip.setRawWords(0x6666, 0xFFFF);       // 119 %RH → cropped to 100
        driver.read(r);
        assertEquals(100.0, r.humidityPercent());
    }

    @ParameterizedTest
    @EnumSource(ShtModel.class)
    void readsTheSimulatedClimateBack(ShtModel model) throws DeviceException {
        environment.hold(23.4, 41.5, 100_000, 0);
        ShtDriver driver = new ShtDriver(new SimulatedSht(1, 0x45, model, environment), model, Pause.NONE);
        ClimateReading r = new ClimateReading();
        driver.read(r);
        assertEquals(23.4, r.temperatureCelsius(), 0.003);
        assertEquals(41.5, r.humidityPercent(), 0.003);
    }

    @Test
    void sht4xSerialNumberIsReadAndCrcCheckedAtStart() throws DeviceException {
        ShtDriver driver = new ShtDriver(new SimulatedSht(1, 0x44, ShtModel.SHT4X, environment), ShtModel.SHT4X,
                Pause.NONE);
        assertEquals(SimulatedSht.SERIAL_NUMBER, driver.identity());
    }

    @Test
    void aCrcMismatchRejectsTheWholeReadingNamesTheWordAndIsCounted() throws DeviceException {
        environment.hold(20.0, 50.0, 100_000, 0);
        SimulatedSht chip = new SimulatedSht(1, 0x44, ShtModel.SHT3X, environment);
        ShtDriver driver = new ShtDriver(chip, ShtModel.SHT3X, Pause.NONE);
        ClimateReading r = new ClimateReading();
        chip.corruptNextCrc();
        DeviceException e = assertThrows(DeviceException.class, () -> driver.read(r));
        assertEquals(Reason.CRC_MISMATCH, e.reason());
        assertTrue(e.getMessage().startsWith("i2c bus 1 address 0x44 SHT3X: humidity word"), e.getMessage());
        assertTrue(Double.isNaN(r.temperatureCelsius()), "the good temperature word is not published either");
        assertEquals(1, driver.rejections().count(Reason.CRC_MISMATCH));
        driver.read(r);
        assertEquals(20.0, r.temperatureCelsius(), 0.003);
    }

    @Test
    void waitsTheDatasheetMaximumBeforeReading() throws DeviceException {
        long[] waited = new long[1];
        ShtDriver driver = new ShtDriver(new SimulatedSht(1, 0x44, ShtModel.SHT4X, environment), ShtModel.SHT4X,
                micros -> waited[0] = micros);
        driver.read(new ClimateReading());
        assertEquals(8_300, waited[0]);
    }

    @Test
    void theWrongFamilyFailsAtStartNamingBusAndAddress() {
        DeviceException e = assertThrows(DeviceException.class, () -> new ShtDriver(
                new SimulatedSht(1, 0x44, ShtModel.SHT4X, environment), ShtModel.SHT3X, Pause.NONE));
        assertEquals(Reason.NOT_RESPONDING, e.reason());
        assertTrue(e.getMessage().startsWith("i2c bus 1 address 0x44"), e.getMessage());
    }

    @Test
    void aMissingSensorIsReportedWithBusAndAddress() {
        SimulatedSht chip = new SimulatedSht(0, 0x45, ShtModel.SHT3X, environment);
        chip.setResponding(false);
        DeviceException e = assertThrows(DeviceException.class, () -> new ShtDriver(chip, ShtModel.SHT3X, Pause.NONE));
        assertTrue(e.getMessage().startsWith("i2c bus 0 address 0x45"), e.getMessage());
    }
}
