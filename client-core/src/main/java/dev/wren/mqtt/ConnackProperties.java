package dev.wren.mqtt;

import dev.wren.mqtt.codec.v5.ConnackView;
import dev.wren.mqtt.codec.v5.PropertiesView;
import dev.wren.mqtt.codec.v5.Property;

/**
 * What an MQTT 5.0 CONNACK said (§3.2.2): reason code, session present and its properties (all but User Property
 * and authentication), with the spec's value for an absent one. Immutable, built once per CONNACK (so at connect, never per message); read it with
 * {@link MqttClient#connackProperties()}.
 *
 * <p>The session enforces what binds the client: Receive Maximum caps the in-flight window [MQTT-3.3.4-7], Maximum
 * QoS [MQTT-3.2.2-11], Retain Available [MQTT-3.2.2-14] and Maximum Packet Size [MQTT-3.2.2-15] refuse a publish,
 * Wildcard Subscription Available 0 refuses a wildcard subscription (§3.2.2.3.11), Server Keep Alive replaces the
 * configured keep alive [MQTT-3.2.2-21]. The rest is reported only.
 */
public final class ConnackProperties {
    private final int reasonCode;
    private final boolean sessionPresent;
    private final long sessionExpiryIntervalSeconds;
    private final int receiveMaximum;
    private final int maximumQos;
    private final boolean retainAvailable;
    private final long maximumPacketSize;
    private final String assignedClientIdentifier;
    private final int topicAliasMaximum;
    private final String reasonString;
    private final boolean wildcardSubscriptionAvailable;
    private final boolean subscriptionIdentifiersAvailable;
    private final boolean sharedSubscriptionAvailable;
    private final int serverKeepAliveSeconds;
    private final int keepAliveSeconds;
    private final String responseInformation;
    private final String serverReference;

    private ConnackProperties(ConnackView connack, MqttConfig config) {
        PropertiesView p = connack.properties();
        reasonCode = connack.reasonCode();
        sessionPresent = connack.sessionPresent();
        sessionExpiryIntervalSeconds = p.has(Property.SESSION_EXPIRY_INTERVAL)
                ? Integer.toUnsignedLong(p.intValue(Property.SESSION_EXPIRY_INTERVAL, 0))
                : config.sessionExpiryIntervalSeconds();
        receiveMaximum = p.intValue(Property.RECEIVE_MAXIMUM, 65535);
        maximumQos = p.intValue(Property.MAXIMUM_QOS, 2);
        retainAvailable = p.intValue(Property.RETAIN_AVAILABLE, 1) != 0;
        maximumPacketSize = p.has(Property.MAXIMUM_PACKET_SIZE)
                ? Integer.toUnsignedLong(p.intValue(Property.MAXIMUM_PACKET_SIZE, 0)) : -1;
        assignedClientIdentifier = text(p, Property.ASSIGNED_CLIENT_IDENTIFIER);
        topicAliasMaximum = p.intValue(Property.TOPIC_ALIAS_MAXIMUM, 0);
        reasonString = text(p, Property.REASON_STRING);
        wildcardSubscriptionAvailable = p.intValue(Property.WILDCARD_SUBSCRIPTION_AVAILABLE, 1) != 0;
        subscriptionIdentifiersAvailable = p.intValue(Property.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 1) != 0;
        sharedSubscriptionAvailable = p.intValue(Property.SHARED_SUBSCRIPTION_AVAILABLE, 1) != 0;
        serverKeepAliveSeconds = p.intValue(Property.SERVER_KEEP_ALIVE, -1);
        keepAliveSeconds = serverKeepAliveSeconds >= 0 ? serverKeepAliveSeconds : config.keepAliveSeconds();
        responseInformation = text(p, Property.RESPONSE_INFORMATION);
        serverReference = text(p, Property.SERVER_REFERENCE);
    }

    /**
     * Copies what a decoded 5.0 CONNACK says; allocates (the strings, the user property array).
     *
     * @param connack a CONNACK decoded without error
     * @param config the config of the CONNECT it answers: what an absent Server Keep Alive or Session Expiry
     *     Interval leaves in force
     * @return the properties
     */
    public static ConnackProperties of(ConnackView connack, MqttConfig config) {
        return new ConnackProperties(connack, config);
    }

    private static String text(PropertiesView p, int id) {
        return p.has(id) ? p.text(id).toString() : null;
    }

    /** The reason code (§3.2.2.2): 0x00 Success, 0x80 or more a refusal. */
    public int reasonCode() {
        return reasonCode;
    }

    /** The Session Present flag (§3.2.2.1.1). */
    public boolean sessionPresent() {
        return sessionPresent;
    }

    /**
     * The Session Expiry Interval in force: the server's (§3.2.2.3.2) when it sent one, else the one the client sent
     * ({@link MqttConfig#sessionExpiryIntervalSeconds()}); 0xFFFFFFFF means the session never expires.
     */
    public long sessionExpiryIntervalSeconds() {
        return sessionExpiryIntervalSeconds;
    }

    /** The server's Receive Maximum (§3.2.2.3.3), 65,535 when absent: the client's window is capped by it. */
    public int receiveMaximum() {
        return receiveMaximum;
    }

    /** The server's Maximum QoS (§3.2.2.3.4), 2 when absent: a publish above it is refused [MQTT-3.2.2-11]. */
    public int maximumQos() {
        return maximumQos;
    }

    /** Retain Available (§3.2.2.3.5), true when absent: when false a retained publish is refused [MQTT-3.2.2-14]. */
    public boolean retainAvailable() {
        return retainAvailable;
    }

    /**
     * The server's Maximum Packet Size in bytes (§3.2.2.3.6), or -1 when absent (no limit but the protocol's): a
     * larger publish is refused [MQTT-3.2.2-15].
     */
    public long maximumPacketSize() {
        return maximumPacketSize;
    }

    /** The Assigned Client Identifier (§3.2.2.3.7), or null. */
    public String assignedClientIdentifier() {
        return assignedClientIdentifier;
    }

    /** The server's Topic Alias Maximum (§3.2.2.3.8), 0 when absent: the client may send no topic alias. */
    public int topicAliasMaximum() {
        return topicAliasMaximum;
    }

    /** The Reason String (§3.2.2.3.9), or null. */
    public String reasonString() {
        return reasonString;
    }

    /**
     * Wildcard Subscription Available (§3.2.2.3.11), true when absent: when false a subscription with a wildcard is
     * refused before anything is sent (the server would take it as a protocol error).
     */
    public boolean wildcardSubscriptionAvailable() {
        return wildcardSubscriptionAvailable;
    }

    /** Subscription Identifiers Available (§3.2.2.3.12), true when absent. */
    public boolean subscriptionIdentifiersAvailable() {
        return subscriptionIdentifiersAvailable;
    }

    /** Shared Subscription Available (§3.2.2.3.13), true when absent. */
    public boolean sharedSubscriptionAvailable() {
        return sharedSubscriptionAvailable;
    }

    /** The Server Keep Alive in seconds (§3.2.2.3.14), or -1 when absent. */
    public int serverKeepAliveSeconds() {
        return serverKeepAliveSeconds;
    }

    /**
     * The keep alive the client uses on this connection: the Server Keep Alive when sent [MQTT-3.2.2-21], else
     * {@link MqttConfig#keepAliveSeconds()}; 0 is none.
     */
    public int keepAliveSeconds() {
        return keepAliveSeconds;
    }

    /** The Response Information (§3.2.2.3.15), an answer to {@code requestResponseInformation}, or null. */
    public String responseInformation() {
        return responseInformation;
    }

    /**
     * The Server Reference (§3.2.2.3.16, §4.11): another server to use, sent with 0x9C Use another server or 0x9D
     * Server moved (the {@link MqttException} of such a refusal names it too), or null.
     */
    public String serverReference() {
        return serverReference;
    }
}
