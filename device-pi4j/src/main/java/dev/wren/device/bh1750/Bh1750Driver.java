package dev.wren.device.bh1750;

import dev.wren.device.DeviceException;
import dev.wren.device.DeviceException.Reason;
import dev.wren.device.I2cIo;
import dev.wren.device.Pause;
import dev.wren.device.Rejections;

/**
 * Rohm BH1750FVI ambient light sensor at I2C 0x23 (ADDR low) or 0x5C (ADDR high). The chip has no id register:
 * the constructor's Power On and Reset must be acknowledged, which proves something answers at the address.
 *
 * <p>Lux per the Technical Note ("I²C Bus Access", read format example, and "Adjust measurement result for
 * influence of optical window"): lux = count / 1.2 × (69 / MTreg), halved again in H-resolution mode 2.
 * A saturated count (0xFFFF) is rejected as out of range. One reused 2-byte buffer; no allocation per reading.
 */
public final class Bh1750Driver {
    /** Default measurement time register (Technical Note: MTreg default 0100_0101 = 69). */
    public static final int DEFAULT_MT = 69;
    static final int POWER_ON = 0x01;
    static final int RESET = 0x07;
    static final int MT_HIGH = 0b0100_0000;   // 01000_MT[7:5]
    static final int MT_LOW = 0b0110_0000;    // 011_MT[4:0]

    private final I2cIo io;
    private final Bh1750Mode mode;
    private final int mt;
    private final Pause pause;
    private final long measurementMicros;
    private final byte[] buffer = new byte[2];
    private final Rejections rejections = new Rejections();

    /**
     * Powers the chip on, resets its data register, sets MTreg and the mode.
     *
     * @param io the I2C device at 0x23 or 0x5C
     * @param mode measurement mode; one-time modes trigger and wait on each read, continuous ones read the latest
     * @param measurementTimeRegister MTreg, 31..254 ({@link #DEFAULT_MT} = 69): higher = more sensitive, slower
     * @param pause waits measurement times
     * @throws DeviceException NOT_RESPONDING naming bus/address if the chip does not acknowledge
     * @throws IllegalArgumentException naming an MTreg outside 31..254
     */
    public Bh1750Driver(I2cIo io, Bh1750Mode mode, int measurementTimeRegister, Pause pause) throws DeviceException {
        if (measurementTimeRegister < 31 || measurementTimeRegister > 254) {
            throw new IllegalArgumentException("BH1750 MTreg " + measurementTimeRegister + " outside 31..254");
        }
        this.io = io;
        this.mode = mode;
        this.mt = measurementTimeRegister;
        this.pause = pause;
        // Measurement time scales with MTreg (Technical Note, "measurement time" vs MTreg).
        this.measurementMicros = mode.maxMicrosAtDefaultMt * measurementTimeRegister / DEFAULT_MT;
        command(POWER_ON);
        command(RESET);                       // only valid while powered on
        command(MT_HIGH | (measurementTimeRegister >> 5));
        command(MT_LOW | (measurementTimeRegister & 0x1F));
        if (mode.continuous) {
            command(mode.opcode);
            pause.pauseMicros(measurementMicros);
        }
    }

    /** The mode in use. */
    public Bh1750Mode mode() {
        return mode;
    }

    /** The measurement time register in use. */
    public int measurementTimeRegister() {
        return mt;
    }

    /** Maximum time of one measurement at this mode and MTreg, µs. */
    public long measurementMicros() {
        return measurementMicros;
    }

    /** Rejected readings by reason, since construction. */
    public Rejections rejections() {
        return rejections;
    }

    /**
     * Reads the illuminance; in a one-time mode, triggers a measurement and waits its maximum time first.
     *
     * @return illuminance in lx
     * @throws DeviceException NOT_RESPONDING naming bus/address; OUT_OF_RANGE when saturated (both counted)
     */
    public double readLux() throws DeviceException {
        try {
            if (!mode.continuous) {
                // One-time modes power down after each measurement; the measurement procedure flowchart
                // (Technical Note, "Measurement sequence") issues Power On before the next measurement command.
                command(POWER_ON);
                command(mode.opcode);
                pause.pauseMicros(measurementMicros);
            }
            io.read(buffer, 0, 2);            // High Byte [15:8], Low Byte [7:0]
        } catch (DeviceException e) {
            throw rejections.count(e);
        }
        int count = (buffer[0] & 0xFF) << 8 | (buffer[1] & 0xFF);
        if (count == 0xFFFF) {
            throw rejections.reject(Reason.OUT_OF_RANGE, io.location() + " BH1750: count 0xffff, sensor saturated ("
                    + lux(count, mode, mt) + " lx or more); lower MTreg");
        }
        return lux(count, mode, mt);
    }

    /** lux = count / 1.2 × (69 / MTreg) / (2 in H-resolution mode 2). */
    static double lux(int count, Bh1750Mode mode, int mt) {
        return count / 1.2 * ((double) DEFAULT_MT / mt) / mode.countsPerStep;
    }

    private void command(int opcode) throws DeviceException {
        buffer[0] = (byte) opcode;
        io.write(buffer, 0, 1);               // one opcode per transaction (Technical Note: "Write Format")
    }
}
