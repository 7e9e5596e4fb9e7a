package dev.wren.device.pi4j;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.i2c.I2C;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProvider;
import dev.wren.device.DeviceException;
import dev.wren.device.DeviceException.Reason;
import dev.wren.device.DigitalInputIo;
import dev.wren.device.DigitalOutputIo;
import dev.wren.device.I2cIo;
import dev.wren.device.Pull;
import dev.wren.device.gpio.DebouncedInput;
import dev.wren.device.gpio.Relay;
import dev.wren.device.gpio.RelayConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The adapters against Pi4J 3's mock plugin: real Pi4J context, registry, listeners and config builders. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Pi4jIoFactoryTest {
    private Context context;
    private Pi4jIoFactory factory;

    @BeforeEach
    void mockContext() {
        context = newMockContext("gpiochip0");
        factory = new Pi4jIoFactory(context);
    }

    /** A real Pi4J context over Pi4J 3's mock platform and I2C, digital input and output providers. */
    static Context newMockContext(String gpioChip) {
        return Pi4J.newContextBuilder()
                .add(new MockPlatform())
                .add(MockI2CProvider.newInstance(), MockDigitalInputProvider.newInstance(),
                        MockDigitalOutputProvider.newInstance())
                .setGpioChipName(gpioChip)
                .build();
    }

    @AfterEach
    void shutdown() {
        context.shutdown();
    }

    @Test
    void i2cRegisterReadLandsInTheCallersBufferAtTheOffset() throws DeviceException {
        I2cIo io = factory.i2c(1, 0x76);
        I2C mock = context.registry().get("i2c-1-0x76");
        mock.writeRegister(0xD0, new byte[] {0x60, 0x11}, 0, 2);   // the mock queues bytes per register
        byte[] dst = new byte[4];
        io.readRegisters(0xD0, dst, 1, 2);
        assertArrayEquals(new byte[] {0, 0x60, 0x11, 0}, dst);
        assertEquals(1, io.bus());
        assertEquals(0x76, io.address());
    }

    @Test
    void i2cShortReadIsNotRespondingNamingBusAndAddress() throws DeviceException {
        I2cIo io = factory.i2c(1, 0x23);
        DeviceException e = assertThrows(DeviceException.class, () -> io.read(new byte[2], 0, 2));
        assertEquals(Reason.NOT_RESPONDING, e.reason());
        assertTrue(e.getMessage().startsWith("i2c bus 1 address 0x23"), e.getMessage());
    }

    @Test
    void i2cRawWriteThenReadGoesThroughPi4j() throws DeviceException {
        I2cIo io = factory.i2c(1, 0x44);
        io.write(new byte[] {0x24, 0x00}, 0, 2);
        byte[] back = new byte[2];
        io.read(back, 0, 2);                                        // the mock echoes raw writes
        assertArrayEquals(new byte[] {0x24, 0x00}, back);
    }

    @Test
    void secondClaimOfALineNamesChipAndLine() throws DeviceException {
        factory.digitalInput(17, Pull.UP);
        DeviceException e = assertThrows(DeviceException.class, () -> factory.digitalOutput(17, false, false));
        assertEquals(Reason.LINE_UNAVAILABLE, e.reason());
        assertTrue(e.getMessage().startsWith("gpiochip0 line 17"), e.getMessage());
    }

    @Test
    void closingAHandleFreesTheLineForAnotherClaim() throws DeviceException {
        DigitalInputIo in = factory.digitalInput(5, Pull.DOWN);
        in.close();
        assertFalse(context.registry().exists("gpio-in-5"));
        factory.digitalOutput(5, false, false).close();
    }

    @Test
    void pi4jStateChangesReachTheDebouncedInputAsEvents() throws DeviceException {
        DigitalInputIo in = factory.digitalInput(4, Pull.OFF);
        MockDigitalInput mock = context.registry().get("gpio-in-4");
        mock.mockState(DigitalState.LOW);
        DebouncedInput motion = new DebouncedInput(in, false, 0, 16);
        mock.mockState(DigitalState.HIGH);
        boolean[] seen = new boolean[1];
        assertEquals(1, motion.drain(System.nanoTime(), (active, nanos) -> seen[0] = active));
        assertTrue(seen[0]);
        assertTrue(motion.active());
    }

    @Test
    void relayOverAPi4jOutputReadsBackAndAppliesItsSafeStateOnClose() throws DeviceException {
        DigitalOutputIo out = factory.digitalOutput(27, true, true);   // active-low board: off = high
        Relay relay = new Relay(out, new RelayConfig("heater", true, false, 0, null), System::nanoTime);
        relay.set(true);
        assertTrue(relay.readBackOn());
        assertEquals(DigitalState.LOW, context.registry().<com.pi4j.io.gpio.digital.DigitalOutput>get("gpio-out-27").state());
        relay.close();
        assertFalse(context.registry().exists("gpio-out-27"));
    }

    @Test
    void badLineOrAddressIsRefusedNamingTheValue() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> factory.digitalInput(60, Pull.UP))
                .getMessage().contains("GPIO line 60"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> factory.i2c(1, 0x80))
                .getMessage().contains("address 0x80"));
    }
}
