package dev.wren.mqtt;

/**
 * A monotonic time source in nanoseconds. Values are only meaningful as differences
 * ({@code later - earlier}), compared by subtraction so that wrap-around is harmless.
 * The client reads it for keep-alive (MQTT 3.1.1 §3.1.2.10) and every timeout; tests inject a fake.
 */
@FunctionalInterface
public interface MonotonicClock {

    /** Current time in nanoseconds from an arbitrary origin; never goes backwards. */
    long nanoTime();

    /** {@link System#nanoTime()}. */
    MonotonicClock SYSTEM = System::nanoTime;
}
