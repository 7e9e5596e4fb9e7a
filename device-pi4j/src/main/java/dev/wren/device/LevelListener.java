package dev.wren.device;

/**
 * Receives every raw level change of a digital input, before any debounce.
 *
 * <p>Threading: called on the IO's own event thread (Pi4J's gpiod listener thread on a Pi; the caller of
 * {@code set} on a simulated input), one call at a time and in order. It must not block and must not allocate:
 * {@link dev.wren.device.gpio.DebouncedInput} only stores the edge in a primitive ring.
 */
@FunctionalInterface
public interface LevelListener {
    /**
     * One raw edge.
     *
     * @param high the new electrical level
     * @param timestampNanos {@link System#nanoTime()}-based time of the edge
     */
    void onLevel(boolean high, long timestampNanos);
}
