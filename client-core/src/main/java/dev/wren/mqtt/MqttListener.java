package dev.wren.mqtt;

/**
 * Session events, called on the thread that drives the client, in the middle of the call that caused them.
 * All methods default to doing nothing.
 *
 * <p>As from a {@link MessageHandler}, a callback may call {@code publish} (a full window then fails at once with
 * {@code INFLIGHT_WINDOW_FULL}), {@code disconnect} and {@code close}; {@code connect}, {@code poll},
 * {@code awaitInflight}, {@code subscribe} and {@code unsubscribe} throw {@link IllegalStateException}, since they
 * would read packets while the packet that caused the callback is still being handled. An exception thrown by
 * {@link #onOversizeMessage} reaches the caller once the packet has been drained and acknowledged.
 */
public interface MqttListener {

    /** The server accepted the connection (CONNACK 0, MQTT 3.1.1 §3.2.2.3); re-sends for a resumed session follow. */
    default void onConnected(boolean sessionPresent) {
    }

    /** The connection ended other than by {@code disconnect}/{@code close}; the same exception is then thrown. */
    default void onConnectionLost(MqttException cause) {
    }

    /**
     * MQTT 5.0: a re-authentication ({@code MqttClient.reauthenticate}) succeeded: the server's AUTH 0x00 came and the
     * authenticator verified its data (§4.12.1). A failed one ends the connection ({@link #onConnectionLost}).
     */
    default void onReauthenticated() {
    }

    /**
     * A QoS 2 message was received by the server (PUBREC, MQTT 3.1.1 §3.5, §4.3.3): the client has queued its
     * PUBREL, which goes out before the call that read the PUBREC returns; {@link #onPublishComplete} follows at
     * PUBCOMP. Called again for a repeated PUBREC, which is answered with PUBREL again.
     */
    default void onPubrec(int packetId) {
    }

    /**
     * The server released an incoming QoS 2 message (PUBREL, MQTT 3.1.1 §3.6, §4.3.3; MQTT 5.0 §3.6): the client has
     * queued its PUBCOMP, which goes out before the call that read the PUBREL returns. The message itself was
     * delivered at its PUBLISH. Called for every PUBREL, a repeated one or one for an id the client no longer holds
     * included, since each is answered with PUBCOMP.
     */
    default void onPubrel(int packetId) {
    }

    /** A QoS 1 message was acknowledged by PUBACK, or a QoS 2 message by PUBCOMP (§4.3.2, §4.3.3). */
    default void onPublishComplete(int packetId) {
    }

    /**
     * MQTT 5.0: the server refused an outgoing QoS 1/2 message with a PUBACK or PUBREC whose reason code is 0x80 or
     * more (MQTT 5.0 §3.4.2.1, §3.5.2.1, e.g. 0x87 Not authorized, 0x97 Quota exceeded): the message is ended, its
     * window slot freed, no PUBREL sent, the connection kept; {@link #onPublishComplete} does not follow. Also, with
     * 0x9B QoS not supported, 0x9A Retain not supported or 0x95 Packet too large, for a stored message that a new
     * CONNACK's Maximum QoS, Retain Available or Maximum Packet Size rules out: it is ended, not re-sent, right after
     * {@link #onConnected}.
     */
    default void onPublishRefused(int packetId, int reasonCode) {
    }

    /**
     * {@code protocolVersion(MQTT_AUTO)}: the server does not speak MQTT 5.0 ({@code why}: its CONNACK refused
     * the protocol level, or it closed the connection before CONNACK); the client connects at MQTT 3.1.1 at once,
     * and stays at 3.1.1 for every later connection, so this is called at most once per client.
     */
    default void onProtocolFallback(String why) {
    }

    /**
     * An incoming PUBLISH did not fit the receive buffer: its bytes were drained, it was acknowledged per its
     * QoS and counted, and the connection kept. {@code byteCount} is the whole packet's size.
     */
    default void onOversizeMessage(CharSequence topic, int byteCount, int qos) {
    }

    /**
     * A {@link MessageHandler} threw an exception; the message is acknowledged once this returns. An exception
     * thrown from here propagates out of {@code poll} and the message is not acknowledged, as for a handler's
     * {@link Error} ({@link MessageHandler#onMessage}).
     */
    default void onHandlerError(CharSequence topic, Exception e) {
    }

    /**
     * An automatic reconnect attempt (or the connection it replaced) failed; the next attempt follows in
     * {@code retryInMillis} ({@link MqttConfig.Builder#automaticReconnect}).
     *
     * @param consecutiveFailures failures since the last connection that stayed up for the maximum reconnect delay
     *                            ({@link MqttConfig.Builder#reconnectBackoff}), from 1
     */
    default void onReconnectScheduled(Exception cause, int consecutiveFailures, long retryInMillis) {
    }

    /**
     * After a reconnect without a session (MQTT 3.1.1 §3.2.2.2), the client subscribed again to {@code filter} and
     * the server refused it (SUBACK return code {@code returnCode}, 0x80, §3.9.3), for example after an ACL change.
     * The connection stays up, the other subscriptions are made, and the filter stays registered: it is asked for
     * again after the next reconnect without a session. An explicit {@code subscribe} that is refused throws
     * {@code SUBSCRIBE_REFUSED} instead, and one made offline is reported to {@link #onSubscribeAcknowledged}.
     * {@code filter} is valid until this returns.
     */
    default void onResubscribeRefused(CharSequence filter, int returnCode) {
    }

    /**
     * A subscription made while offline ({@code subscribe} before {@code connect}, or between connections with
     * automatic reconnect, which returned {@link MqttClient#SUBACK_PENDING}) was sent after CONNACK and answered:
     * {@code returnCode} is the granted QoS 0..2, or {@link MqttClient#SUBACK_FAILURE} (MQTT 3.1.1 §3.9.3), in which
     * case the filter has been removed, as after an explicit subscribe that is refused. Called inside the
     * {@code connect} (or the {@code poll} making an automatic reconnect) that sent it, once per filter. A
     * subscription made while connected is answered by {@code subscribe} itself and not reported here.
     * {@code filter} is valid until this returns.
     */
    default void onSubscribeAcknowledged(CharSequence filter, int returnCode) {
    }

    /**
     * The journal was full: {@code count} of the oldest messages not yet sent were dropped to make room
     * ({@code totalDropped} since the client was built). See {@link MqttConfig.Builder#inflightStore}.
     */
    default void onMessagesDropped(int count, long totalDropped) {
    }

    /**
     * The journal found its file damaged or of another size while the client was built, and repaired it: a damaged
     * header restored from its second copy or rebuilt from the records, a file resized to
     * the journal's configured capacity with its pending messages carried over, or a file that cannot be read
     * moved aside under a timestamped name (the message names both paths) and replaced by an empty journal. Called
     * from the client's constructor; the client works normally afterwards. Messages a resize had to drop are
     * reported through {@link #onMessagesDropped} as well.
     */
    default void onJournalWarning(String message) {
    }
}
