package dev.wren.device.pi4j;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.context.ContextBuilder;
import com.pi4j.io.IO;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.io.i2c.I2C;
import dev.wren.device.DeviceException;
import dev.wren.device.DeviceException.Reason;
import dev.wren.device.DigitalInputIo;
import dev.wren.device.DigitalOutputIo;
import dev.wren.device.I2cIo;
import dev.wren.device.Pull;

/**
 * Builds this module's IO handles from a Pi4J 3 {@link Context}; together with the three adapter classes, the only
 * code that touches Pi4J. Drivers never see the context.
 *
 * <p>On a Pi the context should hold the {@code pi4j-plugin-gpiod} providers (digital I/O through
 * {@code /dev/gpiochipN}, no root) and {@code pi4j-plugin-linuxfs} (I2C through {@code /dev/i2c-N}); both are
 * runtime dependencies of this module. Lines are BCM numbers on the chosen GPIO chip.
 *
 * <p>Pi4J's own input debounce is set to 0: {@link dev.wren.device.gpio.DebouncedInput} debounces, identically on
 * real and simulated lines. Not thread-safe: build the IO at start-up from one thread.
 */
public final class Pi4jIoFactory {
    /** Pi4J context property naming the gpiod chip (read by the gpiod plugin). */
    static final String GPIO_CHIP_PROPERTY = "gpio.chip.name";

    private final Context context;
    private final String chipLabel;

    /**
     * Wraps an existing context (e.g. one with mock providers in tests).
     *
     * @param context the Pi4J context; the caller shuts it down
     */
    public Pi4jIoFactory(Context context) {
        this.context = context;
        String chip = context.properties().get(GPIO_CHIP_PROPERTY);
        this.chipLabel = chip == null ? "gpiochip(auto)" : chip;
    }

    /**
     * Creates a Pi4J context that auto-detects the plugins on the class path and uses the given GPIO chip.
     *
     * @param gpioChipName e.g. {@code "gpiochip0"} (Pi 3/4/Zero 2 W, and Pi 5 since kernel 6.6.45) or
     *     {@code "gpiochip4"} (Pi 5 on older kernels); null lets the gpiod plugin pick the chip labelled
     *     {@code pinctrl-*}
     * @return a new context; shut it down on exit ({@link Context#shutdown()}), which also applies each output's
     *     shutdown state
     */
    public static Context newContext(String gpioChipName) {
        ContextBuilder builder = Pi4J.newContextBuilder().autoDetect();
        if (gpioChipName != null) {
            builder.setGpioChipName(gpioChipName);
        }
        return builder.build();
    }

    /**
     * Opens an I2C device.
     *
     * @param bus bus number, 0..255 ({@code /dev/i2c-1} on the header)
     * @param address 7-bit address, 0x03..0x77
     * @return the handle; closing it releases the Pi4J IO
     * @throws DeviceException NOT_RESPONDING naming bus and address if the bus cannot be opened; LINE_UNAVAILABLE if
     *     the context already holds this device
     */
    public I2cIo i2c(int bus, int address) throws DeviceException {
        if (bus < 0 || bus > 255 || address < 0x03 || address > 0x77) {
            throw new IllegalArgumentException("i2c bus " + bus + " address 0x" + Integer.toHexString(address)
                    + ": bus must be 0..255, address 0x03..0x77");
        }
        String id = "i2c-" + bus + "-0x" + Integer.toHexString(address);
        String where = "i2c bus " + bus + " address 0x" + Integer.toHexString(address);
        requireFree(id, where);
        I2C i2c;
        try {
            i2c = context.create(I2C.newConfigBuilder(context).id(id).bus(bus).device(address).build());
        } catch (RuntimeException e) {
            throw new DeviceException(Reason.NOT_RESPONDING, where + ": cannot open: " + e.getMessage(), e);
        }
        return new Pi4jI2c(i2c, bus, address, () -> release(i2c));
    }

    /**
     * Claims an input line, with Pi4J's debounce off (see class comment).
     *
     * @param bcmLine line offset on the GPIO chip (BCM number), 0..53
     * @param pull bias resistor
     * @return the handle; its listener runs on Pi4J's gpiod thread
     * @throws DeviceException LINE_UNAVAILABLE naming chip and line if it is in use or cannot be claimed
     */
    public DigitalInputIo digitalInput(int bcmLine, Pull pull) throws DeviceException {
        String id = "gpio-in-" + bcmLine;
        String where = claimableLine(bcmLine);
        DigitalInput input;
        try {
            input = context.create(DigitalInput.newConfigBuilder(context).id(id).address(bcmLine)
                    .pull(toPi4j(pull)).debounce(0L).build());
        } catch (RuntimeException e) {
            throw new DeviceException(Reason.LINE_UNAVAILABLE, where + ": cannot claim input: " + e.getMessage(), e);
        }
        return new Pi4jDigitalInput(input, where, () -> release(input));
    }

    /**
     * Claims an output line.
     *
     * @param bcmLine line offset on the GPIO chip (BCM number), 0..53
     * @param initialHigh level driven as soon as the line is claimed
     * @param shutdownHigh level Pi4J drives when the context shuts down (a relay's safe state)
     * @return the handle
     * @throws DeviceException LINE_UNAVAILABLE naming chip and line if it is in use or cannot be claimed
     */
    public DigitalOutputIo digitalOutput(int bcmLine, boolean initialHigh, boolean shutdownHigh)
            throws DeviceException {
        String id = "gpio-out-" + bcmLine;
        String where = claimableLine(bcmLine);
        DigitalOutput output;
        try {
            output = context.create(DigitalOutput.newConfigBuilder(context).id(id).address(bcmLine)
                    .initial(initialHigh ? DigitalState.HIGH : DigitalState.LOW)
                    .shutdown(shutdownHigh ? DigitalState.HIGH : DigitalState.LOW).build());
        } catch (RuntimeException e) {
            throw new DeviceException(Reason.LINE_UNAVAILABLE, where + ": cannot claim output: " + e.getMessage(), e);
        }
        return new Pi4jDigitalOutput(output, where, () -> release(output));
    }

    private void requireFree(String id, String where) throws DeviceException {
        if (context.registry().exists(id)) {
            throw new DeviceException(Reason.LINE_UNAVAILABLE, where + ": already in use in this Pi4J context (" + id + ")");
        }
    }

    private void release(IO<?, ?, ?> io) {
        if (!context.isShutdown() && context.registry().exists(io.id())) {
            context.shutdown(io.id());
        }
    }

    /** Validates the line number, checks neither an input nor an output holds it, and returns its name. */
    private String claimableLine(int bcmLine) throws DeviceException {
        if (bcmLine < 0 || bcmLine > 53) {
            throw new IllegalArgumentException("GPIO line " + bcmLine + " outside 0..53");
        }
        String where = chipLabel + " line " + bcmLine;
        requireFree("gpio-in-" + bcmLine, where);
        requireFree("gpio-out-" + bcmLine, where);
        return where;
    }

    private static PullResistance toPi4j(Pull pull) {
        switch (pull) {
            case UP: return PullResistance.PULL_UP;
            case DOWN: return PullResistance.PULL_DOWN;
            default: return PullResistance.OFF;
        }
    }
}
