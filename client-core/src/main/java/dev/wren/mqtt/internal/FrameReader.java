package dev.wren.mqtt.internal;

import dev.wren.mqtt.MonotonicClock;
import dev.wren.mqtt.MqttConfig;
import dev.wren.mqtt.MqttException.Reason;
import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.FrameHeader;
import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.codec.PublishView;
import dev.wren.mqtt.codec.Topics;
import dev.wren.mqtt.codec.Wire;
import dev.wren.mqtt.transport.Transport;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The receive path as a function of the transport it is given: reads into the receive buffer until one whole packet
 * is buffered and returns a status ({@link #FRAME}, {@link #TIMEOUT}, {@link Failure#FAILED} for the end of the
 * stream, a read error or a broken rule). A PUBLISH larger than the buffer is drained, in as many calls as its bytes
 * take, and shows up as two events for the dispatcher: {@link #OVERSIZE_START} once its topic and packet id are known,
 * {@link #OVERSIZE_END} once its last byte has passed. Keeps only its own read position (and the drain's), never the
 * session's state. Owns the receive buffer: a packet's bytes stay in place from {@link #readFrame} until the next
 * read, so views decoded over {@link #buffer()} are valid while its handlers run.
 */
final class FrameReader {

    /** No whole packet within the wait. */
    static final int TIMEOUT = 0;
    /** A whole packet is buffered: {@link #header()}, its body at {@link #bodyOffset()}; {@link #consumeFrame()} next. */
    static final int FRAME = 1;
    /**
     * A PUBLISH larger than the receive buffer: {@link #header()} holds its fixed header; with
     * {@link #oversizePrefixBuffered()} its topic and packet id lie at {@link #oversizeBodyOffset()} ({@link #oversizePrefixLength()}
     * bytes of body, valid until the next read), otherwise the topic was too long to keep and
     * {@link #oversizePacketId()} is all there is. The payload is drained by the next calls.
     */
    static final int OVERSIZE_START = 2;
    /** The oversize PUBLISH's last byte has passed: it is to be acknowledged. */
    static final int OVERSIZE_END = 3;

    /** First byte of a TLS alert record (RFC 8446 §5.1 content type 21); never a valid MQTT fixed header from a server. */
    private static final byte TLS_ALERT_RECORD = 0x15;

    private final MonotonicClock clock;
    private final Failure failure;
    private final int operationTimeoutMillis;

    private final byte[] rx;
    private int rxStart;
    private int rxEnd;
    private final FrameHeader header;
    /** MQTT 5.0: the 5.0 fixed header rules, and DISCONNECT and AUTH may come from the server (MQTT 5.0 §2.1.2). */
    private boolean v5;
    private long lastReceivedNanos;

    // The drain of an oversize PUBLISH, kept across calls: a call that reaches its deadline leaves the drain where it
    // is, and the next readFrame goes on from there (the stream stays in step, keep-alive runs in between).
    private static final int DRAIN_NONE = 0;
    /** Waiting for the topic length (the first 2 bytes of the variable header, §3.3.2.1). */
    private static final int DRAIN_TOPIC_LENGTH = 1;
    /** Waiting for the topic and packet id, which fit the buffer, to hand them to the dispatcher. */
    private static final int DRAIN_PREFIX = 2;
    /** Validating and discarding a topic longer than the receive buffer. */
    private static final int DRAIN_LONG_TOPIC = 3;
    /** Waiting for the packet id after a topic longer than the receive buffer. */
    private static final int DRAIN_PACKET_ID = 4;
    /** Discarding the payload; then {@link #OVERSIZE_END}. */
    private static final int DRAIN_PAYLOAD = 5;
    private int drainPhase;
    private int drainFrameLength;
    private int drainHeaderLength;
    private int drainQos;
    /** Fixed header, topic length, topic and packet id: what precedes the payload. */
    private int drainPrefixLength;
    private int drainTopicLength;
    private int drainTopicLeft;
    private int drainId;
    private boolean drainPrefixBuffered;
    /** Where the body of the oversize PUBLISH began, when its prefix is buffered. */
    private int drainBodyOffset;
    private long drainPayloadLeft;
    /** When the drain counts as stalled (pushed on by every byte that arrives), and the bytes seen so far. */
    private long stallDeadline;
    private long drainedBytes;

    /**
     * A reader with a receive buffer of {@link MqttConfig#receiveBufferBytes()}; what ends the connection goes into
     * {@code failure}.
     */
    FrameReader(MqttConfig config, Failure failure) {
        this.clock = config.clock();
        this.failure = failure;
        this.operationTimeoutMillis = config.operationTimeoutMillis();
        this.rx = new byte[config.receiveBufferBytes()];
        this.v5 = config.protocolVersion() == MqttConfig.MQTT_5 || config.protocolVersion() == MqttConfig.MQTT_AUTO;
        // MQTT_AUTO keeps the 5.0 header rules after a fallback to 3.1.1: AUTH is still refused (checkServerToClient)
        this.header = v5 ? new dev.wren.mqtt.codec.v5.FixedHeader() : new FrameHeader();
    }

    /** The receive buffer the current packet lies in. */
    /** Whether DISCONNECT and AUTH may come from the server: the protocol level, set by the session (MQTT_AUTO). */
    void protocol5(boolean on) {
        v5 = on;
    }

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
    }

    /**
     * True while a packet has only partly arrived: bytes of an unfinished frame are buffered, or an oversize PUBLISH
     * is being drained. A PINGRESP cannot overtake it (§4.6: packets arrive in order).
     */
    boolean midPacket() {
        return drainPhase != DRAIN_NONE || rxEnd > rxStart;
    }

    /** When the last byte arrived (the injected clock), 0 before any. */
    long lastReceivedNanos() {
        return lastReceivedNanos;
    }

    /** For {@link #OVERSIZE_START} with the prefix buffered: where its topic and packet id begin in {@link #buffer()}. */
    int oversizeBodyOffset() {
        return drainBodyOffset;
    }

    /** For {@link #OVERSIZE_START}: whether the topic and packet id are in the buffer at {@link #oversizeBodyOffset()}. */
    boolean oversizePrefixBuffered() {
        return drainPrefixBuffered;
    }

    /** For {@link #OVERSIZE_START} with the prefix buffered: the body bytes holding the topic and packet id. */
    int oversizePrefixLength() {
        return drainPrefixLength - drainHeaderLength;
    }

    /** For {@link #OVERSIZE_START} without the prefix buffered: the packet id (0 at QoS 0). */
    int oversizePacketId() {
        return drainId;
    }

    /** The frame size of the oversize PUBLISH being drained (or last drained). */
    int oversizeFrameLength() {
        return drainFrameLength;
    }

    /**
     * Buffers bytes until one whole packet starts at {@code rxStart} (fixed header decoded into {@link #header}), or
     * goes on with the oversize PUBLISH being drained. Returns by the deadline however the bytes come: a partial
     * packet stays buffered, and a drain under way keeps its place, for the next call.
     *
     * @param transport     where to read from
     * @param waitMillis    how long to wait in all, however many partial reads come in between (one deadline)
     * @param expectConnack the connection is new: the first packet must be CONNACK [MQTT-3.2.0-1]
     * @return {@link #FRAME}, {@link #OVERSIZE_START}, {@link #OVERSIZE_END}, {@link #TIMEOUT}, or
     *     {@link Failure#FAILED} (end of stream, read error, a broken rule: the failure says which)
     */
    int readFrame(Transport transport, int waitMillis, boolean expectConnack) {
        long deadline = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        while (true) {
            if (drainPhase != DRAIN_NONE) {
                return drain(transport, deadline);
            }
            int available = rxEnd - rxStart;
            if (expectConnack && available > 0 && rx[rxStart] == TLS_ALERT_RECORD) {
                return failure.set(Reason.CONNECTION_LOST, "server answered CONNECT with a TLS alert record, not MQTT",
                        "", null);
            }
            int status = header.decode(rx, rxStart, available);
            if (status == CodecStatus.OK) {
                // MQTT 5.0: AUTH may come before CONNACK [MQTT-3.2.0-1]
                if (expectConnack && header.type() != PacketType.CONNACK
                        && !(v5 && header.type() == dev.wren.mqtt.codec.v5.PacketType5.AUTH)) {
                    return failure.set(Reason.PROTOCOL_VIOLATION, "first packet from the server is "
                            + PacketType.name(header.type()) + ", not CONNACK [MQTT-3.2.0-1]", "MQTT-3.2.0-1", null);
                }
                int allowed = v5 ? dev.wren.mqtt.codec.v5.FixedHeader.checkServerToClient(header.type())
                        : FrameHeader.checkServerToClient(header.type());
                if (allowed != CodecStatus.OK) {
                    return failure.violation(allowed, PacketType.name(header.type()) + " from the server");
                }
                int frameLength = header.frameLength();
                if (frameLength <= available) {
                    return FRAME;
                }
                if (frameLength > rx.length || frameLength < 0) {
                    status = startDrain();
                    if (status != CodecStatus.OK) {
                        return status;
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
                return failure.violation(status, "fixed header");
            }
            int n = receive(transport, waitMillis(deadline));
            if (n <= 0) {
                return n; // TIMEOUT, or FAILED
            }
        }
    }

    /** Reads into the free end of the receive buffer; returns bytes read, 0 on timeout, FAILED at end of stream. */
    private int receive(Transport transport, int waitMillis) {
        int n;
        try {
            n = transport.read(rx, rxEnd, rx.length - rxEnd, waitMillis);
        } catch (IOException e) {
            return failure.set(Reason.CONNECTION_LOST, "read failed: " + e.getMessage(), "", e);
        }
        if (n < 0) {
            return failure.set(Reason.CONNECTION_LOST, "server closed the connection (end of stream)", "", null);
        }
        rxEnd += n;
        if (n > 0) {
            lastReceivedNanos = clock.nanoTime();
        }
        return n;
    }

    private int waitMillis(long deadline) {
        return (int) Math.min(Integer.MAX_VALUE, KeepAlive.ceilMillis(deadline - clock.nanoTime()));
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
     * A PUBLISH larger than the receive buffer: checks its flags as for any PUBLISH and starts draining it
     * ({@link #drain}). Any other packet that large ends the connection.
     *
     * @return {@link CodecStatus#OK}, or {@link Failure#FAILED}
     */
    private int startDrain() {
        int type = header.type();
        int frameLength = header.frameLength();
        if (type != PacketType.PUBLISH) {
            return failure.set(Reason.PACKET_TOO_LARGE, PacketType.name(type) + " of " + frameLength
                    + " bytes > receiveBufferBytes " + rx.length, "", null);
        }
        int flags = header.flags();
        int flagStatus = PublishView.checkFlags(flags);
        if (flagStatus != CodecStatus.OK) {
            return failure.violation(flagStatus, "PUBLISH of " + frameLength + " bytes");
        }
        drainFrameLength = frameLength;
        drainHeaderLength = header.headerLength();
        drainQos = PublishView.qos(flags);
        drainId = 0;
        stallDeadline = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(operationTimeoutMillis);
        drainedBytes = Math.min(rxEnd - rxStart, frameLength);
        drainPhase = DRAIN_TOPIC_LENGTH;
        return CodecStatus.OK;
    }

    /**
     * Goes on with the oversize PUBLISH being drained until its next event or {@code deadline}: reads its topic
     * length, then its topic and packet id (handed over as {@link #OVERSIZE_START}; a topic too long for the buffer
     * is validated piece by piece as it passes), then discards its payload ({@link #OVERSIZE_END}). The drain takes
     * as long as the bytes keep coming, over as many calls as that takes; it fails only after operationTimeoutMillis
     * without a byte.
     */
    private int drain(Transport transport, long deadline) {
        int status;
        while (true) {
            switch (drainPhase) {
                case DRAIN_TOPIC_LENGTH: {
                    if ((status = buffered(transport, drainHeaderLength + 2, deadline)) <= 0) {
                        return status;
                    }
                    int topicLength = Wire.readU16(rx, rxStart + drainHeaderLength);
                    drainTopicLength = topicLength;
                    drainPrefixLength = drainHeaderLength + 2 + topicLength + (drainQos > 0 ? 2 : 0);
                    if (drainPrefixLength > drainFrameLength) {
                        return failure.set(Reason.PROTOCOL_VIOLATION, "PUBLISH topic length " + topicLength
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
                case DRAIN_PREFIX:
                    if ((status = buffered(transport, drainPrefixLength, deadline)) <= 0) {
                        return status;
                    }
                    drainPrefixBuffered = true;
                    return startPayload(rxStart + drainPrefixLength); // the prefix stays in place until the next read
                case DRAIN_LONG_TOPIC:
                    if ((status = skipTopic(transport, deadline)) <= 0) {
                        return status;
                    }
                    if (drainQos > 0) {
                        drainPhase = DRAIN_PACKET_ID;
                        break;
                    }
                    drainPrefixBuffered = false;
                    return startPayload(rxStart);
                case DRAIN_PACKET_ID: {
                    if ((status = buffered(transport, 2, deadline)) <= 0) {
                        return status;
                    }
                    drainId = Wire.readU16(rx, rxStart);
                    if (drainId == 0) {
                        return failure.violation(CodecStatus.PACKET_ID_ZERO, "PUBLISH at qos " + drainQos);
                    }
                    drainPrefixBuffered = false;
                    return startPayload(rxStart + 2);
                }
                default: // DRAIN_PAYLOAD
                    if ((status = skipPayload(transport, deadline)) <= 0) {
                        return status;
                    }
                    drainPhase = DRAIN_NONE;
                    return OVERSIZE_END;
            }
        }
    }

    /** The topic and packet id are known and end at {@code payloadStart}: the payload is next. */
    private int startPayload(int payloadStart) {
        drainPayloadLeft = (long) drainFrameLength - drainPrefixLength;
        drainPhase = DRAIN_PAYLOAD;
        drainBodyOffset = rxStart + drainHeaderLength;
        rxStart = payloadStart; // the prefix stays in place (and its topic view valid) until the next read
        return OVERSIZE_START;
    }

    /**
     * Reads until {@code count} bytes from {@code rxStart} are buffered (they fit: the caller checked).
     *
     * @return 1 when they are, {@link #TIMEOUT} when {@code deadline} passed first, or {@link Failure#FAILED}
     */
    private int buffered(Transport transport, int count, long deadline) {
        if (rxStart + count > rx.length) {
            compact();
        }
        while (rxEnd - rxStart < count) {
            int status = awaitBytes(transport, deadline);
            if (status <= 0) {
                return status;
            }
        }
        return 1;
    }

    /**
     * Discards a topic name too long for the receive buffer, validating it piece by piece as it passes (UTF-8,
     * U+0000, wildcards: §1.5.3, §3.3.2.1) like {@link PublishView#decode} validates a topic that fits. A piece ends
     * before a UTF-8 sequence that a read cut short; the sequence is checked whole once the rest has arrived.
     *
     * @return 1 when the whole topic has passed, {@link #TIMEOUT} at the deadline, or {@link Failure#FAILED}
     */
    private int skipTopic(Transport transport, long deadline) {
        while (drainTopicLeft > 0) {
            int available = rxEnd - rxStart;
            int piece = available >= drainTopicLeft ? drainTopicLeft : wholeSequences(rx, rxStart, available);
            if (piece == 0) {
                compact(); // nothing or only the start of a sequence: room for the rest, then read on
                int status = awaitBytes(transport, deadline);
                if (status <= 0) {
                    return status;
                }
                continue;
            }
            int status = Topics.validateName(rx, rxStart, piece);
            if (status != CodecStatus.OK) {
                return failure.violation(status, "PUBLISH topic name of " + drainTopicLength + " bytes");
            }
            rxStart += piece;
            drainTopicLeft -= piece;
        }
        return 1;
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
     * @return 1 when the whole payload has passed, {@link #TIMEOUT} at the deadline, or {@link Failure#FAILED}
     */
    private int skipPayload(Transport transport, long deadline) {
        while (drainPayloadLeft > 0) {
            int available = rxEnd - rxStart;
            if (available == 0) {
                rxStart = 0;
                rxEnd = 0;
                int status = awaitBytes(transport, deadline);
                if (status <= 0) {
                    return status;
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
        return 1;
    }

    /**
     * Reads more of an oversize PUBLISH, waiting until {@code deadline} at most. A stall limit, not a total: every
     * byte that arrives gives the drain another operationTimeoutMillis, so a large message over a slow but live link
     * gets through (over as many calls as it takes), while a server that sends nothing for that long is taken for gone.
     *
     * @return bytes read, {@link #TIMEOUT} when {@code deadline} passed without any, or {@link Failure#FAILED}
     */
    private int awaitBytes(Transport transport, long deadline) {
        int n = receive(transport, waitMillis(stallDeadline - deadline < 0 ? stallDeadline : deadline));
        if (n < 0) {
            return n;
        }
        long now = clock.nanoTime();
        if (n > 0) {
            drainedBytes += n;
            stallDeadline = now + TimeUnit.MILLISECONDS.toNanos(operationTimeoutMillis);
            return n;
        }
        if (stallDeadline - now <= 0) {
            return failure.set(Reason.CONNECTION_LOST, "server sent no byte for operationTimeoutMillis "
                    + operationTimeoutMillis + " inside a PUBLISH larger than the receive buffer, after "
                    + Math.min(drainedBytes, drainFrameLength) + " of the " + drainFrameLength + " bytes", "", null);
        }
        return TIMEOUT;
    }
}
