package dev.wren.mqtt.internal;

import dev.wren.mqtt.MqttException;
import dev.wren.mqtt.codec.AckEncoder;
import dev.wren.mqtt.transport.Transport;

import java.io.IOException;

/**
 * Packets written together in one transport write: JSSE allocates for every TLS record it writes and every write is
 * a system call, so several small packets cost one record and one call, not one each.
 *
 * <p>Always: the acks produced while one pass of the receive loop handles packets. With write coalescing
 * ({@link dev.wren.mqtt.MqttConfig#coalesceBatchBytes()} &gt; 0) also the PUBLISH packets of {@code publish}, in the
 * same buffer, so acks and publishes leave in the order they were produced.
 *
 * <p>Flushed before anything else is written (PINGREQ, SUBSCRIBE, UNSUBSCRIBE, DISCONNECT, a re-sent window), at
 * the start of every receive round and before any read that may block, so nothing waits in the batch across a
 * wait. Apart from the session's transmit buffer, which every other packet is encoded into.
 */
final class WriteBatch {

    /** PUBACK, PUBREC, PUBREL and PUBCOMP are 4 bytes each (MQTT 3.1.1 §3.4-§3.7). */
    private static final int ACK_BYTES = 4;

    private final Link link;
    private final byte[] batch;
    /** Whether PUBLISH packets are batched too (write coalescing on). */
    private final boolean coalescing;
    private int length;

    /**
     * A batch of {@code coalesceBytes} for acks and publishes, or, when {@code coalesceBytes} is 0, of up to
     * {@code maxAcks} acks only; written through {@code link} (its state says whether it can be).
     */
    WriteBatch(Link link, int maxAcks, int coalesceBytes) {
        this.link = link;
        this.coalescing = coalesceBytes > 0;
        this.batch = new byte[coalescing ? Math.max(coalesceBytes, ACK_BYTES * maxAcks) : ACK_BYTES * maxAcks];
    }

    /** True when PUBLISH packets go into the batch. */
    boolean coalescing() {
        return coalescing;
    }

    /** An ack from the receive path: goes out with the others of this pass. */
    void queue(int type, int id) throws MqttException {
        if (length + ACK_BYTES > batch.length) {
            flush();
        }
        length += AckEncoder.encode(batch, length, type, id);
    }

    /**
     * Makes room for a packet of {@code frameLength} bytes, flushing first when it does not fit behind what is
     * batched. The caller encodes it at the offset returned, into {@link #array()}, then calls {@link #commit}.
     *
     * @return the offset to encode at, or -1 when the packet is larger than the whole batch (the batch has then been
     * flushed: the caller writes the packet itself)
     */
    int reserve(int frameLength) throws MqttException {
        if (length + frameLength > batch.length) {
            flush();
            if (frameLength > batch.length) {
                return -1;
            }
        }
        return length;
    }

    /** The batch buffer, for encoding at the offset {@link #reserve} returned. */
    byte[] array() {
        return batch;
    }

    /** Adds the {@code frameLength} bytes just encoded at the offset {@link #reserve} returned. */
    void commit(int frameLength) {
        length += frameLength;
    }

    /**
     * Adds a copy of {@code frame[off..off+len)} (a QoS 1/2 PUBLISH, which stays in its window slot), flushing first
     * when it does not fit; a packet larger than the whole batch is written at once, after the batch.
     */
    void append(byte[] frame, int off, int len) throws MqttException {
        int at = reserve(len);
        if (at < 0) {
            link.write(frame, off, len);
            return;
        }
        System.arraycopy(frame, off, batch, at, len);
        length += len;
    }

    /** Writes one packet now, after what is batched (which goes first); a failed write ends the connection. */
    void send(byte[] buf, int off, int len) throws MqttException {
        flush();
        link.write(buf, off, len);
    }

    /** Writes what is batched, if anything; drops it when not connected. */
    void flush() throws MqttException {
        if (!link.isConnected()) {
            length = 0; // nothing can be written; disconnect and close sent it while they could
            return;
        }
        if (length == 0) {
            return;
        }
        int n = length;
        length = 0;
        link.write(batch, 0, n);
    }

    /** {@link #flush} while something else is already being thrown: a lost connection is reported, not thrown. */
    void flushQuietly() {
        try {
            flush();
        } catch (MqttException lost) {
            // fail() closed the connection and told the listener; the exception in flight matters more
        }
    }

    /**
     * For the session's disconnect, which has already left the connected state: writes what is batched straight
     * to {@code transport}, letting its {@link IOException} through.
     */
    void writeTo(Transport transport) throws IOException {
        if (length > 0) {
            int n = length;
            length = 0;
            transport.write(batch, 0, n);
        }
    }

    /**
     * Forgets what is batched: a new connection, or the end of one. The server re-sends what the acks acknowledged,
     * the window keeps QoS 1/2 messages for re-sending; QoS 0 messages in it are lost (no delivery guarantee).
     */
    void clear() {
        length = 0;
    }
}
