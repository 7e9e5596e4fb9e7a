package dev.wren.mqtt.internal;

import dev.wren.mqtt.MessageHandler;
import dev.wren.mqtt.MonotonicClock;
import dev.wren.mqtt.MqttConfig;
import dev.wren.mqtt.MqttException;
import dev.wren.mqtt.MqttException.Reason;
import dev.wren.mqtt.MqttListener;
import dev.wren.mqtt.codec.AckEncoder;
import dev.wren.mqtt.codec.AckView;
import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.ConnackView;
import dev.wren.mqtt.codec.ConnectEncoder;
import dev.wren.mqtt.codec.ConnectFields;
import dev.wren.mqtt.codec.EmptyPacketEncoder;
import dev.wren.mqtt.codec.FrameHeader;
import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.codec.PublishEncoder;
import dev.wren.mqtt.codec.PublishView;
import dev.wren.mqtt.codec.SubackView;
import dev.wren.mqtt.codec.SubscribeEncoder;
import dev.wren.mqtt.codec.Topics;
import dev.wren.mqtt.codec.UnsubscribeEncoder;
import dev.wren.mqtt.codec.Utf8;
import dev.wren.mqtt.transport.TlsTransportFactory;
import dev.wren.mqtt.transport.Transport;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The MQTT 3.1.1 client session: a state machine over a {@link Transport}, driven entirely by the caller's
 * thread. Internal: users hold {@link dev.wren.mqtt.MqttClient}.
 *
 * <pre>
 *   NEW --connect--> CONNECTED --disconnect / connection lost / protocol violation--> DISCONNECTED
 *                        ^                                                                 |
 *                        +------------------------------connect----------------------------+
 *   any state --close--> CLOSED (terminal)
 * </pre>
 *
 * <p>Memory: every buffer and table is allocated in the constructor. Once connected, publish, receive,
 * acknowledgements and pings allocate nothing. Two buffers: received packets are decoded in place in the receive
 * buffer (the {@link dev.wren.mqtt.MqttMessage} view points into it); everything sent is encoded into the
 * transmit buffer or, for QoS 1/2 PUBLISH, into its slot of the {@link InflightStore} — so a handler may publish
 * while its message is still being read.
 *
 * <p>Connect and session resumption live together in {@link #connect()} and {@link #resume(boolean)}, so that an
 * automatic reconnect can reuse them.
 */
public final class Session {

    static final int NEW = 0;
    static final int CONNECTED = 1;
    static final int DISCONNECTED = 2;
    static final int CLOSED = 3;
    /** First byte of a TLS alert record (RFC 8446 §5.1 content type 21); never a valid MQTT fixed header from a server. */
    private static final byte TLS_ALERT_RECORD = 0x15;
    private static final String[] STATE_NAMES = {"NEW", "CONNECTED", "DISCONNECTED", "CLOSED"};

    /** Packets handled per {@link #service} call at most, so a flood cannot keep poll from returning. */
    private static final int MAX_PACKETS_PER_SERVICE = 256;
    /** PUBACK, PUBREC, PUBREL and PUBCOMP are 4 bytes each (MQTT 3.1.1 §3.4-§3.7). */
    private static final int ACK_BYTES = 4;
    private static final int DUP_FLAG = 0x08; // PUBLISH fixed header bit 3 (MQTT 3.1.1 §3.3.1.1)
    private static final String TOPIC_TOO_LONG_TO_SHOW = "<topic longer than the receive buffer>";

    private final MqttConfig config;
    private final MqttListener listener;
    private final MonotonicClock clock;

    private final byte[] rx;
    private int rxStart;
    private int rxEnd;
    private final byte[] tx;
    /**
     * Acks produced while one pass of the receive loop handles packets, written together at the end of the pass:
     * JSSE allocates for every TLS record it writes, so several acks from one read cost one record, not one each.
     * Flushed before anything else is written (a handler's publish, PINGREQ, DISCONNECT) and before any read that may
     * block, so an ack never waits across a wait. Apart from {@link #tx}, which every other packet is encoded into.
     */
    private final byte[] acks = new byte[ACK_BYTES * MAX_PACKETS_PER_SERVICE];
    private int acksLength;

    private final FrameHeader header = new FrameHeader();
    private final PublishView publish = new PublishView();
    private final AckView ack = new AckView();
    private final ConnackView connack = new ConnackView();
    private final SubackView suback = new SubackView();
    private final MessageView message = new MessageView(publish);
    private final ConnectFields connectFields = new ConnectFields();
    private final CharSequence[] oneFilter = new CharSequence[1];
    private final int[] oneQos = new int[1];

    private final InflightTable inflight;
    private final InflightStore store;
    private final IncomingQos2Table incomingQos2;
    private final SubscriptionTable subscriptions;
    private MessageHandler defaultHandler;

    private Transport transport;
    private int state = NEW;
    /** Handlers and listener callbacks running now: they may publish, disconnect or close, not read packets. */
    private int callbackDepth;
    private int lastPacketId;
    /** {@link #disconnect()} ended the last connection (cleared by {@link #connect()}): no automatic reconnect. */
    private boolean disconnectRequested;
    /** The failure that ended the last connection, for a wait that notices the end after a handler swallowed it. */
    private MqttException lastFailure;

    private final long keepAliveNanos;
    private final long pingTimeoutNanos;
    private long lastSentNanos;
    private long lastReceivedNanos;
    private boolean pingOutstanding;
    private long pingSentNanos;

    private int pendingAckType;
    private int pendingId;
    private int pendingResult;
    private boolean pendingDone;
    /** What the pending SUBSCRIBE's filter maps to again if the server refuses it (null: nothing, remove it). */
    private MessageHandler refusedSubscribeHandler;
    private int refusedSubscribeQos;

    /** Delays between automatic reconnect attempts, and when the next one is due. */
    private final Backoff backoff;
    private long nextAttemptNanos;

    /** The last CONNACK's session-present flag: whether packet ids from before a restart still mean something. */
    private boolean sessionPresent;

    private long oversizeMessages;
    /** While an oversize PUBLISH is drained: when it counts as stalled (pushed on by every byte), bytes seen so far. */
    private long drainDeadline;
    private long drainedBytes;
    private long unhandledMessages;

    /**
     * Allocates every buffer and table from {@code config}; with {@link MqttConfig#journalFile()} set, opens the
     * journal and recovers the messages it holds, which go out first once connected.
     *
     * @throws java.io.UncheckedIOException the journal cannot be opened (the message names the file and why)
     */
    public Session(MqttConfig config) {
        this(config, config.journalFile() == null
                ? new ArenaInflightStore(config.maxInflight(), config.transmitBufferBytes())
                : JournalInflightStore.open(config));
    }

    Session(MqttConfig config, InflightStore store) {
        this.config = config;
        this.listener = config.listener();
        this.clock = config.clock();
        this.rx = new byte[config.receiveBufferBytes()];
        this.tx = new byte[config.transmitBufferBytes()];
        this.store = store;
        this.inflight = new InflightTable(config.maxInflight());
        this.incomingQos2 = new IncomingQos2Table(config.maxIncomingQos2());
        this.subscriptions = new SubscriptionTable(config.maxSubscriptions());
        this.keepAliveNanos = TimeUnit.SECONDS.toNanos(config.keepAliveSeconds());
        // 0.4 of the interval: a dead route (no FIN, no RST) is noticed within 1.4 keep-alive intervals of going
        // silent, which leaves a margin for the caller's poll cadence under the 1.5 the server allows itself.
        this.pingTimeoutNanos = Math.min(keepAliveNanos * 2 / 5, TimeUnit.MILLISECONDS.toNanos(config.operationTimeoutMillis()));
        this.backoff = new Backoff(config.reconnectMinDelayMillis(), config.reconnectMaxDelayMillis(),
                config.reconnectMultiplier(), config.reconnectJitter(), System.nanoTime() ^ config.clientId().hashCode());
        this.nextAttemptNanos = clock.nanoTime(); // the first attempt (poll before any connect) is due at once

        ConnectFields f = connectFields;
        f.clientId = config.clientId();
        f.cleanSession = config.cleanSession();
        f.keepAliveSeconds = config.keepAliveSeconds();
        f.willTopic = config.willTopic();
        byte[] willPayload = config.willPayload();
        f.willPayload = willPayload;
        f.willPayloadOffset = 0;
        f.willPayloadLength = willPayload == null ? 0 : willPayload.length;
        f.willQos = config.willQos();
        f.willRetain = config.willRetain();
        f.userName = config.userName();
        byte[] password = config.password();
        f.password = password;
        f.passwordOffset = 0;
        f.passwordLength = password == null ? 0 : password.length;
        int connectLength = ConnectEncoder.length(f);
        if (connectLength > tx.length) {
            throw new IllegalArgumentException("CONNECT of " + connectLength + " bytes (client id, will, credentials)"
                    + " > transmitBufferBytes " + tx.length);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Operations (each first checks the state)

    /**
     * Opens a connection, sends CONNECT, waits for CONNACK, then resumes the in-flight window. Opening and the
     * CONNACK wait share one {@code connectTimeoutMillis} deadline.
     *
     * @return the CONNACK session-present flag (MQTT 3.1.1 §3.2.2.2)
     */
    public boolean connect() throws IOException, MqttException {
        if (state == CONNECTED || state == CLOSED) {
            throw new IllegalStateException("connect in state " + STATE_NAMES[state]);
        }
        requireNotInHandler("connect");
        disconnectRequested = false;
        lastFailure = null;
        rxStart = 0;
        rxEnd = 0;
        acksLength = 0;
        pingOutstanding = false;
        pendingAckType = 0;
        // One deadline for the whole connect: the open may use all of it (the transport enforces that), the
        // CONNACK wait gets what is left, so a slow TCP/TLS open plus a slow CONNACK cannot add up to twice the limit.
        long deadline = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.connectTimeoutMillis());
        transport = config.transportFactory().open(config.host(), config.port(), config.connectTimeoutMillis());
        send(tx, 0, ConnectEncoder.encode(tx, 0, connectFields));
        while (!readFrame(waitMillis(deadline))) { // past the deadline already: one look without waiting
            if (deadline - clock.nanoTime() <= 0) {
                throw fail(Reason.CONNECT_TIMEOUT, "no CONNACK from " + config.host() + ":" + config.port()
                        + " within connectTimeoutMillis " + config.connectTimeoutMillis()
                        + " (opening the connection included)", "", null);
            }
        }
        int status = connack.decode(rx, rxStart + header.headerLength(), header.remainingLength());
        if (status != CodecStatus.OK) {
            throw violation(status, "CONNACK");
        }
        consumeFrame();
        int returnCode = connack.returnCode();
        if (returnCode != 0) {
            closeTransport();
            state = DISCONNECTED;
            throw new MqttException(Reason.forConnackReturnCode(returnCode), "server " + config.host() + ":"
                    + config.port() + " refused the connection with CONNACK return code " + returnCode);
        }
        boolean sessionPresent = connack.sessionPresent();
        if (sessionPresent && config.cleanSession()) {
            throw fail(Reason.PROTOCOL_VIOLATION, "CONNACK session present = 1 for a clean session [MQTT-3.2.2-1]",
                    "MQTT-3.2.2-1", null);
        }
        state = CONNECTED;
        this.sessionPresent = sessionPresent;
        backoff.reset();
        resume(sessionPresent);
        callbackDepth++;
        try {
            listener.onConnected(sessionPresent);
        } finally {
            callbackDepth--;
        }
        if (!sessionPresent) {
            resubscribe();
        }
        requireStillConnected("connect");
        return sessionPresent;
    }

    /**
     * Re-sends the in-flight window. With a session present [MQTT-4.4.0-1]: every PUBLISH not yet acknowledged,
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
    private void resume(boolean sessionPresent) throws MqttException {
        if (!sessionPresent) {
            incomingQos2.clear(); // the server forgot its side: no PUBREL will come for these ids
        }
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
                sendAck(PacketType.PUBREL, inflight.packetId(released));
                continue;
            }
            if (sessionPresent) {
                PublishEncoder.setDup(frames, off);
            } else {
                frames[off] &= ~DUP_FLAG;
                if (inflight.state(slot) == InflightTable.AWAIT_PUBCOMP) {
                    inflight.set(slot, InflightTable.AWAIT_PUBREC);
                    store.stored(slot, id, store.length(slot));
                }
            }
            send(frames, off, store.length(slot));
        }
        pump(); // then what waits in the journal, in order
    }

    /**
     * The server has no session (clean session, or it lost it): subscribe again to every filter this client
     * holds, each at the QoS first requested, waiting for each SUBACK.
     *
     * @throws MqttException {@code SUBSCRIBE_REFUSED} when the server now refuses one (the connection stays up)
     */
    private void resubscribe() throws IOException, MqttException {
        for (int i = 0; i < subscriptions.count() && state == CONNECTED; i++) {
            oneFilter[0] = subscriptions.filter(i);
            oneQos[0] = subscriptions.qos(i);
            refusedSubscribeHandler = subscriptions.handler(i); // refused now: kept, for a later reconnect
            refusedSubscribeQos = oneQos[0];
            int id = nextPacketId();
            send(tx, 0, SubscribeEncoder.encode(tx, 0, id, oneFilter, oneQos, 1));
            if (awaitPending(PacketType.SUBACK, id) == 0x80) {
                throw new MqttException(Reason.SUBSCRIBE_REFUSED, "server refused the resubscription to \""
                        + oneFilter[0] + "\" at qos " + oneQos[0] + " (SUBACK return code 0x80) after reconnecting");
            }
        }
    }

    /** Publishes to a topic given as text; validated on every call. */
    public int publish(CharSequence topic, byte[] payload, int off, int len, int qos, boolean retain)
            throws IOException, MqttException {
        requirePublishable(qos);
        if (topic == null) {
            throw new IllegalArgumentException("topic is null");
        }
        int status = Topics.validateName(topic);
        if (status != CodecStatus.OK) {
            throw new IllegalArgumentException("topic name \"" + topic + "\": " + CodecStatus.describe(status));
        }
        checkPublishArguments(payload, off, len, qos);
        int frameLength = checkFits(PublishEncoder.length(Utf8.encodedLength(topic), qos, len), topic, len);
        if (qos == 0) {
            send(tx, 0, PublishEncoder.encode(tx, 0, topic, 0, retain, false, 0, payload, off, len));
            return 0;
        }
        if (store.queues()) {
            return queue(PublishEncoder.encode(tx, 0, topic, qos, retain, false, 0, payload, off, len));
        }
        int slot = acquireSlot();
        int id = nextPacketId();
        int at = store.offset(slot);
        PublishEncoder.encode(store.array(), at, topic, qos, retain, false, id, payload, off, len);
        return sendInflight(slot, id, qos, frameLength);
    }

    /** Publishes to a topic encoded once ({@code topicUtf8[topicOff..topicOff+topicLen)}, already validated). */
    public int publish(byte[] topicUtf8, int topicOff, int topicLen, byte[] payload, int off, int len, int qos,
                       boolean retain) throws IOException, MqttException {
        requirePublishable(qos);
        checkPublishArguments(payload, off, len, qos);
        int frameLength = checkFits(PublishEncoder.length(topicLen, qos, len), null, len);
        if (qos == 0) {
            send(tx, 0, PublishEncoder.encode(tx, 0, topicUtf8, topicOff, topicLen, 0, retain, false, 0, payload, off, len));
            return 0;
        }
        if (store.queues()) {
            return queue(PublishEncoder.encode(tx, 0, topicUtf8, topicOff, topicLen, qos, retain, false, 0, payload, off,
                    len));
        }
        int slot = acquireSlot();
        int id = nextPacketId();
        int at = store.offset(slot);
        PublishEncoder.encode(store.array(), at, topicUtf8, topicOff, topicLen, qos, retain, false, id, payload, off, len);
        return sendInflight(slot, id, qos, frameLength);
    }

    /**
     * Journal mode: the frame in {@link #tx} (packet id 0) waits behind the messages already queued, then the
     * window takes from the queue in order. Never blocks on a full window or a full journal (the journal drops
     * its oldest waiting message and the listener hears of it).
     *
     * @return the packet id when the message went into the window at once, else 0 (it waits in the journal)
     */
    private int queue(int frameLength) throws MqttException {
        long droppedBefore = store.droppedCount();
        store.enqueue(tx, 0, frameLength);
        long dropped = store.droppedCount() - droppedBefore;
        if (dropped > 0) {
            callbackDepth++;
            try {
                listener.onMessagesDropped((int) dropped, store.droppedCount());
            } finally {
                callbackDepth--;
            }
        }
        int id;
        try {
            id = pump();
        } catch (MqttException lost) {
            if (!config.automaticReconnect() || state == CONNECTED || state == CLOSED) {
                throw lost;
            }
            scheduleReconnect(lost); // the message is in the journal: the reconnect sends it
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
    private int pump() throws MqttException {
        int id = 0;
        while (state == CONNECTED && store.queuedCount() > 0) {
            int slot = inflight.freeSlot();
            if (slot < 0) {
                break;
            }
            int length = store.takeInto(slot);
            byte[] frames = store.array();
            int off = store.offset(slot);
            int qos = (frames[off] >> 1) & 3;
            int persisted = store.persistedPacketId(slot);
            boolean resend = persisted != 0 && sessionPresent && inflight.find(persisted) < 0;
            id = resend ? persisted : nextPacketId();
            int idAt = packetIdOffset(frames, off);
            frames[idAt] = (byte) (id >> 8);
            frames[idAt + 1] = (byte) id;
            if (resend && qos == 2 && store.persistedReleased(slot)) {
                inflight.occupy(slot, id, InflightTable.AWAIT_PUBCOMP);
                store.stored(slot, id, length);
                store.released(slot);
                sendAck(PacketType.PUBREL, id);
                continue;
            }
            frames[off] = (byte) (resend ? frames[off] | DUP_FLAG : frames[off] & ~DUP_FLAG); // [MQTT-3.3.1-1]
            inflight.occupy(slot, id, qos == 1 ? InflightTable.AWAIT_PUBACK : InflightTable.AWAIT_PUBREC);
            store.stored(slot, id, length);
            send(frames, off, length);
        }
        return id;
    }

    /** Where the packet identifier of the QoS 1/2 PUBLISH frame at {@code off} is (MQTT 3.1.1 §3.3.2). */
    private static int packetIdOffset(byte[] frame, int off) {
        int pos = off + 1;
        while ((frame[pos++] & 0x80) != 0) {
            // remaining length continuation bytes (§2.2.3)
        }
        int topicLength = ((frame[pos] & 0xFF) << 8) | (frame[pos + 1] & 0xFF);
        return pos + 2 + topicLength;
    }

    private int sendInflight(int slot, int id, int qos, int frameLength) throws MqttException {
        inflight.occupy(slot, id, qos == 1 ? InflightTable.AWAIT_PUBACK : InflightTable.AWAIT_PUBREC);
        store.stored(slot, id, frameLength);
        // Stored before sending: if the write fails the message stays in the window for the next connect.
        if (state == CONNECTED) {
            try {
                send(store.array(), store.offset(slot), frameLength);
            } catch (MqttException lost) {
                if (!config.automaticReconnect()) {
                    throw lost;
                }
                scheduleReconnect(lost); // the message is in the window: the reconnect re-sends it
            }
        } // else queued offline: the next connect sends it with the rest of the window
        return id;
    }

    private static void checkPublishArguments(byte[] payload, int off, int len, int qos) {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos " + qos + " not in 0..2");
        }
        if (payload == null) {
            throw new IllegalArgumentException("payload is null");
        }
        if (off < 0 || len < 0 || off > payload.length - len) {
            throw new IllegalArgumentException("payload range off " + off + " len " + len
                    + " outside an array of " + payload.length);
        }
    }

    private int checkFits(int frameLength, CharSequence topic, int payloadLength) throws MqttException {
        if (frameLength > tx.length) {
            throw new MqttException(Reason.PACKET_TOO_LARGE, "PUBLISH of " + frameLength + " bytes (payload "
                    + payloadLength + " bytes" + (topic == null ? "" : ", topic \"" + topic + "\"")
                    + ") > transmitBufferBytes " + tx.length);
        }
        return frameLength;
    }

    /** A free window slot; when the window is full, drives the receive loop until one frees or the timeout. */
    private int acquireSlot() throws IOException, MqttException {
        int slot = inflight.freeSlot();
        if (slot >= 0) {
            return slot;
        }
        if (state != CONNECTED) {
            throw windowFullWhileDisconnected();
        }
        if (callbackDepth > 0) {
            throw new MqttException(Reason.INFLIGHT_WINDOW_FULL, "in-flight window of " + inflight.capacity()
                    + " messages is full and publish was called from a message handler or listener callback, which"
                    + " cannot wait for acks");
        }
        long deadline = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.operationTimeoutMillis());
        while (true) {
            if (config.automaticReconnect()) {
                pollReconnecting(waitMillis(deadline)); // a lost connection is scheduled for reconnect, not thrown
                requireNotEndedByCaller("publish waiting for a window slot");
                if (state != CONNECTED && inflight.freeSlot() < 0) {
                    throw windowFullWhileDisconnected(); // never block the caller while there is no connection
                }
            } else {
                service(waitMillis(deadline));
                requireStillConnected("publish waiting for a window slot");
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

    /** Subscribes {@code filter} at {@code qos}; waits for SUBACK; returns the granted QoS (MQTT 3.1.1 §3.8, §3.9). */
    public int subscribe(CharSequence filter, int qos, MessageHandler handler) throws IOException, MqttException {
        requireOperational("subscribe");
        requireNotInHandler("subscribe");
        checkFilter(filter);
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos " + qos + " not in 0..2");
        }
        if (handler == null) {
            throw new IllegalArgumentException("handler is null");
        }
        oneFilter[0] = filter;
        oneQos[0] = qos;
        int length = SubscribeEncoder.length(oneFilter, 1);
        checkControlFits("SUBSCRIBE", length, filter);
        int existing = subscriptions.indexOf(filter);
        refusedSubscribeHandler = existing < 0 ? null : subscriptions.handler(existing);
        refusedSubscribeQos = existing < 0 ? 0 : subscriptions.qos(existing);
        // Registered before SUBSCRIBE goes out: retained messages follow the SUBACK in the same read.
        if (!subscriptions.put(filter, handler, qos)) {
            throw new MqttException(Reason.SUBSCRIPTION_TABLE_FULL, "cannot subscribe \"" + filter
                    + "\": maxSubscriptions " + subscriptions.capacity() + " filters already subscribed");
        }
        int id = nextPacketId();
        send(tx, 0, SubscribeEncoder.encode(tx, 0, id, oneFilter, oneQos, 1));
        int granted = awaitPending(PacketType.SUBACK, id);
        if (granted == 0x80) {
            throw new MqttException(Reason.SUBSCRIBE_REFUSED, "server refused subscription to \"" + filter
                    + "\" at qos " + qos + " (SUBACK return code 0x80)");
        }
        return granted;
    }

    /** Unsubscribes {@code filter}; waits for UNSUBACK (MQTT 3.1.1 §3.10, §3.11), then drops its handler. */
    public void unsubscribe(CharSequence filter) throws IOException, MqttException {
        requireOperational("unsubscribe");
        requireNotInHandler("unsubscribe");
        checkFilter(filter);
        oneFilter[0] = filter;
        checkControlFits("UNSUBSCRIBE", UnsubscribeEncoder.length(oneFilter, 1), filter);
        int id = nextPacketId();
        send(tx, 0, UnsubscribeEncoder.encode(tx, 0, id, oneFilter, 1));
        awaitPending(PacketType.UNSUBACK, id); // the handler goes when UNSUBACK arrives, before later packets
    }

    private static void checkFilter(CharSequence filter) {
        if (filter == null) {
            throw new IllegalArgumentException("topic filter is null");
        }
        int status = Topics.validateFilter(filter);
        if (status != CodecStatus.OK) {
            throw new IllegalArgumentException("topic filter \"" + filter + "\": " + CodecStatus.describe(status));
        }
    }

    private void checkControlFits(String what, int length, CharSequence filter) throws MqttException {
        if (length > tx.length) {
            throw new MqttException(Reason.PACKET_TOO_LARGE, what + " of " + length + " bytes for \"" + filter
                    + "\" > transmitBufferBytes " + tx.length);
        }
    }

    private int awaitPending(int ackType, int id) throws IOException, MqttException {
        pendingAckType = ackType;
        pendingId = id;
        pendingDone = false;
        long deadline = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.operationTimeoutMillis());
        try {
            while (!pendingDone) {
                if (deadline - clock.nanoTime() <= 0) {
                    throw new MqttException(Reason.OPERATION_TIMEOUT, "no " + PacketType.name(ackType)
                            + " for packet id " + id + " within operationTimeoutMillis " + config.operationTimeoutMillis());
                }
                service(waitMillis(deadline));
                requireStillConnected(PacketType.name(ackType) + " wait");
            }
            return pendingResult;
        } finally {
            pendingAckType = 0;
        }
    }

    /** Sets the handler for messages that no subscription's handler takes (null: count them as unhandled). */
    public void setDefaultHandler(MessageHandler handler) {
        this.defaultHandler = handler;
    }

    /**
     * Waits up to {@code timeoutMillis} for packets, handles all that arrived, answers acks, keeps alive.
     *
     * @return packets handled (0 when the time passed without any)
     */
    public int poll(long timeoutMillis) throws IOException, MqttException {
        if (config.automaticReconnect() && state != CLOSED) {
            return pollReconnecting(timeoutMillis);
        }
        requireOperational("poll");
        requireNotInHandler("poll");
        if (timeoutMillis < 0) {
            throw new IllegalArgumentException("timeoutMillis " + timeoutMillis + " < 0");
        }
        long deadline = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            int handled = service(waitMillis(deadline));
            if (handled > 0 || deadline - clock.nanoTime() <= 0) {
                return handled;
            }
        }
    }

    /**
     * {@link #poll} with automatic reconnect: while connected, as usual, except that a lost connection is not
     * thrown (the listener heard {@code onConnectionLost}) but schedules a reconnect after the next backoff delay;
     * while disconnected, waits for the next attempt (at most until the timeout) and makes it. A failed attempt
     * is reported to {@link dev.wren.mqtt.MqttListener#onReconnectScheduled} and never thrown. Still no thread:
     * this call is the only place attempts happen.
     */
    private int pollReconnecting(long timeoutMillis) throws IOException, MqttException {
        requireNotInHandler("poll");
        if (timeoutMillis < 0) {
            throw new IllegalArgumentException("timeoutMillis " + timeoutMillis + " < 0");
        }
        long deadline = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        // A second bound in real time, so an injected clock that does not move cannot make this wait forever.
        long realDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            requireNotEndedByCaller("poll");
            if (state == CONNECTED) {
                try {
                    int handled = service(waitMillis(deadline));
                    if (handled > 0 || deadline - clock.nanoTime() <= 0) {
                        return handled;
                    }
                } catch (MqttException e) {
                    if (state == CONNECTED || state == CLOSED) {
                        throw e; // not a lost connection (e.g. a window timeout): the caller's business
                    }
                    scheduleReconnect(e);
                }
                continue;
            }
            store.maintain();
            long now = clock.nanoTime();
            if (now - nextAttemptNanos >= 0) {
                attemptReconnect();
                continue;
            }
            long waitNanos = Math.min(deadline - now, nextAttemptNanos - now);
            if (waitNanos <= 0 || System.nanoTime() - realDeadline >= 0) {
                return 0;
            }
            LockSupport.parkNanos(Math.min(waitNanos, realDeadline - System.nanoTime()));
        }
    }

    /** One reconnect attempt: connect (resolving the host again, within connectTimeoutMillis), else back off. */
    private void attemptReconnect() throws MqttException {
        try {
            connect();
        } catch (IOException | MqttException e) {
            if (state == CLOSED) {
                throw e instanceof MqttException ? (MqttException) e
                        : new MqttException(Reason.CONNECTION_LOST, e.getMessage(), e);
            }
            if (state == CONNECTED) {
                closeTransport(); // connected, then resubscribing failed: start over later
                state = DISCONNECTED;
            }
            scheduleReconnect(e);
        }
    }

    private void scheduleReconnect(Exception cause) {
        long delay = backoff.failed();
        nextAttemptNanos = clock.nanoTime() + delay;
        callbackDepth++;
        try {
            listener.onReconnectScheduled(cause, backoff.failures(), TimeUnit.NANOSECONDS.toMillis(delay));
        } finally {
            callbackDepth--;
        }
    }

    /** Drives the receive loop until no QoS 1/2 message is in flight; false if some still are after the timeout. */
    public boolean awaitInflight(long timeoutMillis) throws IOException, MqttException {
        if (config.automaticReconnect() && state != CLOSED) {
            requireNotInHandler("awaitInflight");
            long deadline = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            long realDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (inflight.count() > 0 || store.queuedCount() > 0) {
                long left = Math.min(deadline - clock.nanoTime(), realDeadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                pollReconnecting(ceilMillis(left));
            }
            return true;
        }
        requireOperational("awaitInflight");
        requireNotInHandler("awaitInflight");
        if (timeoutMillis < 0) {
            throw new IllegalArgumentException("timeoutMillis " + timeoutMillis + " < 0");
        }
        long deadline = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (inflight.count() > 0 || store.queuedCount() > 0) {
            if (deadline - clock.nanoTime() <= 0) {
                return false;
            }
            service(waitMillis(deadline));
            requireStillConnected("awaitInflight");
        }
        return true;
    }

    /** Outgoing QoS 1/2 messages not yet completed (kept across connections). */
    public int inflightCount() {
        return inflight.count();
    }

    /** Outgoing QoS 1/2 messages waiting in the journal beyond the window (0 without a journal). */
    public int queuedCount() {
        return store.queuedCount();
    }

    /** Messages the journal dropped when full, oldest waiting first, since construction. */
    public long droppedCount() {
        return store.droppedCount();
    }

    /** True while connected. */
    public boolean isConnected() {
        return state == CONNECTED;
    }

    /** Incoming PUBLISH packets larger than the receive buffer, drained and acknowledged since construction. */
    public long oversizeMessageCount() {
        return oversizeMessages;
    }

    /** Incoming messages that no handler took (no matching filter and no default handler). */
    public long unhandledMessageCount() {
        return unhandledMessages;
    }

    /**
     * Sends DISCONNECT, waits for the server to close (at most operationTimeoutMillis), and closes the connection
     * [MQTT-3.14.4-1]; the server discards the will. No-op unless connected. Ends disconnected in every case.
     *
     * @throws IOException the DISCONNECT write failed (a socket error, so not wrapped in {@link MqttException}): the
     *                     connection is closed all the same, but the server may publish the will
     */
    public void disconnect() throws IOException {
        if (state != CONNECTED) {
            return;
        }
        state = DISCONNECTED;
        disconnectRequested = true;
        try {
            try {
                if (acksLength > 0) { // called from a handler: the acks of the packets handled before it
                    transport.write(acks, 0, acksLength);
                    acksLength = 0;
                }
                transport.write(tx, 0, EmptyPacketEncoder.encode(tx, 0, PacketType.DISCONNECT));
            } catch (IOException e) {
                throw new IOException("DISCONNECT not sent to " + config.host() + ":" + config.port() + ": "
                        + e.getMessage() + "; the connection is closed, and the server may publish the will", e);
            }
            awaitServerClose();
        } finally {
            closeTransport();
        }
    }

    /**
     * Waits (at most operationTimeoutMillis) for the server to close its side after DISCONNECT, discarding anything
     * still arriving. A server that handles DISCONNECT and the socket's end concurrently could otherwise see the end
     * first and publish the will (seen with Moquette 0.17). The discarded bytes go into the transmit buffer, free
     * once DISCONNECT is written: the receive buffer may hold the message a handler calling disconnect is reading.
     */
    private void awaitServerClose() {
        long deadline = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.operationTimeoutMillis());
        try {
            while (deadline - clock.nanoTime() > 0) {
                if (transport.read(tx, 0, tx.length, waitMillis(deadline)) < 0) {
                    return;
                }
            }
        } catch (IOException ignored) {
            // The connection ended: that is what we were waiting for.
        }
    }

    /** Closes the connection without DISCONNECT (the server publishes the will); terminal; idempotent. */
    public void close() {
        if (state == CLOSED) {
            return;
        }
        flushAcksQuietly(); // called from a handler: the acks of the packets handled before it, as before the batching
        state = CLOSED;
        try {
            closeTransport();
        } finally {
            store.close(); // the journal: forces what is unforced and releases the file
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // The receive loop

    /**
     * One round: handles every complete packet already buffered or readable without waiting; if there was none,
     * keep-alive, then waits up to {@code waitMillis} (shortened to the next keep-alive deadline) for a packet and
     * handles every complete packet that is then buffered or readable. Keep-alive is judged only after reading what
     * has arrived: a PINGRESP in it answers the ping, however late this round comes.
     */
    private int service(int waitMillis) throws IOException, MqttException {
        int handled = handleFrames(0);
        if (handled == 0 && state == CONNECTED) {
            keepAlive(true);
            long untilKeepAlive = KeepAlive.nanosUntilDue(clock.nanoTime(), quietSinceNanos(), keepAliveNanos,
                    pingOutstanding, pingSentNanos, pingTimeoutNanos);
            handled = handleFrames((int) Math.min(waitMillis, ceilMillis(untilKeepAlive)));
        }
        if (state == CONNECTED) {
            pump(); // acks may have freed window slots for messages waiting in the journal
            // After a full round more packets may wait (a PINGRESP among them): the next round judges the timeout.
            keepAlive(handled < MAX_PACKETS_PER_SERVICE);
        }
        if (state != CLOSED) {
            store.maintain(); // a handler may have closed the client, and with it the journal
        }
        return handled;
    }

    /** Handles up to {@link #MAX_PACKETS_PER_SERVICE} packets, waiting up to {@code waitMillis} for the first. */
    private int handleFrames(int waitMillis) throws MqttException {
        int handled = 0;
        try {
            while (handled < MAX_PACKETS_PER_SERVICE && state == CONNECTED && readFrame(handled == 0 ? waitMillis : 0)) {
                dispatch();
                handled++;
            }
        } catch (RuntimeException | Error e) {
            flushAcksQuietly(); // the acks of the packets handled before the one that failed still go out
            throw e;
        }
        flushAcks();
        return handled;
    }

    /**
     * Since when the connection counts as quiet for keep-alive: the last send [MQTT-3.1.2-23]; but while an answer
     * is awaited (a QoS 1/2 message in flight, a SUBACK/UNSUBACK) the older of the last send and the last receive,
     * so that a client publishing into a dead route (sending, never receiving) still probes it with PINGREQ and
     * notices within 1.5 keep-alive intervals.
     */
    private long quietSinceNanos() {
        boolean awaiting = inflight.count() > 0 || pendingAckType != 0;
        return awaiting && lastReceivedNanos - lastSentNanos < 0 ? lastReceivedNanos : lastSentNanos;
    }

    /** Sends PINGREQ when due; with {@code mayTimeOut}, fails when the PINGRESP is overdue. */
    private void keepAlive(boolean mayTimeOut) throws MqttException {
        long now = clock.nanoTime();
        switch (KeepAlive.due(now, quietSinceNanos(), keepAliveNanos, pingOutstanding, pingSentNanos, pingTimeoutNanos)) {
            case KeepAlive.SEND_PINGREQ:
                send(tx, 0, EmptyPacketEncoder.encode(tx, 0, PacketType.PINGREQ));
                pingOutstanding = true;
                pingSentNanos = now;
                break;
            case KeepAlive.TIMED_OUT:
                if (!mayTimeOut) {
                    break;
                }
                throw fail(Reason.KEEP_ALIVE_TIMEOUT, "no PINGRESP within " + TimeUnit.NANOSECONDS.toMillis(pingTimeoutNanos)
                        + " ms of PINGREQ (keepAliveSeconds " + config.keepAliveSeconds() + ")", "", null);
            default:
                break;
        }
    }

    /**
     * Buffers bytes until one whole packet starts at {@code rxStart} (fixed header decoded into {@link #header}).
     * A PUBLISH larger than the receive buffer is drained and acknowledged on the way.
     *
     * @param waitMillis how long to wait in all, however many partial reads come in between (one deadline)
     * @return true when a packet is ready, false when none was complete within {@code waitMillis}
     */
    private boolean readFrame(int waitMillis) throws MqttException {
        long deadline = waitMillis == 0 ? 0 : clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        while (true) {
            int available = rxEnd - rxStart;
            if (state != CONNECTED && available > 0 && rx[rxStart] == TLS_ALERT_RECORD) {
                throw fail(Reason.CONNECTION_LOST, "server answered CONNECT with a TLS alert record, not MQTT"
                        + tlsPortHint(), "", null);
            }
            int status = header.decode(rx, rxStart, available);
            if (status == CodecStatus.OK) {
                if (state != CONNECTED && header.type() != PacketType.CONNACK) {
                    throw fail(Reason.PROTOCOL_VIOLATION, "first packet from the server is "
                            + PacketType.name(header.type()) + ", not CONNACK [MQTT-3.2.0-1]", "MQTT-3.2.0-1", null);
                }
                int allowed = FrameHeader.checkServerToClient(header.type());
                if (allowed != CodecStatus.OK) {
                    throw violation(allowed, PacketType.name(header.type()) + " from the server");
                }
                int frameLength = header.frameLength();
                if (frameLength <= available) {
                    return true;
                }
                if (frameLength > rx.length || frameLength < 0) {
                    drainOversize();
                    if (state != CONNECTED) {
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
                throw violation(status, "fixed header");
            }
            if (receive(waitMillis == 0 ? 0 : waitMillis(deadline)) == 0) {
                return false;
            }
        }
    }

    /** Reads into the free end of the receive buffer; returns bytes read, 0 on timeout; fails at end of stream. */
    private int receive(int waitMillis) throws MqttException {
        if (waitMillis > 0) {
            flushAcks();
        }
        int n;
        try {
            n = transport.read(rx, rxEnd, rx.length - rxEnd, waitMillis);
        } catch (IOException e) {
            throw fail(Reason.CONNECTION_LOST, "read failed: " + e.getMessage() + tlsPortHint(), "", e);
        }
        if (n < 0) {
            throw fail(Reason.CONNECTION_LOST, "server closed the connection (end of stream)" + tlsPortHint(), "", null);
        }
        rxEnd += n;
        if (n > 0) {
            lastReceivedNanos = clock.nanoTime();
        }
        return n;
    }

    /**
     * A plain-TCP client at a TLS port gets a TLS alert, a reset or the end of stream instead of CONNACK:
     * say so while connecting (empty once connected, or when the transport is already TLS).
     */
    private String tlsPortHint() {
        if (state == CONNECTED || config.transportFactory() instanceof TlsTransportFactory) {
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

    private void consumeFrame() {
        rxStart += header.frameLength();
        if (rxStart == rxEnd) {
            rxStart = 0;
            rxEnd = 0;
        }
    }

    /**
     * Consumes the complete packet at {@code rxStart}, then handles it. Consumed first, so that whatever escapes
     * the handling (an {@link Error} from a handler, an exception from a listener) leaves the stream in step: the
     * next poll goes on with the next packet. Its bytes stay in place while it is handled: nothing reads into the
     * receive buffer from inside a handler or listener.
     */
    private void dispatch() throws MqttException {
        int type = header.type();
        int body = rxStart + header.headerLength();
        int length = header.remainingLength();
        consumeFrame();
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
                pingOutstanding = false;
                break;
            case PacketType.CONNACK:
                throw fail(Reason.PROTOCOL_VIOLATION, "second CONNACK on one connection", "", null);
            default:
                throw fail(Reason.PROTOCOL_VIOLATION, "unexpected " + PacketType.name(type) + " from the server", "", null);
        }
    }

    private void onPublish(int body, int length, int flags) throws MqttException {
        int status = publish.decode(rx, body, length, flags);
        if (status != CodecStatus.OK) {
            throw violation(status, "PUBLISH");
        }
        int qos = publish.qos();
        int id = publish.packetId();
        if (qos == 2) {
            if (incomingQos2.contains(id)) {
                queueAck(PacketType.PUBREC, id); // re-sent before our PUBREC arrived: not delivered again [MQTT-4.3.3-2]
                return;
            }
            if (!incomingQos2.add(id)) {
                throw fail(Reason.INCOMING_QOS2_TABLE_FULL, "QoS 2 PUBLISH id " + id + " while maxIncomingQos2 "
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
        if (state != CONNECTED) {
            return; // a handler closed the client: the server re-sends what was not acknowledged
        }
        if (qos == 1) {
            queueAck(PacketType.PUBACK, id);
        } else if (qos == 2) {
            queueAck(PacketType.PUBREC, id);
        }
    }

    private void deliver() {
        callbackDepth++;
        try {
            boolean taken = false;
            byte[] buf = publish.buffer();
            int topicOff = publish.topicOffset();
            int topicLen = publish.topicLength();
            for (int i = 0; i < subscriptions.count() && state == CONNECTED; i++) {
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
            callbackDepth--;
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
            throw violation(status, PacketType.name(type));
        }
        int id = ack.packetId();
        int slot = inflight.find(id);
        if (slot < 0) {
            if (type == PacketType.PUBREC) {
                queueAck(PacketType.PUBREL, id); // let the server finish an exchange this client no longer holds
            }
            return; // a late duplicate PUBACK/PUBCOMP for a completed message
        }
        byte current = inflight.state(slot);
        byte next = InflightTable.next(current, type);
        if (next == InflightTable.INVALID) {
            String rule = current == InflightTable.AWAIT_PUBACK ? "MQTT-4.3.2-1" : "MQTT-4.3.3-1";
            throw fail(Reason.PROTOCOL_VIOLATION, PacketType.name(type) + " for packet id " + id + " in state "
                    + InflightTable.stateName(current) + " [" + rule + "]", rule, null);
        }
        if (next == InflightTable.FREE) {
            inflight.set(slot, InflightTable.FREE);
            store.removed(slot);
            callbackDepth++;
            try {
                listener.onPublishComplete(id);
            } finally {
                callbackDepth--;
            }
        } else {
            inflight.set(slot, next);
            store.released(slot);
            queueAck(PacketType.PUBREL, id);
        }
    }

    private void onPubrel(int body, int length) throws MqttException {
        int status = ack.decode(rx, body, length);
        if (status != CodecStatus.OK) {
            throw violation(status, "PUBREL");
        }
        int id = ack.packetId();
        incomingQos2.remove(id);
        queueAck(PacketType.PUBCOMP, id); // also for an unknown id, so the server can complete (§4.3.3)
    }

    private void onSuback(int body, int length) throws MqttException {
        int status = suback.decode(rx, body, length);
        if (status != CodecStatus.OK) {
            throw violation(status, "SUBACK");
        }
        if (pendingAckType == PacketType.SUBACK && suback.packetId() == pendingId) {
            if (suback.count() != 1) {
                throw fail(Reason.PROTOCOL_VIOLATION, "SUBACK with " + suback.count()
                        + " return codes for a SUBSCRIBE of 1 filter [MQTT-3.8.4-5]", "MQTT-3.8.4-5", null);
            }
            pendingResult = suback.returnCode(0);
            pendingDone = true;
            if (pendingResult == 0x80) {
                // Undone here, before the packets behind the SUBACK are delivered: the server kept what it had.
                if (refusedSubscribeHandler == null) {
                    subscriptions.remove(oneFilter[0]);
                } else {
                    subscriptions.put(oneFilter[0], refusedSubscribeHandler, refusedSubscribeQos);
                }
            }
        }
    }

    private void onUnsuback(int body, int length) throws MqttException {
        int status = ack.decode(rx, body, length);
        if (status != CodecStatus.OK) {
            throw violation(status, "UNSUBACK");
        }
        if (pendingAckType == PacketType.UNSUBACK && ack.packetId() == pendingId) {
            subscriptions.remove(oneFilter[0]);
            pendingResult = 0;
            pendingDone = true;
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
            throw fail(Reason.PACKET_TOO_LARGE, PacketType.name(type) + " of " + frameLength
                    + " bytes > receiveBufferBytes " + rx.length, "", null);
        }
        int flags = header.flags();
        int headerLength = header.headerLength();
        int qos = (flags >> 1) & 3;
        if (qos == 3) {
            throw violation(CodecStatus.INVALID_QOS, "PUBLISH of " + frameLength + " bytes");
        }
        if (qos == 0 && (flags & DUP_FLAG) != 0) {
            throw violation(CodecStatus.DUP_ON_QOS0, "PUBLISH of " + frameLength + " bytes");
        }
        drainDeadline = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.operationTimeoutMillis());
        drainedBytes = Math.min(rxEnd - rxStart, frameLength);
        compact();
        fill(headerLength + 2, frameLength);
        int topicLength = ((rx[headerLength] & 0xFF) << 8) | (rx[headerLength + 1] & 0xFF);
        int prefix = headerLength + 2 + topicLength + (qos > 0 ? 2 : 0);
        if (prefix > frameLength) {
            throw fail(Reason.PROTOCOL_VIOLATION, "PUBLISH topic length " + topicLength + " exceeds remaining length "
                    + header.remainingLength() + " [MQTT-1.5.3-1]", "MQTT-1.5.3-1", null);
        }
        CharSequence topic;
        int id;
        if (prefix <= rx.length) {
            fill(prefix, frameLength);
            int status = publish.decode(rx, headerLength, prefix - headerLength, flags);
            if (status != CodecStatus.OK) {
                throw violation(status, "PUBLISH");
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
                    throw violation(CodecStatus.PACKET_ID_ZERO, "PUBLISH at qos " + qos);
                }
            }
        }
        boolean repeat = qos == 2 && incomingQos2.contains(id);
        Throwable listenerFailure = null;
        if (!repeat) {
            oversizeMessages++;
            callbackDepth++;
            try {
                listener.onOversizeMessage(topic, frameLength, qos);
            } catch (RuntimeException | Error e) {
                listenerFailure = e; // thrown once the packet is drained: the stream must stay in step
            } finally {
                callbackDepth--;
            }
            if (state != CONNECTED) {
                return; // the listener disconnected or closed: the rest of the packet goes with the connection
            }
        }
        skip(frameLength - prefix, frameLength);
        if (qos == 1) {
            sendAck(PacketType.PUBACK, id);
        } else if (qos == 2) {
            if (!repeat && !incomingQos2.add(id)) {
                throw fail(Reason.INCOMING_QOS2_TABLE_FULL, "QoS 2 PUBLISH id " + id + " while maxIncomingQos2 "
                        + incomingQos2.capacity() + " messages await PUBREL", "", null);
            }
            sendAck(PacketType.PUBREC, id);
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
                throw violation(status, "PUBLISH topic name of " + topicLength + " bytes");
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
        int n = receive(waitMillis(drainDeadline));
        long now = clock.nanoTime();
        if (n > 0) {
            drainedBytes += n;
            drainDeadline = now + TimeUnit.MILLISECONDS.toNanos(config.operationTimeoutMillis());
        } else if (drainDeadline - now <= 0) {
            throw fail(Reason.CONNECTION_LOST, "server sent no byte for operationTimeoutMillis "
                    + config.operationTimeoutMillis() + " inside a PUBLISH larger than the receive buffer, after "
                    + Math.min(drainedBytes, frameLength) + " of the " + frameLength + " bytes", "", null);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Sending, failure, helpers

    private void sendAck(int type, int id) throws MqttException {
        send(tx, 0, AckEncoder.encode(tx, 0, type, id));
    }

    /** An ack from the receive path: goes out with the others of this pass (see {@link #acks}). */
    private void queueAck(int type, int id) throws MqttException {
        if (acksLength + ACK_BYTES > acks.length) {
            flushAcks();
        }
        acksLength += AckEncoder.encode(acks, acksLength, type, id);
    }

    private void flushAcks() throws MqttException {
        if (state != CONNECTED) {
            acksLength = 0; // nothing can be written; disconnect and close sent them while they could
            return;
        }
        if (acksLength == 0) {
            return;
        }
        int length = acksLength;
        acksLength = 0;
        write(acks, 0, length);
    }

    /** {@link #flushAcks} while something else is already being thrown: a lost connection is reported, not thrown. */
    private void flushAcksQuietly() {
        try {
            flushAcks();
        } catch (MqttException lost) {
            // fail() closed the connection and told the listener; the exception in flight matters more
        }
    }

    private void send(byte[] buf, int off, int len) throws MqttException {
        flushAcks(); // acks produced earlier go first
        write(buf, off, len);
    }

    private void write(byte[] buf, int off, int len) throws MqttException {
        try {
            transport.write(buf, off, len);
        } catch (IOException e) {
            throw fail(Reason.CONNECTION_LOST, "write failed: " + e.getMessage(), "", e);
        }
        lastSentNanos = clock.nanoTime();
    }

    /**
     * Ends the connection: closes the socket, tells the listener if the connection had been accepted, and returns
     * the exception for the caller to throw. The in-flight window is kept for the next connect.
     */
    private MqttException fail(Reason reason, String text, String ruleId, Throwable cause) {
        boolean wasConnected = state == CONNECTED;
        closeTransport();
        if (state != CLOSED) {
            state = DISCONNECTED;
        }
        pingOutstanding = false;
        rxStart = 0;
        rxEnd = 0;
        acksLength = 0; // the server re-sends what they acknowledged
        MqttException e = new MqttException(reason, text, ruleId, cause);
        lastFailure = e;
        if (wasConnected) {
            callbackDepth++;
            try {
                listener.onConnectionLost(e);
            } finally {
                callbackDepth--;
            }
        }
        return e;
    }

    /** The server broke a rule the codec detected [MQTT-4.8.0-1]: close, naming the rule. */
    private MqttException violation(int status, String what) {
        return fail(Reason.PROTOCOL_VIOLATION, what + ": " + CodecStatus.describe(status), CodecStatus.ruleId(status), null);
    }

    private void closeTransport() {
        if (transport != null) {
            transport.close();
        }
    }

    private int nextPacketId() {
        int id = lastPacketId;
        do {
            id = id == 65535 ? 1 : id + 1;
        } while (inflight.find(id) >= 0 || (pendingAckType != 0 && id == pendingId)); // at most 65001 in use
        lastPacketId = id;
        return id;
    }

    private void requireOperational(String operation) throws MqttException {
        if (state == CONNECTED) {
            return;
        }
        if (state == NEW || state == CLOSED) {
            throw new IllegalStateException(operation + " in state " + STATE_NAMES[state]
                    + (state == NEW ? ": call connect first" : ": the client is closed"));
        }
        throw new MqttException(Reason.NOT_CONNECTED, operation + " while disconnected: call connect again");
    }

    /**
     * For a loop that drives the receive path while it waits (a window slot, acks, SUBACK/UNSUBACK): a handler or
     * listener may have ended the session during the round just run. Waiting on would spin until the timeout, so
     * stop at once, saying how the session ended.
     *
     * @throws IllegalStateException {@link #close()} was called
     * @throws MqttException {@code NOT_CONNECTED} after {@link #disconnect()}; otherwise the reason of the failure
     *                       that ended the connection (a handler caught it), with that failure as cause
     */
    private void requireStillConnected(String operation) throws MqttException {
        if (state == CONNECTED) {
            return;
        }
        requireNotEndedByCaller(operation);
        MqttException cause = lastFailure;
        if (cause == null) {
            throw new MqttException(Reason.NOT_CONNECTED, operation + " ended: the connection ended while it waited");
        }
        throw new MqttException(cause.reason(), operation + " ended: the connection ended while it waited: "
                + cause.getMessage(), cause.ruleId(), cause);
    }

    /** As {@link #requireStillConnected} for {@link #close()} and {@link #disconnect()} only (automatic reconnect). */
    private void requireNotEndedByCaller(String operation) throws MqttException {
        if (state == CLOSED) {
            throw new IllegalStateException(operation + " ended: the client was closed (close() called from a handler"
                    + " or listener, or before)");
        }
        if (state != CONNECTED && disconnectRequested) {
            throw new MqttException(Reason.NOT_CONNECTED, operation + " ended: the client was disconnected by"
                    + " disconnect() (from a handler or listener, or before); call connect again");
        }
    }

    /**
     * Publishing at QoS 1/2 works while disconnected (also before the first connect) when the client queues
     * offline: with automatic reconnect or a journal. QoS 0 is never queued.
     */
    private void requirePublishable(int qos) throws MqttException {
        if (state == CONNECTED) {
            return;
        }
        if (qos > 0 && (state == DISCONNECTED || state == NEW) && (config.automaticReconnect() || store.queues())) {
            return;
        }
        requireOperational("publish");
    }

    private void requireNotInHandler(String operation) {
        if (callbackDepth > 0) {
            throw new IllegalStateException(operation + " from a message handler or listener callback: it would read"
                    + " packets while the packet being handled is still in the receive buffer");
        }
    }

    private int waitMillis(long deadline) {
        return (int) Math.min(Integer.MAX_VALUE, ceilMillis(deadline - clock.nanoTime()));
    }

    private static long ceilMillis(long nanos) {
        if (nanos <= 0) {
            return 0;
        }
        return nanos >= Long.MAX_VALUE - 999_999L ? Long.MAX_VALUE / 1_000_000L : (nanos + 999_999L) / 1_000_000L;
    }

    @Override
    public String toString() {
        return "Session[" + STATE_NAMES[state] + ", " + config.host() + ":" + config.port()
                + ", inflight " + inflight.count() + "/" + inflight.capacity() + "]";
    }
}
