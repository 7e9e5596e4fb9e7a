package dev.wren.device.sim;

import dev.wren.device.DeviceException;
import dev.wren.device.I2cIo;

/**
 * Base of the simulated I2C chips: bus and address, fault injection (a chip that stops answering, as if
 * unplugged) and a transfer count. Subclasses answer at register/command level exactly as the datasheet says,
 * so the real drivers run over them unchanged.
 */
public abstract class SimulatedI2cChip implements I2cIo {
    private final int bus;
    private final int address;
    private boolean responding = true;
    private boolean closed;
    private long transferCount;

    SimulatedI2cChip(int bus, int address) {
        if (address < 0x03 || address > 0x77) {
            throw new IllegalArgumentException("I2C address 0x" + Integer.toHexString(address) + " outside 0x03..0x77");
        }
        this.bus = bus;
        this.address = address;
    }

    @Override
    public final int bus() {
        return bus;
    }

    @Override
    public final int address() {
        return address;
    }

    /**
     * Makes every later transfer fail with NOT_RESPONDING (false) or work again (true), like an unplugged sensor.
     *
     * @param responding whether the chip acknowledges its address
     */
    public final void setResponding(boolean responding) {
        this.responding = responding;
    }

    /** Number of I2C transactions attempted on this chip. */
    public final long transferCount() {
        return transferCount;
    }

    /** True after {@link #close()}. */
    public final boolean isClosed() {
        return closed;
    }

    @Override
    public final void readRegisters(int register, byte[] dst, int off, int len) throws DeviceException {
        begin();
        onReadRegisters(register, dst, off, len);
    }

    @Override
    public final void writeRegister(int register, int value) throws DeviceException {
        begin();
        onWriteRegister(register, value);
    }

    @Override
    public final void write(byte[] src, int off, int len) throws DeviceException {
        begin();
        onWrite(src, off, len);
    }

    @Override
    public final void read(byte[] dst, int off, int len) throws DeviceException {
        begin();
        onRead(dst, off, len);
    }

    @Override
    public final void close() {
        closed = true;
    }

    void onReadRegisters(int register, byte[] dst, int off, int len) throws DeviceException {
        throw nack("register read of 0x" + Integer.toHexString(register) + " not supported by this chip");
    }

    void onWriteRegister(int register, int value) throws DeviceException {
        throw nack("register write of 0x" + Integer.toHexString(register) + " not supported by this chip");
    }

    void onWrite(byte[] src, int off, int len) throws DeviceException {
        throw nack("raw write not supported by this chip");
    }

    void onRead(byte[] dst, int off, int len) throws DeviceException {
        throw nack("raw read not supported by this chip");
    }

    final DeviceException nack(String why) {
        return new DeviceException(DeviceException.Reason.NOT_RESPONDING, location() + ": NACK (simulated: " + why + ")");
    }

    private void begin() throws DeviceException {
        if (closed) {
            throw new IllegalStateException(location() + " used after close");
        }
        transferCount++;
        if (!responding) {
            throw nack("not responding");
        }
    }
}
