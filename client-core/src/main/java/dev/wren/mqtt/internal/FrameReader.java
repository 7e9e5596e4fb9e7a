package dev.wren.mqtt.internal;

import dev.wren.mqtt.MonotonicClock;
import dev.wren.mqtt.MqttConfig;
import dev.wren.mqtt.MqttException;
import dev.wren.mqtt.MqttException.Reason;
import dev.wren.mqtt.MqttListener;
import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.FrameHeader;
import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.codec.PublishView;
import dev.wren.mqtt.codec.Topics;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The receive path: reads from the {@link Session}'s transport into the receive buffer until one whole packet is
 * buffered, checks its fixed header (MQTT 3.1.1 §2.2), and drains a PUBLISH larger than the buffer, acknowledging
 * it, under a stall limit. Owns the receive buffer: a packet's bytes stay in place from {@link #readFrame} until the
 * next read, so views decoded over {@link #buffer()} are valid while its handlers run.
 */
final class FrameReader {

    /** First byte of a TLS alert record (RFC 8446 §5.1 content type 21); never a valid MQTT fixed header from a server. */
    private static final byte TLS_ALERT_RECORD = 0x15;
    private static final String TOPIC_TOO_LONG_TO_SHOW = "<topic longer than the receive buffer>";

    private final Session session;
    private final MqttConfig config;
    private final MqttListener listener;
    private final MonotonicClock clock;
    private final WriteBatch batch;
    private final PublishView publish;
    private final IncomingQos2Table incomingQos2;

    private final byte[] rx;
    private int rxStart;
    private int rxEnd;
    private final FrameHeader header = new FrameHeader();

    private long oversizeMessages;
    /** While an oversize PUBLISH is drained: when it counts as stalled (pushed on by every byte), bytes seen so far. */
    private long drainDeadline;
    private long drainedBytes;

    /**
     * A reader with a receive buffer of {@link MqttConfig#receiveBufferBytes()}; {@code publish} is the view an
     * oversize PUBLISH's topic and packet id are decoded into, {@code incomingQos2} tells a re-sent one apart.
     */
    FrameReader(Session session, MqttConfig config, WriteBatch batch, PublishView publish, IncomingQos2Table incomingQos2) {
        this.session = session;
        this.config = config;
        this.listener = config.listener();
        this.clock = config.clock();
        this.batch = batch;
        this.publish = publish;
        this.incomingQos2 = incomingQos2;
        this.rx = new byte[config.receiveBufferBytes()];
    }

    /** The receive buffer the current packet lies in. */
    byte[] buffer() {
        return rx;
    }

    /** The fixed header of the packet that {@link #readFrame} found. */
    FrameHeader header() {
        return header;
    }

    /** Where the body (variable header) of the current packet starts in {@link #buffer()}. */
    int bodyOffset() {
        return rxStart + header.headerLength();
    }

    /** Forgets every buffered byte: a new connection, or the end of one. */
    void clear() {
        rxStart = 0;
        rxEnd = 0;
    }

    /** Incoming PUBLISH packets larger than the receive buffer, drained and acknowledged since construction. */
    long oversizeMessageCount() {
        return oversizeMessages;
    }

    /**
     * Buffers bytes until one whole packet starts at {@code rxStart} (fixed header decoded into {@link #header}).
     * A PUBLISH larger than the receive buffer is drained and acknowledged on the way.
     *
     * @param waitMillis how long to wait in all, however many partial reads come in between (one deadline)
     * @return true when a packet is ready, false when none was complete within {@code waitMillis}
     */
    boolean readFrame(int waitMillis) throws MqttException {
        long deadline = waitMillis == 0 ? 0 : clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        while (true) {
            int available = rxEnd - rxStart;
            if (session.state != Session.CONNECTED && available > 0 && rx[rxStart] == TLS_ALERT_RECORD) {
                throw session.fail(Reason.CONNECTION_LOST, "server answered CONNECT with a TLS alert record, not MQTT"
                        + tlsPortHint(), "", null);
            }
            int status = header.decode(rx, rxStart, available);
            if (status == CodecStatus.OK) {
                if (session.state != Session.CONNECTED && header.type() != PacketType.CONNACK) {
                    throw session.fail(Reason.PROTOCOL_VIOLATION, "first packet from the server is "
                            + PacketType.name(header.type()) + ", not CONNACK [MQTT-3.2.0-1]", "MQTT-3.2.0-1", null);
                }
                int allowed = FrameHeader.checkServerToClient(header.type());
                if (allowed != CodecStatus.OK) {
                    throw session.violation(allowed, PacketType.name(header.type()) + " from the server");
                }
                int frameLength = header.frameLength();
                if (frameLength <= available) {
                    return true;
                }
                if (frameLength > rx.length || frameLength < 0) {
                    drainOversize();
                    if (session.state != Session.CONNECTED) {
                        return false; // its listener disconnected or closed the client
                    }
                    continue;
                }
                if (rxStart + frameLength > rx.length) {
                    compact();
                }
            } else if (status == CodecStatus.NEED_MORE) {
                if (rxEnd == rx.length) {
                    compact();
                }
            } else {
                throw session.violation(status, "fixed header");
            }
            if (receive(waitMillis == 0 ? 0 : session.waitMillis(deadline)) == 0) {
                return false;
            }
        }
    }

    /** Reads into the free end of the receive buffer; returns bytes read, 0 on timeout; fails at end of stream. */
    private int receive(int waitMillis) throws MqttException {
        if (waitMillis > 0) {
            batch.flush();
        }
        int n;
        try {
            n = session.transport.read(rx, rxEnd, rx.length - rxEnd, waitMillis);
        } catch (IOException e) {
            throw session.fail(Reason.CONNECTION_LOST, "read failed: " + e.getMessage() + tlsPortHint(), "", e);
        }
        if (n < 0) {
            throw session.fail(Reason.CONNECTION_LOST, "server closed the connection (end of stream)" + tlsPortHint(), "", null);
        }
        rxEnd += n;
        if (n > 0) {
            session.lastReceivedNanos = clock.nanoTime();
        }
        return n;
    }

    /**
     * A plain-TCP client at a TLS port gets a TLS alert, a reset or the end of stream instead of CONNACK:
     * say so while connecting (empty once connected, or when the transport is already TLS).
     */
    private String tlsPortHint() {
        if (session.state == Session.CONNECTED || config.transportFactory().encrypted()) {
            return "";
        }
        return " (before CONNACK: if " + config.host() + ":" + config.port() + " is a TLS port, usually 8883, use ssl://"
                + config.host() + ":" + config.port() + ")";
    }

    private void compact() {
        int available = rxEnd - rxStart;
        System.arraycopy(rx, rxStart, rx, 0, available);
        rxStart = 0;
        rxEnd = available;
    }

    /** Steps past the current packet; its bytes stay in place until the next read. */
    void consumeFrame() {
        rxStart += header.frameLength();
        if (rxStart == rxEnd) {
            rxStart = 0;
            rxEnd = 0;
        }
    }

    /**
     * A PUBLISH larger than the receive buffer: reads its topic and packet id, validating them and the flags as for
     * any PUBLISH (a violation closes the connection naming the rule), tells the listener, drains the rest of its
     * bytes, and acknowledges it per its QoS so the server does not re-send it. The drain takes as long as the
     * bytes keep coming; it fails the connection only after operationTimeoutMillis without a byte.
     */
    private void drainOversize() throws MqttException {
        int type = header.type();
        int frameLength = header.frameLength();
        if (type != PacketType.PUBLISH) {
            throw session.fail(Reason.PACKET_TOO_LARGE, PacketType.name(type) + " of " + frameLength
                    + " bytes > receiveBufferBytes " + rx.length, "", null);
        }
        int flags = header.flags();
        int headerLength = header.headerLength();
        int qos = (flags >> 1) & 3;
        if (qos == 3) {
            throw session.violation(CodecStatus.INVALID_QOS, "PUBLISH of " + frameLength + " bytes");
        }
        if (qos == 0 && (flags & Session.DUP_FLAG) != 0) {
            throw session.violation(CodecStatus.DUP_ON_QOS0, "PUBLISH of " + frameLength + " bytes");
        }
        drainDeadline = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.operationTimeoutMillis());
        drainedBytes = Math.min(rxEnd - rxStart, frameLength);
        compact();
        fill(headerLength + 2, frameLength);
        int topicLength = ((rx[headerLength] & 0xFF) << 8) | (rx[headerLength + 1] & 0xFF);
        int prefix = headerLength + 2 + topicLength + (qos > 0 ? 2 : 0);
        if (prefix > frameLength) {
            throw session.fail(Reason.PROTOCOL_VIOLATION, "PUBLISH topic length " + topicLength + " exceeds remaining length "
                    + header.remainingLength() + " [MQTT-1.5.3-1]", "MQTT-1.5.3-1", null);
        }
        CharSequence topic;
        int id;
        if (prefix <= rx.length) {
            fill(prefix, frameLength);
            int status = publish.decode(rx, headerLength, prefix - headerLength, flags);
            if (status != CodecStatus.OK) {
                throw session.violation(status, "PUBLISH");
            }
            topic = publish.topic();
            id = publish.packetId();
            rxStart += prefix;
        } else {
            rxStart += headerLength + 2;
            skipTopic(topicLength, frameLength);
            topic = TOPIC_TOO_LONG_TO_SHOW;
            id = 0;
            if (qos > 0) {
                fill(2, frameLength);
                id = ((rx[rxStart] & 0xFF) << 8) | (rx[rxStart + 1] & 0xFF);
                rxStart += 2;
                if (id == 0) {
                    throw session.violation(CodecStatus.PACKET_ID_ZERO, "PUBLISH at qos " + qos);
                }
            }
        }
        boolean repeat = qos == 2 && incomingQos2.contains(id);
        Throwable listenerFailure = null;
        if (!repeat) {
            oversizeMessages++;
            session.callbackDepth++;
            try {
                listener.onOversizeMessage(topic, frameLength, qos);
            } catch (RuntimeException | Error e) {
                listenerFailure = e; // thrown once the packet is drained: the stream must stay in step
            } finally {
                session.callbackDepth--;
            }
            if (session.state != Session.CONNECTED) {
                return; // the listener disconnected or closed: the rest of the packet goes with the connection
            }
        }
        skip(frameLength - prefix, frameLength);
        if (qos == 1) {
            session.sendAck(PacketType.PUBACK, id);
        } else if (qos == 2) {
            if (!repeat && !incomingQos2.add(id)) {
                throw session.fail(Reason.INCOMING_QOS2_TABLE_FULL, "QoS 2 PUBLISH id " + id + " while maxIncomingQos2 "
                        + incomingQos2.capacity() + " messages await PUBREL", "", null);
            }
            session.sendAck(PacketType.PUBREC, id);
        }
        if (listenerFailure instanceof Error) {
            throw (Error) listenerFailure;
        }
        if (listenerFailure != null) {
            throw (RuntimeException) listenerFailure;
        }
    }

    /** Reads until {@code count} bytes from {@code rxStart} are buffered (they fit: the caller checked). */
    private void fill(int count, int frameLength) throws MqttException {
        if (rxStart + count > rx.length) {
            compact();
        }
        while (rxEnd - rxStart < count) {
            awaitBytes(frameLength);
        }
    }

    /**
     * Discards a topic name too long for the receive buffer, validating it piece by piece as it passes (UTF-8,
     * U+0000, wildcards: §1.5.3, §3.3.2.1) like {@link PublishView#decode} validates a topic that fits. A piece ends
     * before a UTF-8 sequence that a read cut short; the sequence is checked whole once the rest has arrived.
     */
    private void skipTopic(int topicLength, int frameLength) throws MqttException {
        int left = topicLength;
        while (left > 0) {
            int available = rxEnd - rxStart;
            int piece = available >= left ? left : wholeSequences(rx, rxStart, available);
            if (piece == 0) {
                compact(); // nothing or only the start of a sequence: room for the rest, then read on
                awaitBytes(frameLength);
                continue;
            }
            int status = Topics.validateName(rx, rxStart, piece);
            if (status != CodecStatus.OK) {
                throw session.violation(status, "PUBLISH topic name of " + topicLength + " bytes");
            }
            rxStart += piece;
            left -= piece;
        }
    }

    /** How many of {@code buf[off..off+len)} form whole UTF-8 sequences: all but a last sequence that runs past the end. */
    private static int wholeSequences(byte[] buf, int off, int len) {
        for (int i = off + len - 1; i >= off && i >= off + len - 3; i--) {
            int b = buf[i] & 0xFF;
            if ((b & 0xC0) != 0x80) { // not a continuation byte: the last sequence starts here
                int sequenceLength = b < 0xC0 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
                return i + sequenceLength > off + len ? i - off : len;
            }
        }
        return len; // no lead byte among the last three: nothing to wait for (validation judges the bytes)
    }

    /** Discards the next {@code count} bytes of the stream, keeping any bytes after them. */
    private void skip(long count, int frameLength) throws MqttException {
        while (count > 0) {
            int available = rxEnd - rxStart;
            if (available == 0) {
                rxStart = 0;
                rxEnd = 0;
                awaitBytes(frameLength);
                continue;
            }
            int k = (int) Math.min(available, count);
            rxStart += k;
            count -= k;
        }
        if (rxStart == rxEnd) {
            rxStart = 0;
            rxEnd = 0;
        }
    }

    /**
     * Reads more of an oversize PUBLISH. A stall limit, not a total: every byte that arrives gives the drain another
     * operationTimeoutMillis, so a large message over a slow but live link gets through, while a server that sends
     * nothing for that long is taken for gone.
     */
    private void awaitBytes(int frameLength) throws MqttException {
        int n = receive(session.waitMillis(drainDeadline));
        long now = clock.nanoTime();
        if (n > 0) {
            drainedBytes += n;
            drainDeadline = now + TimeUnit.MILLISECONDS.toNanos(config.operationTimeoutMillis());
        } else if (drainDeadline - now <= 0) {
            throw session.fail(Reason.CONNECTION_LOST, "server sent no byte for operationTimeoutMillis "
                    + config.operationTimeoutMillis() + " inside a PUBLISH larger than the receive buffer, after "
                    + Math.min(drainedBytes, frameLength) + " of the " + frameLength + " bytes", "", null);
        }
    }
}
