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
import dev.wren.mqtt.codec.Wire;

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

    // The drain of an oversize PUBLISH, kept across calls: a call that reaches its deadline leaves the drain where it
    // is, and the next readFrame goes on from there (the stream stays in step, keep-alive runs in between).
    private static final int DRAIN_NONE = 0;
    /** Waiting for the topic length (the first 2 bytes of the variable header, §3.3.2.1). */
    private static final int DRAIN_TOPIC_LENGTH = 1;
    /** Waiting for the topic and packet id, which fit the buffer, to decode them. */
    private static final int DRAIN_PREFIX = 2;
    /** Validating and discarding a topic longer than the receive buffer. */
    private static final int DRAIN_LONG_TOPIC = 3;
    /** Waiting for the packet id after a topic longer than the receive buffer. */
    private static final int DRAIN_PACKET_ID = 4;
    /** Discarding the payload; then acknowledging per QoS. */
    private static final int DRAIN_PAYLOAD = 5;
    private int drainPhase;
    private int drainFrameLength;
    private int drainHeaderLength;
    private int drainFlags;
    private int drainQos;
    /** Fixed header, topic length, topic and packet id: what precedes the payload. */
    private int drainPrefixLength;
    private int drainTopicLength;
    private int drainTopicLeft;
    private int drainId;
    private boolean drainRepeat;
    private long drainPayloadLeft;
    /** When the drain counts as stalled (pushed on by every byte that arrives), and the bytes seen so far. */
    private long stallDeadline;
    private long drainedBytes;
    /** What the oversize listener threw: thrown once the packet is drained, so that the stream stays in step. */
    private Throwable listenerFailure;

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

    /** Forgets every buffered byte and any drain under way: a new connection, or the end of one. */
    void clear() {
        rxStart = 0;
        rxEnd = 0;
        drainPhase = DRAIN_NONE;
        listenerFailure = null;
    }

    /**
     * True while a packet has only partly arrived: bytes of an unfinished frame are buffered, or an oversize PUBLISH
     * is being drained. A PINGRESP cannot overtake it (§4.6: packets arrive in order).
     */
    boolean midPacket() {
        return drainPhase != DRAIN_NONE || rxEnd > rxStart;
    }

    /** Incoming PUBLISH packets larger than the receive buffer, drained and acknowledged since construction. */
    long oversizeMessageCount() {
        return oversizeMessages;
    }

    /**
     * Buffers bytes until one whole packet starts at {@code rxStart} (fixed header decoded into {@link #header}).
     * A PUBLISH larger than the receive buffer is drained and acknowledged on the way. Returns by the deadline
     * however the bytes come: a partial packet stays buffered, and a drain under way keeps its place, for the next
     * call.
     *
     * @param waitMillis how long to wait in all, however many partial reads come in between (one deadline)
     * @return true when a packet is ready, false when none was complete within {@code waitMillis}
     */
    boolean readFrame(int waitMillis) throws MqttException {
        long deadline = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        while (true) {
            if (drainPhase != DRAIN_NONE) {
                if (!drain(deadline) || session.state != Session.CONNECTED) {
                    return false; // not finished by the deadline; or its listener disconnected or closed the client
                }
                continue;
            }
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
                    startDrain();
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
            if (receive(session.waitMillis(deadline)) == 0) {
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
     * A PUBLISH larger than the receive buffer: checks its flags as for any PUBLISH (a violation closes the connection
     * naming the rule) and starts draining it ({@link #drain}). Any other packet that large closes the connection.
     */
    private void startDrain() throws MqttException {
        int type = header.type();
        int frameLength = header.frameLength();
        if (type != PacketType.PUBLISH) {
            throw session.fail(Reason.PACKET_TOO_LARGE, PacketType.name(type) + " of " + frameLength
                    + " bytes > receiveBufferBytes " + rx.length, "", null);
        }
        int flags = header.flags();
        int flagStatus = PublishView.checkFlags(flags);
        if (flagStatus != CodecStatus.OK) {
            throw session.violation(flagStatus, "PUBLISH of " + frameLength + " bytes");
        }
        int qos = PublishView.qos(flags);
        drainFrameLength = frameLength;
        drainHeaderLength = header.headerLength();
        drainFlags = flags;
        drainQos = qos;
        stallDeadline = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.operationTimeoutMillis());
        drainedBytes = Math.min(rxEnd - rxStart, frameLength);
        drainPhase = DRAIN_TOPIC_LENGTH;
    }

    /**
     * Goes on with the oversize PUBLISH being drained until it is done or {@code deadline} passes: reads its topic
     * and packet id, validating them as for any PUBLISH, tells the listener, discards the rest of its bytes, and
     * acknowledges it per its QoS so the server does not re-send it. The drain takes as long as the bytes keep
     * coming, over as many calls as that takes; it fails the connection only after operationTimeoutMillis without a
     * byte.
     *
     * @return true when the packet is done (or its listener ended the connection), false at the deadline
     */
    private boolean drain(long deadline) throws MqttException {
        while (true) {
            switch (drainPhase) {
                case DRAIN_TOPIC_LENGTH: {
                    if (!buffered(drainHeaderLength + 2, deadline)) {
                        return false;
                    }
                    int at = rxStart + drainHeaderLength;
                    int topicLength = Wire.readU16(rx, at);
                    drainTopicLength = topicLength;
                    drainPrefixLength = drainHeaderLength + 2 + topicLength + (drainQos > 0 ? 2 : 0);
                    if (drainPrefixLength > drainFrameLength) {
                        throw session.fail(Reason.PROTOCOL_VIOLATION, "PUBLISH topic length " + topicLength
                                + " exceeds remaining length " + (drainFrameLength - drainHeaderLength)
                                + " [MQTT-1.5.3-1]", "MQTT-1.5.3-1", null);
                    }
                    if (drainPrefixLength <= rx.length) {
                        drainPhase = DRAIN_PREFIX;
                    } else {
                        rxStart += drainHeaderLength + 2;
                        drainTopicLeft = topicLength;
                        drainPhase = DRAIN_LONG_TOPIC;
                    }
                    break;
                }
                case DRAIN_PREFIX: {
                    if (!buffered(drainPrefixLength, deadline)) {
                        return false;
                    }
                    int status = publish.decode(rx, rxStart + drainHeaderLength, drainPrefixLength - drainHeaderLength,
                            drainFlags);
                    if (status != CodecStatus.OK) {
                        throw session.violation(status, "PUBLISH");
                    }
                    rxStart += drainPrefixLength; // the topic view stays valid: nothing reads until the listener returns
                    announce(publish.topic(), publish.packetId());
                    break;
                }
                case DRAIN_LONG_TOPIC:
                    if (!skipTopic(deadline)) {
                        return false;
                    }
                    if (drainQos > 0) {
                        drainPhase = DRAIN_PACKET_ID;
                    } else {
                        announce(TOPIC_TOO_LONG_TO_SHOW, 0);
                    }
                    break;
                case DRAIN_PACKET_ID: {
                    if (!buffered(2, deadline)) {
                        return false;
                    }
                    int id = Wire.readU16(rx, rxStart);
                    rxStart += 2;
                    if (id == 0) {
                        throw session.violation(CodecStatus.PACKET_ID_ZERO, "PUBLISH at qos " + drainQos);
                    }
                    announce(TOPIC_TOO_LONG_TO_SHOW, id);
                    break;
                }
                case DRAIN_PAYLOAD:
                    if (!skipPayload(deadline)) {
                        return false;
                    }
                    finishDrain();
                    return true;
                default:
                    return true; // the listener ended the connection: the rest of the packet went with it
            }
        }
    }

    /**
     * The topic and packet id are known: counts the message and tells the listener (not for a QoS 2 message the
     * server re-sent before our PUBREC reached it), then goes on to the payload.
     */
    private void announce(CharSequence topic, int id) {
        drainId = id;
        drainRepeat = drainQos == 2 && incomingQos2.contains(id);
        drainPayloadLeft = (long) drainFrameLength - drainPrefixLength;
        drainPhase = DRAIN_PAYLOAD;
        if (drainRepeat) {
            return;
        }
        oversizeMessages++;
        session.callbackDepth++;
        try {
            listener.onOversizeMessage(topic, drainFrameLength, drainQos);
        } catch (RuntimeException | Error e) {
            listenerFailure = e; // thrown once the packet is drained: the stream must stay in step
        } finally {
            session.callbackDepth--;
        }
        if (session.state != Session.CONNECTED) {
            drainPhase = DRAIN_NONE; // disconnected or closed: the rest of the packet goes with the connection
            listenerFailure = null;
        }
    }

    /** The whole packet is drained: acknowledges it per its QoS, then throws what its listener threw, if anything. */
    private void finishDrain() throws MqttException {
        drainPhase = DRAIN_NONE;
        Throwable failure = listenerFailure;
        listenerFailure = null;
        if (drainQos == 1) {
            session.sendAck(PacketType.PUBACK, drainId);
        } else if (drainQos == 2) {
            if (!drainRepeat && !incomingQos2.add(drainId)) {
                throw session.fail(Reason.INCOMING_QOS2_TABLE_FULL, "QoS 2 PUBLISH id " + drainId + " while maxIncomingQos2 "
                        + incomingQos2.capacity() + " messages await PUBREL", "", null);
            }
            session.sendAck(PacketType.PUBREC, drainId);
        }
        if (failure instanceof Error) {
            throw (Error) failure;
        }
        if (failure != null) {
            throw (RuntimeException) failure;
        }
    }

    /**
     * Reads until {@code count} bytes from {@code rxStart} are buffered (they fit: the caller checked).
     *
     * @return false when {@code deadline} passed first
     */
    private boolean buffered(int count, long deadline) throws MqttException {
        if (rxStart + count > rx.length) {
            compact();
        }
        while (rxEnd - rxStart < count) {
            if (!awaitBytes(deadline)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Discards a topic name too long for the receive buffer, validating it piece by piece as it passes (UTF-8,
     * U+0000, wildcards: §1.5.3, §3.3.2.1) like {@link PublishView#decode} validates a topic that fits. A piece ends
     * before a UTF-8 sequence that a read cut short; the sequence is checked whole once the rest has arrived.
     *
     * @return false when {@code deadline} passed before the whole topic did
     */
    private boolean skipTopic(long deadline) throws MqttException {
        while (drainTopicLeft > 0) {
            int available = rxEnd - rxStart;
            int piece = available >= drainTopicLeft ? drainTopicLeft : wholeSequences(rx, rxStart, available);
            if (piece == 0) {
                compact(); // nothing or only the start of a sequence: room for the rest, then read on
                if (!awaitBytes(deadline)) {
                    return false;
                }
                continue;
            }
            int status = Topics.validateName(rx, rxStart, piece);
            if (status != CodecStatus.OK) {
                throw session.violation(status, "PUBLISH topic name of " + drainTopicLength + " bytes");
            }
            rxStart += piece;
            drainTopicLeft -= piece;
        }
        return true;
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

    /**
     * Discards the payload still to come, keeping any bytes after it.
     *
     * @return false when {@code deadline} passed before the whole payload did
     */
    private boolean skipPayload(long deadline) throws MqttException {
        while (drainPayloadLeft > 0) {
            int available = rxEnd - rxStart;
            if (available == 0) {
                rxStart = 0;
                rxEnd = 0;
                if (!awaitBytes(deadline)) {
                    return false;
                }
                continue;
            }
            int k = (int) Math.min(available, drainPayloadLeft);
            rxStart += k;
            drainPayloadLeft -= k;
        }
        if (rxStart == rxEnd) {
            rxStart = 0;
            rxEnd = 0;
        }
        return true;
    }

    /**
     * Reads more of an oversize PUBLISH, waiting until {@code deadline} at most. A stall limit, not a total: every
     * byte that arrives gives the drain another operationTimeoutMillis, so a large message over a slow but live link
     * gets through (over as many calls as it takes), while a server that sends nothing for that long is taken for gone.
     *
     * @return true when bytes arrived, false when {@code deadline} passed without any
     */
    private boolean awaitBytes(long deadline) throws MqttException {
        int n = receive(session.waitMillis(stallDeadline - deadline < 0 ? stallDeadline : deadline));
        long now = clock.nanoTime();
        if (n > 0) {
            drainedBytes += n;
            stallDeadline = now + TimeUnit.MILLISECONDS.toNanos(config.operationTimeoutMillis());
            return true;
        }
        if (stallDeadline - now <= 0) {
            throw session.fail(Reason.CONNECTION_LOST, "server sent no byte for operationTimeoutMillis "
                    + config.operationTimeoutMillis() + " inside a PUBLISH larger than the receive buffer, after "
                    + Math.min(drainedBytes, drainFrameLength) + " of the " + drainFrameLength + " bytes", "", null);
        }
        return false;
    }
}
