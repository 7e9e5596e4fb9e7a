package dev.wren.mqtt.testing;

import dev.wren.mqtt.transport.Transport;
import dev.wren.mqtt.transport.TransportFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A lenient in-memory broker for tests that are about the client's bookkeeping, not about exact bytes: it
 * answers CONNECT with CONNACK (no session), PINGREQ with PINGRESP, and each QoS 1 PUBLISH with PUBACK, each
 * QoS 2 PUBLISH with PUBREC and PUBREL with PUBCOMP; it records every PUBLISH payload it receives. Acks can be
 * held back ({@link #holdAcks}) and let go later, so a test decides when they arrive. When nothing is due a
 * read is silence: it advances the {@link FakeClock} by its timeout, as {@link ScriptedTransport} does. One
 * connection at a time; a new {@code open} starts a fresh one (the recorded payloads are kept).
 */
public final class AckingBroker implements TransportFactory {

    private final FakeClock clock;
    private final List<String> payloads = new ArrayList<>();
    private final ByteArrayOutputStream held = new ByteArrayOutputStream();
    private boolean holding;
    private int connections;
    private Connection current;

    public AckingBroker(FakeClock clock) {
        this.clock = clock;
    }

    /** From now on acks are kept back until {@link #releaseAcks}. */
    public AckingBroker holdAcks() {
        holding = true;
        return this;
    }

    /** The acks held back arrive (in order) at the client's next reads; later acks are sent at once. */
    public AckingBroker releaseAcks() {
        holding = false;
        if (current != null) {
            current.out.writeBytes(held.toByteArray());
        }
        held.reset();
        return this;
    }

    /** The payload of every PUBLISH received, in arrival order, duplicates included. */
    public List<String> payloads() {
        return payloads;
    }

    /** Connections opened so far. */
    public int connections() {
        return connections;
    }

    @Override
    public Transport open(String host, int port, int connectTimeoutMillis) {
        connections++;
        held.reset();
        current = new Connection();
        return current;
    }

    private final class Connection implements Transport {
        private final ByteArrayOutputStream in = new ByteArrayOutputStream();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int outRead;
        private boolean closed;

        @Override
        public int read(byte[] dst, int off, int len, int timeoutMillis) throws IOException {
            if (closed) {
                throw new IOException("test broker connection closed");
            }
            byte[] pending = out.toByteArray();
            if (outRead < pending.length) {
                int n = Math.min(len, pending.length - outRead);
                System.arraycopy(pending, outRead, dst, off, n);
                outRead += n;
                return n;
            }
            if (timeoutMillis > 0) {
                clock.advanceMillis(timeoutMillis);
            }
            return 0;
        }

        @Override
        public void write(byte[] src, int off, int len) throws IOException {
            if (closed) {
                throw new IOException("test broker connection closed");
            }
            in.write(src, off, len);
            byte[] b = in.toByteArray();
            int pos = 0;
            while (true) {
                int used = packet(b, pos, b.length - pos);
                if (used == 0) {
                    break;
                }
                pos += used;
            }
            in.reset();
            in.write(b, pos, b.length - pos);
        }

        /** Handles one complete packet at {@code b[pos..]}; returns its length, or 0 when it is not complete. */
        private int packet(byte[] b, int pos, int available) {
            if (available < 2) {
                return 0;
            }
            int remaining = 0;
            int multiplier = 1;
            int i = pos + 1;
            while (true) {
                if (i >= pos + available) {
                    return 0;
                }
                int digit = b[i++] & 0xFF;
                remaining += (digit & 0x7F) * multiplier;
                multiplier *= 128;
                if ((digit & 0x80) == 0) {
                    break;
                }
            }
            int total = i - pos + remaining;
            if (total > available) {
                return 0;
            }
            int type = (b[pos] & 0xF0) >> 4;
            int body = i;
            switch (type) {
                case 1: // CONNECT
                    out.writeBytes(Packets.connack(false, 0));
                    break;
                case 3: { // PUBLISH
                    int qos = (b[pos] >> 1) & 3;
                    int topicLength = ((b[body] & 0xFF) << 8) | (b[body + 1] & 0xFF);
                    int p = body + 2 + topicLength;
                    int id = 0;
                    if (qos > 0) {
                        id = ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
                        p += 2;
                    }
                    payloads.add(new String(b, p, pos + total - p, java.nio.charset.StandardCharsets.UTF_8));
                    if (qos == 1) {
                        ack(Packets.puback(id));
                    } else if (qos == 2) {
                        ack(Packets.pubrec(id));
                    }
                    break;
                }
                case 6: // PUBREL
                    ack(Packets.pubcomp(((b[body] & 0xFF) << 8) | (b[body + 1] & 0xFF)));
                    break;
                case 12: // PINGREQ
                    out.writeBytes(Packets.pingresp());
                    break;
                default:
                    break; // DISCONNECT and the rest need no answer here
            }
            return total;
        }

        private void ack(byte[] packet) {
            if (holding) {
                held.writeBytes(packet);
            } else {
                out.writeBytes(packet);
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
