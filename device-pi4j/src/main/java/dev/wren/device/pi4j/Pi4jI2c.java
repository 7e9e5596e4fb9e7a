package dev.wren.device.pi4j;

import com.pi4j.io.i2c.I2C;
import dev.wren.device.DeviceException;
import dev.wren.device.DeviceException.Reason;
import dev.wren.device.I2cIo;

/**
 * {@link I2cIo} over a Pi4J 3 {@link I2C} (linuxfs-i2c provider on a Pi: {@code /dev/i2c-N}, no root needed with
 * the {@code i2c} group). The only class that imports Pi4J's I2C. Pi4J errors and short transfers become
 * {@link DeviceException} NOT_RESPONDING naming bus and address.
 */
final class Pi4jI2c implements I2cIo {
    private final I2C i2c;
    private final int bus;
    private final int address;
    private final Runnable release;

    Pi4jI2c(I2C i2c, int bus, int address, Runnable release) {
        this.i2c = i2c;
        this.bus = bus;
        this.address = address;
        this.release = release;
    }

    @Override
    public int bus() {
        return bus;
    }

    @Override
    public int address() {
        return address;
    }

    @Override
    public void readRegisters(int register, byte[] dst, int off, int len) throws DeviceException {
        int n;
        try {
            n = i2c.readRegister(register, dst, off, len);
        } catch (RuntimeException e) {
            throw failure("read of register 0x" + Integer.toHexString(register), e);
        }
        check(n, len, "read of register 0x" + Integer.toHexString(register));
    }

    @Override
    public void writeRegister(int register, int value) throws DeviceException {
        int n;
        try {
            n = i2c.writeRegister(register, (byte) value);
        } catch (RuntimeException e) {
            throw failure("write of register 0x" + Integer.toHexString(register), e);
        }
        if (n < 0) {
            throw new DeviceException(Reason.NOT_RESPONDING, location() + ": write of register 0x"
                    + Integer.toHexString(register) + " failed (" + n + ")");
        }
    }

    @Override
    public void write(byte[] src, int off, int len) throws DeviceException {
        int n;
        try {
            n = i2c.write(src, off, len);
        } catch (RuntimeException e) {
            throw failure("write", e);
        }
        check(n, len, "write");
    }

    @Override
    public void read(byte[] dst, int off, int len) throws DeviceException {
        int n;
        try {
            n = i2c.read(dst, off, len);
        } catch (RuntimeException e) {
            throw failure("read", e);
        }
        check(n, len, "read");
    }

    @Override
    public void close() {
        release.run();
    }

    private void check(int transferred, int expected, String what) throws DeviceException {
        if (transferred != expected) {
            throw new DeviceException(Reason.NOT_RESPONDING, location() + ": " + what + " moved " + transferred
                    + " of " + expected + " bytes (NACK?)");
        }
    }

    private DeviceException failure(String what, RuntimeException e) {
        return new DeviceException(Reason.NOT_RESPONDING, location() + ": " + what + " failed: " + e.getMessage(), e);
    }
}
