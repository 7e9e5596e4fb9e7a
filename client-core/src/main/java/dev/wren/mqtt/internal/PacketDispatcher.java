package dev.wren.mqtt.internal;

import dev.wren.mqtt.MessageHandler;
import dev.wren.mqtt.MqttConfig;
import dev.wren.mqtt.MqttException;
import dev.wren.mqtt.MqttException.Reason;
import dev.wren.mqtt.MqttListener;
import dev.wren.mqtt.codec.AckView;
import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.FrameHeader;
import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.codec.PublishView;
import dev.wren.mqtt.codec.SubackView;
import dev.wren.mqtt.codec.v5.Property;
import dev.wren.mqtt.codec.v5.ReasonCode;
import dev.wren.mqtt.codec.v5.ReasonPacketView;
import dev.wren.mqtt.store.InflightStore;

/**
 * Incoming dispatch: what the packet the {@link FrameReader} returned does, returned to the session as an outcome.
 * A PUBLISH goes to the handlers of every matching subscription (or the default handler) as a {@link MessageView}
 * over the receive buffer, valid until the handler returns; an oversize PUBLISH is announced to the listener and,
 * once drained, acknowledged like any other; PUBACK/PUBREC/PUBCOMP move the outgoing in-flight records on (§4.3);
 * PUBREL completes an incoming QoS 2 exchange; the awaited SUBACK/UNSUBACK ({@link #expect}) is applied to the
 * subscription table. Acks to send go into the {@link WriteBatch}. The session runs {@link #dispatch} as a callback
 * (handlers and listeners may publish, disconnect or close, not read packets); a connection that must end is
 * reported as {@link Failure#FAILED}, never ended here.
 */
final class PacketDispatcher {

    /** Outcome: nothing the session needs to know. */
    static final int HANDLED = 0;
    /** Outcome: a PINGRESP, the ping is answered. */
    static final int PINGRESP = 1;
    /** Outcome: the SUBACK/UNSUBACK {@link #expect}ed arrived and was applied. */
    static final int ACK_ARRIVED = 2;

    private static final String TOPIC_TOO_LONG_TO_SHOW = "<topic longer than the receive buffer>";

    private final MqttListener listener;
    private final Link link;
    private final Failure failure;
    private final FrameReader reader;
    private final FrameHeader header;
    private final byte[] rx;
    private final WriteBatch acks;
    private final PublishView publish;
    private final AckView ack = new AckView();
    private final SubackView suback = new SubackView();
    private final MessageView message;
    /**
     * MQTT 5.0 only (else null): the views of the packets whose 5.0 bytes differ — PUBLISH (properties before the
     * payload; {@link #publish} is its head), the acks with reason codes, SUBACK/UNSUBACK, DISCONNECT.
     */
    private final dev.wren.mqtt.codec.v5.PublishView publish5;
    private final dev.wren.mqtt.codec.v5.AckView ack5;
    private final dev.wren.mqtt.codec.v5.SubackView suback5;
    private final ReasonPacketView disconnect5;
    /** The server's topic aliases on this connection, 1..{@link MqttConfig#topicAliasMaximum()} (5.0 only). */
    private final TopicAliasTable aliases;
    /** The client's Receive Maximum (MQTT 5.0 §3.1.2.11.3): QoS 2 messages the server may leave unreleased. */
    private final int receiveMaximum;
    /** The protocol level is 5.0 now (MQTT_AUTO may fall back to 3.1.1: {@link #protocol5}). */
    private boolean v5;

    private final InflightTable inflight;
    private final InflightStore store;
    private final IncomingQos2Table incomingQos2;
    private final SubscriptionTable subscriptions;
    private MessageHandler defaultHandler;
    private long unhandledMessages;
    private long oversizeMessages;

    /** The SUBACK/UNSUBACK awaited (0: none), its packet id, and the filters of its request (the caller's array). */
    private int expectedType;
    private int expectedId;
    private CharSequence[] expectedFilters;
    private int expectedCount;
    /** Where the awaited SUBACK's return codes go, one per filter (§3.9.3). */
    private int[] expectedCodes;
    /**
     * What each filter of the awaited SUBSCRIBE maps to again if the server refuses it (null: nothing, remove it),
     * and at which QoS; sized {@link MqttConfig#maxSubscriptions()}, the most filters one SUBSCRIBE can carry.
     */
    private final MessageHandler[] refusedHandlers;
    private final int[] refusedQos;

    /** The oversize PUBLISH being drained: its QoS, packet id, whether a QoS 2 repeat, what its listener threw. */
    private int oversizeQos;
    private int oversizeId;
    private boolean oversizeRepeat;
    private Throwable oversizeListenerFailure;

    PacketDispatcher(MqttConfig config, Link link, Failure failure, FrameReader reader, WriteBatch acks,
                     PublishView publish, InflightTable inflight, InflightStore store, IncomingQos2Table incomingQos2,
                     SubscriptionTable subscriptions) {
        this.listener = config.listener();
        this.link = link;
        this.failure = failure;
        this.reader = reader;
        this.header = reader.header();
        this.rx = reader.buffer();
        this.acks = acks;
        boolean v5 = config.protocolVersion() == MqttConfig.MQTT_5 || config.protocolVersion() == MqttConfig.MQTT_AUTO;
        this.v5 = v5;
        this.publish5 = v5 ? new dev.wren.mqtt.codec.v5.PublishView() : null;
        this.ack5 = v5 ? new dev.wren.mqtt.codec.v5.AckView() : null;
        this.suback5 = v5 ? new dev.wren.mqtt.codec.v5.SubackView() : null;
        this.disconnect5 = v5 ? new ReasonPacketView() : null;
        this.receiveMaximum = config.receiveMaximum();
        this.aliases = v5 ? new TopicAliasTable(config.topicAliasMaximum(), config.receiveBufferBytes()) : null;
        this.publish = v5 ? publish5.head() : publish;
        this.message = new MessageView(this.publish, publish5);
        this.inflight = inflight;
        this.store = store;
        this.incomingQos2 = incomingQos2;
        this.subscriptions = subscriptions;
        this.refusedHandlers = new MessageHandler[config.maxSubscriptions()];
        this.refusedQos = new int[config.maxSubscriptions()];
    }

    /** Decodes as MQTT 5.0 or, after an MQTT_AUTO fallback, 3.1.1 (the 5.0 PUBLISH view's head is a 3.1.1 view). */
    void protocol5(boolean on) {
        v5 = on;
        message.protocol5(on);
    }

    /** Sets the handler for messages that no subscription's handler takes (null: count them as unhandled). */
    void setDefaultHandler(MessageHandler handler) {
        this.defaultHandler = handler;
    }

    /** Incoming messages that no handler took (no matching filter and no default handler). */
    long unhandledMessageCount() {
        return unhandledMessages;
    }

    /** Incoming PUBLISH packets larger than the receive buffer, announced and acknowledged since construction. */
    long oversizeMessageCount() {
        return oversizeMessages;
    }

    /** Forgets a drain's pending listener failure: a new connection, or the end of one. */
    void clear() {
        oversizeListenerFailure = null;
        if (aliases != null) {
            aliases.clear(); // a new connection, or the end of one [MQTT-3.3.2-7]
        }
    }

    /**
     * Filter {@code i} of the next SUBSCRIBE held {@code handler} at {@code qos} before (null: it is new): what it
     * maps to again if the server refuses it.
     */
    void rememberPrevious(int i, MessageHandler handler, int qos) {
        refusedHandlers[i] = handler;
        refusedQos[i] = qos;
    }

    /**
     * From now on a SUBACK/UNSUBACK ({@code type}) for packet {@code id} answers the first {@code n} of
     * {@code filters}: a SUBACK's return codes go into {@code codes}. Until {@link #expectNothing}.
     */
    void expect(int type, int id, CharSequence[] filters, int n, int[] codes) {
        expectedType = type;
        expectedId = id;
        expectedFilters = filters;
        expectedCount = n;
        expectedCodes = codes;
    }

    /** No SUBACK/UNSUBACK is awaited; the caller's arrays are not held beyond its call. */
    void expectNothing() {
        expectedType = 0;
        expectedFilters = null;
        expectedCodes = null;
    }

    /** The packet id of the awaited SUBACK/UNSUBACK, or 0: not to be handed to another packet. */
    int awaitedId() {
        return expectedType == 0 ? 0 : expectedId;
    }

    /**
     * Handles what {@link FrameReader#readFrame} returned. A whole packet is consumed first, so that whatever escapes
     * the handling (an {@link Error} from a handler, an exception from a listener) leaves the stream in step: the
     * next poll goes on with the next packet. Its bytes stay in place while it is handled: nothing reads into the
     * receive buffer from inside a handler or listener.
     *
     * @param event {@link FrameReader#FRAME}, {@link FrameReader#OVERSIZE_START} or {@link FrameReader#OVERSIZE_END}
     * @return {@link #HANDLED}, {@link #PINGRESP}, {@link #ACK_ARRIVED}, or {@link Failure#FAILED}
     * @throws MqttException writing a batch of acks that was full failed (the connection ended)
     */
    int dispatch(int event) throws MqttException {
        if (event == FrameReader.OVERSIZE_START) {
            return onOversizeStart();
        }
        if (event == FrameReader.OVERSIZE_END) {
            return onOversizeEnd();
        }
        int type = header.type();
        int body = reader.bodyOffset();
        int length = header.remainingLength();
        reader.consumeFrame();
        switch (type) {
            case PacketType.PUBLISH:
                return onPublish(body, length, header.flags());
            case PacketType.PUBACK:
            case PacketType.PUBREC:
            case PacketType.PUBCOMP:
                return onAck(type, body, length);
            case PacketType.PUBREL:
                return onPubrel(body, length);
            case PacketType.SUBACK:
                return onSuback(body, length);
            case PacketType.UNSUBACK:
                return onUnsuback(body, length);
            case PacketType.PINGRESP:
                return PINGRESP;
            case PacketType.CONNACK:
                return failure.set(Reason.PROTOCOL_VIOLATION, "second CONNACK on one connection", "", null);
            case PacketType.DISCONNECT: // only at 5.0: the frame reader refuses it from a 3.1.1 server
                return onDisconnect(body, length);
            default:
                return failure.set(Reason.PROTOCOL_VIOLATION, "unexpected " + PacketType.name(type) + " from the server",
                        "", null);
        }
    }

    private int onPublish(int body, int length, int flags) throws MqttException {
        int status = v5 ? publish5.decode(rx, body, length, flags) : publish.decode(rx, body, length, flags);
        if (status != CodecStatus.OK) {
            return failure.violation(status, "PUBLISH");
        }
        message.topicInPacket();
        if (v5 && publish5.properties().has(Property.TOPIC_ALIAS) && resolveAlias() == Failure.FAILED) {
            return Failure.FAILED;
        }
        int qos = publish.qos();
        int id = publish.packetId();
        if (qos == 2) {
            if (incomingQos2.contains(id)) {
                acks.queue(PacketType.PUBREC, id); // re-sent before our PUBREC arrived: not delivered again [MQTT-4.3.3-2]
                return HANDLED;
            }
            if (v5 && incomingQos2.count() >= receiveMaximum) {
                return failure.set(Reason.RECEIVE_MAXIMUM_EXCEEDED, "QoS 2 PUBLISH id " + id + " while Receive"
                        + " Maximum " + receiveMaximum + " QoS 2 messages from the server await PUBREL [MQTT-3.3.4-9]",
                        "MQTT-3.3.4-9", null);
            }
            if (!incomingQos2.add(id)) {
                return qos2TableFull(id);
            }
        }
        try {
            deliver();
        } catch (RuntimeException | Error e) {
            // A handler's Error or a listener's exception goes to poll's caller unacknowledged: the server keeps the
            // message and re-sends it on the next connection with a session, and a QoS 2 id is not left marked as
            // delivered, which would make that re-sent message count as a duplicate and never reach a handler.
            if (qos == 2) {
                incomingQos2.remove(id);
            }
            throw e;
        }
        if (!link.isConnected()) {
            return HANDLED; // a handler closed the client: the server re-sends what was not acknowledged
        }
        if (qos == 1) {
            acks.queue(PacketType.PUBACK, id);
        } else if (qos == 2) {
            acks.queue(PacketType.PUBREC, id);
        }
        return HANDLED;
    }

    /**
     * A PUBLISH with a Topic Alias (MQTT 5.0 §3.3.2.3.4): with a topic name it maps the alias to it, with an empty
     * one the message's topic is the alias's. Every alias 1..topicAliasMaximum is accepted [MQTT-3.3.2-10]; 0,
     * above the maximum, or unmapped on this connection ends it (a Protocol Error, as the spec names it).
     *
     * @return {@link #HANDLED} or {@link Failure#FAILED}
     */
    private int resolveAlias() {
        int alias = publish5.properties().intValue(Property.TOPIC_ALIAS, 0);
        if (alias == 0 || alias > aliases.capacity()) {
            return failure.set(Reason.TOPIC_ALIAS_INVALID, "PUBLISH with Topic Alias " + alias + ", not in"
                    + " 1..topicAliasMaximum " + aliases.capacity() + " (MQTT 5.0 §3.3.2.3.4)", "", null);
        }
        int len = publish.topicLength();
        if (len > 0) {
            if (!aliases.put(alias, rx, publish.topicOffset(), len)) {
                return failure.set(Reason.TOPIC_ALIAS_INVALID, "Topic Alias " + alias + " for a topic of " + len
                        + " bytes: the aliased topics would outgrow their " + aliases.arenaBytes() + " bytes"
                        + " (receiveBufferBytes)", "", null);
            }
            return HANDLED;
        }
        len = aliases.length(alias);
        if (len < 0) {
            return failure.set(Reason.PROTOCOL_VIOLATION, "PUBLISH with an empty topic and Topic Alias " + alias
                    + ", which the server has not mapped on this connection (MQTT 5.0 §3.3.2.3.4)", "", null);
        }
        message.topicFromAlias(aliases.array(), aliases.offset(alias), len);
        return HANDLED;
    }

    /**
     * Calls the handler of every subscription whose filter matches the message's topic; at 5.0, when the message
     * carries Subscription Identifiers (§3.3.2.3.8), a subscription that has one is called when the message carries
     * it, matching or not (the server matched; its copy for another subscription is not for this one).
     */
    private void deliver() {
        boolean taken = false;
        byte[] buf = message.topicBuffer();
        int topicOff = message.topicOffset();
        int topicLen = message.topicLength();
        dev.wren.mqtt.codec.v5.PropertiesView p = v5 ? publish5.properties() : null;
        boolean identified = p != null && p.has(Property.SUBSCRIPTION_IDENTIFIER);
        for (int i = 0; i < subscriptions.count() && link.isConnected(); i++) {
            int id = subscriptions.subscriptionId(i);
            if (identified && id != 0 ? carries(p, id) : subscriptions.matches(i, buf, topicOff, topicLen)) {
                taken = true;
                call(subscriptions.handler(i));
            }
        }
        if (!taken) {
            if (defaultHandler != null) {
                call(defaultHandler);
            } else {
                unhandledMessages++;
            }
        }
    }

    /**
     * Whether a PUBLISH carries Subscription Identifier {@code id} (MQTT 5.0 §3.3.2.3.8: one per matching
     * subscription that has one); leaves the view's iteration reset for the handler.
     */
    private static boolean carries(dev.wren.mqtt.codec.v5.PropertiesView p, int id) {
        boolean found = false;
        for (p.reset(); !found && p.next(); ) {
            found = p.id() == Property.SUBSCRIPTION_IDENTIFIER && p.intValue() == id;
        }
        p.reset();
        return found;
    }

    private void call(MessageHandler handler) {
        try {
            handler.onMessage(message);
        } catch (Exception e) {
            listener.onHandlerError(message.topic(), e);
        }
    }

    /**
     * An oversize PUBLISH's topic and packet id are known: validates them as for any PUBLISH (when the topic was
     * kept), counts the message and tells the listener, unless it is a QoS 2 message the server re-sent before our
     * PUBREC reached it. What the listener throws waits for the end of the packet: the stream must stay in step.
     */
    private int onOversizeStart() {
        int flags = header.flags();
        int qos = PublishView.qos(flags);
        CharSequence topic = TOPIC_TOO_LONG_TO_SHOW;
        int id = reader.oversizePacketId();
        if (reader.oversizePrefixBuffered()) {
            int status = publish.decode(rx, reader.oversizeBodyOffset(), reader.oversizePrefixLength(), flags);
            if (status != CodecStatus.OK) {
                return failure.violation(status, "PUBLISH");
            }
            topic = publish.topic();
            id = publish.packetId();
        }
        oversizeQos = qos;
        oversizeId = id;
        oversizeRepeat = qos == 2 && incomingQos2.contains(id);
        oversizeListenerFailure = null;
        if (oversizeRepeat) {
            return HANDLED;
        }
        oversizeMessages++;
        try {
            listener.onOversizeMessage(topic, reader.oversizeFrameLength(), qos);
        } catch (RuntimeException | Error e) {
            oversizeListenerFailure = e; // thrown once the packet is drained
        }
        return HANDLED;
    }

    /** The oversize PUBLISH is drained: acknowledges it per its QoS, then throws what its listener threw, if anything. */
    private int onOversizeEnd() throws MqttException {
        Throwable thrown = oversizeListenerFailure;
        oversizeListenerFailure = null;
        int id = oversizeId;
        if (oversizeQos == 1) {
            acks.queue(PacketType.PUBACK, id);
        } else if (oversizeQos == 2) {
            if (!oversizeRepeat && !incomingQos2.add(id)) {
                return qos2TableFull(id);
            }
            acks.queue(PacketType.PUBREC, id);
        }
        if (thrown instanceof Error) {
            throw (Error) thrown;
        }
        if (thrown != null) {
            throw (RuntimeException) thrown;
        }
        return HANDLED;
    }

    /** A new QoS 2 message while the incoming table is full: not acknowledged, so the server re-sends it. */
    private int qos2TableFull(int id) {
        return failure.set(Reason.INCOMING_QOS2_TABLE_FULL, "QoS 2 PUBLISH id " + id + " while maxIncomingQos2 "
                + incomingQos2.capacity() + " messages await PUBREL; not acknowledged, the server re-sends it", "", null);
    }

    private int onAck(int type, int body, int length) throws MqttException {
        int status = v5 ? ack5.decode(rx, body, length, type) : ack.decode(rx, body, length);
        if (status != CodecStatus.OK) {
            return failure.violation(status, PacketType.name(type));
        }
        int id = v5 ? ack5.packetId() : ack.packetId();
        // 5.0: a PUBACK or PUBREC with a reason code of 0x80 or more ends the message; no PUBREL (MQTT 5.0 §4.3.3)
        boolean refused = v5 && type != PacketType.PUBCOMP && ReasonCode.isFailure(ack5.reasonCode());
        int slot = inflight.find(id);
        if (slot < 0) {
            if (type == PacketType.PUBREC && !refused) {
                acks.queue(PacketType.PUBREL, id); // let the server finish an exchange this client no longer holds
            }
            return HANDLED; // a late duplicate PUBACK/PUBCOMP for a completed message
        }
        byte current = inflight.state(slot);
        byte next = InflightTable.next(current, type);
        if (next == InflightTable.INVALID) {
            String rule = current == InflightTable.AWAIT_PUBACK ? "MQTT-4.3.2-1" : "MQTT-4.3.3-1";
            return failure.set(Reason.PROTOCOL_VIOLATION, PacketType.name(type) + " for packet id " + id + ", "
                    + InflightTable.describe(current) + " [" + rule + "]", rule, null);
        }
        if (refused) {
            inflight.set(slot, InflightTable.FREE); // the slot counts no more against Receive Maximum [MQTT-3.3.4-7]
            store.removed(slot);
            listener.onPublishRefused(id, ack5.reasonCode());
        } else if (next == InflightTable.FREE) {
            inflight.set(slot, InflightTable.FREE);
            store.removed(slot);
            listener.onPublishComplete(id);
        } else {
            inflight.set(slot, next);
            store.released(slot);
            acks.queue(PacketType.PUBREL, id);
            listener.onPubrec(id);
        }
        return HANDLED;
    }

    private int onPubrel(int body, int length) throws MqttException {
        int status = v5 ? ack5.decode(rx, body, length, PacketType.PUBREL) : ack.decode(rx, body, length);
        if (status != CodecStatus.OK) {
            return failure.violation(status, "PUBREL");
        }
        int id = v5 ? ack5.packetId() : ack.packetId();
        incomingQos2.remove(id);
        acks.queue(PacketType.PUBCOMP, id); // also for an unknown id, so the server can complete (§4.3.3)
        listener.onPubrel(id);
        return HANDLED;
    }

    private int onSuback(int body, int length) {
        int status = v5 ? suback5.decode(rx, body, length, PacketType.SUBACK)
                : suback.decode(rx, body, length);
        if (status != CodecStatus.OK) {
            return failure.violation(status, "SUBACK");
        }
        int count = v5 ? suback5.count() : suback.count();
        if (expectedType != PacketType.SUBACK || (v5 ? suback5.packetId() : suback.packetId()) != expectedId) {
            return HANDLED;
        }
        int n = expectedCount;
        if (count != n) {
            return failure.set(Reason.PROTOCOL_VIOLATION, "SUBACK with " + count
                    + " return codes for a SUBSCRIBE of " + n + (n == 1 ? " filter" : " filters")
                    + " [MQTT-3.8.4-5]", "MQTT-3.8.4-5", null);
        }
        for (int i = 0; i < n; i++) {
            int code = v5 ? suback5.reasonCode(i) : suback.returnCode(i);
            expectedCodes[i] = code;
            if (code >= SubackView.FAILURE) { // 3.1.1: 0x80 only; 5.0: every reason code from 0x80 (§3.9.3)
                // Undone here, before the packets behind the SUBACK are delivered: the server kept what it had.
                CharSequence filter = expectedFilters[i];
                MessageHandler previous = refusedHandlers[i];
                if (previous == null) {
                    subscriptions.remove(filter);
                } else {
                    subscriptions.put(filter, previous, refusedQos[i]);
                }
            }
        }
        return ACK_ARRIVED;
    }

    private int onUnsuback(int body, int length) {
        int status = v5 ? suback5.decode(rx, body, length, PacketType.UNSUBACK)
                : ack.decode(rx, body, length);
        if (status != CodecStatus.OK) {
            return failure.violation(status, "UNSUBACK");
        }
        if (expectedType != PacketType.UNSUBACK || (v5 ? suback5.packetId() : ack.packetId()) != expectedId) {
            return HANDLED;
        }
        int n = expectedCount;
        if (v5 && suback5.count() != n) {
            return failure.set(Reason.PROTOCOL_VIOLATION, "UNSUBACK with " + suback5.count() + " reason codes for an"
                    + " UNSUBSCRIBE of " + n + (n == 1 ? " filter" : " filters") + " [MQTT-3.11.3-1]",
                    "MQTT-3.11.3-1", null);
        }
        for (int i = 0; i < n; i++) {
            int code = v5 ? suback5.reasonCode(i) : ReasonCode.SUCCESS; // 3.1.1: no codes, every filter is gone
            expectedCodes[i] = code;
            if (code < ReasonCode.UNSPECIFIED_ERROR) { // refused: the server still holds it, so does the client
                subscriptions.remove(expectedFilters[i]);
            }
        }
        return ACK_ARRIVED;
    }

    /**
     * A 5.0 server's DISCONNECT (MQTT 5.0 §3.14): the connection ends, reported with the server's reason code and
     * Reason String; a failure code (0x80 and up) becomes the exception's reason, any other a lost connection.
     */
    private int onDisconnect(int body, int length) {
        int status = disconnect5.decode(rx, body, length, PacketType.DISCONNECT);
        if (status != CodecStatus.OK) {
            return failure.violation(status, "DISCONNECT");
        }
        int code = disconnect5.reasonCode();
        return failure.set(ReasonCode.isFailure(code) ? Reason.forReasonCode(code) : Reason.CONNECTION_LOST,
                "server sent DISCONNECT with reason code " + Session.reasonText(PacketType.DISCONNECT, code,
                        disconnect5.properties()), "", null);
    }
}
