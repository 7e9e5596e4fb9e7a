package dev.wren.tools.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.LockSupport;

/**
 * The ceiling: PUBLISH frames encoded once and written in large batches straight to a socket. Also feeds QoS 1/2
 * messages (answering PUBREC with PUBREL) to a client under test when its receive path is measured.
 */
final class RawPublisher implements AutoCloseable {
    private static final int BATCH_BYTES = 64 * 1024;

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    private RawPublisher(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
    }

    static RawPublisher connect(String host, int port) throws IOException {
        return connect(host, port, null);
    }

    /** Connects over TLS with sockets of {@code tls}; over plain TCP when null. */
    static RawPublisher connect(String host, int port, javax.net.ssl.SSLSocketFactory tls) throws IOException {
        return new RawPublisher(RawMqtt.connect(host, port, "bench-pub-" + Long.toHexString(System.nanoTime()), tls));
    }

    /** The negotiated TLS version and cipher suite, or "plain TCP". */
    String protocol() {
        if (socket instanceof javax.net.ssl.SSLSocket) {
            javax.net.ssl.SSLSession session = ((javax.net.ssl.SSLSocket) socket).getSession();
            return session.getProtocol() + " " + session.getCipherSuite();
        }
        return "plain TCP";
    }

    private byte[] topicUtf8;
    private int qos;
    private int window;
    private int frameLength;
    private int afterTopic;
    private int framesPerBatch;
    private byte[] batch;
    private byte[] outBuf;
    private final byte[] inBuf = new byte[64 * 1024];
    private final int[] header = new int[1];
    private int nextId = 1;

    /**
     * Encodes the frames once for {@code topic}, {@code qos} and {@code payload}; at QoS 1/2 at most
     * {@code window} messages are unacknowledged. Later {@link #publish} calls allocate nothing.
     */
    RawPublisher prepare(String topic, int qos, byte[] payload, int window) {
        this.topicUtf8 = topic.getBytes(StandardCharsets.UTF_8);
        this.qos = qos;
        this.window = window;
        this.frameLength = RawMqtt.publishLength(topicUtf8.length, qos, payload.length);
        int remaining = 2 + topicUtf8.length + (qos > 0 ? 2 : 0) + payload.length;
        this.afterTopic = 1 + RawMqtt.remainingLengthSize(remaining) + 2 + topicUtf8.length;
        this.framesPerBatch = Math.max(1, BATCH_BYTES / frameLength);
        this.batch = new byte[framesPerBatch * frameLength];
        for (int i = 0; i < framesPerBatch; i++) {
            RawMqtt.encodePublish(batch, i * frameLength, topicUtf8, qos, 0, payload, payload.length);
        }
        this.outBuf = new byte[window * (frameLength + 4)];
        return this;
    }

    /** Publishes {@code count} prepared messages: QoS 0 in ~64 KiB batches, QoS 1/2 through the window. */
    void publish(long count) throws IOException {
        if (qos == 0) {
            long left = count;
            while (left > 0) {
                int n = (int) Math.min(left, framesPerBatch);
                out.write(batch, 0, n * frameLength);
                left -= n;
            }
            out.flush();
        } else {
            publishWindowed(count);
        }
    }

    /** Publishes {@code count} prepared QoS 0 messages with one write per PUBLISH (one TLS record each over TLS). */
    void publishEach(long count) throws IOException {
        for (long i = 0; i < count; i++) {
            out.write(batch, 0, frameLength);
        }
        out.flush();
    }

    /**
     * Writes one prepared QoS 0 frame at a time, message {@code i} at {@code startNanos + i * periodNanos}, each
     * stamped in the payload's first 8 bytes with that intended send time, not the actual one: a send that is late
     * counts its delay as latency (no coordinated omission). The payload must hold at least 8 bytes.
     */
    void publishScheduled(int count, long startNanos, long periodNanos) throws IOException {
        int payloadAt = afterTopic;   // QoS 0: no packet id
        for (int i = 0; i < count; i++) {
            long intended = startNanos + i * periodNanos;
            Pacing.waitUntil(intended);
            RawMqtt.writeLong(batch, payloadAt, intended);
            out.write(batch, 0, frameLength);
        }
        out.flush();
    }

    /**
     * QoS 1/2 flows (PUBACK; PUBREC, PUBREL, PUBCOMP — MQTT 3.1.1 §4.3) with at most {@code window}
     * unacknowledged. mosquitto acknowledges in order on one connection, so a sliding window over sequential
     * packet ids suffices.
     */
    private void publishWindowed(long count) throws IOException {
        int have = 0;
        long sent = 0;
        long completed = 0;
        byte[] frame = batch;
        while (completed < count) {
            int o = 0;
            while (sent < count && sent - completed < window) {
                System.arraycopy(frame, 0, outBuf, o, frameLength);
                int idAt = o + afterTopic;
                outBuf[idAt] = (byte) (nextId >> 8);
                outBuf[idAt + 1] = (byte) nextId;
                nextId = nextId == 65_535 ? 1 : nextId + 1;
                o += frameLength;
                sent++;
            }
            if (o > 0) {
                out.write(outBuf, 0, o);
                o = 0;
            }
            if (sent < count && sent - completed < window && in.available() == 0) {
                continue;
            }
            int r = in.read(inBuf, have, inBuf.length - have);
            if (r < 0) {
                throw new IOException("broker closed the connection after " + completed + " of " + count
                        + " QoS " + qos + " messages");
            }
            have += r;
            int p = 0;
            while (true) {
                int f = RawMqtt.frameLength(inBuf, p, have - p, header);
                if (f < 0 || f > have - p) {
                    break;
                }
                int type = (inBuf[p] & 0xFF) >> 4;
                int id = (inBuf[p + 2] & 0xFF) << 8 | (inBuf[p + 3] & 0xFF);
                if (type == RawMqtt.PUBACK || type == RawMqtt.PUBCOMP) {
                    completed++;
                } else if (type == RawMqtt.PUBREC) {
                    o += RawMqtt.encodeAck(outBuf, o, RawMqtt.PUBREL, id);
                }
                p += f;
            }
            System.arraycopy(inBuf, p, inBuf, 0, have - p);
            have -= p;
            if (o > 0) {
                out.write(outBuf, 0, o);
            }
        }
    }

    @Override
    public void close() {
        RawMqtt.disconnect(socket);
    }

    /** Waits for a due time: parks while far, spins the last 50 µs (park granularity is ~50-100 µs). */
    static final class Pacing {
        private Pacing() {
        }

        static void waitUntil(long dueNanos) {
            long left;
            while ((left = dueNanos - System.nanoTime()) > 0) {
                if (left > 100_000) {
                    LockSupport.parkNanos(left - 50_000);
                } else {
                    Thread.onSpinWait();
                }
            }
        }
    }
}
