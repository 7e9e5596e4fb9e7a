package dev.wren.device;

/**
 * One GPIO input line, electrical level only (active-low and debounce are applied above it, in
 * {@link dev.wren.device.gpio.DebouncedInput}).
 */
public interface DigitalInputIo extends AutoCloseable {

    /** Names the line for error messages, e.g. {@code "gpiochip0 line 17"}. */
    String lineName();

    /**
     * Reads the current electrical level.
     *
     * @return true when the line is high
     * @throws DeviceException NOT_RESPONDING when the line cannot be read
     */
    boolean readHigh() throws DeviceException;

    /**
     * Installs the one listener for raw edges (replacing any earlier one); see {@link LevelListener} for the
     * thread it is called on. {@code null} removes it.
     *
     * @param listener receives every level change
     */
    void setListener(LevelListener listener);

    /** Releases the line; idempotent. */
    @Override
    void close();
}
