package dev.wren.device;

/** One GPIO output line, electrical level only (active-low and safety rules live in {@link dev.wren.device.gpio.Relay}). */
public interface DigitalOutputIo extends AutoCloseable {

    /** Names the line for error messages, e.g. {@code "gpiochip0 line 27"}. */
    String lineName();

    /**
     * Drives the line.
     *
     * @param high true for the high level
     * @throws DeviceException NOT_RESPONDING when the line cannot be written
     */
    void writeHigh(boolean high) throws DeviceException;

    /**
     * Reads back the level the line actually has.
     *
     * @return true when the line is high
     * @throws DeviceException NOT_RESPONDING when the line cannot be read
     */
    boolean readHigh() throws DeviceException;

    /** Releases the line; idempotent. */
    @Override
    void close();
}
