package dev.wren.device.pi4j;

import com.pi4j.context.Context;
import dev.wren.device.DeviceException;
import dev.wren.device.DigitalInputIo;
import dev.wren.device.DigitalOutputIo;
import dev.wren.device.I2cIo;
import dev.wren.device.Pause;
import dev.wren.device.Pull;
import dev.wren.device.bh1750.Bh1750Driver;
import dev.wren.device.bh1750.Bh1750Mode;
import dev.wren.device.bme280.Bme280Config;
import dev.wren.device.bme280.Bme280Driver;
import dev.wren.device.gpio.DebouncedInput;
import dev.wren.device.gpio.Relay;
import dev.wren.device.gpio.RelayConfig;
import dev.wren.device.sht.ShtDriver;
import dev.wren.device.sht.ShtModel;

import java.util.function.LongSupplier;

/**
 * Builds this module's drivers straight from a Pi4J 3 {@link Context}: each method opens the IO handle through
 * {@link Pi4jIoFactory} and hands it to the driver, which never sees the context. A driver that fails its probe
 * (absent chip, wrong chip id) releases its handle before the {@link DeviceException} reaches the caller, so the
 * bus address or line can be claimed again.
 *
 * <p>Code that also runs on simulated hardware (the sensor node's {@code --simulate}) builds the drivers over its
 * own IO source instead and uses {@link Pi4jIoFactory} for the real handles. Not thread-safe: build at start-up.
 */
public final class Pi4jDevices {
    private final Pi4jIoFactory io;

    /**
     * @param context the Pi4J context ({@link Pi4jIoFactory#newContext}); the caller shuts it down
     */
    public Pi4jDevices(Context context) {
        this.io = new Pi4jIoFactory(context);
    }

    /** A BME280 or BMP280 (chip id checked, calibration read) at {@code address} (0x76/0x77) on {@code bus}. */
    public Bme280Driver bme280(int bus, int address, Bme280Config config) throws DeviceException {
        return onI2c(bus, address, i2c -> new Bme280Driver(i2c, config, Pause.SLEEP));
    }

    /** An SHT3x or SHT4x ({@code model}) at {@code address} (0x44/0x45) on {@code bus}. */
    public ShtDriver sht(int bus, int address, ShtModel model) throws DeviceException {
        return onI2c(bus, address, i2c -> new ShtDriver(i2c, model, Pause.SLEEP));
    }

    /** A BH1750 at {@code address} (0x23/0x5C) on {@code bus}, measurement time register 31..254 (default 69). */
    public Bh1750Driver bh1750(int bus, int address, Bh1750Mode mode, int measurementTimeRegister)
            throws DeviceException {
        return onI2c(bus, address, i2c -> new Bh1750Driver(i2c, mode, measurementTimeRegister, Pause.SLEEP));
    }

    /** A debounced digital input (PIR, button, door contact) on BCM line {@code bcmLine}. */
    public DebouncedInput input(int bcmLine, Pull pull, boolean activeLow, long debounceMillis, int ringCapacity)
            throws DeviceException {
        DigitalInputIo line = io.digitalInput(bcmLine, pull);
        try {
            return new DebouncedInput(line, activeLow, debounceMillis, ringCapacity);
        } catch (DeviceException | RuntimeException e) {
            line.close();
            throw e;
        }
    }

    /**
     * A relay on BCM line {@code bcmLine}; the line is claimed at the relay's safe level and Pi4J drives that level
     * again when the context shuts down, so a crash of the node leaves the relay safe.
     */
    public Relay relay(int bcmLine, RelayConfig config, LongSupplier nanoClock) throws DeviceException {
        boolean safeHigh = config.safeOn() != config.activeLow();
        DigitalOutputIo line = io.digitalOutput(bcmLine, safeHigh, safeHigh);
        try {
            return new Relay(line, config, nanoClock);
        } catch (DeviceException | RuntimeException e) {
            line.close();
            throw e;
        }
    }

    /** A driver's constructor over an I2C handle; it probes the chip and may refuse it. */
    @FunctionalInterface
    private interface I2cDriverFactory<T> {
        T create(I2cIo i2c) throws DeviceException;
    }

    /** Opens the device and builds the driver over it, releasing the device if the driver refuses it. */
    private <T> T onI2c(int bus, int address, I2cDriverFactory<T> factory) throws DeviceException {
        I2cIo i2c = io.i2c(bus, address);
        try {
            return factory.create(i2c);
        } catch (DeviceException | RuntimeException e) {
            i2c.close();
            throw e;
        }
    }
}
