package dev.wren.device.gpio;

import dev.wren.device.DeviceException;
import dev.wren.device.DeviceException.Reason;
import dev.wren.device.DigitalOutputIo;

import java.util.function.LongSupplier;

/**
 * A relay on a GPIO output, with the rules that keep the load safe:
 * <ul>
 *   <li>active-low boards handled here, so callers speak of on/off only;</li>
 *   <li>the configured safe state is applied in the constructor and by {@link #close()} (call it from the node's
 *       shutdown path; the Pi4J factory also registers it as the line's shutdown state);</li>
 *   <li>every switch is read back; a line that does not follow is reported, not assumed;</li>
 *   <li>an interlock group refuses a second member on;</li>
 *   <li>an optional maximum on-time, enforced by {@link #enforceMaxOnTime()} from the node's loop (this module runs
 *       no threads). Re-commanding on while on does not restart the on-time;</li>
 *   <li>{@link #holdSafeState()} applies the safe state and refuses every later switch away from it (a stopping
 *       node: a command that was already on its way must not switch the load on again).</li>
 * </ul>
 *
 * <p>Thread-safe, with one writer of state: this class is the only writer of the line and of its own fields, and
 * every method that writes either holds one lock (the interlock group's when the relay has one, so that the check
 * "no other member is on" and the switch are one step; else the relay's own). Two threads switch a node's relays:
 * its loop (commands, {@code max_on}) and its watchdog or shutdown hook ({@link #applySafeState},
 * {@link #holdSafeState}), which must not wait for the loop. The lock is only ever held for one write and read-back
 * of the line, never around network IO, so the watchdog waits at most that long. No allocation on the success path.
 */
public final class Relay implements AutoCloseable {
    private final DigitalOutputIo io;
    private final RelayConfig config;
    private final LongSupplier nanoClock;
    private final long maxOnNanos;
    /** Held for every write of the line and of the fields below; see the class comment. */
    private final Object lock;
    private volatile boolean on;
    private boolean heldSafe;
    private long onSinceNanos;
    private long switchCount;
    private long maxOnTimeOffCount;
    private long readBackFailures;

    /**
     * Takes over the line and applies the safe state at once.
     *
     * @param io the output line
     * @param config name, polarity, safe state, limits
     * @param nanoClock monotonic ns clock for the on-time ({@code System::nanoTime} on the node)
     * @throws DeviceException NOT_RESPONDING or READ_BACK_MISMATCH naming the line, if the safe state cannot be set
     */
    public Relay(DigitalOutputIo io, RelayConfig config, LongSupplier nanoClock) throws DeviceException {
        this.io = io;
        this.config = config;
        this.nanoClock = nanoClock;
        this.maxOnNanos = config.maxOnMillis() * 1_000_000L;
        this.lock = config.interlock() != null ? config.interlock() : this;
        drive(config.safeOn());
        if (config.interlock() != null) {
            config.interlock().join(this);
        }
    }

    /** What the relay switches. */
    public String name() {
        return config.name();
    }

    /** The configuration. */
    public RelayConfig config() {
        return config;
    }

    /** The commanded state (what was last written and read back successfully). */
    public boolean isOn() {
        return on;
    }

    /** {@code nanoClock} time of the last off→on switch; meaningful while {@link #isOn()}. */
    public long onSinceNanos() {
        synchronized (lock) {
            return onSinceNanos;
        }
    }

    /** Off↔on transitions since construction. */
    public long switchCount() {
        synchronized (lock) {
            return switchCount;
        }
    }

    /** Times {@link #enforceMaxOnTime()} switched the relay off. */
    public long maxOnTimeOffCount() {
        synchronized (lock) {
            return maxOnTimeOffCount;
        }
    }

    /** Writes that read back wrong. */
    public long readBackFailures() {
        synchronized (lock) {
            return readBackFailures;
        }
    }

    /**
     * Switches the relay.
     *
     * @param on true to energise the load
     * @throws DeviceException INTERLOCKED naming the other relay that is on (nothing is written); HELD_SAFE
     *     after {@link #holdSafeState()} for any state but the safe one (nothing is written);
     *     READ_BACK_MISMATCH naming the line and levels; NOT_RESPONDING naming the line
     */
    public void set(boolean on) throws DeviceException {
        synchronized (lock) {
            if (heldSafe && on != config.safeOn()) {
                throw new DeviceException(Reason.HELD_SAFE, "relay " + name() + " (" + io.lineName()
                        + ") not switched " + (on ? "on" : "off") + ": held in its safe state (the node is stopping)");
            }
            if (on && config.interlock() != null) {
                Relay other = config.interlock().otherOn(this);
                if (other != null) {
                    throw new DeviceException(Reason.INTERLOCKED, "relay " + name() + " (" + io.lineName()
                            + ") not switched on: relay " + other.name() + " of interlock group "
                            + config.interlock().name() + " is on");
                }
            }
            drive(on);
        }
    }

    /**
     * Reads the line and maps it through the polarity: the state the relay actually has.
     *
     * @return true when the line is at the energising level
     * @throws DeviceException NOT_RESPONDING naming the line
     */
    public boolean readBackOn() throws DeviceException {
        return io.readHigh() != config.activeLow();
    }

    /**
     * Switches the relay off if it has been on longer than the configured maximum; call once per loop.
     *
     * @return true if it switched the relay off now
     * @throws DeviceException as {@link #set}
     */
    public boolean enforceMaxOnTime() throws DeviceException {
        synchronized (lock) {
            if (!on || maxOnNanos == 0 || nanoClock.getAsLong() - onSinceNanos < maxOnNanos) {
                return false;
            }
            drive(false);
            maxOnTimeOffCount++;
            return true;
        }
    }

    /**
     * Applies the configured safe state now (bypasses the interlock check: at most one member is safe-on). Safe
     * from any thread; waits at most for a switch another thread is making (one line write and read-back).
     *
     * @throws DeviceException as {@link #set}
     */
    public void applySafeState() throws DeviceException {
        synchronized (lock) {
            drive(config.safeOn());
        }
    }

    /**
     * Applies the safe state and keeps it: every later {@link #set} to the other state is refused with
     * {@code HELD_SAFE}. For a stopping node, called from its shutdown hook while the loop may still be handling
     * a command. Idempotent; safe from any thread, like {@link #applySafeState}.
     *
     * @throws DeviceException as {@link #set}; the relay is held safe all the same
     */
    public void holdSafeState() throws DeviceException {
        synchronized (lock) {
            heldSafe = true;
            drive(config.safeOn());
        }
    }

    /** True after {@link #holdSafeState()}. */
    public boolean isHeldSafe() {
        synchronized (lock) {
            return heldSafe;
        }
    }

    /** Applies the safe state and releases the line; idempotent. */
    @Override
    public void close() throws DeviceException {
        synchronized (lock) {
            try {
                drive(config.safeOn());
            } finally {
                io.close();
            }
        }
    }

    /** Writes the line and reads it back; the caller holds {@link #lock}. */
    private void drive(boolean on) throws DeviceException {
        boolean high = on != config.activeLow();
        io.writeHigh(high);
        boolean readHigh = io.readHigh();
        if (readHigh != high) {
            readBackFailures++;
            on = readHigh != config.activeLow();      // record what the relay really is
            applyState(on);
            throw new DeviceException(Reason.READ_BACK_MISMATCH, "relay " + name() + " (" + io.lineName()
                    + "): wrote " + (high ? "high" : "low") + ", read back " + (readHigh ? "high" : "low"));
        }
        applyState(on);
    }

    private void applyState(boolean on) {
        if (on != this.on) {
            switchCount++;
            if (on) {
                onSinceNanos = nanoClock.getAsLong();
            }
        }
        this.on = on;
    }
}
