package dev.wren.device.sim;

import dev.wren.device.DeviceException;
import dev.wren.device.DigitalOutputIo;

import java.util.function.LongSupplier;

/**
 * A simulated output line that records every transition (level and clock time) in fixed primitive arrays.
 * {@link #setStuck} simulates a line that does not follow (a welded relay driver), for read-back tests.
 */
public final class SimulatedDigitalOutput implements DigitalOutputIo {
    private final String lineName;
    private final LongSupplier nanoClock;
    private final long[] transitionNanos;
    private final boolean[] transitionHigh;
    private int transitionCount;
    private long droppedTransitions;
    private boolean written;
    /** Volatile: a test or watchdog thread reads the level the relay's lock-holding writer set. */
    private volatile boolean high;
    private int stuck = -1;
    private boolean closed;

    /**
     * Creates a line at low level.
     *
     * @param lineName e.g. {@code "sim line 27"}
     * @param nanoClock time stamped on transitions
     * @param capacity transitions recorded; later ones are counted in {@link #droppedTransitions()}
     */
    public SimulatedDigitalOutput(String lineName, LongSupplier nanoClock, int capacity) {
        this.lineName = lineName;
        this.nanoClock = nanoClock;
        this.transitionNanos = new long[capacity];
        this.transitionHigh = new boolean[capacity];
    }

    @Override
    public String lineName() {
        return lineName;
    }

    @Override
    public void writeHigh(boolean high) {
        if (closed) {
            throw new IllegalStateException(lineName + " written after close");
        }
        if (written && high == this.high) {
            return;
        }
        written = true;
        this.high = high;
        if (transitionCount < transitionNanos.length) {
            transitionNanos[transitionCount] = nanoClock.getAsLong();
            transitionHigh[transitionCount] = high;
            transitionCount++;
        } else {
            droppedTransitions++;
        }
    }

    @Override
    public boolean readHigh() throws DeviceException {
        return stuck < 0 ? high : stuck == 1;
    }

    /**
     * Makes the line read back a fixed level whatever is written.
     *
     * @param level 0 stuck low, 1 stuck high, -1 normal
     */
    public void setStuck(int level) {
        this.stuck = level;
    }

    /** The last written level (low before any write). */
    public boolean levelHigh() {
        return high;
    }

    /** Recorded transitions; the first write counts as one. */
    public int transitionCount() {
        return transitionCount;
    }

    /**
     * Level after transition {@code i}.
     *
     * @param i 0..transitionCount-1
     * @return true for high
     */
    public boolean transitionHigh(int i) {
        return transitionHigh[i];
    }

    /**
     * Clock time of transition {@code i}.
     *
     * @param i 0..transitionCount-1
     * @return ns
     */
    public long transitionNanos(int i) {
        return transitionNanos[i];
    }

    /** Transitions not recorded because the arrays were full. */
    public long droppedTransitions() {
        return droppedTransitions;
    }

    /** True after {@link #close()}. */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
    }
}
