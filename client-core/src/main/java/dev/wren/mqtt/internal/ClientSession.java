package dev.wren.mqtt.internal;

import dev.wren.mqtt.MessageHandler;
import dev.wren.mqtt.MqttConfig;
import dev.wren.mqtt.MqttException;
import dev.wren.mqtt.codec.v5.PropertiesWriter;

import java.io.IOException;

/**
 * What {@link dev.wren.mqtt.MqttClient} holds: the session, or with automatic reconnect the layer over it
 * ({@link AutoReconnect}). Internal: the only public type of this package; {@link dev.wren.mqtt.MqttClient}
 * documents every operation.
 */
public interface ClientSession {

    /**
     * Builds the session for {@code config} and, with {@link MqttConfig#automaticReconnect()}, the reconnect layer
     * over it.
     *
     * @throws java.io.UncheckedIOException the journal cannot be opened
     */
    static ClientSession open(MqttConfig config) {
        return config.automaticReconnect() ? new AutoReconnect(config) : new Session(config, false);
    }

    boolean connect() throws IOException, MqttException;

    boolean isConnected();

    /** The Assigned Client Identifier of the last MQTT 5.0 CONNACK (§3.2.2.3.7), or null. */
    String assignedClientId();

    /** What the last MQTT 5.0 CONNACK said (§3.2.2), or null. */
    dev.wren.mqtt.ConnackProperties connackProperties();

    /** {@code props}: MQTT 5.0 PUBLISH properties (§3.3.2.3), or null for none. */
    int publish(CharSequence topic, byte[] payload, int off, int len, int qos, boolean retain, PropertiesWriter props)
            throws IOException, MqttException;

    int publish(byte[] topicUtf8, int topicOff, int topicLen, byte[] payload, int off, int len, int qos, boolean retain,
                PropertiesWriter props) throws IOException, MqttException;

    int subscribe(CharSequence filter, int qos, MessageHandler handler) throws IOException, MqttException;

    int subscribe(CharSequence filter, int qos, int subscriptionId, MessageHandler handler)
            throws IOException, MqttException;

    int subscribe(CharSequence[] filters, int[] qos, MessageHandler handler, int[] returnCodes)
            throws IOException, MqttException;

    void unsubscribe(CharSequence filter) throws IOException, MqttException;

    void unsubscribe(CharSequence[] filters) throws IOException, MqttException;

    /** UNSUBSCRIBE with the UNSUBACK's reason codes per filter (MQTT 5.0 §3.11.3); returns the filters removed. */
    int unsubscribe(CharSequence[] filters, int[] reasonCodes) throws IOException, MqttException;

    void setDefaultHandler(MessageHandler handler);

    int poll(long timeoutMillis) throws IOException, MqttException;

    boolean awaitInflight(long timeoutMillis) throws IOException, MqttException;

    void flush() throws MqttException;

    int inflightCount();

    int queuedCount();

    long droppedCount();

    long oversizeMessageCount();

    long unhandledMessageCount();

    void disconnect() throws IOException;

    void disconnect(long closeWaitMillis) throws IOException;

    /** MQTT 5.0 DISCONNECT with a reason code and, unless -1, a Session Expiry Interval (§3.14.2). */
    void disconnect(int reasonCode, long sessionExpirySeconds) throws IOException;

    void close();

    /** MQTT 5.0 re-authentication (§4.12.1): AUTH 0x19 sent, the exchange completes in poll. */
    void reauthenticate() throws IOException, MqttException;
}
