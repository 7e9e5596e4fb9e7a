package dev.wren.mqtt.internal;

import dev.wren.mqtt.MqttException;
import dev.wren.mqtt.codec.AckEncoder;
import dev.wren.mqtt.transport.Transport;

import java.io.IOException;

/**
 * Acks produced while one pass of the receive loop handles packets, written together at the end of the pass:
 * JSSE allocates for every TLS record it writes, so several acks from one read cost one record, not one each.
 * Flushed before anything else is written (a handler's publish, PINGREQ, DISCONNECT) and before any read that may
 * block, so an ack never waits across a wait. Apart from the session's transmit buffer, which every other packet is
 * encoded into.
 */
final class AckBatch {

    /** PUBACK, PUBREC, PUBREL and PUBCOMP are 4 bytes each (MQTT 3.1.1 §3.4-§3.7). */
    private static final int ACK_BYTES = 4;

    private final Session session;
    private final byte[] acks;
    private int acksLength;

    /** A batch of up to {@code maxAcks} acks, written through {@code session} (its state says whether it can be). */
    AckBatch(Session session, int maxAcks) {
        this.session = session;
        this.acks = new byte[ACK_BYTES * maxAcks];
    }

    /** An ack from the receive path: goes out with the others of this pass. */
    void queue(int type, int id) throws MqttException {
        if (acksLength + ACK_BYTES > acks.length) {
            flush();
        }
        acksLength += AckEncoder.encode(acks, acksLength, type, id);
    }

    /** Writes the batched acks, if any; drops them when not connected. */
    void flush() throws MqttException {
        if (!session.isConnected()) {
            acksLength = 0; // nothing can be written; disconnect and close sent them while they could
            return;
        }
        if (acksLength == 0) {
            return;
        }
        int length = acksLength;
        acksLength = 0;
        session.write(acks, 0, length);
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
     * For {@link Session#disconnect()}, which has already left the connected state: writes the batched acks straight
     * to {@code transport}, letting its {@link IOException} through.
     */
    void writeTo(Transport transport) throws IOException {
        if (acksLength > 0) { // called from a handler: the acks of the packets handled before it
            transport.write(acks, 0, acksLength);
            acksLength = 0;
        }
    }

    /** Forgets the batched acks: a new connection, or the end of one (the server re-sends what they acknowledged). */
    void clear() {
        acksLength = 0;
    }
}
