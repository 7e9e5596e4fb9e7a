package dev.wren.mqtt.testing;

import dev.wren.mqtt.transport.Transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * A {@link Transport} that plays a script: byte-exact expectations of what the client writes and canned
 * server bytes it reads, in order. Server bytes queued after an expectation are readable only once the
 * client has written the expected bytes, which models "the server answers". Reads deliver at most
 * {@link #maxBytesPerRead} bytes (1 exercises every split). When no server bytes are due, a read is
 * silence: it advances the {@link FakeClock} (if given) by its timeout and returns 0, so a client waiting
 * for a keep-alive deadline gets there without real sleeping.
 */
public final class ScriptedTransport implements Transport {

    private enum Kind { EXPECT, SEND, END_OF_STREAM, FAIL_READ, FAIL_WRITE }

    private static final class Step {
        final Kind kind;
        final byte[] bytes;
        int position;

        Step(Kind kind, byte[] bytes) {
            this.kind = kind;
            this.bytes = bytes;
        }
    }

    private final ArrayDeque<Step> steps = new ArrayDeque<>();
    private final FakeClock clock;
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private int maxBytesPerRead = Integer.MAX_VALUE;
    private int expectationsMet;
    private boolean closed;

    /** A script whose silences advance {@code clock} (may be null: silences then return 0 at once). */
    public ScriptedTransport(FakeClock clock) {
        this.clock = clock;
    }

    /** Limits every read to {@code n} bytes (1 = one byte per read). */
    public ScriptedTransport maxBytesPerRead(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("maxBytesPerRead " + n + " < 1");
        }
        this.maxBytesPerRead = n;
        return this;
    }

    /** The client must write exactly these bytes next (across any number of writes). */
    public ScriptedTransport expect(byte[] bytes) {
        steps.add(new Step(Kind.EXPECT, bytes.clone()));
        return this;
    }

    /** The server sends these bytes (readable once every earlier expectation is met). */
    public ScriptedTransport send(byte[] bytes) {
        steps.add(new Step(Kind.SEND, bytes.clone()));
        return this;
    }

    /** The server closes its side: reads return -1 from here on. */
    public ScriptedTransport endOfStream() {
        steps.add(new Step(Kind.END_OF_STREAM, null));
        return this;
    }

    /** The connection breaks for reading: reads throw {@link IOException} from here on. */
    public ScriptedTransport failRead() {
        steps.add(new Step(Kind.FAIL_READ, null));
        return this;
    }

    /** The connection breaks for writing: the next write (and every later one) throws {@link IOException}. */
    public ScriptedTransport failWrite() {
        steps.add(new Step(Kind.FAIL_WRITE, null));
        return this;
    }

    @Override
    public int read(byte[] dst, int off, int len, int timeoutMillis) throws IOException {
        if (closed) {
            throw new IOException("scripted transport closed");
        }
        Step head = steps.peek();
        if (head != null && head.kind == Kind.SEND) {
            int n = Math.min(Math.min(len, maxBytesPerRead), head.bytes.length - head.position);
            System.arraycopy(head.bytes, head.position, dst, off, n);
            head.position += n;
            if (head.position == head.bytes.length) {
                steps.poll();
            }
            return n;
        }
        if (head != null && head.kind == Kind.END_OF_STREAM) {
            return -1;
        }
        if (head != null && head.kind == Kind.FAIL_READ) {
            throw new IOException("scripted connection reset");
        }
        if (clock != null && timeoutMillis > 0) {
            clock.advanceMillis(timeoutMillis);
        }
        return 0;
    }

    @Override
    public void write(byte[] src, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("scripted transport closed");
        }
        for (int i = 0; i < len; i++) {
            Step step = firstNonSend();
            if (step == null || step.kind == Kind.END_OF_STREAM || step.kind == Kind.FAIL_READ) {
                throw new AssertionError("unexpected write by the client: " + Bytes.toHex(src, off, len)
                        + " (all written so far: " + Bytes.toHex(written()) + ")");
            }
            if (step.kind == Kind.FAIL_WRITE) {
                throw new IOException("scripted broken pipe");
            }
            byte expected = step.bytes[step.position];
            if (src[off + i] != expected) {
                throw new AssertionError("client wrote " + Bytes.toHex(src, off, len) + "; byte " + i
                        + " differs from expectation #" + (expectationsMet + 1) + ": " + Bytes.toHex(step.bytes)
                        + " at position " + step.position);
            }
            written.write(src[off + i]);
            if (++step.position == step.bytes.length) {
                steps.remove(step);
                expectationsMet++;
            }
        }
    }

    private Step firstNonSend() {
        for (Iterator<Step> it = steps.iterator(); it.hasNext(); ) {
            Step s = it.next();
            if (s.kind != Kind.SEND) {
                return s;
            }
        }
        return null;
    }

    @Override
    public void close() {
        closed = true;
    }

    /** True once the client closed the transport. */
    public boolean isClosed() {
        return closed;
    }

    /** Every byte the client wrote, in order. */
    public byte[] written() {
        return written.toByteArray();
    }

    /** True when every expectation is met and every server byte was read (a final end-of-stream or failure may remain). */
    public boolean isFinished() {
        for (Step s : steps) {
            if (s.kind == Kind.EXPECT || s.kind == Kind.SEND) {
                return false;
            }
        }
        return true;
    }

    /** Throws {@link AssertionError} unless {@link #isFinished()}, naming what is left. */
    public void assertFinished() {
        if (!isFinished()) {
            StringBuilder left = new StringBuilder();
            for (Step s : steps) {
                left.append("\n  ").append(s.kind).append(s.bytes == null ? "" : " " + Bytes.toHex(s.bytes))
                        .append(s.position > 0 ? " (at " + s.position + ")" : "");
            }
            throw new AssertionError("script not finished; left:" + left + "\nclient wrote: " + Bytes.toHex(written()));
        }
    }
}
