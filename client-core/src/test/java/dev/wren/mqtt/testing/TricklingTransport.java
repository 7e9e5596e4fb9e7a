package dev.wren.mqtt.testing;

import dev.wren.mqtt.transport.Transport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static dev.wren.mqtt.testing.Packets.connack;

/**
 * A server on a slow link, on a {@link FakeClock}: answers the first read with CONNACK (session not present), then
 * gives out {@code trickle} one byte per {@code gapMillis} of waiting. A read that would wait less than the rest of
 * the gap moves the clock by its timeout and returns 0; once the trickle is out, every read is silence. Each write
 * is recorded as hex ({@link #writes()}); the client's bytes are not checked.
 */
public final class TricklingTransport implements Transport {

    private final FakeClock clock;
    private final byte[] trickle;
    private final long gapMillis;
    private final List<String> writes = new ArrayList<>();
    private boolean connackSent;
    private boolean closed;
    private int position;
    private long waitedMillis;
    private long lastByteNanos;

    /** Gives out {@code trickle} one byte per {@code gapMillis} of waiting on {@code clock}, after CONNACK. */
    public TricklingTransport(FakeClock clock, byte[] trickle, long gapMillis) {
        this.clock = clock;
        this.trickle = trickle.clone();
        this.gapMillis = gapMillis;
    }

    @Override
    public int read(byte[] dst, int off, int len, int timeoutMillis) throws IOException {
        if (closed) {
            throw new IOException("trickling transport closed");
        }
        if (!connackSent) {
            byte[] c = connack(false, 0);
            System.arraycopy(c, 0, dst, off, c.length);
            connackSent = true;
            return c.length;
        }
        if (position == trickle.length || waitedMillis + timeoutMillis < gapMillis) {
            clock.advanceMillis(timeoutMillis);
            waitedMillis += timeoutMillis;
            return 0;
        }
        clock.advanceMillis(gapMillis - waitedMillis);
        waitedMillis = 0;
        dst[off] = trickle[position++];
        lastByteNanos = clock.nanoTime();
        return 1;
    }

    @Override
    public void write(byte[] src, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("trickling transport closed");
        }
        writes.add(Bytes.toHex(src, off, len));
    }

    @Override
    public void close() {
        closed = true;
    }

    /** True once the client closed the transport. */
    public boolean isClosed() {
        return closed;
    }

    /** Bytes of the trickle given out so far. */
    public int delivered() {
        return position;
    }

    /** When the last trickled byte was given out, on the fake clock (0 before the first). */
    public long lastByteNanos() {
        return lastByteNanos;
    }

    /** Each write of the client, as hex, in order. */
    public List<String> writes() {
        return writes;
    }

    /** How many writes were exactly {@code packet} (e.g. {@link Packets#pingreq()}). */
    public int writesOf(byte[] packet) {
        String hex = Bytes.toHex(packet);
        int n = 0;
        for (String w : writes) {
            if (w.equals(hex)) {
                n++;
            }
        }
        return n;
    }
}
