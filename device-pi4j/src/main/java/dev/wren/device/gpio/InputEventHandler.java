package dev.wren.device.gpio;

/**
 * Receives debounced input events on the node's own thread, from {@link DebouncedInput#drain}.
 * Primitive parameters only, so delivering an event allocates nothing.
 */
@FunctionalInterface
public interface InputEventHandler {
    /**
     * One debounced change of the logical state.
     *
     * @param active the new logical state (motion detected, button pressed, door open), active-low already applied
     * @param timestampNanos {@link System#nanoTime()}-based time of the raw edge that started the stable level
     */
    void onInputEvent(boolean active, long timestampNanos);
}
