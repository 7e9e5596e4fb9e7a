package dev.wren.mqtt.internal;

import dev.wren.mqtt.ConnackProperties;
import dev.wren.mqtt.MessageHandler;
import dev.wren.mqtt.MonotonicClock;
import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttConfig;
import dev.wren.mqtt.MqttException;
import dev.wren.mqtt.MqttException.Reason;
import dev.wren.mqtt.MqttListener;
import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.ConnackView;
import dev.wren.mqtt.codec.ConnectEncoder;
import dev.wren.mqtt.codec.ConnectFields;
import dev.wren.mqtt.codec.EmptyPacketEncoder;
import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.codec.PublishEncoder;
import dev.wren.mqtt.codec.PublishView;
import dev.wren.mqtt.codec.SubackView;
import dev.wren.mqtt.codec.SubscribeEncoder;
import dev.wren.mqtt.codec.Topics;
import dev.wren.mqtt.codec.UnsubscribeEncoder;
import dev.wren.mqtt.codec.Utf8;
import dev.wren.mqtt.codec.v5.PacketType5;
import dev.wren.mqtt.codec.v5.PropertiesWriter;
import dev.wren.mqtt.codec.v5.Property;
import dev.wren.mqtt.codec.v5.ReasonCode;
import dev.wren.mqtt.store.InflightStore;
import dev.wren.mqtt.transport.Transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * The MQTT 3.1.1 client session: a state machine over a {@link Transport}, driven entirely by the caller's
 * thread. Internal: users hold {@link dev.wren.mqtt.MqttClient}.
 *
 * <pre>
 *   NEW --startConnect: open, CONNECT--> CONNECTING --CONNACK (continueConnect)--> CONNECTED
 *                                          |  connectTimeoutMillis passed, refused         |
 *                                          v                                               v
 *   DISCONNECTED <----------------------------------- disconnect / connection lost / protocol violation
 *        +--startConnect--> CONNECTING ...
 *   any state --close--> CLOSED (terminal)
 * </pre>
 *
 * <p>{@link #connect()} is {@link #startConnect} and {@link #continueConnect} until CONNACK, blocking; the reconnect
 * layer ({@link AutoReconnect}) calls the two from its polls, so that the CONNACK wait keeps its state across them.
 *
 * <p>Memory: every buffer and table is allocated in the constructor. Once connected, publish, receive,
 * acknowledgements and pings allocate nothing. Two buffers: received packets are decoded in place in the receive
 * buffer (the {@link dev.wren.mqtt.MqttMessage} view points into it); everything sent is encoded into the
 * transmit buffer or, for QoS 1/2 PUBLISH, into its slot of the {@link InflightStore} — so a handler may publish
 * while its message is still being read.
 *
 * <p>This class alone changes the session's state: it owns the state, the transport, the operations, the receive
 * loop with keep-alive, the one waiting loop ({@link #await}), the one place user code runs ({@link #callback}), and
 * failure. Its parts never see it; they are functions of what they are given and return what happened:
 * <ul>
 *   <li>{@link FrameReader}: reads from the transport it is given and returns a status (a frame, the two events of
 *       an oversize PUBLISH, a timeout, a failure);</li>
 *   <li>{@link PacketDispatcher}: what each received packet does — delivery to handlers, acks, the awaited
 *       SUBACK/UNSUBACK — returned as an outcome (PINGRESP, the ack arrived, a failure);</li>
 *   <li>{@link WriteBatch}: the acks of one receive pass, and with write coalescing the publishes, written together
 *       through this session as a {@link Link};</li>
 *   <li>{@link OutgoingWindow}: the QoS 1/2 in-flight window as a table — a slot or full, packet ids, the journal
 *       queue, resume and re-send order.</li>
 *   <li>{@link AuthExchange}: MQTT 5.0 enhanced authentication — CONNECT's data, the AUTH answers, the CONNACK and
 *       re-authentication checks — returned as the frame to send or a failure.</li>
 * </ul>
 * Automatic reconnect is not here: it is the layer above, {@link AutoReconnect}, a session built to accept QoS 1/2
 * publishes and subscriptions while offline, which takes over connect, poll, awaitInflight and publish. Not final
 * for that layer only.
 */
class Session implements ClientSession, Link {

    static final int NEW = 0;
    static final int CONNECTED = 1;
    static final int DISCONNECTED = 2;
    static final int CLOSED = 3;
    /** CONNECT sent, CONNACK awaited until {@link #connectDeadline}. */
    static final int CONNECTING = 4;
    private static final String[] STATE_NAMES = {"NEW", "CONNECTED", "DISCONNECTED", "CLOSED", "CONNECTING"};

    /** Packets handled per {@link #service} call at most, so a flood cannot keep poll from returning. */
    private static final int MAX_PACKETS_PER_SERVICE = 256;

    final MqttConfig config;
    private final MqttListener listener;
    final MonotonicClock clock;

    private final byte[] tx;

    private final PublishView publish = new PublishView();
    private final ConnackView connack = new ConnackView();
    private final ConnectFields connectFields = new ConnectFields();
    private final CharSequence[] oneFilter = new CharSequence[1];
    private final int[] oneQos = new int[1];
    private final int[] oneCode = new int[1];
    /** The UNSUBACK reason codes of an unsubscribe whose caller gave no array (MQTT 5.0 §3.11.3), maxSubscriptions long. */
    private final int[] unsubackCodes;

    private final InflightTable inflight;
    private final InflightStore store;
    private final IncomingQos2Table incomingQos2;
    private final SubscriptionTable subscriptions;

    private final WriteBatch batch;
    private final FrameReader reader;
    private final PacketDispatcher dispatcher;
    private final OutgoingWindow window;
    /** Subscriptions and QoS 1/2 publishes are taken while not connected: a layer above reconnects. */
    private final boolean queueOffline;
    /** QoS 1/2 publishes are taken while not connected: {@link #queueOffline}, or a journal queues them. */
    private final boolean publishOffline;

    /** Why the reader or the dispatcher found that the connection must end. */
    private final Failure failure = new Failure();
    private Transport transport;
    private int state = NEW;
    /** Handlers and listener callbacks running now ({@link #callback}): they may publish, disconnect or close, not read packets. */
    private int callbackDepth;
    /** {@link #disconnect()} ended the last connection (cleared by {@link #connect()}): no automatic reconnect. */
    private boolean disconnectRequested;
    /** The failure that ended the last connection, for a wait that notices the end after a handler swallowed it. */
    private MqttException lastFailure;
    /** When the CONNACK of the connection being made is overdue (state CONNECTING). */
    private long connectDeadline;
    /**
     * What the last QoS 1/2 publish call stored before it failed, if it did: its packet id in the window, 0 in the
     * journal queue, -1 nothing (so the layer above knows whether a lost connection lost the message).
     */
    private int storedId = -1;

    /**
     * MQTT 5.0 ({@code protocolVersion(MQTT_5)}): the packets whose bytes differ from 3.1.1 — CONNECT, CONNACK,
     * PUBLISH, SUBSCRIBE/UNSUBSCRIBE and every packet the server sends — go through {@code codec.v5}; the rest
     * (PINGREQ, DISCONNECT 0x00, acks with Success) is the same bytes at both levels (MQTT 5.0 §3.4.2.1, §3.14.2.1).
     */
    private boolean v5;
    /**
     * {@code protocolVersion(MQTT_AUTO)}: 5.0 until the server shows it does not speak it ({@link #fallBack}), then
     * 3.1.1 for good.
     */
    private final boolean auto;
    /** The 5.0 CONNECT, encoded once when the session is built ({@link Connect5}); null at 3.1.1. */
    private final byte[] connect5;
    private final dev.wren.mqtt.codec.v5.ConnackView connack5;
    /** Maximum Packet Size of the last 5.0 CONNACK (MQTT 5.0 §3.2.2.3.6): no larger packet is sent [MQTT-3.2.2-15]. */
    private int serverMaximumPacketSize = Integer.MAX_VALUE;
    /** Retain Available of the last 5.0 CONNACK (§3.2.2.3.5) [MQTT-3.2.2-14]. */
    private boolean retainAvailable = true;
    /** Maximum QoS of the last 5.0 CONNACK (§3.2.2.3.4) [MQTT-3.2.2-11]. */
    private int maximumQos = 2;
    /** Assigned Client Identifier of the last 5.0 CONNACK (§3.2.2.3.7), or null. */
    private String assignedClientId;
    /** The SUBSCRIBE property block carrying a Subscription Identifier (§3.8.2.1.2), refilled per subscribe. */
    private final PropertiesWriter subscriptionIdProps = new PropertiesWriter();
    private final byte[] subscriptionIdBytes = new byte[5];
    /** Automatic outgoing topic aliases ({@link MqttConfig#topicAliases()}), or null when off. */
    private final OutgoingAliases aliases;
    /** What the last 5.0 CONNACK said, accepted or refused; null before one, and after a 3.1.1 CONNACK. */
    private ConnackProperties connackProperties;
    /** The packet ids and reason codes of the messages {@link #endRefusedByServer} ended, maxInflight long. */
    private final int[] refusedIds;
    private final int[] refusedCodes;
    /** Enhanced authentication with the config's authenticator (MQTT 5.0 §4.12), or null: none. */
    private final AuthExchange auth;

    private long keepAliveNanos;
    private long pingTimeoutNanos;
    private long lastSentNanos;
    private boolean pingOutstanding;
    private long pingSentNanos;

    /** The SUBACK/UNSUBACK an operation waits for ({@link PacketDispatcher#expect}) has arrived. */
    private boolean pendingDone;

    /**
     * Allocates every buffer and table from {@code config}; with {@link MqttConfig#inflightStore()} set, has it make
     * the store (a journal opens its file and recovers the messages it holds, which go out first once connected).
     *
     * With {@code queueOffline} (automatic reconnect above it), QoS 1/2 publishes and subscriptions are also taken
     * while not connected, as a journal makes publishes be.
     *
     * @throws java.io.UncheckedIOException the store cannot be opened (the message names the file and why)
     */
    Session(MqttConfig config, boolean queueOffline) {
        this(config, config.inflightStore() == null
                ? InflightStore.inMemory(config.maxInflight(), config.transmitBufferBytes())
                : config.inflightStore().create(config), queueOffline);
    }

    Session(MqttConfig config, InflightStore store, boolean queueOffline) {
        this.config = config;
        this.listener = config.listener();
        this.clock = config.clock();
        this.tx = new byte[config.transmitBufferBytes()];
        this.store = store;
        this.queueOffline = queueOffline;
        this.publishOffline = queueOffline || store.queues();
        this.inflight = new InflightTable(config.maxInflight());
        this.incomingQos2 = new IncomingQos2Table(config.maxIncomingQos2());
        this.subscriptions = new SubscriptionTable(config.maxSubscriptions());
        this.batch = new WriteBatch(this, MAX_PACKETS_PER_SERVICE, config.coalesceBatchBytes());
        this.reader = new FrameReader(config, failure);
        this.dispatcher = new PacketDispatcher(config, this, failure, reader, batch, publish, inflight, store,
                incomingQos2, subscriptions);
        setKeepAlive(config.keepAliveSeconds());
        this.auto = config.protocolVersion() == MqttConfig.MQTT_AUTO;
        this.v5 = auto || config.protocolVersion() == MqttConfig.MQTT_5;
        this.aliases = v5 && config.topicAliases() > 0
                ? new OutgoingAliases(config.topicAliases(), config.topicAliasTopicBytes()) : null;
        this.window = new OutgoingWindow(tx, inflight, store, batch, aliases);
        this.auth = config.authenticator() == null ? null : new AuthExchange(config.authenticator(), failure);
        // With an authenticator, the CONNECT with the most data: for the size check (each connection encodes its own).
        this.connect5 = v5 ? Connect5.encode(config, config.cleanSession(), auth == null ? null : auth.data(),
                auth == null ? 0 : auth.data().length) : null;
        this.connack5 = v5 ? new dev.wren.mqtt.codec.v5.ConnackView() : null;
        this.unsubackCodes = new int[config.maxSubscriptions()];
        this.refusedIds = new int[config.maxInflight()];
        this.refusedCodes = new int[config.maxInflight()];

        // The 3.1.1 CONNECT (also AUTO's fallback), or MQTT 3.1's: protocol name "MQIsdp" at level 3, same layout.
        ConnectFields f = Connect5.fields(config, config.cleanSession(), connectFields);
        if (config.protocolVersion() == MqttConfig.MQTT_3_1) {
            f.protocolLevel = ConnectEncoder.PROTOCOL_LEVEL_3_1;
        }
        int connectLength = Math.max(v5 ? connect5.length : 0, v5 && !auto ? 0 : ConnectEncoder.length(f));
        if (connectLength > tx.length || auth != null && auth.maxFrameLength() > tx.length) {
            throw new IllegalArgumentException("CONNECT of " + connectLength + " bytes (client id, will, credentials"
                    + (auth == null ? "" : ", authentication data up to " + auth.data().length + " bytes")
                    + ") > transmitBufferBytes " + tx.length);
        }
    }

    /**
     * Sets the keep-alive interval: the config's, or the Server Keep Alive of a 5.0 CONNACK [MQTT-3.2.2-21], and the
     * PINGRESP timeout from it: 0.4 of the interval, so a dead route (no FIN, no RST) is noticed within 1.4
     * keep-alive intervals of going silent, which leaves a margin for the caller's poll cadence under the 1.5 the
     * server allows itself.
     */
    private void setKeepAlive(int seconds) {
        keepAliveNanos = TimeUnit.SECONDS.toNanos(seconds);
        pingTimeoutNanos = Math.min(keepAliveNanos * 2 / 5, TimeUnit.MILLISECONDS.toNanos(config.operationTimeoutMillis()));
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
        startConnect(config.connectTimeoutMillis());
        while (!continueConnect(waitMillis(connectDeadline))) {
            // past the deadline already: one look without waiting, then continueConnect fails
        }
        return window.sessionPresent();
    }

    /**
     * Starts a connection: opens the transport within {@code openTimeoutMillis} (at most connectTimeoutMillis) and
     * sends CONNECT; the CONNACK is awaited by {@link #continueConnect} until connectTimeoutMillis after this call.
     * One deadline for the whole connect: the open may use all of it, the CONNACK wait gets what is left, so a slow
     * TCP/TLS open plus a slow CONNACK cannot add up to twice the limit.
     */
    void startConnect(int openTimeoutMillis) throws IOException, MqttException {
        if (state == CONNECTED || state == CONNECTING || state == CLOSED) {
            throw new IllegalStateException(state == CLOSED ? "connect after close: the client is closed"
                    : "connect while " + (state == CONNECTED ? "connected" : "connecting") + ": disconnect first");
        }
        requireNotInHandler("connect");
        disconnectRequested = false;
        lastFailure = null;
        reader.clear();
        dispatcher.clear();
        dispatcher.expectNothing();
        batch.clear();
        pingOutstanding = false;
        // What the previous CONNACK said holds for its connection only; but the window keeps the last server's
        // Receive Maximum until the next CONNACK sets it, so that what is published while reconnecting cannot
        // fill the window beyond what the resume after that CONNACK may re-send [MQTT-3.3.4-7].
        setKeepAlive(config.keepAliveSeconds());
        serverMaximumPacketSize = Integer.MAX_VALUE;
        retainAvailable = true;
        maximumQos = 2;
        connectDeadline = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.connectTimeoutMillis());
        // A new exchange per connection (a fresh nonce), started before the open so a refusal leaves nothing open.
        byte[] connect = auth == null ? connect5 : Connect5.encode(config, config.cleanSession(), auth.data(),
                auth.start());
        transport = config.transportFactory().open(config.host(), config.port(), openTimeoutMillis);
        state = CONNECTING;
        if (v5) {
            send(connect, 0, connect.length);
        } else {
            send(tx, 0, ConnectEncoder.encode(tx, 0, connectFields));
        }
    }

    /**
     * Waits up to {@code waitMillis} (cut to the connect deadline) for CONNACK; when it came, completes the connect:
     * resumes the in-flight window, tells the listener, subscribes what is pending (waiting for each SUBACK).
     *
     * @return true when connected, false when no CONNACK came within {@code waitMillis} (still CONNECTING)
     * @throws MqttException {@code CONNECT_TIMEOUT} once connectTimeoutMillis passed without CONNACK; a refusal; a
     *                       protocol violation; a lost connection (state DISCONNECTED in every case)
     */
    boolean continueConnect(int waitMillis) throws IOException, MqttException {
        int frame = reader.readFrame(transport, Math.min(waitMillis, waitMillis(connectDeadline)), true);
        if (frame == Failure.FAILED) {
            if (auto && v5 && failure.reason == Reason.CONNECTION_LOST) {
                return fallBack("the server closed the connection before CONNACK (" + failure.text + ")");
            }
            throw fail(failure);
        }
        if (frame != FrameReader.TIMEOUT && v5 && reader.header().type() == PacketType5.AUTH) {
            onAuth(); // an exchange step: however many the server asks for, all within the one connect deadline
            frame = FrameReader.TIMEOUT;
        }
        if (frame == FrameReader.TIMEOUT) {
            if (connectDeadline - clock.nanoTime() <= 0) {
                throw fail(Reason.CONNECT_TIMEOUT, "no CONNACK from " + config.host() + ":" + config.port()
                        + " within connectTimeoutMillis " + config.connectTimeoutMillis()
                        + " (opening the connection included)", "", null);
            }
            return false;
        }
        if (auto && v5 && refusesProtocol5(reader.buffer(), reader.bodyOffset(), reader.header().remainingLength())) {
            reader.consumeFrame();
            return fallBack("CONNACK " + (reader.buffer()[reader.bodyOffset() + 1] == 1
                    ? "return code 1, unacceptable protocol version (MQTT 3.1.1 §3.2.2.3)"
                    : "reason code 0x84 Unsupported Protocol Version (MQTT 5.0 §3.2.2.2)"));
        }
        int status = v5 ? connack5.decode(reader.buffer(), reader.bodyOffset(), reader.header().remainingLength())
                : connack.decode(reader.buffer(), reader.bodyOffset(), reader.header().remainingLength());
        if (status != CodecStatus.OK) {
            failure.violation(status, "CONNACK");
            throw fail(failure);
        }
        connackProperties = v5 ? ConnackProperties.of(connack5, config) : null; // once per connection
        reader.consumeFrame();
        int returnCode = v5 ? connack5.reasonCode() : connack.returnCode();
        if (returnCode != 0) {
            closeTransport();
            state = DISCONNECTED;
            if (v5) {
                throw new MqttException(Reason.forReasonCode(returnCode), "server " + config.host() + ":"
                        + config.port() + " refused the connection with CONNACK reason code "
                        + reasonText(PacketType.CONNACK, returnCode, connack5.properties()));
            }
            throw new MqttException(Reason.forConnackReturnCode(returnCode), "server " + config.host() + ":"
                    + config.port() + " refused the connection with CONNACK return code " + returnCode);
        }
        boolean sessionPresent = v5 ? connack5.sessionPresent() : connack.sessionPresent();
        if (v5) {
            int checked = auth != null ? auth.onConnack(connack5.properties())
                    : !connack5.properties().has(Property.AUTHENTICATION_METHOD) ? CodecStatus.OK
                    : failure.set(Reason.PROTOCOL_VIOLATION, "CONNACK carries an Authentication Method, but CONNECT"
                    + " had none [MQTT-4.12.0-6]", "MQTT-4.12.0-6", null);
            if (checked == Failure.FAILED) {
                throw failAuth(auth == null ? ReasonCode.PROTOCOL_ERROR : auth.disconnectCode());
            }
            acceptServerLimits(connack5.properties());
        }
        if (sessionPresent && config.cleanSession()) {
            // 5.0: the client discarded its session state (Clean Start 1), so it must close [MQTT-3.2.2-4]
            String rule = v5 ? "MQTT-3.2.2-4" : "MQTT-3.2.2-1";
            throw fail(Reason.PROTOCOL_VIOLATION, "CONNACK session present = 1 for a clean session [" + rule + "]",
                    rule, null);
        }
        state = CONNECTED;
        if (!sessionPresent) {
            incomingQos2.clear(); // the server forgot its side: no PUBREL will come for these ids
        }
        int refused = v5 ? endRefusedByServer(sessionPresent) : 0;
        window.resume(sessionPresent, 0);
        notifyListener(ON_CONNECTED, null, sessionPresent ? 1 : 0, 0);
        for (int i = 0; i < refused; i++) {
            notifyListener(ON_PUBLISH_REFUSED, null, refusedIds[i], refusedCodes[i]);
        }
        if (!sessionPresent || subscriptions.anyPending()) {
            resubscribe(sessionPresent);
        }
        requireStillConnected("connect");
        return true;
    }

    /**
     * The server's AUTH (MQTT 5.0 §3.15, §4.12), the current frame: answered with the client's AUTH, or a completed
     * re-authentication reported ({@link MqttListener#onReauthenticated}); otherwise the connection ends with
     * DISCONNECT first, 0x82 for an AUTH to a CONNECT without Authentication Method [MQTT-4.12.0-6].
     */
    private void onAuth() throws MqttException {
        byte[] buf = reader.buffer();
        int body = reader.bodyOffset();
        int length = reader.header().remainingLength();
        reader.consumeFrame(); // its bytes stay in place while they are read here
        int n = auth != null ? auth.onAuth(buf, body, length, state == CONNECTING, tx, 0)
                : failure.set(Reason.PROTOCOL_VIOLATION, "AUTH from the server, but CONNECT had no Authentication"
                + " Method [MQTT-4.12.0-6]", "MQTT-4.12.0-6", null);
        if (n == Failure.FAILED) {
            throw failAuth(auth == null ? ReasonCode.PROTOCOL_ERROR : auth.disconnectCode());
        }
        if (n == AuthExchange.REAUTHENTICATED) {
            notifyListener(ON_REAUTHENTICATED, null, 0, 0);
        } else {
            send(tx, 0, n);
        }
    }

    /**
     * Ends the connection for what {@link #failure} says of an authentication, telling the server first with
     * DISCONNECT {@code reasonCode} (MQTT 5.0 §4.13, [MQTT-4.12.1-2]); a failed write changes nothing.
     */
    private MqttException failAuth(int reasonCode) {
        try {
            transport.write(tx, 0, dev.wren.mqtt.codec.v5.ReasonPacketEncoder.encode(tx, 0, PacketType.DISCONNECT,
                    reasonCode, null));
        } catch (IOException ignored) {
            // the connection ends all the same
        }
        return fail(failure);
    }

    /**
     * Starts a re-authentication (MQTT 5.0 §4.12.1): sends AUTH 0x19 with the authenticator's initial data; the
     * exchange goes on in {@link #poll}.
     */
    public void reauthenticate() throws IOException, MqttException {
        requireOperational("reauthenticate");
        if (auth == null) {
            throw new IllegalStateException("reauthenticate without an authenticator: CONNECT had no Authentication"
                    + " Method, so the client may send no AUTH [MQTT-4.12.0-7]");
        }
        send(tx, 0, auth.reauthenticate(tx, 0));
    }

    /**
     * A CONNACK to a 5.0 CONNECT that refuses the protocol level: a 3.1.1 server's return code 1 (MQTT 3.1.1
     * §3.2.2.3; 1 is no 5.0 reason code), in the 3.1.1 layout or, as Moquette 0.17 writes it, in the 5.0 layout with
     * a property length; or a 5.0 server's reason code 0x84 (MQTT 5.0 §3.2.2.2).
     */
    private static boolean refusesProtocol5(byte[] buf, int body, int remainingLength) {
        int code = remainingLength >= 2 ? buf[body + 1] & 0xFF : -1;
        return code == 1 || code == ReasonCode.UNSUPPORTED_PROTOCOL_VERSION;
    }

    /**
     * {@code MQTT_AUTO}: the server does not speak 5.0 ({@code why}). Closes this connection, switches to 3.1.1 for
     * this connect and every later one, tells the listener (once: the switch is for good) and sends the 3.1.1
     * CONNECT on a new connection, within what is left of the connect deadline. QoS 1/2 messages stored at 5.0
     * (published offline, or waiting in the journal) go out as 3.1.1 frames, their properties left out
     * ({@link OutgoingWindow#toProtocol311}).
     *
     * @return false: still connecting, the 3.1.1 CONNACK is awaited
     */
    private boolean fallBack(String why) throws IOException, MqttException {
        closeTransport();
        state = DISCONNECTED;
        v5 = false;
        window.toProtocol311(); // what was stored at 5.0 goes out as 3.1.1 frames
        window.aliasLimit = 0; // and without topic aliases
        inflight.limit(inflight.capacity()); // 3.1.1 has no Receive Maximum
        reader.protocol5(false);
        dispatcher.protocol5(false);
        notifyListener(ON_PROTOCOL_FALLBACK, why, 0, 0);
        long deadline = connectDeadline;
        startConnect(Math.max(1, waitMillis(deadline)));
        connectDeadline = deadline; // one deadline for the whole connect, fallback included
        return false;
    }

    /**
     * Takes what a 5.0 CONNACK says of the server (MQTT 5.0 §3.2.2.3): Receive Maximum caps the in-flight window
     * [MQTT-3.3.4-7]; Maximum Packet Size, Retain Available and Maximum QoS bound what publish accepts; Server Keep
     * Alive replaces the configured interval [MQTT-3.2.2-21]; an Assigned Client Identifier is kept.
     */
    private void acceptServerLimits(dev.wren.mqtt.codec.v5.PropertiesView p) {
        inflight.limit(Math.min(inflight.capacity(), p.intValue(Property.RECEIVE_MAXIMUM, 65535)));
        serverMaximumPacketSize = p.intValue(Property.MAXIMUM_PACKET_SIZE, Integer.MAX_VALUE);
        retainAvailable = p.intValue(Property.RETAIN_AVAILABLE, 1) != 0;
        maximumQos = p.intValue(Property.MAXIMUM_QOS, 2);
        setKeepAlive(p.intValue(Property.SERVER_KEEP_ALIVE, config.keepAliveSeconds()));
        if (aliases != null) {
            aliases.reset(p.intValue(Property.TOPIC_ALIAS_MAXIMUM, 0)); // [MQTT-3.3.2-7, MQTT-3.2.2-18]
            window.aliasLimit = Math.min(tx.length, serverMaximumPacketSize);
        }
        if (p.has(Property.ASSIGNED_CLIENT_IDENTIFIER)) {
            assignedClientId = p.text(Property.ASSIGNED_CLIENT_IDENTIFIER).toString(); // once per connection
        }
    }

    /**
     * A 5.0 reason code as {@code 0x87 Not authorized}, with the server's Reason String and Server Reference
     * (§4.11: where to go instead, with 0x9C Use another server and 0x9D Server moved) when it sent them.
     */
    static String reasonText(int packetType, int code, dev.wren.mqtt.codec.v5.PropertiesView p) {
        return "0x" + Integer.toHexString(code) + " " + ReasonCode.name(packetType, code)
                + (p.has(Property.REASON_STRING) ? " (server: \"" + p.text(Property.REASON_STRING) + "\")" : "")
                + (p.has(Property.SERVER_REFERENCE) ? " (server reference: \"" + p.text(Property.SERVER_REFERENCE)
                + "\")" : "");
    }

    /**
     * At 5.0, before a resume: ends every stored QoS 1/2 PUBLISH the new CONNACK rules out, with the reason code the
     * server would give: above its Maximum QoS (0x9B) [MQTT-3.2.2-11], retained when Retain Available is 0 (0x9A)
     * [MQTT-3.2.2-14], larger than its Maximum Packet Size (0x95) [MQTT-3.2.2-15]. Such a message was stored offline
     * or under an earlier server's limits; sent, it would be a protocol error at every resume. A message awaiting
     * PUBCOMP in the server's session is past its PUBLISH and stays. The ids and codes go into {@link #refusedIds}
     * and {@link #refusedCodes}, for the listener once the resume is done.
     *
     * @return how many were ended
     */
    private int endRefusedByServer(boolean sessionPresent) {
        int n = 0;
        byte[] frames = store.array();
        for (int slot = 0; slot < inflight.capacity(); slot++) {
            byte state = inflight.state(slot);
            if (state == InflightTable.FREE || sessionPresent && state == InflightTable.AWAIT_PUBCOMP) {
                continue;
            }
            int off = store.offset(slot);
            int code = PublishEncoder.qos(frames, off) > maximumQos ? ReasonCode.QOS_NOT_SUPPORTED
                    : (frames[off] & 1) != 0 && !retainAvailable ? ReasonCode.RETAIN_NOT_SUPPORTED
                    : store.length(slot) > serverMaximumPacketSize ? ReasonCode.PACKET_TOO_LARGE : 0;
            if (code != 0) {
                refusedIds[n] = inflight.packetId(slot);
                refusedCodes[n++] = code;
                inflight.set(slot, InflightTable.FREE);
                store.removed(slot);
            }
        }
        return n;
    }

    /** The Assigned Client Identifier of the last 5.0 CONNACK (MQTT 5.0 §3.2.2.3.7), or null. */
    public String assignedClientId() {
        return assignedClientId;
    }

    /** What the last 5.0 CONNACK said, accepted or refused (MQTT 5.0 §3.2.2); null before one and at 3.1.1. */
    public ConnackProperties connackProperties() {
        return connackProperties;
    }

    /**
     * After CONNACK: subscribes, one SUBSCRIBE each and waiting for each SUBACK, to the filters subscribed offline
     * (pending) and, when the server has no session (clean session, or it lost it), again to every other filter
     * this client holds, each at the QoS last requested. A pending filter's outcome is reported
     * ({@link MqttListener#onSubscribeAcknowledged}); refused, it goes, as after an explicit subscribe. A filter
     * the server held before and now refuses is reported ({@link MqttListener#onResubscribeRefused}) and kept for
     * the next time. The connection stays up in both cases and the rest are subscribed.
     */
    private void resubscribe(boolean sessionPresent) throws IOException, MqttException {
        int i = 0;
        while (i < subscriptions.count() && state == CONNECTED) {
            boolean pending = subscriptions.pending(i);
            if (sessionPresent && !pending) {
                i++; // the server still holds it
                continue;
            }
            oneFilter[0] = subscriptions.filter(i);
            if (v5 && !connackProperties.wildcardSubscriptionAvailable() && hasWildcard(oneFilter[0])) {
                // Not sent: this server would take it as a protocol error (MQTT 5.0 §3.2.2.3.11). Refused as by 0xA2.
                if (pending) {
                    subscriptions.remove(oneFilter[0]);
                } else {
                    i++;
                }
                notifyListener(pending ? ON_SUBSCRIBE_ACKNOWLEDGED : ON_RESUBSCRIBE_REFUSED, oneFilter[0],
                        ReasonCode.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED, 0);
                continue;
            }
            // 5.0 options taken before an AUTO fallback stay out of a 3.1.1 SUBSCRIBE (reserved bits there, §3.8.3.1)
            oneQos[0] = v5 ? subscriptions.qos(i) : subscriptions.qos(i) & 3;
            dispatcher.rememberPrevious(0, pending ? null : subscriptions.handler(i), oneQos[0]); // refused: removed, or kept
            int id = nextPacketId();
            send(tx, 0, encodeSubscribe(id, oneFilter, oneQos, 1, v5 ? subscriptions.subscriptionId(i) : 0));
            awaitPending(PacketType.SUBACK, id, oneFilter, 1, oneCode);
            int returnCode = oneCode[0];
            boolean refused = returnCode >= SubackView.FAILURE; // 5.0: every reason code from 0x80 (MQTT 5.0 §3.9.3)
            if (pending && !refused) {
                subscriptions.setPending(i, false);
            }
            if (!(pending && refused)) {
                i++; // a refused pending filter was removed at i by the dispatcher: the next one moved up
            }
            if (pending || refused) {
                notifyListener(pending ? ON_SUBSCRIBE_ACKNOWLEDGED : ON_RESUBSCRIBE_REFUSED, oneFilter[0], returnCode, 0);
            }
        }
    }

    /**
     * Publishes to a topic given as text; validated on every call, in the same pass that measures it. {@code props}:
     * the PUBLISH properties (MQTT 5.0 §3.3.2.3), or null for none.
     */
    public int publish(CharSequence topic, byte[] payload, int off, int len, int qos, boolean retain,
                       PropertiesWriter props) throws IOException, MqttException {
        requirePublishable(qos, props);
        if (topic == null) {
            throw new IllegalArgumentException("topic is null");
        }
        int topicLength = PublishEncoder.topicLength(topic); // the one scan before encoding: checks and UTF-8 size
        if (topicLength < 0) {
            throw new IllegalArgumentException("topic name \"" + topic + "\": " + CodecStatus.describe(topicLength));
        }
        return publishChecked(topic, null, 0, topicLength, payload, off, len, qos, retain, props);
    }

    /** Publishes to a topic encoded once ({@code topicUtf8[topicOff..topicOff+topicLen)}, already validated). */
    public int publish(byte[] topicUtf8, int topicOff, int topicLen, byte[] payload, int off, int len, int qos,
                       boolean retain, PropertiesWriter props) throws IOException, MqttException {
        requirePublishable(qos, props);
        return publishChecked(null, topicUtf8, topicOff, topicLen, payload, off, len, qos, retain, props);
    }

    /**
     * The one publish path, for a topic given as text ({@code topicText}, its UTF-8 size {@code topicLen}) or as
     * UTF-8 bytes ({@code topicUtf8[topicOff..topicOff+topicLen)}): QoS 0 into the batch or straight out; QoS 1/2
     * into the journal queue, or into a window slot and out.
     */
    int publishChecked(CharSequence topicText, byte[] topicUtf8, int topicOff, int topicLen, byte[] payload,
                       int off, int len, int qos, boolean retain, PropertiesWriter props)
            throws IOException, MqttException {
        storedId = -1;
        checkPublishArguments(payload, off, len, qos);
        int frameLength = checkFits(PublishEncoder.length(topicLen, qos,
                len + (v5 ? PropertiesWriter.blockLength(props) : 0)), topicText, len);
        if (v5) {
            checkServerLimits(frameLength, qos, retain, topicText, len);
        }
        if (qos == 0) {
            int alias = topicAlias(topicText, topicUtf8, topicOff, topicLen, frameLength);
            if (alias != 0) {
                topicText = null;
                topicUtf8 = aliases.topicBuffer();
                topicOff = 0;
                frameLength = PublishEncoder.length(alias > 0 ? 0 : topicLen, 0,
                        len + PropertiesWriter.blockLength(props, Math.abs(alias)));
            }
            int at = batch.coalescing() ? batch.reserve(frameLength) : -1;
            if (at >= 0) {
                batch.commit(encodePublish(batch.array(), at, topicText, topicUtf8, topicOff, topicLen, 0, retain, 0,
                        payload, off, len, props, alias));
            } else {
                send(tx, 0, encodePublish(tx, 0, topicText, topicUtf8, topicOff, topicLen, 0, retain, 0, payload, off,
                        len, props, alias));
            }
            return 0;
        }
        if (store.queues()) {
            return queue(encodePublish(tx, 0, topicText, topicUtf8, topicOff, topicLen, qos, retain, 0, payload, off,
                    len, props, 0));
        }
        int slot = acquireSlot();
        int id = nextPacketId();
        encodePublish(store.array(), store.offset(slot), topicText, topicUtf8, topicOff, topicLen, qos, retain, id,
                payload, off, len, props, 0);
        window.occupy(slot, id, qos, frameLength);
        storedId = id; // in the window (stored before it is sent), whatever the send then meets
        if (state != CONNECTED) {
            return id; // queued offline: the next connect sends it with the rest of the window
        }
        window.sendFirst(store.array(), store.offset(slot), frameLength); // aliased apart, if at all
        return id;
    }

    /**
     * Journal mode: the frame in the transmit buffer waits behind the messages already queued, then, when connected,
     * the window takes from the queue in order. Never blocks on a full window or a full journal (the journal drops
     * its oldest waiting message and the listener hears of it).
     *
     * @return the packet id when the message went into the window at once, else 0 (it waits in the journal)
     */
    private int queue(int frameLength) throws MqttException {
        long dropped = window.enqueue(frameLength);
        storedId = 0; // in the journal once queued, whatever the send then meets
        if (dropped > 0) {
            notifyListener(ON_MESSAGES_DROPPED, null, (int) dropped, store.droppedCount());
        }
        if (state != CONNECTED) {
            return 0;
        }
        int id;
        try {
            id = window.pump(dispatcher.awaitedId());
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException(e.getMessage() + "; the message IS in the journal and goes out once the"
                    + " journal can be read again", e.getCause());
        }
        return store.queuedCount() == 0 ? id : 0;
    }

    /**
     * Encodes a PUBLISH (DUP=0) at {@code dst[at]} with the topic as text or as bytes; returns its size. At 5.0 the
     * payload follows the property block ({@code props}, or one byte 0 for none, MQTT 5.0 §3.3.2.3.1): the rest is
     * the 3.1.1 layout. {@code alias} as {@link #topicAlias} returned it: above 0 the topic is left out (empty),
     * below 0 it is sent; either way the block ends with the Topic Alias.
     */
    private int encodePublish(byte[] dst, int at, CharSequence topicText, byte[] topicUtf8, int topicOff,
                              int topicLen, int qos, boolean retain, int id, byte[] payload, int off, int len,
                              PropertiesWriter props, int alias) {
        int body = len + (v5 ? PropertiesWriter.blockLength(props, Math.abs(alias)) : 0);
        int pos = at + (topicText != null
                ? PublishEncoder.encodeHeader(dst, at, topicText, topicLen, qos, retain, false, id, body)
                : PublishEncoder.encodeHeader(dst, at, topicUtf8, topicOff, alias > 0 ? 0 : topicLen, qos, retain,
                false, id, body));
        if (v5) {
            pos += PropertiesWriter.writeBlock(props, Math.abs(alias), dst, pos);
        }
        System.arraycopy(payload, off, dst, pos, len);
        return pos + len - at;
    }

    /**
     * The Topic Alias for the PUBLISH about to be sent on this connection (MQTT 5.0 §3.3.2.3.4), from the automatic
     * aliases; when not 0 the topic's bytes are in {@link OutgoingAliases#topicBuffer()} from 0. 0 too when the
     * frame with the property (3 bytes, and one of property length) would not fit the transmit buffer or the
     * server's Maximum Packet Size.
     *
     * @return as {@link OutgoingAliases#alias}
     */
    private int topicAlias(CharSequence topicText, byte[] topicUtf8, int topicOff, int topicLen, int frameLength) {
        if (aliases == null || !v5 || topicLen > aliases.slotBytes()
                || frameLength + 4 > Math.min(tx.length, serverMaximumPacketSize)) {
            return 0;
        }
        byte[] topic = aliases.topicBuffer();
        if (topicText != null) {
            Utf8.encode(topicText, topic, 0);
        } else {
            System.arraycopy(topicUtf8, topicOff, topic, 0, topicLen);
        }
        return aliases.alias(topic, 0, topicLen);
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

    /**
     * At 5.0, refuses (nothing sent) a publish the server said in its CONNACK it will not take: larger than its
     * Maximum Packet Size [MQTT-3.2.2-15], retained when Retain Available is 0 [MQTT-3.2.2-14], above its Maximum QoS
     * [MQTT-3.2.2-11].
     */
    private void checkServerLimits(int frameLength, int qos, boolean retain, CharSequence topic, int payloadLength)
            throws MqttException {
        if (frameLength > serverMaximumPacketSize) {
            throw new MqttException(Reason.PACKET_TOO_LARGE, "PUBLISH of " + frameLength + " bytes (payload "
                    + payloadLength + " bytes" + (topic == null ? "" : ", topic \"" + topic + "\"")
                    + ") > the server's Maximum Packet Size " + serverMaximumPacketSize + " (CONNACK); not sent",
                    "MQTT-3.2.2-15", null);
        }
        if (retain && !retainAvailable) {
            throw new MqttException(Reason.RETAIN_NOT_SUPPORTED, "retained PUBLISH to a server whose CONNACK says"
                    + " Retain Available 0; not sent", "MQTT-3.2.2-14", null);
        }
        if (qos > maximumQos) {
            throw new MqttException(Reason.QOS_NOT_SUPPORTED, "PUBLISH at qos " + qos + " > the server's Maximum QoS "
                    + maximumQos + " (CONNACK); not sent", "MQTT-3.2.2-11", null);
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

    /** Subscribes {@code filter} at {@code qos}; waits for SUBACK; returns the granted QoS (MQTT 3.1.1 §3.8, §3.9). */
    public int subscribe(CharSequence filter, int qos, MessageHandler handler) throws IOException, MqttException {
        return subscribe(filter, qos, 0, handler);
    }

    /**
     * As {@link #subscribe(CharSequence, int, MessageHandler)} with an MQTT 5.0 Subscription Identifier
     * (§3.8.2.1.2), 1..268,435,455, or 0 for none.
     */
    public int subscribe(CharSequence filter, int qos, int subscriptionId, MessageHandler handler)
            throws IOException, MqttException {
        oneFilter[0] = filter;
        oneQos[0] = qos;
        subscribe(oneFilter, oneQos, subscriptionId, handler, oneCode); // one filter: the same checks and SUBSCRIBE
        int granted = oneCode[0];
        if (granted >= SubackView.FAILURE) {
            throw new MqttException(Reason.SUBSCRIBE_REFUSED, "server refused subscription to \"" + filter
                    + "\" at qos " + (qos & 3) + (qos > 2 ? " options 0x" + Integer.toHexString(qos & ~3) : "")
                    + " (SUBACK " + (v5 ? "reason code 0x" + Integer.toHexString(granted) + " "
                    + ReasonCode.name(PacketType.SUBACK, granted) : "return code 0x80") + ")");
        }
        return granted;
    }

    /**
     * Subscribes every filter of {@code filters} at its {@code qos} in one SUBSCRIBE (MQTT 3.1.1 §3.8); waits for
     * the SUBACK and puts its return codes (§3.9.3) into {@code returnCodes}, one per filter, in order.
     *
     * @return how many filters the server granted
     */
    public int subscribe(CharSequence[] filters, int[] qos, MessageHandler handler, int[] returnCodes)
            throws IOException, MqttException {
        return subscribe(filters, qos, 0, handler, returnCodes);
    }

    private int subscribe(CharSequence[] filters, int[] qos, int subscriptionId, MessageHandler handler,
                          int[] returnCodes) throws IOException, MqttException {
        requireSubscribable();
        requireNotInHandler("subscribe");
        int n = checkFilters(filters);
        checkSubscriptionId(subscriptionId, filters[0]);
        if (qos == null || qos.length != n) {
            throw new IllegalArgumentException(qos == null ? "qos is null" : "qos has " + qos.length
                    + " entries for " + n + " filters");
        }
        for (int i = 0; i < n; i++) {
            checkSubscriptionOptions(filters[i], qos[i]);
            checkShared(filters[i]);
        }
        checkHandler(handler);
        if (v5 && state == CONNECTED && !connackProperties.wildcardSubscriptionAvailable()) {
            checkNoWildcard(filters, n);
        }
        if (returnCodes == null || returnCodes.length < n) {
            throw new IllegalArgumentException(returnCodes == null ? "returnCodes is null" : "returnCodes has "
                    + returnCodes.length + " entries for " + n + " filters");
        }
        int added = 0;
        for (int i = 0; i < n; i++) {
            if (subscriptions.indexOf(filters[i]) < 0) {
                added++;
            }
        }
        if (subscriptions.count() + added > subscriptions.capacity()) {
            throw new MqttException(Reason.SUBSCRIPTION_TABLE_FULL, "cannot subscribe " + (n == 1 ? "\"" + filters[0]
                    + "\"" : n + " filters (" + added + " new, first \"" + filters[0] + "\")") + ": maxSubscriptions "
                    + subscriptions.capacity() + ", " + subscriptions.count() + " filters already subscribed");
        }
        subscribeChecked(filters, qos, n, subscriptionId, handler, returnCodes);
        int granted = 0;
        for (int i = 0; i < n; i++) {
            if (returnCodes[i] >= 0 && returnCodes[i] < SubackView.FAILURE) { // not SUBACK_PENDING
                granted++;
            }
        }
        return granted;
    }

    /**
     * Registers the first {@code n} filters (checked, and with room in the table) with {@code handler}, sends one
     * SUBSCRIBE and waits for its SUBACK, whose return codes go into {@code codes}. A refused filter is undone by
     * {@link PacketDispatcher} as the SUBACK arrives: its previous handler and QoS return, or it goes. Offline,
     * registers them as pending, sends nothing, and puts {@link MqttClient#SUBACK_PENDING} into {@code codes}.
     */
    private void subscribeChecked(CharSequence[] filters, int[] qos, int n, int subscriptionId,
                                  MessageHandler handler, int[] codes) throws IOException, MqttException {
        checkControlFits("SUBSCRIBE", v5 ? dev.wren.mqtt.codec.v5.SubscribeEncoder.length(
                subscriptionIdProps(subscriptionId), filters, n, true) : SubscribeEncoder.length(filters, n), filters, n);
        int previousId = n == 1 && subscriptions.indexOf(filters[0]) >= 0
                ? subscriptions.subscriptionId(subscriptions.indexOf(filters[0])) : 0;
        for (int i = 0; i < n; i++) {
            int existing = subscriptions.indexOf(filters[i]);
            dispatcher.rememberPrevious(i, existing < 0 ? null : subscriptions.handler(existing),
                    existing < 0 ? 0 : subscriptions.qos(existing));
        }
        boolean offline = state != CONNECTED;
        // Registered before SUBSCRIBE goes out: retained messages follow the SUBACK in the same read.
        for (int i = 0; i < n; i++) {
            int at = subscriptions.put(filters[i], handler, qos[i]); // room checked by the caller
            subscriptions.setPending(at, offline);
            subscriptions.setSubscriptionId(at, subscriptionId);
            codes[i] = MqttClient.SUBACK_PENDING;
        }
        if (offline) {
            return; // sent after the next CONNACK (resubscribe), its outcome reported to the listener
        }
        int id = nextPacketId();
        send(tx, 0, encodeSubscribe(id, filters, qos, n, subscriptionId));
        awaitPending(PacketType.SUBACK, id, filters, n, codes);
        int at = subscriptions.indexOf(filters[0]);
        if (n == 1 && codes[0] >= SubackView.FAILURE && at >= 0) {
            subscriptions.setSubscriptionId(at, previousId); // refused: the previous subscription stays, as it was
        }
    }

    /**
     * Checks a Subscription Identifier (MQTT 5.0 §3.8.2.1.2): 0 (none), or 1..268,435,455 at 5.0, and not to a
     * server whose CONNACK said Subscription Identifier Available 0 (§3.2.2.3.12).
     */
    private void checkSubscriptionId(int subscriptionId, CharSequence filter) throws MqttException {
        if (subscriptionId == 0) {
            return;
        }
        if (subscriptionId < 0 || subscriptionId > 268_435_455) {
            throw new IllegalArgumentException("subscriptionId " + subscriptionId + " for \"" + filter
                    + "\" not in 1..268435455 (MQTT 5.0 §3.8.2.1.2)");
        }
        if (!v5) {
            throw new IllegalStateException("subscriptionId " + subscriptionId + " for \"" + filter + "\" needs MQTT"
                    + " 5.0; this client speaks protocol level " + config.protocolVersion());
        }
        if (state == CONNECTED && !connackProperties.subscriptionIdentifiersAvailable()) {
            throw new MqttException(Reason.SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED, "subscriptionId " + subscriptionId
                    + " for \"" + filter + "\": the server's CONNACK says Subscription Identifier Available 0"
                    + " (MQTT 5.0 §3.2.2.3.12); nothing sent", "", null);
        }
    }

    /** The SUBSCRIBE properties for {@code subscriptionId}: null for 0, else the reused block holding it. */
    private PropertiesWriter subscriptionIdProps(int subscriptionId) {
        return subscriptionId == 0 ? null : subscriptionIdProps.wrap(subscriptionIdBytes, 0, PacketType.SUBSCRIBE)
                .putInt(Property.SUBSCRIPTION_IDENTIFIER, subscriptionId);
    }

    /**
     * Encodes a SUBSCRIBE into the transmit buffer; at 5.0 with the Subscription Identifier (none for 0) as its
     * only property and each filter's options byte the
     * {@code qos} int as given (QoS in bits 0-1 and the options above it, MQTT 5.0 §3.8.3.1), checked by
     * {@link #checkSubscriptionOptions}.
     */
    private int encodeSubscribe(int id, CharSequence[] filters, int[] qos, int n, int subscriptionId) {
        return v5 ? dev.wren.mqtt.codec.v5.SubscribeEncoder.encode(tx, 0, id, subscriptionIdProps(subscriptionId),
                filters, qos, n)
                : SubscribeEncoder.encode(tx, 0, id, filters, qos, n);
    }

    /** Unsubscribes {@code filter}; waits for UNSUBACK (MQTT 3.1.1 §3.10, §3.11), then drops its handler. */
    public void unsubscribe(CharSequence filter) throws IOException, MqttException {
        oneFilter[0] = filter;
        unsubscribe(oneFilter);
    }

    /**
     * Unsubscribes every filter of {@code filters} in one UNSUBSCRIBE; waits for UNSUBACK, then drops the handlers;
     * at 5.0 a filter the server refused (reason code 0x80 or more, §3.11.3) keeps its handler and is an exception.
     */
    public void unsubscribe(CharSequence[] filters) throws IOException, MqttException {
        int n = filters == null ? 0 : filters.length;
        if (unsubscribe(filters, unsubackCodes) == n) {
            return;
        }
        for (int i = 0; i < n; i++) {
            int code = unsubackCodes[i];
            if (code >= ReasonCode.UNSPECIFIED_ERROR) {
                throw new MqttException(Reason.forReasonCode(code), "server refused to unsubscribe \"" + filters[i]
                        + "\" (UNSUBACK reason code 0x" + Integer.toHexString(code) + " "
                        + ReasonCode.name(PacketType.UNSUBACK, code) + "); its handler stays", "", null);
            }
        }
    }

    /**
     * Unsubscribes every filter of {@code filters} in one UNSUBSCRIBE and puts the UNSUBACK's reason codes into
     * {@code reasonCodes} (MQTT 5.0 §3.11.3; 0x00 for each at 3.1.1, whose UNSUBACK has none); drops the handler of
     * each filter with a code below 0x80 (0x11 No subscription existed included); returns how many those are.
     */
    public int unsubscribe(CharSequence[] filters, int[] reasonCodes) throws IOException, MqttException {
        requireOperational("unsubscribe");
        requireNotInHandler("unsubscribe");
        int n = checkFilters(filters);
        if (reasonCodes == null || reasonCodes.length < n) {
            throw new IllegalArgumentException(reasonCodes == null ? "reasonCodes is null" : "reasonCodes has "
                    + reasonCodes.length + " entries for " + n + " filters");
        }
        unsubscribeChecked(filters, n, reasonCodes);
        int done = 0;
        for (int i = 0; i < n; i++) {
            if (reasonCodes[i] < ReasonCode.UNSPECIFIED_ERROR) {
                done++;
            }
        }
        return done;
    }

    private void unsubscribeChecked(CharSequence[] filters, int n, int[] codes) throws IOException, MqttException {
        checkControlFits("UNSUBSCRIBE", v5 ? dev.wren.mqtt.codec.v5.SubscribeEncoder.length(null, filters, n, false)
                : UnsubscribeEncoder.length(filters, n), filters, n);
        int id = nextPacketId();
        send(tx, 0, v5 ? dev.wren.mqtt.codec.v5.SubscribeEncoder.encodeUnsubscribe(tx, 0, id, null, filters, n)
                : UnsubscribeEncoder.encode(tx, 0, id, filters, n));
        // The handlers go when UNSUBACK arrives, before later packets.
        awaitPending(PacketType.UNSUBACK, id, filters, n, codes);
    }

    /** Checks a filter array for SUBSCRIBE/UNSUBSCRIBE: 1..maxSubscriptions valid filters, none twice. */
    private int checkFilters(CharSequence[] filters) {
        if (filters == null || filters.length == 0) {
            throw new IllegalArgumentException(filters == null ? "filters is null"
                    : "no filters: SUBSCRIBE and UNSUBSCRIBE carry at least one [MQTT-3.8.3-3, MQTT-3.10.3-2]");
        }
        if (filters.length > subscriptions.capacity()) {
            throw new IllegalArgumentException(filters.length + " filters > maxSubscriptions "
                    + subscriptions.capacity());
        }
        for (int i = 0; i < filters.length; i++) {
            checkFilter(filters[i]);
            for (int j = 0; j < i; j++) {
                if (SubscriptionTable.contentEquals(filters[j], filters[i])) {
                    throw new IllegalArgumentException("topic filter \"" + filters[i] + "\" twice, at " + j
                            + " and " + i);
                }
            }
        }
        return filters.length;
    }

    /**
     * Checks a subscription's {@code qos} int: QoS 0..2 in bits 0-1, and at 5.0 the options or-ed in above it (MQTT
     * 5.0 §3.8.3.1): No Local (bit 2), Retain As Published (bit 3), Retain Handling 0..2 (bits 4-5); bits 6-7 are
     * reserved [MQTT-3.8.3-5]. No Local on a shared subscription is a protocol error [MQTT-3.8.3-4].
     */
    private void checkSubscriptionOptions(CharSequence filter, int options) {
        if (options < 0 || (options & 3) == 3 || (options & ~0x3F) != 0 || (options & 0x30) == 0x30) {
            throw new IllegalArgumentException("qos " + options + " (0x" + Integer.toHexString(options) + ") for \""
                    + filter + "\" is not QoS 0..2" + (v5 ? " with NO_LOCAL, RETAIN_AS_PUBLISHED and one retain"
                    + " handling or-ed in" : ""));
        }
        if (options > 2 && !v5) {
            throw new IllegalStateException("subscription options 0x" + Integer.toHexString(options & ~3) + " for \""
                    + filter + "\" need MQTT 5.0; this client speaks protocol level " + config.protocolVersion()
                    + (config.protocolVersion() == MqttConfig.MQTT_AUTO ? " (AUTO fell back to 3.1.1)" : "")
                    + ": set protocolVersion(MQTT_5) or subscribe with a QoS 0..2 alone");
        }
        if ((options & MqttClient.NO_LOCAL) != 0 && isShared(filter)) {
            throw new IllegalArgumentException("NO_LOCAL on the shared subscription \"" + filter + "\" is a protocol"
                    + " error [MQTT-3.8.3-4]");
        }
    }

    /**
     * At 5.0, checks a shared subscription's filter {@code $share/<ShareName>/<filter>} (MQTT 5.0 §4.8.2): a
     * ShareName of at least one character without {@code /}, {@code +} or {@code #}, then {@code /} and a filter
     * [MQTT-4.8.2-1, MQTT-4.8.2-2]; and refuses it when the server's CONNACK said Shared Subscription Available 0.
     * (At 3.1.1 such a filter is an ordinary one, §4.7; brokers that share there are matched the same way.)
     */
    private void checkShared(CharSequence filter) throws MqttException {
        if (!v5 || !isShared(filter)) {
            return;
        }
        int start = SubscriptionTable.SHARE.length();
        int end = start;
        while (end < filter.length() && filter.charAt(end) != '/') {
            char c = filter.charAt(end++);
            if (c == '+' || c == '#') {
                throw new IllegalArgumentException("shared subscription \"" + filter + "\": the ShareName holds '" + c
                        + "' [MQTT-4.8.2-2]");
            }
        }
        if (end == start || end >= filter.length() - 1) {
            throw new IllegalArgumentException("shared subscription \"" + filter + "\": not $share/<ShareName>/<filter>"
                    + (end == start ? " (empty ShareName) [MQTT-4.8.2-1]" : " (no filter after the ShareName)"
                    + " [MQTT-4.8.2-2]"));
        }
        if (state == CONNECTED && !connackProperties.sharedSubscriptionAvailable()) {
            throw new MqttException(Reason.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED, "shared subscription \"" + filter
                    + "\": the server's CONNACK says Shared Subscription Available 0 (MQTT 5.0 §3.2.2.3.13); nothing"
                    + " sent", "", null);
        }
    }

    /**
     * Refuses, before anything is sent, a subscription with a wildcard to a server whose CONNACK says Wildcard
     * Subscription Available 0: it would take the SUBSCRIBE as a protocol error and close the connection (MQTT 5.0
     * §3.2.2.3.11).
     */
    private static void checkNoWildcard(CharSequence[] filters, int n) throws MqttException {
        for (int i = 0; i < n; i++) {
            if (hasWildcard(filters[i])) {
                throw new MqttException(Reason.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED, "subscription to \"" + filters[i]
                        + "\": the server's CONNACK says Wildcard Subscription Available 0, and a wildcard"
                        + " subscription would be a protocol error (MQTT 5.0 §3.2.2.3.11); not sent", "", null);
            }
        }
    }

    private static boolean hasWildcard(CharSequence filter) {
        for (int i = 0; i < filter.length(); i++) {
            char c = filter.charAt(i);
            if (c == '+' || c == '#') {
                return true;
            }
        }
        return false;
    }

    /** A shared subscription's filter starts with {@code $share/} (MQTT 5.0 §4.8.2). */
    private static boolean isShared(CharSequence filter) {
        String prefix = SubscriptionTable.SHARE;
        if (filter.length() < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (filter.charAt(i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static void checkHandler(MessageHandler handler) {
        if (handler == null) {
            throw new IllegalArgumentException("handler is null");
        }
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

    private void checkControlFits(String what, int length, CharSequence[] filters, int n) throws MqttException {
        if (length > tx.length) {
            throw new MqttException(Reason.PACKET_TOO_LARGE, what + " of " + length + " bytes for "
                    + (n == 1 ? "\"" + filters[0] + "\"" : n + " filters") + " > transmitBufferBytes " + tx.length);
        }
    }

    /**
     * Waits for the SUBACK/UNSUBACK of packet {@code id}, which answers the first {@code n} of {@code filters}
     * (SUBACK: return codes into {@code codes}), driving the receive loop.
     */
    private void awaitPending(int ackType, int id, CharSequence[] filters, int n, int[] codes)
            throws IOException, MqttException {
        dispatcher.expect(ackType, id, filters, n, codes);
        pendingDone = false;
        long deadline = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.operationTimeoutMillis());
        try {
            if (!await(ACK_ARRIVED, deadline, PacketType.name(ackType) + " wait")) {
                throw new MqttException(Reason.OPERATION_TIMEOUT, "no " + PacketType.name(ackType)
                        + " for packet id " + id + " within operationTimeoutMillis " + config.operationTimeoutMillis());
            }
        } finally {
            dispatcher.expectNothing(); // the caller's arrays: not held beyond the call
        }
    }

    /** Sets the handler for messages that no subscription's handler takes (null: count them as unhandled). */
    public void setDefaultHandler(MessageHandler handler) {
        dispatcher.setDefaultHandler(handler);
    }

    /**
     * Waits up to {@code timeoutMillis} for packets, handles all that arrived, answers acks, keeps alive.
     *
     * @return packets handled (0 when the time passed without any)
     */
    public int poll(long timeoutMillis) throws IOException, MqttException {
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

    /** Drives the receive loop until no QoS 1/2 message is in flight; false if some still are after the timeout. */
    public boolean awaitInflight(long timeoutMillis) throws IOException, MqttException {
        requireOperational("awaitInflight");
        requireNotInHandler("awaitInflight");
        if (timeoutMillis < 0) {
            throw new IllegalArgumentException("timeoutMillis " + timeoutMillis + " < 0");
        }
        return await(WINDOW_EMPTY, clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis), "awaitInflight");
    }

    /** What {@link #await} waits for: the pending SUBACK/UNSUBACK, a free window slot, an empty window and queue. */
    private static final int ACK_ARRIVED = 0;
    private static final int SLOT_FREE = 1;
    private static final int WINDOW_EMPTY = 2;

    private boolean holds(int condition) {
        switch (condition) {
            case ACK_ARRIVED:
                return pendingDone;
            case SLOT_FREE:
                return inflight.freeSlot() >= 0;
            default:
                return inflight.count() == 0 && store.queuedCount() == 0;
        }
    }

    /**
     * The one loop that waits on the receive path (for a SUBACK/UNSUBACK, a window slot, an empty window): drives
     * {@link #service} until {@code condition} holds or {@code deadline} passes, and stops at once when a handler or
     * listener ended the connection meanwhile ({@link #requireStillConnected}).
     *
     * @return true when the condition holds, false at the deadline
     */
    private boolean await(int condition, long deadline, String operation) throws IOException, MqttException {
        while (!holds(condition)) {
            if (deadline - clock.nanoTime() <= 0) {
                return false;
            }
            try {
                service(waitMillis(deadline));
            } catch (MqttException e) {
                if (condition != ACK_ARRIVED || !pendingDone) {
                    throw e;
                }
                // The ack arrived before the connection went in the same round: the operation is done at the
                // server. The loss has reached the listener; the next operation (or poll, which reconnects when
                // automatic reconnect is on) reports it.
                return true;
            }
            if (condition != ACK_ARRIVED || !pendingDone) {
                requireStillConnected(operation);
            }
        }
        return true;
    }

    /** A free window slot; when the window is full, waits ({@link #await}) until one frees or operationTimeoutMillis. */
    private int acquireSlot() throws IOException, MqttException {
        int slot = inflight.freeSlot();
        if (slot >= 0) {
            return slot;
        }
        if (state != CONNECTED) {
            throw new MqttException(Reason.INFLIGHT_WINDOW_FULL, "disconnected, and the in-flight window of "
                    + inflight.limit() + " messages already holds as many waiting to be sent: poll to reconnect, or"
                    + " configure a journal (MqttConfig.Builder.inflightStore, client-journal) to queue more");
        }
        if (callbackDepth > 0) {
            throw new MqttException(Reason.INFLIGHT_WINDOW_FULL, "in-flight window of " + inflight.limit()
                    + " messages is full and publish was called from a message handler or listener callback, which"
                    + " cannot wait for acks");
        }
        long deadline = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.operationTimeoutMillis());
        if (!await(SLOT_FREE, deadline, "publish waiting for a window slot")) {
            throw new MqttException(Reason.INFLIGHT_WINDOW_TIMEOUT, "in-flight window of " + inflight.limit()
                    + " messages still full after operationTimeoutMillis " + config.operationTimeoutMillis());
        }
        return inflight.freeSlot();
    }

    /**
     * Writes the packets waiting in the write-coalescing batch, in one write. No-op when coalescing is off, when the
     * batch is empty, and when not connected (a lost connection discarded the batch; disconnect wrote it).
     */
    public void flush() throws MqttException {
        if (state != CONNECTED) {
            return;
        }
        batch.flush();
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

    // ---------------------------------------------------------------------------------------------------------
    // For the layer above (AutoReconnect): queries, and the steps it drives

    /** True while CONNECT is sent and CONNACK awaited ({@link #continueConnect}). */
    boolean isConnecting() {
        return state == CONNECTING;
    }

    boolean isClosed() {
        return state == CLOSED;
    }

    /** True when the last connection ended by a failure, not by {@link #disconnect()} or {@link #close()}. */
    boolean connectionLost() {
        return state == DISCONNECTED && !disconnectRequested;
    }

    /** What the last failed QoS 1/2 publish had stored: its packet id, 0 (in the journal queue), or -1 (nothing). */
    int storedId() {
        return storedId;
    }

    /** Journal upkeep while there is no connection to poll (forcing, compaction). */
    void maintainStore() {
        store.maintain();
    }

    /** Ends a connection an attempt made but cannot use (a resubscription after CONNACK failed); no listener call. */
    void abandonConnection() {
        if (state == CONNECTED || state == CONNECTING) {
            closeTransport();
            state = DISCONNECTED;
        }
    }

    /** Tells the listener when the next reconnect attempt is due ({@link MqttListener#onReconnectScheduled}). */
    void notifyReconnectScheduled(Exception cause, int consecutiveFailures, long retryInMillis) {
        notifyListener(ON_RECONNECT_SCHEDULED, cause, consecutiveFailures, retryInMillis);
    }

    /** Incoming PUBLISH packets larger than the receive buffer, drained and acknowledged since construction. */
    public long oversizeMessageCount() {
        return dispatcher.oversizeMessageCount();
    }

    /** Incoming messages that no handler took (no matching filter and no default handler). */
    public long unhandledMessageCount() {
        return dispatcher.unhandledMessageCount();
    }

    /**
     * Sends DISCONNECT, waits for the server to close (at most operationTimeoutMillis), and closes the connection
     * [MQTT-3.14.4-1]; the server discards the will. While connecting (an automatic reconnect attempt awaiting
     * CONNACK) abandons the attempt; otherwise a no-op unless connected. Ends disconnected in every case.
     *
     * @throws IOException the DISCONNECT write failed (a socket error, so not wrapped in {@link MqttException}): the
     *                     connection is closed all the same, but the server may publish the will
     */
    public void disconnect() throws IOException {
        disconnect(config.operationTimeoutMillis());
    }

    /**
     * As {@link #disconnect()}, waiting at most {@code closeWaitMillis} for the server to close its side.
     *
     * @throws IllegalArgumentException {@code closeWaitMillis} &lt; 0
     */
    public void disconnect(long closeWaitMillis) throws IOException {
        disconnect(closeWaitMillis, ReasonCode.NORMAL_DISCONNECTION, -1);
    }

    /**
     * At MQTT 5.0, DISCONNECT with {@code reasonCode} (§3.14.2.1; 0x04 has the server publish the will) and, when
     * {@code sessionExpirySeconds} is not -1, a Session Expiry Interval replacing the CONNECT's (§3.14.2.2.2: not
     * above 0 when the CONNECT's was 0, a protocol error the client must not commit, so refused here).
     */
    public void disconnect(int reasonCode, long sessionExpirySeconds) throws IOException {
        if (!v5) {
            throw new IllegalStateException("disconnect with reason code 0x" + Integer.toHexString(reasonCode)
                    + " needs MQTT 5.0; this client speaks protocol level " + config.protocolVersion()
                    + ": use disconnect()");
        }
        if (!ReasonCode.allowedIn(PacketType.DISCONNECT, reasonCode)) {
            throw new IllegalArgumentException("reason code 0x" + Integer.toHexString(reasonCode)
                    + " is not a DISCONNECT reason code (MQTT 5.0 §3.14.2.1)");
        }
        if (sessionExpirySeconds < -1 || sessionExpirySeconds > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("sessionExpirySeconds " + sessionExpirySeconds
                    + " not -1 (unchanged) or 0..4294967295");
        }
        if (sessionExpirySeconds > 0 && config.sessionExpiryIntervalSeconds() == 0) {
            throw new IllegalArgumentException("sessionExpirySeconds " + sessionExpirySeconds + " in DISCONNECT after"
                    + " a CONNECT with Session Expiry Interval 0 is a protocol error (MQTT 5.0 §3.14.2.2.2); set"
                    + " sessionExpiryIntervalSeconds in the config to keep sessions");
        }
        disconnect(config.operationTimeoutMillis(), reasonCode, sessionExpirySeconds);
    }

    private void disconnect(long closeWaitMillis, int reasonCode, long sessionExpirySeconds) throws IOException {
        if (closeWaitMillis < 0) {
            throw new IllegalArgumentException("closeWaitMillis " + closeWaitMillis + " < 0");
        }
        if (state == CONNECTING) { // an attempt awaiting CONNACK (automatic reconnect): abandoned, nothing to send
            state = DISCONNECTED;
            disconnectRequested = true;
            closeTransport();
            return;
        }
        if (state != CONNECTED) {
            return;
        }
        state = DISCONNECTED;
        disconnectRequested = true;
        try {
            try {
                batch.writeTo(transport); // coalesced publishes, and from a handler the acks of the packets before it
                transport.write(tx, 0, encodeDisconnect(reasonCode, sessionExpirySeconds));
            } catch (IOException e) {
                throw new IOException("DISCONNECT not sent to " + config.host() + ":" + config.port() + ": "
                        + e.getMessage() + "; the connection is closed, and the server may publish the will", e);
            }
            awaitServerClose(closeWaitMillis);
        } finally {
            closeTransport();
        }
    }

    /**
     * Waits (at most {@code waitMillis}) for the server to close its side after DISCONNECT, discarding anything
     * still arriving. A server that handles DISCONNECT and the socket's end concurrently could otherwise see the end
     * first and publish the will (seen with Moquette 0.17). The discarded bytes go into the transmit buffer, free
     * once DISCONNECT is written: the receive buffer may hold the message a handler calling disconnect is reading.
     */
    private void awaitServerClose(long waitMillis) {
        long deadline = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
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

    /**
     * Encodes DISCONNECT into the transmit buffer: at 3.1.1, and at 5.0 for a normal disconnection without
     * properties, remaining length 0 (§3.14.2.1); else the reason code and a Session Expiry Interval unless -1.
     */
    private int encodeDisconnect(int reasonCode, long sessionExpirySeconds) {
        if (!v5 || reasonCode == ReasonCode.NORMAL_DISCONNECTION && sessionExpirySeconds < 0) {
            return EmptyPacketEncoder.encode(tx, 0, PacketType.DISCONNECT);
        }
        PropertiesWriter props = null;
        if (sessionExpirySeconds >= 0) { // once per disconnect, not per message: allocating here is fine
            props = new PropertiesWriter().wrap(new byte[5], 0, PacketType.DISCONNECT)
                    .putInt(Property.SESSION_EXPIRY_INTERVAL, (int) sessionExpirySeconds);
        }
        return dev.wren.mqtt.codec.v5.ReasonPacketEncoder.encode(tx, 0, PacketType.DISCONNECT, reasonCode, props);
    }

    /** Closes the connection without DISCONNECT (the server publishes the will); terminal; idempotent. */
    public void close() {
        if (state == CLOSED) {
            return;
        }
        batch.flushQuietly(); // coalesced publishes, and from a handler the acks of the packets handled before it
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
    int service(int waitMillis) throws IOException, MqttException {
        batch.flush(); // publishes coalesced since the last round go out before anything is read
        int handled = handleFrames(0);
        if (handled == 0 && state == CONNECTED) {
            keepAlive(true);
            long untilKeepAlive = KeepAlive.nanosUntilDue(clock.nanoTime(), quietSinceNanos(), lastSentNanos,
                    keepAliveNanos, pingOutstanding, pingDeadlineFromNanos(), pingTimeoutNanos);
            handled = handleFrames((int) Math.min(waitMillis, KeepAlive.ceilMillis(untilKeepAlive)));
        }
        if (state == CONNECTED) {
            window.pump(dispatcher.awaitedId()); // acks may have freed window slots for messages waiting in the journal
            // After a full round more packets may wait (a PINGRESP among them): the next round judges the timeout.
            keepAlive(handled < MAX_PACKETS_PER_SERVICE);
        }
        if (state != CLOSED) {
            store.maintain(); // a handler may have closed the client, and with it the journal
        }
        return handled;
    }

    /**
     * Handles up to {@link #MAX_PACKETS_PER_SERVICE} packets, waiting up to {@code waitMillis} for the first (one
     * deadline, also across the events of an oversize PUBLISH, which do not count as packets).
     */
    private int handleFrames(int waitMillis) throws MqttException {
        int handled = 0;
        long deadline = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        try {
            while (handled < MAX_PACKETS_PER_SERVICE && state == CONNECTED) {
                int wait = handled == 0 ? waitMillis(deadline) : 0;
                if (wait > 0) {
                    batch.flush(); // nothing waits in the batch across a wait
                }
                int frame = reader.readFrame(transport, wait, false);
                if (frame == FrameReader.TIMEOUT) {
                    break;
                }
                if (frame == Failure.FAILED) {
                    throw fail(failure);
                }
                if (v5 && frame == FrameReader.FRAME && reader.header().type() == PacketType5.AUTH) {
                    onAuth();
                    handled++;
                    continue;
                }
                int outcome = callback(DISPATCH, null, frame, 0);
                if (outcome == Failure.FAILED) {
                    throw fail(failure);
                }
                if (outcome == PacketDispatcher.PINGRESP) {
                    pingOutstanding = false;
                } else if (outcome == PacketDispatcher.ACK_ARRIVED) {
                    pendingDone = true;
                }
                if (frame == FrameReader.FRAME) {
                    handled++;
                }
            }
        } catch (RuntimeException | Error e) {
            batch.flushQuietly(); // the acks of the packets handled before the one that failed still go out
            throw e;
        }
        batch.flush();
        return handled;
    }

    // What {@link #callback} runs.
    private static final int DISPATCH = 0;
    private static final int ON_CONNECTED = 1;
    private static final int ON_CONNECTION_LOST = 2;
    private static final int ON_SUBSCRIBE_ACKNOWLEDGED = 3;
    private static final int ON_RESUBSCRIBE_REFUSED = 4;
    private static final int ON_RECONNECT_SCHEDULED = 5;
    private static final int ON_MESSAGES_DROPPED = 6;
    private static final int ON_PROTOCOL_FALLBACK = 7;
    private static final int ON_PUBLISH_REFUSED = 8;
    private static final int ON_REAUTHENTICATED = 9;

    /** {@link #callback} for a listener call, which throws no checked exception. */
    private void notifyListener(int what, Object subject, int a, long b) {
        try {
            callback(what, subject, a, b);
        } catch (MqttException impossible) {
            throw new IllegalStateException("only DISPATCH throws MqttException", impossible);
        }
    }

    /**
     * The one place user code runs (message handlers through the dispatcher, listener callbacks): inside it a
     * handler or listener may publish, disconnect or close, but not read packets ({@link #requireNotInHandler}),
     * since the packet being handled is still in the receive buffer.
     *
     * @param what    {@link #DISPATCH} (the reader's event {@code a}) or one of the ON_* listener calls
     * @param subject the filter, cause or exception the listener call carries
     * @return the dispatcher's outcome for {@link #DISPATCH}, else 0
     * @throws MqttException from {@link #DISPATCH} only: a full batch of acks could not be written
     */
    private int callback(int what, Object subject, int a, long b) throws MqttException {
        callbackDepth++;
        try {
            switch (what) {
                case DISPATCH:
                    return dispatcher.dispatch(a);
                case ON_CONNECTED:
                    listener.onConnected(a != 0);
                    break;
                case ON_CONNECTION_LOST:
                    listener.onConnectionLost((MqttException) subject);
                    break;
                case ON_SUBSCRIBE_ACKNOWLEDGED:
                    listener.onSubscribeAcknowledged((CharSequence) subject, a);
                    break;
                case ON_RESUBSCRIBE_REFUSED:
                    listener.onResubscribeRefused((CharSequence) subject, a);
                    break;
                case ON_RECONNECT_SCHEDULED:
                    listener.onReconnectScheduled((Exception) subject, a, b);
                    break;
                case ON_PROTOCOL_FALLBACK:
                    listener.onProtocolFallback((String) subject);
                    break;
                case ON_PUBLISH_REFUSED:
                    listener.onPublishRefused(a, (int) b);
                    break;
                case ON_REAUTHENTICATED:
                    listener.onReauthenticated();
                    break;
                default:
                    listener.onMessagesDropped(a, b);
                    break;
            }
            return 0;
        } finally {
            callbackDepth--;
        }
    }

    /**
     * Since when the connection counts as quiet for keep-alive: the last send [MQTT-3.1.2-23]; but while an answer
     * is awaited (a QoS 1/2 message in flight, a SUBACK/UNSUBACK) the older of the last send and the last receive,
     * so that a client publishing into a dead route (sending, never receiving) still probes it with PINGREQ and
     * notices within 1.5 keep-alive intervals.
     */
    private long quietSinceNanos() {
        boolean awaiting = inflight.count() > 0 || dispatcher.awaitedId() != 0;
        long lastReceivedNanos = reader.lastReceivedNanos();
        return awaiting && lastReceivedNanos - lastSentNanos < 0 ? lastReceivedNanos : lastSentNanos;
    }

    /**
     * What the PINGRESP deadline counts from: the PINGREQ; but while a packet is partly received (a large PUBLISH
     * trickling in) its last byte, if later. The PINGRESP is queued behind that packet (§4.6), and bytes still
     * coming show the route is alive; a route that goes silent is still noticed within the ping timeout.
     */
    private long pingDeadlineFromNanos() {
        long lastReceivedNanos = reader.lastReceivedNanos();
        return reader.midPacket() && lastReceivedNanos - pingSentNanos > 0 ? lastReceivedNanos : pingSentNanos;
    }

    /** Sends PINGREQ when due; with {@code mayTimeOut}, fails when the PINGRESP is overdue. */
    private void keepAlive(boolean mayTimeOut) throws MqttException {
        long now = clock.nanoTime();
        switch (KeepAlive.due(now, quietSinceNanos(), lastSentNanos, keepAliveNanos, pingOutstanding,
                pingDeadlineFromNanos(), pingTimeoutNanos)) {
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

    // ---------------------------------------------------------------------------------------------------------
    // Sending, failure, helpers

    /**
     * Sends one packet, after the acks (and coalesced publishes) batched before it; a failed write ends the connection
     * ({@link #fail}).
     */
    private void send(byte[] buf, int off, int len) throws MqttException {
        batch.send(buf, off, len); // what was batched earlier goes first
    }

    /** Writes to the transport as it is; a failed write ends the connection ({@link #fail}). */
    public void write(byte[] buf, int off, int len) throws MqttException {
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
        reader.clear();
        dispatcher.clear();
        batch.clear(); // the server re-sends what the acks acknowledged, the window what was published at QoS 1/2
        MqttException e = new MqttException(reason, text, ruleId, cause);
        lastFailure = e;
        if (wasConnected) {
            notifyListener(ON_CONNECTION_LOST, e, 0, 0);
        }
        return e;
    }

    /**
     * Ends the connection for what the reader or the dispatcher reported; a lost connection while connecting says
     * whether the port may be a TLS port.
     */
    private MqttException fail(Failure f) {
        return fail(f.reason, f.reason == Reason.CONNECTION_LOST ? f.text + tlsPortHint() : f.text, f.ruleId, f.cause);
    }

    /**
     * A plain-TCP client at a TLS port gets a TLS alert, a reset or the end of stream instead of CONNACK:
     * say so while connecting (empty once connected, or when the transport is already TLS).
     */
    private String tlsPortHint() {
        if (state == CONNECTED || config.transportFactory().encrypted()) {
            return "";
        }
        return " (before CONNACK: if " + config.host() + ":" + config.port() + " is a TLS port, usually 8883, use ssl://"
                + config.host() + ":" + config.port() + ")";
    }

    private void closeTransport() {
        if (transport != null) {
            transport.close();
        }
    }

    private int nextPacketId() {
        return window.nextPacketId(dispatcher.awaitedId());
    }

    private void requireOperational(String operation) throws MqttException {
        if (state == CONNECTED) {
            return;
        }
        if (state == NEW || state == CLOSED) {
            throw new IllegalStateException(operation + (state == NEW ? " before connect: call connect first"
                    : " after close: the client is closed"));
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
    void requireStillConnected(String operation) throws MqttException {
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
    void requireNotEndedByCaller(String operation) throws MqttException {
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
     * Subscribing works offline: before the first connect, and between connections with automatic reconnect. The
     * filter is registered and sent after the next CONNACK.
     */
    private void requireSubscribable() throws MqttException {
        if (state == NEW || (queueOffline && (state == DISCONNECTED || state == CONNECTING))) {
            return;
        }
        requireOperational("subscribe");
    }

    /**
     * Publishing at QoS 1/2 works while disconnected (also before the first connect) when the client queues
     * offline: with automatic reconnect or a journal. QoS 0 is never queued.
     */
    private void requirePublishable(int qos, PropertiesWriter props) throws MqttException {
        if (props != null && props.length() > 0 && !v5) {
            throw new IllegalStateException("publish properties (" + props.length() + " bytes) need MQTT 5.0; this"
                    + " client speaks " + (config.protocolVersion() == MqttConfig.MQTT_AUTO
                    ? "MQTT 3.1.1 (AUTO fell back: the server refused 5.0)" : "protocol level "
                    + config.protocolVersion()) + ": set protocolVersion(MQTT_5) or publish without properties");
        }
        if (state == CONNECTED) {
            return;
        }
        if (qos > 0 && publishOffline && state != CLOSED) {
            return;
        }
        requireOperational("publish");
    }

    void requireNotInHandler(String operation) {
        if (callbackDepth > 0) {
            throw new IllegalStateException(operation + " from a message handler or listener callback: it would read"
                    + " packets while the packet being handled is still in the receive buffer");
        }
    }

    int waitMillis(long deadline) {
        return (int) Math.min(Integer.MAX_VALUE, KeepAlive.ceilMillis(deadline - clock.nanoTime()));
    }


    public String toString() {
        return "Session[" + STATE_NAMES[state] + ", " + config.host() + ":" + config.port()
                + ", inflight " + inflight.count() + "/" + inflight.capacity() + "]";
    }
}

