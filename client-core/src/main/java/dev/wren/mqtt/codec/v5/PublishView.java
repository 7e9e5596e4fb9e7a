package dev.wren.mqtt.codec.v5;

import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.codec.Utf8;

/**
 * A reusable view of an MQTT 5.0 PUBLISH (§3.3): flags, topic name, packet identifier, properties and payload,
 * read in place from the caller's buffer and valid until it is overwritten. A topic alias is not resolved here:
 * an empty topic comes with a Topic Alias (§3.3.2.3.4), which the session maps.
 */
public final class PublishView {
    /** Flags, topic name and packet identifier: the part MQTT 3.1.1 shares. */
    private final dev.wren.mqtt.codec.PublishView head = new dev.wren.mqtt.codec.PublishView();
    private final PropertiesView properties = new PropertiesView();
    private int payloadOffset;
    private int payloadLength;

    /**
     * Decodes a PUBLISH body: QoS not 3 [MQTT-3.3.1-4], DUP clear at QoS 0 [MQTT-3.3.1-2], the topic name UTF-8
     * [MQTT-3.3.2-1] without wildcards [MQTT-3.3.2-2] and not empty unless a Topic Alias comes with it, a packet
     * identifier only at QoS 1, 2 and not 0 [MQTT-2.2.1-2], then the properties ({@link PropertiesView#decode}).
     * The payload is not checked against a Payload Format Indicator of 1: call {@link #checkPayloadFormat()}.
     * The checks up to the packet identifier are the 3.1.1 view's ({@link dev.wren.mqtt.codec.PublishView#decode(
     * byte[], int, int, int, boolean)}). After a status other than OK the accessors are undefined until the next OK.
     *
     * @param buf bytes
     * @param off first body byte
     * @param len remaining length
     * @param flags the low nibble of fixed header byte 1
     * @return {@link CodecStatus#OK}, {@link CodecStatus#NEED_MORE}, {@link CodecStatus#INVALID_QOS},
     *     {@link CodecStatus#DUP_ON_QOS0}, {@link CodecStatus#TRUNCATED_STRING}, a topic name status,
     *     {@link CodecStatus#EMPTY_TOPIC_WITHOUT_ALIAS}, {@link CodecStatus#REMAINING_LENGTH_MISMATCH},
     *     {@link CodecStatus#PACKET_ID_ZERO} or a {@link PropertiesView#decode} status
     */
    public int decode(byte[] buf, int off, int len, int flags) {
        int status = head.decode(buf, off, len, flags, true);
        if (status != CodecStatus.OK) {
            return status;
        }
        int pos = head.payloadOffset();
        int end = off + len;
        status = properties.decode(buf, pos, end, PacketType.PUBLISH);
        if (status != CodecStatus.OK) {
            return status;
        }
        if (head.topicLength() == 0 && !properties.has(Property.TOPIC_ALIAS)) {
            return CodecStatus.EMPTY_TOPIC_WITHOUT_ALIAS;
        }
        payloadOffset = pos + properties.encodedLength();
        payloadLength = end - payloadOffset;
        return CodecStatus.OK;
    }

    /**
     * Checks the payload against a Payload Format Indicator of 1 (UTF-8), for a receiver that validates it
     * (§3.3.2.3.2; the reply is reason code 0x99, Payload format invalid).
     *
     * @return {@link CodecStatus#OK} (indicator absent, 0, or valid UTF-8) or {@link CodecStatus#PAYLOAD_NOT_UTF8}
     */
    public int checkPayloadFormat() {
        if (properties.intValue(Property.PAYLOAD_FORMAT_INDICATOR, 0) == 0) {
            return CodecStatus.OK;
        }
        return Utf8.validate(head.buffer(), payloadOffset, payloadLength) == CodecStatus.OK ? CodecStatus.OK
                : CodecStatus.PAYLOAD_NOT_UTF8;
    }

    /**
     * Returns the part MQTT 3.1.1 shares (flags, topic name, packet identifier) as the 3.1.1 view, valid after each
     * {@link #decode}; its payload offset is where this packet's properties start, not its payload.
     */
    public dev.wren.mqtt.codec.PublishView head() {
        return head;
    }

    /** Returns the QoS, 0..2 (§3.3.1.2). */
    public int qos() {
        return head.qos();
    }

    /** Returns the RETAIN flag (§3.3.1.3). */
    public boolean retain() {
        return head.retain();
    }

    /** Returns the DUP flag (§3.3.1.1). */
    public boolean dup() {
        return head.dup();
    }

    /** Returns the packet identifier; 0 at QoS 0. */
    public int packetId() {
        return head.packetId();
    }

    /** Returns the buffer the offsets refer to. */
    public byte[] buffer() {
        return head.buffer();
    }

    /** Returns the offset of the topic name's UTF-8 bytes. */
    public int topicOffset() {
        return head.topicOffset();
    }

    /** Returns the topic name's size in bytes; 0 when a Topic Alias stands for it. */
    public int topicLength() {
        return head.topicLength();
    }

    /** Returns the topic name as a reusable CharSequence over the buffer, valid until the next decode. */
    public CharSequence topic() {
        return head.topic();
    }

    /** Returns the offset of the payload. */
    public int payloadOffset() {
        return payloadOffset;
    }

    /** Returns the payload size in bytes. */
    public int payloadLength() {
        return payloadLength;
    }

    /** Returns the PUBLISH properties (§3.3.2.3). */
    public PropertiesView properties() {
        return properties;
    }
}
