package dev.wren.mqtt.internal;

import dev.wren.mqtt.MonotonicClock;
import dev.wren.mqtt.MqttConfig;
import dev.wren.mqtt.MqttException;
import dev.wren.mqtt.MqttException.Reason;
import dev.wren.mqtt.MqttListener;
import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.codec.PublishEncoder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * The outgoing QoS 1/2 window: takes a window slot for a new PUBLISH (waiting for one when the window is full),
 * moves messages waiting in the journal into the window ({@link #pump}), and re-sends the window in order when a
 * connection is made ({@link #resume}). The records live in the {@link InflightTable}, the frames in the
 * {@link InflightStore}; acks move them on in {@link PacketDispatcher}. Sends through the {@link Session}.
 */
final class OutgoingWindow {

    private final Session session;
    private final MqttConfig config;
    private final MqttListener listener;
    private final MonotonicClock clock;
    /** The session's transmit buffer, where a PUBLISH for the journal is encoded before it is queued. */
    private final byte[] tx;
    private final InflightTable inflight;
    private final InflightStore store;

    /** The last CONNACK's session-present flag: whether packet ids from before a restart still mean something. */
    private boolean sessionPresent;

    /** A window over {@code inflight} and {@code store}; {@code tx} is the session's transmit buffer. */
    OutgoingWindow(Session session, MqttConfig config, byte[] tx, InflightTable inflight, InflightStore store) {
        this.session = session;
        this.tx = tx;
        this.inflight = inflight;
        this.store = store;
        this.config = config;
        this.listener = config.listener();
        this.clock = config.clock();
    }

    /**
     * Re-sends the in-flight window, and keeps {@code sessionPresent} for {@link #pump}. With a session present [MQTT-4.4.0-1]: every PUBLISH not yet acknowledged,
     * with DUP=1 [MQTT-3.3.1-1], in original publish order [MQTT-4.6.0-1], and a PUBREL for every message whose
     * PUBREC had arrived, in the order those PUBRECs arrived [MQTT-4.6.0-4]. The two orders interleave at the
     * places the released messages hold in publish order: the n-th released message in publish order is where the
     * n-th PUBREL (in PUBREC order) goes, so when PUBRECs came in publish order everything goes out in publish order.
     * Without a session the server knows none of these packet ids, so every message is published again as new
     * (DUP=0) and a QoS 2 message whose PUBREC had arrived starts over from PUBLISH: nothing is lost, but such a
     * message may reach subscribers twice.
     *
     * <p>A journal keeps whether PUBREC arrived, not when: messages recovered after a restart come back released
     * in publish order, and their PUBRELs go out in that order ({@link #pump}).
     */
    void resume(boolean sessionPresent) throws MqttException {
        this.sessionPresent = sessionPresent;
        byte[] frames = store.array();
        long after = -1;
        long releasedAfter = -1;
        for (int slot = inflight.nextInOrder(after); slot >= 0; slot = inflight.nextInOrder(after)) {
            after = inflight.sequence(slot);
            int id = inflight.packetId(slot);
            int off = store.offset(slot);
            if (sessionPresent && inflight.state(slot) == InflightTable.AWAIT_PUBCOMP) {
                // As many released slots in PUBREC order as in publish order: there is always a next one.
                int released = inflight.nextReleasedInOrder(releasedAfter);
                releasedAfter = inflight.releaseSequence(released);
                session.sendAck(PacketType.PUBREL, inflight.packetId(released));
                continue;
            }
            PublishEncoder.setDup(frames, off, sessionPresent);
            if (!sessionPresent) {
                if (inflight.state(slot) == InflightTable.AWAIT_PUBCOMP) {
                    inflight.set(slot, InflightTable.AWAIT_PUBREC);
                    store.stored(slot, id, store.length(slot));
                }
            }
            session.send(frames, off, store.length(slot));
        }
        pump(); // then what waits in the journal, in order
    }

    /**
     * Journal mode: the frame in the transmit buffer (packet id 0) waits behind the messages already queued, then the
     * window takes from the queue in order. Never blocks on a full window or a full journal (the journal drops
     * its oldest waiting message and the listener hears of it).
     *
     * @return the packet id when the message went into the window at once, else 0 (it waits in the journal)
     */
    int queue(int frameLength) throws MqttException {
        long droppedBefore = store.droppedCount();
        store.enqueue(tx, 0, frameLength);
        long dropped = store.droppedCount() - droppedBefore;
        if (dropped > 0) {
            session.callbackDepth++;
            try {
                listener.onMessagesDropped((int) dropped, store.droppedCount());
            } finally {
                session.callbackDepth--;
            }
        }
        int id;
        try {
            id = pump();
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException(e.getMessage() + "; the message IS in the journal and goes out once the"
                    + " journal can be read again", e.getCause());
        } catch (MqttException lost) {
            if (!config.automaticReconnect() || session.state == Session.CONNECTED || session.state == Session.CLOSED) {
                throw lost;
            }
            session.reconnector.schedule(lost); // the message is in the journal: the reconnect sends it
            return 0;
        }
        return store.queuedCount() == 0 ? id : 0;
    }

    /**
     * Moves waiting messages into free window slots in publish order and sends them (only while connected). A
     * message that had a packet id before a restart keeps it and goes out with DUP=1 when the session was resumed
     * [MQTT-4.4.0-1], as PUBREL if its PUBREC had arrived; otherwise it gets a new id.
     *
     * @return the packet id of the last message moved, or 0
     */
    int pump() throws MqttException {
        int id = 0;
        while (session.state == Session.CONNECTED && store.queuedCount() > 0) {
            int slot = inflight.freeSlot();
            if (slot < 0) {
                break;
            }
            int length = store.takeInto(slot);
            if (length < 0) {
                break; // acknowledgements not yet marked in the journal hold the window's room (the next poll writes them)
            }
            byte[] frames = store.array();
            int off = store.offset(slot);
            int qos = PublishEncoder.qos(frames, off);
            int persisted = store.persistedPacketId(slot);
            boolean resend = persisted != 0 && sessionPresent && inflight.find(persisted) < 0;
            id = resend ? persisted : session.nextPacketId();
            PublishEncoder.setPacketId(frames, off, id);
            if (resend && qos == 2 && store.persistedReleased(slot)) {
                inflight.occupy(slot, id, InflightTable.AWAIT_PUBCOMP);
                store.stored(slot, id, length);
                store.released(slot);
                session.sendAck(PacketType.PUBREL, id);
                continue;
            }
            PublishEncoder.setDup(frames, off, resend); // [MQTT-3.3.1-1]
            inflight.occupy(slot, id, qos == 1 ? InflightTable.AWAIT_PUBACK : InflightTable.AWAIT_PUBREC);
            store.stored(slot, id, length);
            session.send(frames, off, length);
        }
        return id;
    }

    /**
     * Puts the PUBLISH just encoded into {@code slot} in flight as {@code id}, then sends it when connected.
     *
     * @return {@code id}
     */
    int sendInflight(int slot, int id, int qos, int frameLength) throws MqttException {
        inflight.occupy(slot, id, qos == 1 ? InflightTable.AWAIT_PUBACK : InflightTable.AWAIT_PUBREC);
        store.stored(slot, id, frameLength);
        // Stored before sending: if the write fails the message stays in the window for the next connect.
        if (session.state == Session.CONNECTED) {
            try {
                session.sendPublish(store.array(), store.offset(slot), frameLength);
            } catch (MqttException lost) {
                if (!config.automaticReconnect()) {
                    throw lost;
                }
                session.reconnector.schedule(lost); // the message is in the window: the reconnect re-sends it
            }
        } // else queued offline: the next connect sends it with the rest of the window
        return id;
    }

    /** A free window slot; when the window is full, drives the receive loop until one frees or the timeout. */
    int acquireSlot() throws IOException, MqttException {
        int slot = inflight.freeSlot();
        if (slot >= 0) {
            return slot;
        }
        if (session.state != Session.CONNECTED) {
            throw windowFullWhileDisconnected();
        }
        if (session.callbackDepth > 0) {
            throw new MqttException(Reason.INFLIGHT_WINDOW_FULL, "in-flight window of " + inflight.capacity()
                    + " messages is full and publish was called from a message handler or listener callback, which"
                    + " cannot wait for acks");
        }
        long deadline = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.operationTimeoutMillis());
        while (true) {
            if (config.automaticReconnect()) {
                session.reconnector.poll(session.waitMillis(deadline)); // a lost connection is scheduled for reconnect, not thrown
                session.requireNotEndedByCaller("publish waiting for a window slot");
                if (session.state != Session.CONNECTED && inflight.freeSlot() < 0) {
                    throw windowFullWhileDisconnected(); // never block the caller while there is no connection
                }
            } else {
                session.service(session.waitMillis(deadline));
                session.requireStillConnected("publish waiting for a window slot");
            }
            slot = inflight.freeSlot();
            if (slot >= 0) {
                return slot;
            }
            if (deadline - clock.nanoTime() <= 0) {
                throw new MqttException(Reason.INFLIGHT_WINDOW_TIMEOUT, "in-flight window of " + inflight.capacity()
                        + " messages still full after operationTimeoutMillis " + config.operationTimeoutMillis());
            }
        }
    }

    private MqttException windowFullWhileDisconnected() {
        return new MqttException(Reason.INFLIGHT_WINDOW_FULL, "disconnected, and the in-flight window of "
                + inflight.capacity() + " messages already holds as many waiting to be sent: poll to reconnect, or"
                + " configure a journal (MqttConfig.Builder.journal) to queue more");
    }
}
