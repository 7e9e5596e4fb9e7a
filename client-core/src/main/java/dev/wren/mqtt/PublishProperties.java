package dev.wren.mqtt;

import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.codec.v5.Property;
import dev.wren.mqtt.codec.v5.PropertiesWriter;

/**
 * The properties of an outgoing MQTT 5.0 PUBLISH (§3.3.2.3), owned by the caller and reused: {@link #clear()}, put
 * what this message carries, pass it to {@code publish(..., properties)}. Each put encodes at once into a buffer of
 * fixed capacity (given at construction), so nothing is allocated per message and the client copies the encoded
 * block into the frame; a stored QoS 1/2 frame (window, journal) carries its properties into every resend.
 *
 * <p>Each property but User Property may be put once per message (§2.2.2.2, Table 2-4); User Properties are kept
 * in the order put (§3.3.2.3.7). A put that breaks a rule, or would not fit the capacity, throws
 * {@link IllegalArgumentException} naming the values, and leaves what was put before it.
 * Not for several threads.
 */
public final class PublishProperties {
    private final byte[] buf;
    final PropertiesWriter writer = new PropertiesWriter();

    /**
     * Makes an empty set that holds up to {@code capacityBytes} bytes of encoded properties (identifier, value, and
     * for strings their 2-byte lengths: a content type of 16 ASCII characters takes 19 bytes).
     *
     * @param capacityBytes 1..65,535
     * @throws IllegalArgumentException out of range
     */
    public PublishProperties(int capacityBytes) {
        if (capacityBytes < 1 || capacityBytes > 0xFFFF) {
            throw new IllegalArgumentException("capacityBytes " + capacityBytes + " not in 1..65535");
        }
        buf = new byte[capacityBytes];
        clear();
    }

    /** Removes every property; returns this. */
    public PublishProperties clear() {
        writer.wrap(buf, 0, PacketType.PUBLISH);
        return this;
    }

    /**
     * Message Expiry Interval (§3.3.2.3.3): the server drops the message if it is not delivered within this time
     * [MQTT-3.3.2-5], and forwards the time remaining [MQTT-3.3.2-6].
     *
     * @param seconds 0..4,294,967,295
     * @return this
     */
    public PublishProperties messageExpiryIntervalSeconds(long seconds) {
        if (seconds < 0 || seconds > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("messageExpiryIntervalSeconds " + seconds + " not in 0..4294967295");
        }
        room(5);
        writer.putInt(Property.MESSAGE_EXPIRY_INTERVAL, (int) seconds);
        return this;
    }

    /**
     * Payload Format Indicator (§3.3.2.3.2): true says the payload is UTF-8 text, false unspecified bytes. The
     * client does not check the payload; a receiver may [MQTT-3.3.2-4].
     *
     * @param utf8 true for UTF-8 (1), false for unspecified bytes (0)
     * @return this
     */
    public PublishProperties payloadFormatUtf8(boolean utf8) {
        room(2);
        writer.putInt(Property.PAYLOAD_FORMAT_INDICATOR, utf8 ? 1 : 0);
        return this;
    }

    /**
     * Content Type (§3.3.2.3.9): what the payload is, e.g. a MIME type; forwarded unaltered [MQTT-3.3.2-20].
     *
     * @param contentType UTF-8 text, at most 65,535 bytes
     * @return this
     */
    public PublishProperties contentType(CharSequence contentType) {
        room(PropertiesWriter.sizeOfString(requireText("contentType", contentType)));
        writer.putString(Property.CONTENT_TYPE, contentType);
        return this;
    }

    /**
     * Response Topic (§3.3.2.3.5): the topic name a responder publishes its answer to; no wildcards
     * [MQTT-3.3.2-14].
     *
     * @param topic a topic name
     * @return this
     */
    public PublishProperties responseTopic(CharSequence topic) {
        room(PropertiesWriter.sizeOfString(requireText("responseTopic", topic)));
        writer.putString(Property.RESPONSE_TOPIC, topic);
        return this;
    }

    /**
     * Correlation Data (§3.3.2.3.6): bytes the requester uses to match a response to its request.
     *
     * @param data the array
     * @param off first byte
     * @param len byte count, 0..65,535
     * @return this
     */
    public PublishProperties correlationData(byte[] data, int off, int len) {
        if (data == null || off < 0 || len < 0 || off > data.length - len) {
            throw new IllegalArgumentException("correlationData range off " + off + " len " + len + " outside "
                    + (data == null ? "a null array" : "an array of " + data.length));
        }
        room(PropertiesWriter.sizeOfBinary(len));
        writer.putBinary(Property.CORRELATION_DATA, data, off, len);
        return this;
    }

    /**
     * Adds a User Property (§3.3.2.3.7), after those already put; the server forwards them in order
     * [MQTT-3.3.2-17, MQTT-3.3.2-18].
     *
     * @param name UTF-8 text
     * @param value UTF-8 text
     * @return this
     */
    public PublishProperties userProperty(CharSequence name, CharSequence value) {
        room(PropertiesWriter.sizeOfUserProperty(requireText("user property name", name),
                requireText("user property value", value)));
        writer.putUserProperty(name, value);
        return this;
    }

    /** Bytes the properties put so far take (without the property length field). */
    public int length() {
        return writer.length();
    }

    /** The capacity given at construction. */
    public int capacityBytes() {
        return buf.length;
    }

    private static CharSequence requireText(String what, CharSequence s) {
        if (s == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        return s;
    }

    private void room(int bytes) {
        if (writer.length() + bytes > buf.length) {
            throw new IllegalArgumentException("publish properties: " + bytes + " more bytes after "
                    + writer.length() + " exceed capacityBytes " + buf.length);
        }
    }
}
