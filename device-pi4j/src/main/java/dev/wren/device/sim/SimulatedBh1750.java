package dev.wren.device.sim;

import dev.wren.device.DeviceException;

/**
 * A BH1750FVI answering its one-byte instructions (Power Down/On, Reset, mode opcodes, MTreg high/low bits) and
 * returning the 16-bit count an illuminance from the {@link SimulatedEnvironment} produces at the current MTreg
 * and mode: count = lux × 1.2 × MTreg / 69 (× 2 in H-resolution mode 2), saturating at 0xFFFF.
 * Reset is refused (NACKed) while powered down: the Technical Note says it "is not acceptable in Power Down mode".
 */
public final class SimulatedBh1750 extends SimulatedI2cChip {
    private final SimulatedEnvironment environment;
    private boolean poweredOn;
    private long powerOnCount;
    private int mode;
    private int mt = 69;
    private int count;
    private boolean rawHeld;
    private int rawCount;
    private long measurementCount;

    /**
     * Creates a powered-down chip.
     *
     * @param bus I2C bus number it pretends to sit on
     * @param address 0x23 or 0x5C
     * @param environment the light it measures
     */
    public SimulatedBh1750(int bus, int address, SimulatedEnvironment environment) {
        super(bus, address);
        this.environment = environment;
    }

    /**
     * Makes every later measurement return this count instead of sampling the environment.
     *
     * @param count 0..0xFFFF
     */
    public void setRawCount(int count) {
        rawHeld = true;
        rawCount = count;
    }

    /** The MTreg value the driver set. */
    public int measurementTimeRegister() {
        return mt;
    }

    /** Power On instructions received. */
    public long powerOnCount() {
        return powerOnCount;
    }

    /** Measurements performed. */
    public long measurementCount() {
        return measurementCount;
    }

    @Override
    void onWrite(byte[] src, int off, int len) throws DeviceException {
        if (len != 1) {
            throw nack("BH1750 takes one opcode per transaction, got " + len + " bytes");
        }
        int op = src[off] & 0xFF;
        if (op == 0x01) {
            poweredOn = true;
            powerOnCount++;
        } else if (op == 0x00) {
            poweredOn = false;
        } else if (op == 0x07) {
            if (!poweredOn) {
                throw nack("Reset while powered down");
            }
            count = 0;
        } else if ((op & 0b1111_1000) == 0b0100_0000) {
            mt = (mt & 0x1F) | (op & 0x07) << 5;
        } else if ((op & 0b1110_0000) == 0b0110_0000) {
            mt = (mt & 0xE0) | (op & 0x1F);
        } else if (op == 0x10 || op == 0x11 || op == 0x13 || op == 0x20 || op == 0x21 || op == 0x23) {
            mode = op;
            measure();
            if ((op & 0x20) != 0) {
                poweredOn = false;             // one-time modes power down after the measurement
            }
        } else {
            throw nack("unknown opcode 0x" + Integer.toHexString(op));
        }
    }

    @Override
    void onRead(byte[] dst, int off, int len) throws DeviceException {
        if (len != 2) {
            throw nack("result is 2 bytes, read of " + len);
        }
        if (poweredOn && (mode & 0x10) != 0) {
            measure();                         // continuous modes keep measuring
        }
        dst[off] = (byte) (count >> 8);
        dst[off + 1] = (byte) count;
    }

    private void measure() {
        measurementCount++;
        if (rawHeld) {
            count = rawCount;
            return;
        }
        environment.update();
        double steps = (mode & 0x0F) == 0x01 ? 2.0 : 1.0;
        long c = Math.round(environment.illuminanceLux() * 1.2 * mt / 69.0 * steps);
        count = (int) Math.min(0xFFFF, Math.max(0, c));
    }
}
