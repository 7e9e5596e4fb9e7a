package dev.wren.device.gpio;

import dev.wren.device.DeviceException;
import dev.wren.device.DigitalInputIo;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A debounced digital input (PIR motion sensor, button, door contact) whose events reach the node's loop
 * without allocation and without the node touching GPIO.
 *
 * <h2>Threading</h2>
 * The IO's event thread (Pi4J's gpiod listener thread on a Pi) calls {@link dev.wren.device.LevelListener}, which
 * only appends (timestamp, level) to a single-producer/single-consumer ring of primitives and publishes the tail
 * with release semantics. The node's thread calls {@link #drain} each loop: it reads the ring and runs the debounce
 * there, so all debounce state belongs to one thread and needs no locks. Exactly one thread may call {@code drain}.
 *
 * <h2>Debounce</h2>
 * A new level becomes the stable level once it has lasted {@code debounceNanos} without another edge; the event
 * carries the time of the edge that started it. Bounces shorter than the window never produce events. Because a
 * level is confirmed by time passing, an event is delivered by the first {@code drain} at or after
 * edge time + debounce; {@link #nanosUntilSettled} tells the loop how long to wait for it.
 *
 * <h2>Overflow</h2>
 * If the node stops draining and the ring fills, the producer stops writing the ring, counts every further edge
 * ({@link #overflowCount}) and records only the latest raw level. The next {@code drain} empties the ring, re-opens
 * it, and then treats that latest level as one edge, so the stable state is never left wrong; intermediate events
 * are lost. Timestamps delivered are never earlier than the previous event's (a resync may be followed by edges the
 * producer stamped just before it; those are clamped).
 */
public final class DebouncedInput implements AutoCloseable {
    private final DigitalInputIo io;
    private final boolean activeLow;
    private final long debounceNanos;

    // Ring: written by the IO thread, read by the node thread.
    private final long[] edgeNanos;
    private final boolean[] edgeHigh;
    private final int mask;
    private final AtomicLong tail = new AtomicLong();   // next slot the producer writes (release on publish)
    private final AtomicLong head = new AtomicLong();   // next slot the consumer reads
    private final AtomicLong overflows = new AtomicLong();
    private volatile boolean resyncPending;             // set by the producer on a full ring, cleared by the consumer
    private volatile boolean lastRawHigh;
    private long lastRawNanos;                          // written before lastRawHigh; read after it

    // Debounce state: node thread only.
    private boolean stableHigh;
    private boolean candidatePending;
    private boolean candidateHigh;
    private long candidateNanos;
    private boolean anyEdge;
    private long lastEdgeNanos;
    private long eventCount;

    /**
     * Starts listening. The current level is read once and becomes the initial stable state (no event for it).
     *
     * @param io the input line
     * @param activeLow true when low means active (contact to ground with pull-up)
     * @param debounceMillis how long a level must last to count, 0..10000 ms (PIR modules: 0; buttons: 20–50)
     * @param ringCapacity edges buffered between two drains, a power of two, 2..65536
     * @throws DeviceException NOT_RESPONDING naming the line if it cannot be read
     * @throws IllegalArgumentException naming a bad debounce or capacity
     */
    public DebouncedInput(DigitalInputIo io, boolean activeLow, long debounceMillis, int ringCapacity)
            throws DeviceException {
        if (debounceMillis < 0 || debounceMillis > 10_000) {
            throw new IllegalArgumentException("debounceMillis " + debounceMillis + " outside 0..10000");
        }
        if (ringCapacity < 2 || ringCapacity > 65_536 || Integer.bitCount(ringCapacity) != 1) {
            throw new IllegalArgumentException("ringCapacity " + ringCapacity + " is not a power of two in 2..65536");
        }
        this.io = io;
        this.activeLow = activeLow;
        this.debounceNanos = debounceMillis * 1_000_000L;
        this.edgeNanos = new long[ringCapacity];
        this.edgeHigh = new boolean[ringCapacity];
        this.mask = ringCapacity - 1;
        this.stableHigh = io.readHigh();
        this.lastRawHigh = stableHigh;
        io.setListener(this::onLevel);
    }

    /** The input line's name, for messages. */
    public String lineName() {
        return io.lineName();
    }

    /** The debounced logical state as of the last {@link #drain}. */
    public boolean active() {
        return stableHigh != activeLow;
    }

    /** Events delivered since construction. */
    public long eventCount() {
        return eventCount;
    }

    /** Raw edges dropped because the ring was full. */
    public long overflowCount() {
        return overflows.get();
    }

    /**
     * Delivers every debounced event confirmed by {@code nowNanos}, oldest first, on the calling (node) thread.
     *
     * @param nowNanos the current {@link System#nanoTime()}
     * @param handler receives each event; must not call {@code drain} re-entrantly
     * @return number of events delivered
     */
    public int drain(long nowNanos, InputEventHandler handler) {
        int delivered = drainRing(handler);
        if (resyncPending) {
            delivered += drainRing(handler);      // edges written before the producer set the flag
            resyncPending = false;                // re-open the ring first, then read the latest level:
            boolean level = lastRawHigh;          // an edge after this point is also in the ring, never lost
            delivered += edge(level, lastRawNanos, handler);
        }
        if (candidatePending && nowNanos - candidateNanos >= debounceNanos) {
            delivered += confirm(handler);
        }
        return delivered;
    }

    private int drainRing(InputEventHandler handler) {
        int delivered = 0;
        long h = head.get();
        long t = tail.get();                      // acquire: the slots before t are fully written
        for (; h != t; h++) {
            int slot = (int) (h & mask);
            delivered += edge(edgeHigh[slot], edgeNanos[slot], handler);
        }
        head.set(h);                              // release the slots to the producer
        return delivered;
    }

    /**
     * How long until a pending level can be confirmed, so the loop can sleep exactly that long.
     *
     * @param nowNanos the current {@link System#nanoTime()}
     * @return ns until the next {@link #drain} can deliver, 0 if it can now, {@link Long#MAX_VALUE} if nothing pends
     *     (raw edges not yet drained count as pending now)
     */
    public long nanosUntilSettled(long nowNanos) {
        if (tail.get() != head.get() || resyncPending) {
            return 0;
        }
        if (!candidatePending) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, candidateNanos + debounceNanos - nowNanos);
    }

    /** Stops listening and releases the line; idempotent. */
    @Override
    public void close() {
        io.setListener(null);
        io.close();
    }

    // Producer side: the IO's event thread. No allocation, no locks.
    private void onLevel(boolean high, long timestampNanos) {
        lastRawNanos = timestampNanos;
        lastRawHigh = high;
        if (resyncPending) {
            overflows.incrementAndGet();
            return;
        }
        long t = tail.get();
        if (t - head.get() > mask) {
            overflows.incrementAndGet();
            resyncPending = true;
            return;
        }
        int slot = (int) (t & mask);
        edgeNanos[slot] = timestampNanos;
        edgeHigh[slot] = high;
        tail.lazySet(t + 1);
    }

    // Consumer side: debounce one raw edge.
    private int edge(boolean high, long rawNanos, InputEventHandler handler) {
        long nanos = anyEdge && rawNanos - lastEdgeNanos < 0 ? lastEdgeNanos : rawNanos;
        anyEdge = true;
        lastEdgeNanos = nanos;
        int delivered = 0;
        if (candidatePending && nanos - candidateNanos >= debounceNanos) {
            delivered = confirm(handler);         // the previous level lasted long enough before this edge
        }
        if (high == stableHigh) {
            candidatePending = false;             // bounced back before the window closed
        } else if (!candidatePending || high != candidateHigh) {
            candidatePending = true;
            candidateHigh = high;
            candidateNanos = nanos;
        }
        if (debounceNanos == 0 && candidatePending) {
            delivered += confirm(handler);
        }
        return delivered;
    }

    private int confirm(InputEventHandler handler) {
        candidatePending = false;
        if (candidateHigh == stableHigh) {
            return 0;
        }
        stableHigh = candidateHigh;
        eventCount++;
        handler.onInputEvent(stableHigh != activeLow, candidateNanos);
        return 1;
    }
}
