package dev.wren.mqtt.internal;

import dev.wren.mqtt.codec.AckEncoder;
import dev.wren.mqtt.MqttException;
import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.codec.Wire;
import dev.wren.mqtt.codec.PublishEncoder;
import dev.wren.mqtt.store.InflightStore;


/**
 * The outgoing QoS 1/2 window, a table over the {@link InflightTable} (records) and the {@link InflightStore}
 * (frames): answers "a free slot, or full" ({@link #freeSlot}), hands out packet ids, moves messages waiting in the
 * journal into free slots ({@link #pump}), and re-sends the window in order when a connection is made
 * ({@link #resume}). Never waits: the session's one waiting loop does. Acks move records on in
 * {@link PacketDispatcher}. Sends through the {@link WriteBatch}, so what is batched goes first.
 */
final class OutgoingWindow {

    /** The session's transmit buffer, where a PUBLISH for the journal is encoded before it is queued. */
    private final byte[] tx;
    private final InflightTable inflight;
    private final InflightStore store;
    private final WriteBatch out;
    /** PUBREL frames, encoded here: {@link #tx} may hold a PUBLISH being queued. */
    private final byte[] ack = new byte[4];
    private int lastPacketId;

    /** The last CONNACK's session-present flag: whether packet ids from before a restart still mean something. */
    private boolean sessionPresent;
    /**
     * How many of the oldest messages waiting in the journal are 5.0 frames to go out at 3.1.1 ({@link #toProtocol311}):
     * the queue is first in, first out, and its drops take the oldest, so they are always the first this many.
     */
    private int queued5;
    /**
     * Slots a resume did not re-send because the server's Receive Maximum was reached [MQTT-3.3.4-7]: they go out,
     * in publish order, as acks free room ({@link #pump}).
     */
    private final boolean[] held;
    private int heldCount;
    /** The session's automatic topic aliases, or null: none. */
    private final OutgoingAliases aliases;
    /**
     * The longest frame that may take a Topic Alias on this connection (the transmit buffer or the server's Maximum
     * Packet Size, the smaller); 0 while aliases are not used (3.1.1, or before a 5.0 CONNACK).
     */
    int aliasLimit;

    /** A window over {@code inflight} and {@code store}; {@code tx} is the session's transmit buffer. */
    OutgoingWindow(byte[] tx, InflightTable inflight, InflightStore store, WriteBatch out, OutgoingAliases aliases) {
        this.tx = tx;
        this.aliases = aliases;
        this.inflight = inflight;
        this.store = store;
        this.out = out;
        this.held = new boolean[inflight.capacity()];
    }

    /** A free slot, or -1 when the window is full. */
    int freeSlot() {
        return inflight.freeSlot();
    }

    /**
     * The next packet id (1..65535, wrapping) that no message in the window holds and that is not {@code reservedId}
     * (the SUBSCRIBE/UNSUBSCRIBE awaiting its ack, or 0) [MQTT-2.3.1-2]; at most 65001 are in use.
     */
    int nextPacketId(int reservedId) {
        int id = lastPacketId;
        do {
            id = id == 65535 ? 1 : id + 1;
        } while (inflight.find(id) >= 0 || id == reservedId);
        lastPacketId = id;
        return id;
    }

    private void sendPubrel(int id) throws MqttException {
        out.send(ack, 0, AckEncoder.encode(ack, 0, PacketType.PUBREL, id));
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
     *
     * <p>At most the server's Receive Maximum ({@link InflightTable#limit()}, set from this CONNACK) messages are
     * out at once, those awaiting PUBCOMP included [MQTT-3.3.4-7]: a PUBREL always goes (it is no PUBLISH,
     * [MQTT-3.3.4-8]), a PUBLISH beyond the limit is held and goes, in publish order, as acks free room.
     */
    void resume(boolean sessionPresent, int reservedId) throws MqttException {
        this.sessionPresent = sessionPresent;
        java.util.Arrays.fill(held, false);
        heldCount = 0;
        byte[] frames = store.array();
        long after = -1;
        long releasedAfter = -1;
        int sent = 0; // messages out on this connection, PUBREL or PUBLISH
        for (int slot = inflight.nextInOrder(after); slot >= 0; slot = inflight.nextInOrder(after)) {
            after = inflight.sequence(slot);
            int id = inflight.packetId(slot);
            int off = store.offset(slot);
            sent++;
            if (sessionPresent && inflight.state(slot) == InflightTable.AWAIT_PUBCOMP) {
                // As many released slots in PUBREC order as in publish order: there is always a next one.
                int released = inflight.nextReleasedInOrder(releasedAfter);
                releasedAfter = inflight.releaseSequence(released);
                sendPubrel(inflight.packetId(released));
                continue;
            }
            PublishEncoder.setDup(frames, off, sessionPresent);
            if (!sessionPresent) {
                if (inflight.state(slot) == InflightTable.AWAIT_PUBCOMP) {
                    inflight.set(slot, InflightTable.AWAIT_PUBREC);
                    store.stored(slot, id, store.length(slot));
                }
            }
            if (sent > inflight.limit()) {
                held[slot] = true;
                heldCount++;
                continue;
            }
            out.send(frames, off, store.length(slot));
        }
        pump(reservedId); // then what waits in the journal, in order
    }

    /** Sends held slots ({@link #resume}) in publish order while fewer than the limit are out. */
    private void sendHeld() throws MqttException {
        long after = -1;
        int slot = inflight.nextInOrder(after);
        for (; slot >= 0 && inflight.count() - heldCount < inflight.limit(); slot = inflight.nextInOrder(after)) {
            after = inflight.sequence(slot);
            if (held[slot]) {
                held[slot] = false;
                heldCount--;
                out.send(store.array(), store.offset(slot), store.length(slot));
            }
        }
        if (slot < 0) {
            heldCount = 0; // every held slot passed: any count left was of slots an ack freed unsent
        }
    }

    /** The last CONNACK's session-present flag (MQTT 3.1.1 §3.2.2.2). */
    boolean sessionPresent() {
        return sessionPresent;
    }

    /**
     * Journal mode: the frame in the transmit buffer (packet id 0) waits behind the messages already queued; the
     * window takes from the queue in order ({@link #pump}). Never blocks on a full journal: the journal drops its
     * oldest waiting message.
     *
     * @return how many waiting messages the journal dropped to make room (the listener is to hear of them)
     */
    long enqueue(int frameLength) {
        long droppedBefore = store.droppedCount();
        store.enqueue(tx, 0, frameLength);
        long dropped = store.droppedCount() - droppedBefore;
        queued5 = (int) Math.max(0, queued5 - dropped);
        return dropped;
    }

    /**
     * {@code MQTT_AUTO} fell back to 3.1.1: every PUBLISH the window holds was encoded at 5.0 and is rewritten now as
     * its 3.1.1 frame (its property block removed, MQTT 3.1.1 §3.3 has none; a 3.1.1 server would read it as payload
     * bytes); the messages waiting in the journal, 5.0 frames as well, are rewritten as {@link #pump} takes them.
     * The packet ids and the publish order stay.
     */
    void toProtocol311() {
        byte[] frames = store.array();
        long after = -1;
        for (int slot = inflight.nextInOrder(after); slot >= 0; slot = inflight.nextInOrder(after)) {
            after = inflight.sequence(slot);
            store.stored(slot, inflight.packetId(slot),
                    dev.wren.mqtt.codec.v5.PublishEncoder.toProtocol311(frames, store.offset(slot)));
        }
        queued5 = store.queuedCount();
    }

    /**
     * Moves waiting messages into free window slots in publish order and sends them (call only while connected). A
     * message that had a packet id before a restart keeps it and goes out with DUP=1 when the session was resumed
     * [MQTT-4.4.0-1], as PUBREL if its PUBREC had arrived; otherwise it gets a new id.
     *
     * @param reservedId a packet id not to hand out (awaiting its SUBACK/UNSUBACK), or 0
     * @return the packet id of the last message moved, or 0
     */
    int pump(int reservedId) throws MqttException {
        if (heldCount > 0) {
            sendHeld(); // before anything newer [MQTT-4.6.0-1]
        }
        int id = 0;
        while (store.queuedCount() > 0) {
            int slot = inflight.freeSlot();
            if (slot < 0) {
                break;
            }
            int length = store.takeInto(slot);
            if (length < 0) {
                break; // acknowledgements not yet marked in the journal hold the window's room (the next poll writes them)
            }
            held[slot] = false;
            byte[] frames = store.array();
            int off = store.offset(slot);
            if (queued5 > 0) {
                queued5--;
                length = dev.wren.mqtt.codec.v5.PublishEncoder.toProtocol311(frames, off);
            }
            int qos = PublishEncoder.qos(frames, off);
            int persisted = store.persistedPacketId(slot);
            boolean resend = persisted != 0 && sessionPresent && inflight.find(persisted) < 0;
            id = resend ? persisted : nextPacketId(reservedId);
            PublishEncoder.setPacketId(frames, off, id);
            if (resend && qos == 2 && store.persistedReleased(slot)) {
                inflight.occupy(slot, id, InflightTable.AWAIT_PUBCOMP);
                store.stored(slot, id, length);
                store.released(slot);
                sendPubrel(id);
                continue;
            }
            PublishEncoder.setDup(frames, off, resend); // [MQTT-3.3.1-1]
            inflight.occupy(slot, id, qos == 1 ? InflightTable.AWAIT_PUBACK : InflightTable.AWAIT_PUBREC);
            store.stored(slot, id, length);
            if (resend) {
                out.send(frames, off, length);
            } else {
                sendFirst(frames, off, length);
            }
        }
        return id;
    }

    /**
     * Sends a PUBLISH for the first time on this connection, published now or taken from the journal: with a Topic
     * Alias when the aliases give one (MQTT 5.0 §3.3.2.3.4), encoded apart in the transmit buffer, the slot keeping
     * the whole topic for a resend on a later connection; appended to the batch when writes are coalesced.
     */
    void sendFirst(byte[] frames, int off, int length) throws MqttException {
        int topicAt = dev.wren.mqtt.codec.v5.PublishEncoder.topicAt(frames, off);
        int topicLength = Wire.readU16(frames, topicAt);
        int alias = aliases == null || length + 4 > aliasLimit || topicLength > aliases.slotBytes() ? 0
                : aliases.alias(frames, topicAt + 2, topicLength);
        if (alias != 0) {
            length = dev.wren.mqtt.codec.v5.PublishEncoder.withTopicAlias(frames, off, alias, tx, 0);
            frames = tx;
            off = 0;
        }
        if (out.coalescing()) {
            out.append(frames, off, length);
        } else {
            out.send(frames, off, length);
        }
    }

    /**
     * Puts the PUBLISH just encoded into {@code slot} in flight as {@code id}: stored before it is sent, so that if
     * the write fails (or there is no connection) the message stays in the window for the next connect.
     */
    void occupy(int slot, int id, int qos, int frameLength) {
        held[slot] = false;
        inflight.occupy(slot, id, qos == 1 ? InflightTable.AWAIT_PUBACK : InflightTable.AWAIT_PUBREC);
        store.stored(slot, id, frameLength);
    }
}
