package dev.wren.mqtt;

import dev.wren.mqtt.internal.ClientSession;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A blocking MQTT 3.1.1 client with fixed memory, driven entirely by the caller's thread.
 *
 * <h2>Threading</h2>
 * The client creates no threads and is not thread-safe: one thread at a time calls it (hand it over with the
 * usual happens-before, e.g. a lock or a queue). A call (any method but the getters) made while another thread is
 * inside one throws {@link IllegalStateException} naming both threads, before it touches anything; the guard costs
 * a compare-and-set and a volatile write per call and allocates nothing. The calling thread runs everything:
 * {@link #connect}, {@link #publish}, {@link #subscribe}, and {@link #poll}, which reads incoming packets, calls the
 * {@link MessageHandler}s and the {@link MqttListener}, answers acks and sends PINGREQ. Call {@link #poll} at least once per keep-alive interval
 * (MQTT 3.1.1 §3.1.2.10) and whenever you want messages delivered. From inside a handler or a listener callback
 * you may call {@link #publish} (receive and transmit buffers are separate), {@link #disconnect} and {@link #close};
 * not {@link #connect}, {@link #poll}, {@link #subscribe}, {@link #unsubscribe} or {@link #awaitInflight}, which
 * would read over the packet being handled ({@link IllegalStateException}). When a handler or listener calls {@link #disconnect} or
 * {@link #close} while the caller's thread waits inside {@link #publish} (full window), {@link #awaitInflight},
 * {@link #subscribe} or {@link #unsubscribe}, that wait ends at once: {@link IllegalStateException} after close,
 * {@link MqttException} {@code NOT_CONNECTED} after disconnect.
 *
 * <h2>Memory</h2>
 * The constructor allocates every buffer and table from the {@link MqttConfig}; nothing grows later. Once
 * connected, publish, receive, acks and pings allocate nothing (at QoS 0, 1 and 2). Errors allocate their exception.
 *
 * <h2>Delivery</h2>
 * QoS 1 and 2 messages enter the in-flight window ({@link MqttConfig#maxInflight()}) and stay there, encoded, until
 * PUBACK or PUBCOMP ({@link MqttListener#onPublishComplete}). The window outlives a lost connection: on the next
 * {@link #connect} with a session present it is re-sent in order with DUP=1 (PUBREL where PUBREC had arrived)
 * [MQTT-4.4.0-1]; without a session present (clean session, or the server lost it) every message in it is published
 * again as new — nothing is lost, though a QoS 2 message whose PUBREC had arrived may then be delivered twice.
 *
 * <h2>Errors: what is thrown, what reaches the listener</h2>
 * A failure is <em>thrown</em> to the call that caused it, where the caller can still act on it:
 * <ul>
 *   <li>{@link MqttException}, its {@link MqttException#reason()} saying which: the server refused
 *       ({@code REFUSED_*} for CONNACK 1-5, {@code SUBSCRIBE_REFUSED}), an answer did not come in time
 *       ({@code CONNECT_TIMEOUT}, {@code OPERATION_TIMEOUT}, {@code INFLIGHT_WINDOW_TIMEOUT},
 *       {@code KEEP_ALIVE_TIMEOUT}), a fixed-size table or buffer is full ({@code INFLIGHT_WINDOW_FULL},
 *       {@code SUBSCRIPTION_TABLE_FULL}, {@code INCOMING_QOS2_TABLE_FULL}, {@code PACKET_TOO_LARGE}), the
 *       connection is gone ({@code NOT_CONNECTED}, {@code CONNECTION_LOST}, the socket's {@link IOException} as
 *       cause) or the server broke the protocol ({@code PROTOCOL_VIOLATION}, the rule in
 *       {@link MqttException#ruleId()}). Every one that ends the connection closes the socket first; call
 *       {@link #connect} again to resume (the in-flight window is kept).</li>
 *   <li>{@link IOException}: the socket, where no MQTT connection exists to lose — {@link #connect} could not open
 *       the transport, {@link #disconnect} could not write DISCONNECT.</li>
 *   <li>{@link IllegalStateException}: misuse, a bug in the calling code rather than a condition to retry — after
 *       {@link #close}, {@link #connect} while connected, an operation that needs a connection before the first
 *       connect, a reading operation from a handler or listener, a second thread inside the client.</li>
 *   <li>{@link IllegalArgumentException}: a bad argument (QoS, topic name or filter, payload range, array
 *       lengths), checked before anything is registered or sent.</li>
 *   <li>{@link java.io.UncheckedIOException}: the journal file could not be opened, written or read.</li>
 * </ul>
 * A failure <em>reaches the {@link MqttListener}</em> instead when no call of the caller is waiting for it, or the
 * client has already dealt with it, so that throwing would only abort unrelated work (a {@link #poll} delivering
 * other messages, a {@link #connect} re-sending the window):
 * <ul>
 *   <li>connection loss: always {@link MqttListener#onConnectionLost}; under automatic reconnect it is not thrown,
 *       and failed attempts go to {@link MqttListener#onReconnectScheduled};</li>
 *   <li>a filter the server refuses when subscribed again after a reconnect
 *       ({@link MqttListener#onResubscribeRefused}), and the answer to a subscribe made offline
 *       ({@link MqttListener#onSubscribeAcknowledged});</li>
 *   <li>the journal's repairs ({@link MqttListener#onJournalWarning}) and the messages a full journal dropped
 *       ({@link MqttListener#onMessagesDropped});</li>
 *   <li>an exception a {@link MessageHandler} threw ({@link MqttListener#onHandlerError}; an {@link Error} goes out
 *       of {@link #poll}), and an incoming message too large for the receive buffer
 *       ({@link MqttListener#onOversizeMessage}).</li>
 * </ul>
 *
 * <h2>Automatic reconnect</h2> ({@link MqttConfig.Builder#automaticReconnect}, off by default)
 * Still no thread: {@link #poll} (and {@link #awaitInflight}, and a publish waiting for a window slot) makes the
 * attempts. A lost connection is then reported to {@link MqttListener#onConnectionLost} but not thrown; attempts
 * follow an exponential, jittered backoff ({@link MqttConfig.Builder#reconnectBackoff}), each resolving the host
 * again and bounded by {@link MqttConfig#connectTimeoutMillis()}; each failure goes to
 * {@link MqttListener#onReconnectScheduled}. After a successful one the window is re-sent as above and, when the
 * server has no session, every subscription is made again (one the server now refuses is reported to
 * {@link MqttListener#onResubscribeRefused}; the connection stays). The backoff starts from its minimum again only
 * after a connection has stayed up for the maximum delay. {@link #poll} may be called before any successful
 * {@link #connect}: it makes the first attempt.
 *
 * <h2>Offline queueing and the journal</h2>
 * With automatic reconnect or a journal, {@link #publish} at QoS 1/2 works while disconnected (also before the
 * first connect): the message waits in the window (memory; {@code INFLIGHT_WINDOW_FULL} once the window holds
 * {@link MqttConfig#maxInflight()} of them) or in the journal ({@link MqttConfig.Builder#inflightStore}, client-journal), a preallocated
 * file that keeps every unacknowledged message across a crash or power cut; a new client on the file sends them
 * first, in order. With a journal, publish never blocks: when the window is full the message waits in the file,
 * and when the file is full the oldest waiting message is dropped and reported ({@link #droppedCount()}).
 * QoS 0 messages are never queued.
 *
 * <h2>Write coalescing</h2> ({@link MqttConfig.Builder#coalesceWrites}, off by default)
 * {@link #publish} then appends to a preallocated batch written in one transport write (one TLS record) when it is
 * full, when {@link #poll} (or any wait) starts, before other control packets, and on {@link #flush()},
 * {@link #disconnect} and {@link #close}. A failed write of the batch loses its QoS 0 messages (up to one batch).
 */
public final class MqttClient implements AutoCloseable {

    /** SUBACK return code "Failure" (0x80, MQTT 3.1.1 §3.9.3): the server refused the filter. */
    public static final int SUBACK_FAILURE = 0x80;

    /**
     * Returned by {@code subscribe} (as the QoS, or per filter) while offline: the filter is registered and sent after
     * the next CONNACK; the server's answer then goes to {@link MqttListener#onSubscribeAcknowledged}.
     */
    public static final int SUBACK_PENDING = -1;

    /**
     * Subscription option No Local, or-ed into a subscribe's {@code qos} at MQTT 5.0 (§3.8.3.1, bit 2): the server
     * does not send this client its own publishes on the filter [MQTT-3.8.3-3]. Refused on a {@code $share/} filter
     * [MQTT-3.8.3-4], and at MQTT 3.1/3.1.1 ({@link IllegalStateException}).
     */
    public static final int NO_LOCAL = 0x04;

    /**
     * Subscription option Retain As Published, or-ed into {@code qos} at MQTT 5.0 (§3.8.3.1, bit 3): forwarded
     * messages keep the RETAIN flag they were published with [MQTT-3.3.1-13] (without it the flag is 0 on
     * messages that are not sent for the subscription itself [MQTT-3.3.1-12]).
     */
    public static final int RETAIN_AS_PUBLISHED = 0x08;

    /**
     * Retain Handling 1, or-ed into {@code qos} at MQTT 5.0 (§3.8.3.1, bits 4-5): retained messages are sent only if
     * the subscription did not exist yet [MQTT-3.3.1-10]. Without a retain handling (0) they are sent at every
     * subscribe [MQTT-3.3.1-9].
     */
    public static final int RETAIN_HANDLING_SEND_IF_NEW = 0x10;

    /** Retain Handling 2, or-ed into {@code qos} at MQTT 5.0 (§3.8.3.1): no retained messages at subscribe [MQTT-3.3.1-11]. */
    public static final int RETAIN_HANDLING_NEVER = 0x20;

    private final MqttConfig config;
    private final ClientSession session;
    /** The thread inside a call now (null: none), for the entry guard. */
    private final AtomicReference<Thread> owner = new AtomicReference<>();
    /** What {@link #owner} called, for the guard's message only: a plain field, read racily by the intruder. */
    private String ownerOperation;
    /** {@link #request}'s state, made by its first call. */
    private Requester requester;

    /**
     * Builds a client and allocates all of its memory; does not connect. With a journal configured, opens the file
     * (creating and preallocating it) and recovers the messages it holds. A file of another size is resized, a
     * damaged header repaired, a file that cannot be read moved aside: each reported to
     * {@link MqttListener#onJournalWarning}.
     *
     * @throws java.io.UncheckedIOException the journal cannot be opened: in use (by this process or another, the
     *                                      message says which), cannot be created (path, size asked, space free)
     */
    public MqttClient(MqttConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("config is null");
        }
        this.config = config;
        this.session = ClientSession.open(config);
    }

    /**
     * Connects: opens the transport, sends CONNECT (MQTT 3.1.1 §3.1), waits for CONNACK, then re-sends the in-flight
     * window. {@link MqttConfig#connectTimeoutMillis()} bounds opening and the CONNACK wait together: the open may
     * use all of it, the CONNACK wait has what the open left.
     *
     * @return the CONNACK session-present flag (§3.2.2.2)
     * @throws IOException   the transport could not be opened (unknown host, refused, timed out)
     * @throws MqttException {@code REFUSED_*} for CONNACK return codes 1-5, {@code CONNECT_TIMEOUT},
     *                       {@code CONNECTION_LOST}, {@code PROTOCOL_VIOLATION}; at 5.0 the reason of a CONNACK
     *                       reason code (e.g. {@code NOT_AUTHORIZED}, {@code BAD_AUTHENTICATION_METHOD}; its message
     *                       names the Reason String and, for 0x9C/0x9D, the Server Reference;
     *                       {@link #connackProperties()} holds them), and with an authenticator
     *                       {@code AUTHENTICATION_FAILED} when it refused the server's data (DISCONNECT 0x80 sent
     *                       first); the AUTH round trips of enhanced authentication (MQTT 5.0 §4.12) all fall within
     *                       connectTimeoutMillis
     * @throws IllegalStateException already connected, or closed
     */
    public boolean connect() throws IOException, MqttException {
        boolean outer = enter("connect");
        try {
            return session.connect();
        } finally {
            exit(outer);
        }
    }

    /** True while connected. */
    public boolean isConnected() {
        return session.isConnected();
    }

    /**
     * The client identifier the server assigned in its last MQTT 5.0 CONNACK (Assigned Client Identifier, MQTT 5.0
     * §3.2.2.3.7), when the config's client id was empty; null otherwise.
     */
    public String assignedClientId() {
        return session.assignedClientId();
    }

    /**
     * Request/response at MQTT 5.0 (§4.10): publishes {@code payload} to {@code topic} with {@code responseTopic} as
     * Response Topic and {@code correlationData[correlationOff..+correlationLen)} as Correlation Data, then polls
     * until a message on the response topic carries the same Correlation Data, hands it to {@code response} (a view
     * valid while it runs, as for any handler) and returns true; false once {@code timeoutMillis} passed without it
     * (on the configured clock). The response topic is subscribed (at {@code qos}) by the first request that names
     * it and stays subscribed; messages there that match no waiting request (a late answer to one that timed out)
     * are dropped. Other messages go to their handlers while it waits. After the first call with a response topic,
     * a call allocates nothing. Not from a handler (it polls). The timeout bounds the wait for the answer; the
     * publish before it waits for a window slot as {@link #publish} does (at most operationTimeoutMillis).
     *
     * @param responseTopic   a topic name without wildcards [MQTT-3.3.2-14]
     * @param correlationData compared byte for byte with each response's; at most 65,535 bytes
     * @return true when the response came and {@code response} ran; false at the timeout
     * @throws MqttException as {@link #subscribe(CharSequence, int, MessageHandler)} (the first time),
     *                       {@link #publish(CharSequence, byte[], int, int, int, boolean, PublishProperties)} and
     *                       {@link #poll}
     * @throws IllegalStateException at MQTT 3.1/3.1.1 (no properties), from a handler, and as publish
     * @throws IllegalArgumentException a null handler or response topic, {@code timeoutMillis} &lt; 0, and as publish
     */
    public boolean request(CharSequence topic, byte[] payload, int off, int len, int qos, CharSequence responseTopic,
                           byte[] correlationData, int correlationOff, int correlationLen, long timeoutMillis,
                           MessageHandler response) throws IOException, MqttException {
        boolean outer = enter("request");
        try {
            if (requester == null) {
                requester = new Requester(this, config.clock());
            }
            return requester.request(topic, payload, off, len, qos, responseTopic, correlationData, correlationOff,
                    correlationLen, timeoutMillis, response);
        } finally {
            exit(outer);
        }
    }

    /**
     * What the server said in its last MQTT 5.0 CONNACK (§3.2.2), accepted or refused: limits the client keeps to,
     * availability flags, Server Keep Alive, Session Expiry Interval, Reason String, Server Reference, Response
     * Information. Built once per CONNACK; null before the first, and at MQTT 3.1/3.1.1 (also after an AUTO
     * fallback).
     */
    public ConnackProperties connackProperties() {
        return session.connackProperties();
    }

    /**
     * Publishes at QoS 0, 1 or 2 (MQTT 3.1.1 §3.3, §4.3). Validates and encodes {@code topic} on every call; use
     * {@link #publish(MqttTopic, byte[], int, int, int, boolean)} for a fixed topic. Returns at once while a window
     * slot is free; when the window is full, drives {@link #poll} until a slot frees or
     * {@link MqttConfig#operationTimeoutMillis()} passes.
     *
     * With a journal the message goes into the file first and never waits for a slot (see the class comment).
     *
     * @return the packet id (1..65535); 0 at QoS 0, and for a message left waiting (offline, or in the journal)
     * @throws MqttException {@code INFLIGHT_WINDOW_TIMEOUT} (message names window size and timeout),
     *                       {@code INFLIGHT_WINDOW_FULL} (full and called from a handler, or full while disconnected),
     *                       {@code PACKET_TOO_LARGE}, {@code NOT_CONNECTED} (QoS 0, or no offline queueing),
     *                       {@code CONNECTION_LOST} without automatic reconnect (a QoS 1/2 message then stays queued)
     * @throws IllegalArgumentException QoS not 0..2, invalid topic name (wildcards, empty), payload range
     * @throws IllegalStateException before the first connect (unless queueing offline), or after close
     * @throws java.io.UncheckedIOException the journal could not be written or read; the message says whether the
     *                                      message IS in the journal (it goes out once the disk works again) or NOT
     */
    public int publish(CharSequence topic, byte[] payload, int off, int len, int qos, boolean retain)
            throws IOException, MqttException {
        boolean outer = enter("publish");
        try {
            return session.publish(topic, payload, off, len, qos, retain, null);
        } finally {
            exit(outer);
        }
    }

    /**
     * As {@link #publish(CharSequence, byte[], int, int, int, boolean)}, with MQTT 5.0 PUBLISH properties (§3.3.2.3):
     * message expiry, payload format, content type, response topic, correlation data, user properties. Their
     * encoded bytes are copied into the frame, so {@code properties} may be cleared and refilled for the next
     * message at once; a QoS 1/2 message keeps them in every resend. Nothing is allocated.
     *
     * @param properties the properties, or null for none
     * @throws IllegalStateException non-empty {@code properties} while the client speaks MQTT 3.1 or 3.1.1 (they
     *                               have no properties), and as the form without properties
     */
    public int publish(CharSequence topic, byte[] payload, int off, int len, int qos, boolean retain,
                       PublishProperties properties) throws IOException, MqttException {
        boolean outer = enter("publish");
        try {
            return session.publish(topic, payload, off, len, qos, retain, writer(properties));
        } finally {
            exit(outer);
        }
    }

    /** As {@link #publish(CharSequence, byte[], int, int, int, boolean, PublishProperties)} for a fixed topic. */
    public int publish(MqttTopic topic, byte[] payload, int off, int len, int qos, boolean retain,
                       PublishProperties properties) throws IOException, MqttException {
        if (topic == null) {
            throw new IllegalArgumentException("topic is null");
        }
        boolean outer = enter("publish");
        try {
            return session.publish(topic.utf8, 0, topic.utf8.length, payload, off, len, qos, retain,
                    writer(properties));
        } finally {
            exit(outer);
        }
    }

    private static dev.wren.mqtt.codec.v5.PropertiesWriter writer(PublishProperties properties) {
        return properties == null ? null : properties.writer;
    }

    /** As {@link #publish(CharSequence, byte[], int, int, int, boolean)}, for a topic validated and encoded once. */
    public int publish(MqttTopic topic, byte[] payload, int off, int len, int qos, boolean retain)
            throws IOException, MqttException {
        if (topic == null) {
            throw new IllegalArgumentException("topic is null");
        }
        boolean outer = enter("publish");
        try {
            return session.publish(topic.utf8, 0, topic.utf8.length, payload, off, len, qos, retain, null);
        } finally {
            exit(outer);
        }
    }

    /**
     * As {@link #publish(CharSequence, byte[], int, int, int, boolean)} for the whole of {@code payload}.
     *
     * @throws IllegalArgumentException {@code payload} is null, and as the full form
     */
    public int publish(CharSequence topic, byte[] payload, int qos, boolean retain) throws IOException, MqttException {
        return publish(topic, requirePayload(payload), 0, payload.length, qos, retain);
    }

    /**
     * As {@link #publish(MqttTopic, byte[], int, int, int, boolean)} for the whole of {@code payload}: a topic
     * validated and encoded once, nothing allocated.
     *
     * @throws IllegalArgumentException {@code topic} or {@code payload} is null, and as the full form
     */
    public int publish(MqttTopic topic, byte[] payload, int qos, boolean retain) throws IOException, MqttException {
        return publish(topic, requirePayload(payload), 0, payload.length, qos, retain);
    }

    private static byte[] requirePayload(byte[] payload) {
        if (payload == null) {
            throw new IllegalArgumentException("payload is null");
        }
        return payload;
    }

    /**
     * Subscribes to {@code filter} (wildcards allowed, MQTT 3.1.1 §4.7) and routes matching messages to
     * {@code handler}; waits for SUBACK up to {@link MqttConfig#operationTimeoutMillis()}. Subscribing an existing
     * filter again replaces its handler, unless the server refuses it: the previous handler and QoS then stay.
     * Every handler whose filter matches a message is called.
     *
     * <p>Offline — before the first {@link #connect}, and between connections with automatic reconnect — the filter
     * is registered and returns {@link #SUBACK_PENDING} at once; it is sent after the next CONNACK (whether or not
     * the server kept a session), and the server's answer goes to {@link MqttListener#onSubscribeAcknowledged}
     * (refused: the filter is removed).
     *
     * <p>At MQTT 5.0 {@code qos} may carry subscription options or-ed in (§3.8.3.1): {@link #NO_LOCAL},
     * {@link #RETAIN_AS_PUBLISHED}, and {@link #RETAIN_HANDLING_SEND_IF_NEW} or {@link #RETAIN_HANDLING_NEVER},
     * e.g. {@code 1 | NO_LOCAL | RETAIN_HANDLING_NEVER}; a re-subscription after a reconnect sends them again.
     *
     * @param qos the requested QoS 0..2, at 5.0 with options or-ed in
     * @return the granted QoS (§3.9.3), or {@link #SUBACK_PENDING} offline
     * @throws MqttException {@code SUBSCRIBE_REFUSED} (return code 0x80), {@code OPERATION_TIMEOUT},
     *                       {@code SUBSCRIPTION_TABLE_FULL}, {@code PACKET_TOO_LARGE}, {@code NOT_CONNECTED}
     *                       (disconnected without automatic reconnect), {@code WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED}
     *                       (a wildcard filter to a 5.0 server whose CONNACK says Wildcard Subscription Available 0,
     *                       §3.2.2.3.11: nothing sent; a re-subscription after CONNACK is not sent either and is
     *                       reported as refused with 0xA2)
     * @throws IllegalArgumentException invalid filter, QoS not 0..2, retain handling 3 or a reserved bit set,
     *                                  {@link #NO_LOCAL} on a {@code $share/} filter [MQTT-3.8.3-4]
     * @throws IllegalStateException after close, or from a handler or listener callback; options at MQTT 3.1/3.1.1
     */
    public int subscribe(CharSequence filter, int qos, MessageHandler handler) throws IOException, MqttException {
        boolean outer = enter("subscribe");
        try {
            return session.subscribe(filter, qos, handler);
        } finally {
            exit(outer);
        }
    }

    /**
     * As {@link #subscribe(CharSequence, int, MessageHandler)} at MQTT 5.0 with a Subscription Identifier
     * (§3.8.2.1.2), kept for re-subscriptions after a reconnect. The server puts it into every message it sends for
     * this subscription (§3.3.2.3.8), readable through {@link MqttMessage#properties()} (all of them when several
     * subscriptions matched: iterate). A message carrying identifiers goes to the handlers of the subscriptions
     * with those identifiers, and to the matching subscriptions that have none; a subscription with an identifier
     * that the message does not carry is skipped even when its filter matches (the server sends a copy per
     * subscription, or one copy naming them all [MQTT-3.3.4-3, MQTT-3.3.4-4]). A message with no identifier goes to
     * every matching handler, as always.
     *
     * @param subscriptionId 1..268,435,455, or 0 for none
     * @throws MqttException {@code SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED} when the server's CONNACK said
     *                       Subscription Identifier Available 0 (nothing sent), and as the form without it
     * @throws IllegalStateException an identifier at MQTT 3.1/3.1.1
     * @throws IllegalArgumentException an identifier out of range, and as the form without it
     */
    public int subscribe(CharSequence filter, int qos, int subscriptionId, MessageHandler handler)
            throws IOException, MqttException {
        boolean outer = enter("subscribe");
        try {
            return session.subscribe(filter, qos, subscriptionId, handler);
        } finally {
            exit(outer);
        }
    }

    /**
     * Subscribes to several filters in one SUBSCRIBE (MQTT 3.1.1 §3.8), {@code filters[i]} at {@code qos[i]}, all
     * routed to {@code handler}; waits for the one SUBACK up to {@link MqttConfig#operationTimeoutMillis()}. The
     * server answers each filter on its own (§3.9.3): {@code returnCodes[i]} receives the QoS granted to
     * {@code filters[i]} (0..2) or {@link #SUBACK_FAILURE}. A refused filter among granted ones is not an exception:
     * the granted ones are subscribed, the refused one is undone as for {@link #subscribe(CharSequence, int,
     * MessageHandler)} (its previous handler and QoS stay, or it goes), and the return value tells that some were
     * refused. Nothing is allocated; the arrays may be reused. Offline, as the single-filter form: every filter is
     * registered, {@code returnCodes} holds {@link #SUBACK_PENDING}, and each filter's answer goes to
     * {@link MqttListener#onSubscribeAcknowledged} after the next CONNACK.
     *
     * @param filters     1..{@link MqttConfig#maxSubscriptions()} topic filters, none twice
     * @param qos         requested QoS per filter, as many as filters; at 5.0 with options or-ed in, as for
     *                    {@link #subscribe(CharSequence, int, MessageHandler)}
     * @param returnCodes receives one return code per filter, at least as long as {@code filters}
     * @return how many filters the server granted ({@code filters.length}: all; 0 offline)
     * @throws MqttException {@code OPERATION_TIMEOUT}, {@code SUBSCRIPTION_TABLE_FULL} (the new filters do not all
     *                       fit; none is registered or sent), {@code PACKET_TOO_LARGE}, {@code NOT_CONNECTED},
     *                       {@code WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED} (as for the single-filter form),
     *                       {@code CONNECTION_LOST}, {@code PROTOCOL_VIOLATION} (a SUBACK with another number of
     *                       return codes, [MQTT-3.8.4-5])
     * @throws IllegalArgumentException a null or invalid filter, one twice, QoS not 0..2, arrays of other lengths
     */
    public int subscribe(CharSequence[] filters, int[] qos, MessageHandler handler, int[] returnCodes)
            throws IOException, MqttException {
        boolean outer = enter("subscribe");
        try {
            return session.subscribe(filters, qos, handler, returnCodes);
        } finally {
            exit(outer);
        }
    }

    /**
     * Unsubscribes {@code filter} and drops its handler after UNSUBACK (MQTT 3.1.1 §3.10). At MQTT 5.0 a refusal
     * (UNSUBACK reason code 0x80 or more, §3.11.3) is an {@link MqttException} whose reason is the code's, and the
     * handler stays (the server still holds the subscription); 0x11 No subscription existed is not an error.
     */
    public void unsubscribe(CharSequence filter) throws IOException, MqttException {
        boolean outer = enter("unsubscribe");
        try {
            session.unsubscribe(filter);
        } finally {
            exit(outer);
        }
    }

    /**
     * Unsubscribes several filters in one UNSUBSCRIBE and drops their handlers after the one UNSUBACK (MQTT 3.1.1
     * §3.10, §3.11; UNSUBACK carries no per-filter result, and a filter the server did not hold is not an error).
     *
     * At MQTT 5.0 a filter the server refuses keeps its handler, as for {@link #unsubscribe(CharSequence)}, and the
     * first refused filter is the exception (the others are unsubscribed); use
     * {@link #unsubscribe(CharSequence[], int[])} for every filter's code without an exception.
     *
     * @param filters 1..{@link MqttConfig#maxSubscriptions()} topic filters, none twice
     * @throws MqttException {@code OPERATION_TIMEOUT}, {@code PACKET_TOO_LARGE}, {@code NOT_CONNECTED},
     *                       {@code CONNECTION_LOST}; at 5.0 the reason of the first refused filter's code
     * @throws IllegalArgumentException a null or invalid filter, one twice
     */
    public void unsubscribe(CharSequence[] filters) throws IOException, MqttException {
        boolean outer = enter("unsubscribe");
        try {
            session.unsubscribe(filters);
        } finally {
            exit(outer);
        }
    }

    /**
     * Unsubscribes several filters in one UNSUBSCRIBE and reports each filter's UNSUBACK reason code (MQTT 5.0
     * §3.11.3) in {@code reasonCodes}: 0x00 Success, 0x11 No subscription existed, or a refusal (0x80 or more, e.g.
     * 0x87 Not authorized), whose filter keeps its handler. At 3.1.1, whose UNSUBACK has no codes, every entry is
     * 0x00. A refusal is not an exception here. Nothing is allocated; the arrays may be reused.
     *
     * @param filters     1..{@link MqttConfig#maxSubscriptions()} topic filters, none twice
     * @param reasonCodes receives one reason code per filter, at least as long as {@code filters}
     * @return how many filters were unsubscribed (codes below 0x80)
     * @throws MqttException as {@link #unsubscribe(CharSequence[])} but for refusals; {@code PROTOCOL_VIOLATION}
     *                       for an UNSUBACK with another number of reason codes [MQTT-3.11.3-1]
     * @throws IllegalArgumentException a null or invalid filter, one twice, {@code reasonCodes} too short
     */
    public int unsubscribe(CharSequence[] filters, int[] reasonCodes) throws IOException, MqttException {
        boolean outer = enter("unsubscribe");
        try {
            return session.unsubscribe(filters, reasonCodes);
        } finally {
            exit(outer);
        }
    }

    /** Sets the catch-all handler for messages no subscription's handler takes; null counts them as unhandled. */
    public void setDefaultHandler(MessageHandler handler) {
        boolean outer = enter("setDefaultHandler");
        try {
            session.setDefaultHandler(handler);
        } finally {
            exit(outer);
        }
    }

    /**
     * Waits up to {@code timeoutMillis} for packets, then handles every packet already arrived: calls handlers,
     * sends PUBACK/PUBREC/PUBREL/PUBCOMP, completes publishes; sends PINGREQ when due (§3.1.2.10). Returns by the
     * timeout (on the configured clock) even while a packet is still arriving; the next call goes on with it.
     * With automatic reconnect also while reconnecting, with one exception: an attempt's CONNACK wait goes on
     * across calls until connectTimeoutMillis, but opening the connection (name lookup, TCP connect, TLS handshake),
     * which blocking sockets cannot resume, may keep the call that starts an attempt up to connectTimeoutMillis.
     *
     * @return packets handled; 0 when none arrived in time
     * @throws MqttException {@code CONNECTION_LOST}, {@code KEEP_ALIVE_TIMEOUT}, {@code PROTOCOL_VIOLATION},
     *                       {@code NOT_CONNECTED}
     * @throws Error         what a handler threw, as is (likewise a RuntimeException a listener threw). The packet
     *                       being handled is consumed (a QoS 1/2 message is not acknowledged, see
     *                       {@link MessageHandler#onMessage}); the connection stays up and the next poll goes on
     *                       with the next packet
     */
    public int poll(long timeoutMillis) throws IOException, MqttException {
        boolean outer = enter("poll");
        try {
            return session.poll(timeoutMillis);
        } finally {
            exit(outer);
        }
    }

    /** Drives {@link #poll} until no QoS 1/2 message is in flight; false if some still are after the timeout. */
    public boolean awaitInflight(long timeoutMillis) throws IOException, MqttException {
        boolean outer = enter("awaitInflight");
        try {
            return session.awaitInflight(timeoutMillis);
        } finally {
            exit(outer);
        }
    }

    /**
     * Writes the packets waiting in the write-coalescing batch ({@link MqttConfig.Builder#coalesceWrites}) in one
     * transport write; call it when a burst of publishes ends and no {@link #poll} follows soon. No-op when
     * coalescing is off, when nothing waits, and when not connected (a lost connection discarded the batch). May be
     * called from a handler.
     *
     * @throws MqttException {@code CONNECTION_LOST} when the write fails: QoS 0 messages in the batch are lost, QoS
     *                       1/2 messages stay in the window and are re-sent on the next connect
     */
    public void flush() throws MqttException {
        boolean outer = enter("flush");
        try {
            session.flush();
        } finally {
            exit(outer);
        }
    }

    /** Outgoing QoS 1/2 messages not yet acknowledged (PUBACK/PUBCOMP). */
    public int inflightCount() {
        return session.inflightCount();
    }

    /** Outgoing QoS 1/2 messages waiting in the journal beyond the in-flight window (0 without a journal). */
    public int queuedCount() {
        return session.queuedCount();
    }

    /** Messages the full journal dropped (oldest waiting first) since construction; see {@link MqttListener#onMessagesDropped}. */
    public long droppedCount() {
        return session.droppedCount();
    }

    /** Incoming messages larger than the receive buffer, drained and acknowledged (see {@link MqttListener#onOversizeMessage}). */
    public long oversizeMessageCount() {
        return session.oversizeMessageCount();
    }

    /** Incoming messages that matched no handler's filter while no default handler was set. */
    public long unhandledMessageCount() {
        return session.unhandledMessageCount();
    }

    /**
     * Sends DISCONNECT, waits up to {@link MqttConfig#operationTimeoutMillis()} for the server to close its side
     * (so it has surely read the DISCONNECT), and closes the connection (MQTT 3.1.1 §3.14): the server discards the
     * will. Nothing else is sent after DISCONNECT [MQTT-3.14.4-2]. The in-flight window is kept for a later
     * {@link #connect}. No-op when not connected; an automatic reconnect attempt still awaiting CONNACK is abandoned
     * (its connection closed, nothing sent). With automatic reconnect, no attempt follows until
     * {@link #connect} is called again: {@link #poll} then throws {@code NOT_CONNECTED}.
     *
     * @throws IOException the DISCONNECT could not be written (the socket had already failed). A socket error, so
     *                     not an {@link MqttException}, and not reported to {@link MqttListener#onConnectionLost}
     *                     (the caller ended the connection): the client is disconnected and the transport closed all
     *                     the same, {@link #connect} may follow; the server, not having read DISCONNECT, may publish
     *                     the will
     */
    public void disconnect() throws IOException {
        boolean outer = enter("disconnect");
        try {
            session.disconnect();
        } finally {
            exit(outer);
        }
    }

    /**
     * As {@link #disconnect()}, but waits at most {@code closeWaitMillis} (on the configured clock) for the server to
     * close its side: for a caller with a deadline of its own, such as a stopping process, since a server that
     * neither closes nor stops sending (§3.14.4 only says it SHOULD close) would otherwise hold the caller for
     * {@link MqttConfig#operationTimeoutMillis()}. 0 sends DISCONNECT and closes at once.
     *
     * @throws IllegalArgumentException {@code closeWaitMillis} &lt; 0
     * @throws IOException              as {@link #disconnect()}
     */
    public void disconnect(long closeWaitMillis) throws IOException {
        boolean outer = enter("disconnect");
        try {
            session.disconnect(closeWaitMillis);
        } finally {
            exit(outer);
        }
    }

    /**
     * As {@link #disconnect()}, at MQTT 5.0 with a reason code (§3.14.2.1) and a new Session Expiry Interval
     * (§3.14.2.2.2). {@code 0x04} (Disconnect with Will Message) has the server publish the will, after the will's
     * delay ({@link MqttConfig.Builder#willProperties}) unless the session ends first; {@code 0x00} is a normal
     * disconnection (the will is discarded [MQTT-3.1.2-10]).
     *
     * @param reasonCode a DISCONNECT reason code, e.g. 0x00 or 0x04
     * @param sessionExpirySeconds the session's lifetime from now, 0..4,294,967,295, or -1 to keep the CONNECT's (no
     *                             property sent); above 0 only if the config's
     *                             {@link MqttConfig#sessionExpiryIntervalSeconds()} is (a protocol error otherwise)
     * @throws IllegalArgumentException a code DISCONNECT does not carry, an interval out of range, or above 0 after a
     *                                  CONNECT with Session Expiry Interval 0 (nothing is sent)
     * @throws IllegalStateException at MQTT 3.1/3.1.1, where DISCONNECT has no reason code
     * @throws IOException as {@link #disconnect()}
     */
    public void disconnect(int reasonCode, long sessionExpirySeconds) throws IOException {
        boolean outer = enter("disconnect");
        try {
            session.disconnect(reasonCode, sessionExpirySeconds);
        } finally {
            exit(outer);
        }
    }

    /**
     * MQTT 5.0 re-authentication (§4.12.1) with the config's {@link MqttConfig.Builder#authenticator authenticator}:
     * sends AUTH 0x19 with its initial data and returns; the exchange goes on in {@link #poll} (the server's AUTH
     * 0x18 challenges answered), and ends with {@link MqttListener#onReauthenticated} once the server's AUTH 0x00 is
     * verified. A refusal by either side ends the connection: the server's DISCONNECT, or the client's DISCONNECT
     * 0x80 with {@code AUTHENTICATION_FAILED} ({@link MqttListener#onConnectionLost}, and thrown by that poll).
     * Other packets flow meanwhile.
     *
     * @throws MqttException {@code NOT_CONNECTED}; the authenticator's refusal to start (nothing sent, the
     *                       connection stays); {@code CONNECTION_LOST} when the write fails
     * @throws IllegalStateException no authenticator configured (AUTH is then not allowed [MQTT-4.12.0-7]), a
     *                               re-authentication already under way, or closed
     */
    public void reauthenticate() throws IOException, MqttException {
        boolean outer = enter("reauthenticate");
        try {
            session.reauthenticate();
        } finally {
            exit(outer);
        }
    }

    /** Closes the connection without DISCONNECT (the server then publishes the will); final; idempotent. */
    @Override
    public void close() {
        boolean outer = enter("close");
        try {
            session.close();
        } finally {
            exit(outer);
        }
    }

    /**
     * The entry guard: marks the calling thread as the one inside the client. A call from a handler or listener
     * (the same thread, already inside) passes; a call from another thread while one is inside throws.
     *
     * @return true for the outermost call, which {@link #exit}s
     * @throws IllegalStateException another thread is inside the client; the message names both threads
     */
    private boolean enter(String operation) {
        Thread caller = Thread.currentThread();
        while (true) {
            Thread inside = owner.get();
            if (inside == caller) {
                return false;
            }
            if (inside == null) {
                if (owner.compareAndSet(null, caller)) {
                    ownerOperation = operation;
                    return true;
                }
                continue; // another thread got in first: name it
            }
            String insideOperation = ownerOperation;
            throw new IllegalStateException(operation + " on thread \"" + caller.getName() + "\" while thread \""
                    + inside.getName() + "\" is inside the client (" + insideOperation + "): an MqttClient takes one"
                    + " thread at a time; hand it over with a lock or a queue (see the class comment)");
        }
    }

    private void exit(boolean outer) {
        if (outer) {
            owner.set(null);
        }
    }

    /** The configuration this client was built from. */
    public MqttConfig config() {
        return config;
    }

    @Override
    public String toString() {
        return session.toString();
    }
}
