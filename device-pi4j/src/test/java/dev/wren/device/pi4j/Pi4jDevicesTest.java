package dev.wren.device.pi4j;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import dev.wren.device.DeviceException;
import dev.wren.device.Pull;
import dev.wren.device.bme280.Bme280Config;
import dev.wren.device.gpio.DebouncedInput;
import dev.wren.device.gpio.Relay;
import dev.wren.device.gpio.RelayConfig;
import dev.wren.device.sht.ShtModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Drivers built straight from a Pi4J context (Pi4J 3's mock plugin): wired to the right handle, released on failure. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Pi4jDevicesTest {
    private Context context;
    private Pi4jDevices devices;

    @BeforeEach
    void mockContext() {
        context = Pi4jIoFactoryTest.newMockContext("gpiochip0");
        devices = new Pi4jDevices(context);
    }

    @AfterEach
    void shutdown() {
        context.shutdown();
    }

    @Test
    void aSensorThatFailsItsProbeNamesBusAndAddressAndReleasesTheDevice() {
        // The mock answers nothing: the chip id read comes back short.
        DeviceException e = assertThrows(DeviceException.class,
                () -> devices.bme280(1, 0x76, Bme280Config.WEATHER_MONITORING));
        assertTrue(e.getMessage().contains("i2c bus 1 address 0x76"), e.getMessage());
        assertFalse(context.registry().exists("i2c-1-0x76"), "the failed driver's I2C handle is released");
        DeviceException sht = assertThrows(DeviceException.class, () -> devices.sht(1, 0x44, ShtModel.SHT4X));
        assertTrue(sht.getMessage().contains("i2c bus 1 address 0x44"), sht.getMessage());
        assertFalse(context.registry().exists("i2c-1-0x44"));
    }

    @Test
    void aRelayClaimsItsLineAtTheSafeLevelAndSwitchesIt() throws DeviceException {
        Relay relay = devices.relay(27, new RelayConfig("heater", true, false, 0, null), System::nanoTime);
        DigitalOutput line = context.registry().get("gpio-out-27");
        assertEquals(DigitalState.HIGH, line.state(), "active-low relay, safe off: claimed high");
        assertFalse(relay.isOn());
        relay.set(true);
        assertEquals(DigitalState.LOW, line.state());
        relay.close();
        assertFalse(context.registry().exists("gpio-out-27"));
    }

    @Test
    void anInputDeliversPi4jEdgesDebounced() throws DeviceException {
        DebouncedInput door = devices.input(22, Pull.UP, true, 0, 8);
        MockDigitalInput mock = context.registry().get("gpio-in-22");
        mock.mockState(DigitalState.HIGH);  // pulled up: contact open, whatever the mock started at
        door.drain(System.nanoTime(), (active, nanos) -> { });
        assertFalse(door.active());
        mock.mockState(DigitalState.LOW);   // active low: contact closed
        boolean[] seen = new boolean[1];
        assertEquals(1, door.drain(System.nanoTime(), (active, nanos) -> seen[0] = active));
        assertTrue(seen[0]);
    }
}
