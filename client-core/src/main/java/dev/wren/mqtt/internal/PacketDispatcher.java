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

/**
 * Incoming dispatch: handles the packet the {@link FrameReader} has buffered. A PUBLISH goes to the handlers of
 * every matching subscription (or the default handler) as a {@link MessageView} over the receive buffer, valid
 * until the handler returns; PUBACK/PUBREC/PUBCOMP move the outgoing in-flight window on (§4.3); PUBREL completes an
 * incoming QoS 2 exchange; SUBACK/UNSUBACK answer the {@link Session}'s pending request. Acks produced here go into
 * the {@link WriteBatch}.
 */
final class PacketDispatcher {

    private final Session session;
    private final MqttListener listener;
    private final FrameReader reader;
    private final FrameHeader header;
    private final byte[] rx;
    private final WriteBatch acks;
    private final PublishView publish;
    private final AckView ack = new AckView();
    private final SubackView suback = new SubackView();
    private final MessageView message;

    private final InflightTable inflight;
    private final InflightStore store;
    private final IncomingQos2Table incomingQos2;
    private final SubscriptionTable subscriptions;
    private MessageHandler defaultHandler;
    private long unhandledMessages;

    PacketDispatcher(Session session, MqttConfig config, FrameReader reader, WriteBatch acks, PublishView publish,
                     InflightTable inflight, InflightStore store, IncomingQos2Table incomingQos2,
                     SubscriptionTable subscriptions) {
        this.session = session;
        this.listener = config.listener();
        this.reader = reader;
        this.header = reader.header();
        this.rx = reader.buffer();
        this.acks = acks;
        this.publish = publish;
        this.message = new MessageView(publish);
        this.inflight = inflight;
        this.store = store;
        this.incomingQos2 = incomingQos2;
        this.subscriptions = subscriptions;
    }

    /** Sets the handler for messages that no subscription's handler takes (null: count them as unhandled). */
    void setDefaultHandler(MessageHandler handler) {
        this.defaultHandler = handler;
    }

    /** Incoming messages that no handler took (no matching filter and no default handler). */
    long unhandledMessageCount() {
        return unhandledMessages;
    }

    /**
     * Consumes the complete packet the reader found, then handles it. Consumed first, so that whatever escapes
     * the handling (an {@link Error} from a handler, an exception from a listener) leaves the stream in step: the
     * next poll goes on with the next packet. Its bytes stay in place while it is handled: nothing reads into the
     * receive buffer from inside a handler or listener.
     */
    void dispatch() throws MqttException {
        int type = header.type();
        int body = reader.bodyOffset();
        int length = header.remainingLength();
        reader.consumeFrame();
        switch (type) {
            case PacketType.PUBLISH:
                onPublish(body, length, header.flags());
                break;
            case PacketType.PUBACK:
            case PacketType.PUBREC:
            case PacketType.PUBCOMP:
                onAck(type, body, length);
                break;
            case PacketType.PUBREL:
                onPubrel(body, length);
                break;
            case PacketType.SUBACK:
                onSuback(body, length);
                break;
            case PacketType.UNSUBACK:
                onUnsuback(body, length);
                break;
            case PacketType.PINGRESP:
                session.pingOutstanding = false;
                break;
            case PacketType.CONNACK:
                throw session.fail(Reason.PROTOCOL_VIOLATION, "second CONNACK on one connection", "", null);
            default:
                throw session.fail(Reason.PROTOCOL_VIOLATION, "unexpected " + PacketType.name(type) + " from the server", "", null);
        }
    }

    private void onPublish(int body, int length, int flags) throws MqttException {
        int status = publish.decode(rx, body, length, flags);
        if (status != CodecStatus.OK) {
            throw session.violation(status, "PUBLISH");
        }
        int qos = publish.qos();
        int id = publish.packetId();
        if (qos == 2) {
            if (incomingQos2.contains(id)) {
                acks.queue(PacketType.PUBREC, id); // re-sent before our PUBREC arrived: not delivered again [MQTT-4.3.3-2]
                return;
            }
            if (!incomingQos2.add(id)) {
                throw session.fail(Reason.INCOMING_QOS2_TABLE_FULL, "QoS 2 PUBLISH id " + id + " while maxIncomingQos2 "
                        + incomingQos2.capacity() + " messages await PUBREL; not acknowledged, the server re-sends it",
                        "", null);
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
        if (session.state != Session.CONNECTED) {
            return; // a handler closed the client: the server re-sends what was not acknowledged
        }
        if (qos == 1) {
            acks.queue(PacketType.PUBACK, id);
        } else if (qos == 2) {
            acks.queue(PacketType.PUBREC, id);
        }
    }

    private void deliver() {
        session.callbackDepth++;
        try {
            boolean taken = false;
            byte[] buf = publish.buffer();
            int topicOff = publish.topicOffset();
            int topicLen = publish.topicLength();
            for (int i = 0; i < subscriptions.count() && session.state == Session.CONNECTED; i++) {
                if (subscriptions.matches(i, buf, topicOff, topicLen)) {
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
        } finally {
            session.callbackDepth--;
        }
    }

    private void call(MessageHandler handler) {
        try {
            handler.onMessage(message);
        } catch (Exception e) {
            listener.onHandlerError(publish.topic(), e);
        }
    }

    private void onAck(int type, int body, int length) throws MqttException {
        int status = ack.decode(rx, body, length);
        if (status != CodecStatus.OK) {
            throw session.violation(status, PacketType.name(type));
        }
        int id = ack.packetId();
        int slot = inflight.find(id);
        if (slot < 0) {
            if (type == PacketType.PUBREC) {
                acks.queue(PacketType.PUBREL, id); // let the server finish an exchange this client no longer holds
            }
            return; // a late duplicate PUBACK/PUBCOMP for a completed message
        }
        byte current = inflight.state(slot);
        byte next = InflightTable.next(current, type);
        if (next == InflightTable.INVALID) {
            String rule = current == InflightTable.AWAIT_PUBACK ? "MQTT-4.3.2-1" : "MQTT-4.3.3-1";
            throw session.fail(Reason.PROTOCOL_VIOLATION, PacketType.name(type) + " for packet id " + id + ", "
                    + InflightTable.describe(current) + " [" + rule + "]", rule, null);
        }
        if (next == InflightTable.FREE) {
            inflight.set(slot, InflightTable.FREE);
            store.removed(slot);
            session.callbackDepth++;
            try {
                listener.onPublishComplete(id);
            } finally {
                session.callbackDepth--;
            }
        } else {
            inflight.set(slot, next);
            store.released(slot);
            acks.queue(PacketType.PUBREL, id);
            session.callbackDepth++;
            try {
                listener.onPubrec(id);
            } finally {
                session.callbackDepth--;
            }
        }
    }

    private void onPubrel(int body, int length) throws MqttException {
        int status = ack.decode(rx, body, length);
        if (status != CodecStatus.OK) {
            throw session.violation(status, "PUBREL");
        }
        int id = ack.packetId();
        incomingQos2.remove(id);
        acks.queue(PacketType.PUBCOMP, id); // also for an unknown id, so the server can complete (§4.3.3)
    }

    private void onSuback(int body, int length) throws MqttException {
        int status = suback.decode(rx, body, length);
        if (status != CodecStatus.OK) {
            throw session.violation(status, "SUBACK");
        }
        if (session.pendingAckType == PacketType.SUBACK && suback.packetId() == session.pendingId) {
            int n = session.ackFilterCount;
            if (suback.count() != n) {
                throw session.fail(Reason.PROTOCOL_VIOLATION, "SUBACK with " + suback.count()
                        + " return codes for a SUBSCRIBE of " + n + (n == 1 ? " filter" : " filters")
                        + " [MQTT-3.8.4-5]", "MQTT-3.8.4-5", null);
            }
            for (int i = 0; i < n; i++) {
                int code = suback.returnCode(i);
                session.ackCodes[i] = code;
                if (code == SubackView.FAILURE) {
                    // Undone here, before the packets behind the SUBACK are delivered: the server kept what it had.
                    CharSequence filter = session.ackFilters[i];
                    MessageHandler previous = session.refusedHandlers[i];
                    if (previous == null) {
                        subscriptions.remove(filter);
                    } else {
                        subscriptions.put(filter, previous, session.refusedQos[i]);
                    }
                }
            }
            session.pendingDone = true;
        }
    }

    private void onUnsuback(int body, int length) throws MqttException {
        int status = ack.decode(rx, body, length);
        if (status != CodecStatus.OK) {
            throw session.violation(status, "UNSUBACK");
        }
        if (session.pendingAckType == PacketType.UNSUBACK && ack.packetId() == session.pendingId) {
            for (int i = 0; i < session.ackFilterCount; i++) {
                subscriptions.remove(session.ackFilters[i]);
            }
            session.pendingDone = true;
        }
    }
}
