package dev.wren.mqtt.codec;

/**
 * The fields of a CONNECT packet (MQTT 3.1.1 §3.1), a caller-owned holder reused for every connect.
 * {@link ConnectEncoder} assumes the values were validated at the client's edge.
 */
public final class ConnectFields {
    /**
     * Protocol level: 4 (MQTT 3.1.1, protocol name {@code "MQTT"}, the default) or 3 (MQTT 3.1, protocol name
     * {@code "MQIsdp"}, whose servers may refuse client ids longer than 23 bytes).
     */
    public int protocolLevel = ConnectEncoder.PROTOCOL_LEVEL;
    /** Client identifier, 0..65535 UTF-8 bytes; empty requires {@link #cleanSession} [MQTT-3.1.3-7]. */
    public CharSequence clientId = "";
    /** Clean session flag (§3.1.2.4). */
    public boolean cleanSession = true;
    /** Keep alive, 0..65535 seconds; 0 turns it off (§3.1.2.10). */
    public int keepAliveSeconds;
    /** Will topic name, or null for no will (§3.1.2.5). */
    public CharSequence willTopic;
    /** Will message bytes (required when {@link #willTopic} is set; may be empty). */
    public byte[] willPayload;
    /** First will message byte in {@link #willPayload}. */
    public int willPayloadOffset;
    /** Will message byte count, 0..65535. */
    public int willPayloadLength;
    /** Will QoS 0..2 (§3.1.2.6); ignored without a will. */
    public int willQos;
    /** Will retain (§3.1.2.7); ignored without a will. */
    public boolean willRetain;
    /** User name, or null for none (§3.1.2.8). */
    public CharSequence userName;
    /** Password bytes, or null for none; only sent with a user name [MQTT-3.1.2-22]. */
    public byte[] password;
    /** First password byte in {@link #password}. */
    public int passwordOffset;
    /** Password byte count, 0..65535. */
    public int passwordLength;

    /**
     * Resets every field to its default: level 4, empty client id, clean session, keep-alive 0, no will, no credentials.
     *
     * @return this
     */
    public ConnectFields clear() {
        protocolLevel = ConnectEncoder.PROTOCOL_LEVEL;
        clientId = "";
        cleanSession = true;
        keepAliveSeconds = 0;
        willTopic = null;
        willPayload = null;
        willPayloadOffset = 0;
        willPayloadLength = 0;
        willQos = 0;
        willRetain = false;
        userName = null;
        password = null;
        passwordOffset = 0;
        passwordLength = 0;
        return this;
    }
}
