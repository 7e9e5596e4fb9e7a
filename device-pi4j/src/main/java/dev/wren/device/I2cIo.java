package dev.wren.device;

/**
 * A handle on one I2C device (one bus, one 7-bit address), register-level, reading into caller buffers.
 *
 * <p>Contract for every transfer method: one call is one complete I2C transaction; it either moves exactly
 * {@code len} bytes or throws {@link DeviceException} with {@link DeviceException.Reason#NOT_RESPONDING} naming
 * {@link #location()}. No partial data is ever left in {@code dst} as if it were valid. Implementations do not
 * allocate per call (the Pi4J adapter cannot promise that for Pi4J's own code beneath it).
 *
 * <p>Not thread-safe: one driver owns one handle and calls it from one thread.
 */
public interface I2cIo extends AutoCloseable {

    /** The I2C bus number ({@code /dev/i2c-N}). */
    int bus();

    /** The 7-bit device address. */
    int address();

    /**
     * Writes the register address, then reads {@code len} consecutive registers (repeated start).
     *
     * @param register first register address, 0x00..0xFF
     * @param dst destination buffer
     * @param off first index in {@code dst}
     * @param len byte count, at least 1
     * @throws DeviceException NOT_RESPONDING on NACK or short read
     */
    void readRegisters(int register, byte[] dst, int off, int len) throws DeviceException;

    /**
     * Writes one byte to one register.
     *
     * @param register register address, 0x00..0xFF
     * @param value byte value, 0x00..0xFF
     * @throws DeviceException NOT_RESPONDING on NACK
     */
    void writeRegister(int register, int value) throws DeviceException;

    /**
     * Writes raw bytes (a command) in one transaction, for command-based chips (SHT, BH1750).
     *
     * @param src bytes to write
     * @param off first index in {@code src}
     * @param len byte count, at least 1
     * @throws DeviceException NOT_RESPONDING on NACK
     */
    void write(byte[] src, int off, int len) throws DeviceException;

    /**
     * Reads raw bytes in one transaction, for command-based chips (SHT, BH1750).
     *
     * @param dst destination buffer
     * @param off first index in {@code dst}
     * @param len byte count, at least 1
     * @throws DeviceException NOT_RESPONDING on NACK (e.g. SHT3x still measuring) or short read
     */
    void read(byte[] dst, int off, int len) throws DeviceException;

    /** Releases the handle; idempotent. */
    @Override
    void close();

    /** Names this device for error messages, e.g. {@code "i2c bus 1 address 0x76"}; allocates, failure path only. */
    default String location() {
        return "i2c bus " + bus() + " address 0x" + Integer.toHexString(address());
    }
}
