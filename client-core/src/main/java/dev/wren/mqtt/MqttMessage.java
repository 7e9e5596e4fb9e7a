package dev.wren.mqtt;

/**
 * The reused view of an incoming PUBLISH (MQTT 3.1.1 §3.3), valid only until the handler returns: its bytes live
 * in the client's receive buffer, which the next packet overwrites. Nothing here allocates unless its name says
 * so ({@link #payloadAsString()}, {@link #topicAsString()}).
 */
public interface MqttMessage {

    /** The topic name, a view over its UTF-8 bytes (§3.3.2.1). */
    CharSequence topic();

    /** QoS 0, 1 or 2 (§3.3.1.2). */
    int qos();

    /** RETAIN flag: delivered from the server's retained store (§3.3.1.3). */
    boolean retain();

    /** DUP flag: possibly a re-delivery (§3.3.1.1). */
    boolean dup();

    /**
     * The packet identifier of a QoS 1 or 2 message, 1..65535 (MQTT 3.1.1 §3.3.2.2); 0 for QoS 0, which carries
     * none. The id is the server's, only unique among its messages in flight to this client, and is reused once
     * the message is acknowledged (§2.3.1). Allocates nothing.
     */
    int packetId();

    /** The array holding the payload; read only {@code [payloadOffset(), payloadOffset() + payloadLength())}. */
    byte[] payloadBuffer();

    /** Index of the first payload byte in {@link #payloadBuffer()}. */
    int payloadOffset();

    /** Payload length in bytes (may be 0). */
    int payloadLength();

    /** True if the topic is exactly {@code t}. */
    boolean topicEquals(MqttTopic t);

    /** True if the payload equals {@code b[off..off+len)}. */
    boolean payloadEquals(byte[] b, int off, int len);

    /** True if the payload is exactly the ASCII characters of {@code s} (case-sensitive). */
    boolean payloadEqualsAscii(CharSequence s);

    /** Copies the payload to {@code dst[off..]}; returns the number of bytes copied (the payload length). */
    int copyPayload(byte[] dst, int off);

    /** The payload decoded as UTF-8; allocates (convenience for tools and tests). */
    String payloadAsString();

    /** The topic as a String; allocates. */
    String topicAsString();

    /**
     * MQTT 5.0: the PUBLISH properties (MQTT 5.0 §3.3.2.3): Message Expiry Interval, Payload Format Indicator,
     * Content Type, Response Topic, Correlation Data, User Properties and Subscription Identifiers (iterate with
     * {@code reset()}/{@code next()}), read in place like the payload and valid until the handler returns; allocates
     * nothing. Null at MQTT 3.1.1, which has no properties.
     */
    default dev.wren.mqtt.codec.v5.PropertiesView properties() {
        return null;
    }
}
