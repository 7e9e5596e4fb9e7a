package dev.wren.device.sim;

import dev.wren.device.DeviceException;
import dev.wren.device.DigitalInputIo;
import dev.wren.device.LevelListener;

import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * A simulated input line. {@link #set} changes the level and calls the listener on the calling thread, as Pi4J
 * calls it on its own thread, so the thread that calls {@code set} plays the GPIO event thread. {@link #bounce}
 * produces a contact-bounce burst; {@link #simulateMotion} makes it behave like a PIR module that {@link #step}
 * drives. Allocation-free.
 */
public final class SimulatedDigitalInput implements DigitalInputIo {
    private final String lineName;
    private final LongSupplier nanoClock;
    private volatile LevelListener listener;
    private volatile boolean high;
    private volatile boolean failing;
    private boolean closed;
    private SplittableRandom motionRandom;
    private double motionProbabilityPerNano;
    private long motionHoldNanos;
    private long lastStepNanos;
    private long motionEndNanos;

    /**
     * Creates a line.
     *
     * @param lineName e.g. {@code "sim line 17"}
     * @param nanoClock time stamped on edges
     * @param initialHigh the level before any {@link #set}
     */
    public SimulatedDigitalInput(String lineName, LongSupplier nanoClock, boolean initialHigh) {
        this.lineName = lineName;
        this.nanoClock = nanoClock;
        this.high = initialHigh;
    }

    @Override
    public String lineName() {
        return lineName;
    }

    @Override
    public boolean readHigh() throws DeviceException {
        if (failing) {
            throw new DeviceException(DeviceException.Reason.NOT_RESPONDING, lineName + ": read failed (simulated)");
        }
        return high;
    }

    @Override
    public void setListener(LevelListener listener) {
        this.listener = listener;
    }

    /**
     * Drives the line; on a change, calls the listener with the clock's time.
     *
     * @param high the new level
     */
    public void set(boolean high) {
        if (high == this.high) {
            return;
        }
        this.high = high;
        LevelListener l = listener;
        if (l != null) {
            l.onLevel(high, nanoClock.getAsLong());
        }
    }

    /**
     * A bounce burst ending at {@code finalHigh}: {@code edges} alternating edges, the last one reaching
     * {@code finalHigh}, all stamped with the clock's current time plus {@code spacingNanos} per edge.
     *
     * @param finalHigh level after the burst
     * @param edges number of edges, odd so the burst ends opposite to where it started
     * @param spacingNanos time between edges
     */
    public void bounce(boolean finalHigh, int edges, long spacingNanos) {
        long t = nanoClock.getAsLong();
        boolean level = edges % 2 == 0 ? finalHigh : !finalHigh;
        for (int i = 0; i < edges; i++) {
            level = !level;
            high = level;
            LevelListener l = listener;
            if (l != null) {
                l.onLevel(level, t + i * spacingNanos);
            }
        }
    }

    /**
     * Makes the line behave like a PIR module (high while motion is seen): {@link #step} raises it at random with
     * the given rate and drops it after the hold time.
     *
     * @param eventsPerHour mean motion events per hour
     * @param holdMillis how long the module holds its output high
     * @param seed random seed
     */
    public void simulateMotion(double eventsPerHour, long holdMillis, long seed) {
        motionRandom = new SplittableRandom(seed);
        motionProbabilityPerNano = eventsPerHour / 3600e9;
        motionHoldNanos = holdMillis * 1_000_000L;
        lastStepNanos = nanoClock.getAsLong();
    }

    /** Advances the motion simulation to the clock's time; call from the demo loop. */
    public void step() {
        if (motionRandom == null) {
            return;
        }
        long now = nanoClock.getAsLong();
        long elapsed = now - lastStepNanos;
        lastStepNanos = now;
        if (high && now - motionEndNanos >= 0) {
            set(false);
        } else if (!high && motionRandom.nextDouble() < elapsed * motionProbabilityPerNano) {
            motionEndNanos = now + motionHoldNanos;
            set(true);
        }
    }

    /**
     * Makes {@link #readHigh} fail (true) or work (false).
     *
     * @param failing whether reads fail
     */
    public void setFailing(boolean failing) {
        this.failing = failing;
    }

    /** True after {@link #close()}. */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        listener = null;
    }
}
