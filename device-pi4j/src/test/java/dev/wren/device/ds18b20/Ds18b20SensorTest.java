package dev.wren.device.ds18b20;

import dev.wren.device.DeviceException;
import dev.wren.device.DeviceException.Reason;
import dev.wren.device.sim.SimulatedOneWire;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sensor over a w1-therm sysfs tree written in a temporary directory. */
class Ds18b20SensorTest {
    static final String ID = "28-0316a2794cff";
    @TempDir
    Path root;
    SimulatedOneWire w1;
    Ds18b20Bus bus;

    @BeforeEach
    void tree() {
        w1 = new SimulatedOneWire(root.resolve("devices"));
        bus = new Ds18b20Bus(w1.root());
    }

    @ParameterizedTest(name = "{0} -> {1} °C")
    @CsvSource({
        // DS18B20 datasheet Table 1, "Temperature/Data Relationship" (12-bit)
        "0x07D0, 125",
        "0x0550, 85",       // (accepted here only after a nearby reading; see the power-on tests)
        "0x0191, 25.0625",
        "0x00A2, 10.125",
        "0x0008, 0.5",
        "0x0000, 0",
        "0xFFF8, -0.5",
        "0xFF5E, -10.125",
        "0xFE6F, -25.0625",
        "0xFC90, -55",
    })
    void table1TemperatureDataRelationship(String rawHex, double celsius) throws DeviceException {
        int raw = Integer.decode(rawHex);
        try (Ds18b20Sensor sensor = bus.open(opened(raw == 0x0550 ? 0x0540 : raw))) {   // 84 °C first for 85
            if (raw == 0x0550) {
                sensor.readCelsius();
                w1.setRaw(ID, raw);
            }
            assertEquals(celsius, sensor.readCelsius(), 0.0);
        }
    }

    private String opened(int raw) {
        w1.setRaw(ID, raw);
        return ID;
    }

    @Test
    void crcOfARealKernelLineMatches() {
        // A w1_slave line as the kernel prints it: "72 01 4b 46 7f ff 0e 10 57 : crc=57 YES" (23.125 °C)
        byte[] pad = {0x72, 0x01, 0x4b, 0x46, 0x7f, (byte) 0xff, 0x0e, 0x10};
        assertEquals(0x57, DallasCrc.crc8(pad, 0, 8));
    }

    @Test
    void discoveryListsOnlyDs18b20IdsSorted() throws DeviceException {
        w1.setCelsius("28-00000b0c0d0e", 20);
        w1.setCelsius("28-0000000a0b0c", 21);
        w1.setTemperatureFile("10-000802b4a3d1", 22_000);   // a DS18S20 (family 10), not ours
        assertArrayEquals(new String[] {"28-0000000a0b0c", "28-00000b0c0d0e"}, bus.discover());
    }

    @Test
    void absentBusNamesTheRootAndTheOverlay() {
        DeviceException e = assertThrows(DeviceException.class, () -> new Ds18b20Bus(root.resolve("nope")).discover());
        assertEquals(Reason.NOT_FOUND, e.reason());
        assertTrue(e.getMessage().contains("w1-gpio"), e.getMessage());
    }

    @Test
    void absentSensorNamesItsId() {
        DeviceException e = assertThrows(DeviceException.class, () -> bus.open(ID));
        assertEquals(Reason.NOT_FOUND, e.reason());
        assertTrue(e.getMessage().contains(ID), e.getMessage());
    }

    @Test
    void powerOn85IsSuspectRightAfterStartAndAfterAJump() throws DeviceException {
        w1.powerOnReset(ID);
        Ds18b20Sensor sensor = bus.open(ID);
        DeviceException e = assertThrows(DeviceException.class, sensor::readCelsius);
        assertEquals(Reason.SUSPECT_VALUE, e.reason());
        assertTrue(e.getMessage().contains(ID) && e.getMessage().contains("85.000"), e.getMessage());
        w1.setCelsius(ID, 21.5);
        assertEquals(21.5, sensor.readCelsius());
        w1.powerOnReset(ID);                                  // a glitch: 21.5 → 85 in one step
        assertEquals(Reason.SUSPECT_VALUE, assertThrows(DeviceException.class, sensor::readCelsius).reason());
        assertEquals(2, sensor.rejections().count(Reason.SUSPECT_VALUE));
    }

    /** A sensor opened at 20 °C whose next scratchpad is 20 °C with a wrong CRC byte (0x00). */
    private Ds18b20Sensor sensorWithBadCrcNext(boolean kernelSaysYes) throws DeviceException {
        w1.setCelsius(ID, 20);
        Ds18b20Sensor sensor = bus.open(ID);
        w1.setScratchpad(ID, new byte[] {0x40, 0x01, 0x4b, 0x46, 0x7f, (byte) 0xff, 0x0c, 0x10, 0x00}, kernelSaysYes);
        return sensor;
    }

    @Test
    void kernelCrcNoIsRejectedAndCounted() throws DeviceException {
        Ds18b20Sensor sensor = sensorWithBadCrcNext(false);
        DeviceException e = assertThrows(DeviceException.class, sensor::readCelsius);
        assertEquals(Reason.CRC_MISMATCH, e.reason());
        assertTrue(e.getMessage().contains("kernel reported NO"), e.getMessage());
        assertEquals(1, sensor.rejections().count(Reason.CRC_MISMATCH));
    }

    @Test
    void ourOwnCrcCheckCatchesALineTheKernelPassed() throws DeviceException {
        Ds18b20Sensor sensor = sensorWithBadCrcNext(true);
        assertEquals(Reason.CRC_MISMATCH, assertThrows(DeviceException.class, sensor::readCelsius).reason());
    }

    @Test
    void allZeroScratchpadFromAShortedBusIsNotATemperature() throws DeviceException {
        w1.setCelsius(ID, 20);
        Ds18b20Sensor sensor = bus.open(ID);
        w1.setScratchpad(ID, new byte[9], true);              // CRC of zeros is 0: passes the CRC
        DeviceException e = assertThrows(DeviceException.class, sensor::readCelsius);
        assertEquals(Reason.NOT_RESPONDING, e.reason());
        assertTrue(e.getMessage().contains("configuration byte 0x0"), e.getMessage());
    }

    @Test
    void nineBitResolutionClearsTheUndefinedLowBits() throws DeviceException {
        w1.setCelsius(ID, 20);
        Ds18b20Sensor sensor = bus.open(ID);
        byte[] pad = {(byte) 0x97, 0x01, 0x4b, 0x46, 0x1f, (byte) 0xff, 0x0c, 0x10, 0};   // config 0x1F = 9-bit
        pad[8] = (byte) DallasCrc.crc8(pad, 0, 8);
        w1.setScratchpad(ID, pad, true);
        assertEquals(0x0190 / 16.0, sensor.readCelsius());   // 0x0197 with bits 2..0 undefined → 25.0 °C
    }

    @Test
    void unpluggedSensorFailsNamingItsIdAndRecoversWhenBack() throws DeviceException {
        w1.setCelsius(ID, 19.0);
        Ds18b20Sensor sensor = bus.open(ID);
        assertEquals(19.0, sensor.readCelsius());
        sensor.close();                                       // the kernel drops the node: the open fd dies
        w1.remove(ID);
        DeviceException e = assertThrows(DeviceException.class, sensor::readCelsius);
        assertTrue(e.getMessage().contains(ID), e.getMessage());
        w1.setCelsius(ID, 19.5);
        assertEquals(19.5, sensor.readCelsius());
    }

    @Test
    void temperatureFileIsUsedWhenW1SlaveIsAbsent() throws DeviceException {
        w1.setTemperatureFile(ID, -12_375);
        try (Ds18b20Sensor sensor = bus.open(ID)) {
            assertEquals(-12.375, sensor.readCelsius());
        }
    }

    @Test
    void malformedIdIsRefusedNamingIt() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> bus.open("28-xyz"))
                .getMessage().contains("'28-xyz'"));
    }
}
