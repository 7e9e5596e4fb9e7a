package dev.wren.mqtt.codec;

/**
 * A reusable view of a PUBLISH (MQTT 3.1.1 §3.3): flags from the fixed header, topic and payload read in place
 * from the caller's buffer, valid until that buffer is overwritten.
 */
public final class PublishView {
    private final Utf8Chars topicChars = new Utf8Chars();
    private byte[] buf = new byte[0];
    private int qos;
    private boolean retain;
    private boolean dup;
    private int packetId;
    private int topicOffset;
    private int topicLength;
    private int payloadOffset;
    private int payloadLength;

    /**
     * Decodes a PUBLISH body and validates what a receiver must: the topic name is well-formed UTF-8
     * [MQTT-1.5.3-1, MQTT-1.5.3-2], not empty [MQTT-4.7.3-1] and free of wildcards [MQTT-3.3.2-2]; QoS is not 3
     * [MQTT-3.3.1-4]; DUP is clear at QoS 0 [MQTT-3.3.1-2]; the packet identifier at QoS 1, 2 is not 0
     * [MQTT-2.3.1-1].
     *
     * @param buf bytes; the view reads topic and payload from it until the next decode
     * @param off first body byte (after the fixed header)
     * @param len remaining length
     * @param flags the low nibble of fixed header byte 1
     * @return {@link CodecStatus#OK}, {@link CodecStatus#NEED_MORE} (body not all in {@code buf}),
     *     {@link CodecStatus#INVALID_QOS}, {@link CodecStatus#DUP_ON_QOS0}, {@link CodecStatus#TRUNCATED_STRING},
     *     {@link CodecStatus#EMPTY_TOPIC_NAME}, {@link CodecStatus#WILDCARD_IN_TOPIC_NAME}, a UTF8_* status,
     *     {@link CodecStatus#REMAINING_LENGTH_MISMATCH} (no room for the packet identifier) or
     *     {@link CodecStatus#PACKET_ID_ZERO}
     */
    public int decode(byte[] buf, int off, int len, int flags) {
        return decode(buf, off, len, flags, false);
    }

    /**
     * Decodes the part of a PUBLISH body MQTT 3.1.1 §3.3 and MQTT 5.0 §3.3 share, as {@link #decode(byte[], int,
     * int, int)} does, with the MQTT 5.0 exception that a Topic Alias may stand for an empty topic name
     * (§3.3.2.3.4). The payload then starts right after the packet identifier: MQTT 5.0 reads its properties
     * there. Public only so that {@code dev.wren.mqtt.codec.v5} can share it; not for applications.
     *
     * @param buf bytes; the view reads topic and payload from it until the next decode
     * @param off first body byte (after the fixed header)
     * @param len remaining length
     * @param flags the low nibble of fixed header byte 1
     * @param emptyTopicAllowed true in MQTT 5.0; false makes an empty name {@link CodecStatus#EMPTY_TOPIC_NAME}
     *     [MQTT-4.7.3-1]
     * @return as {@link #decode(byte[], int, int, int)}
     */
    public int decode(byte[] buf, int off, int len, int flags, boolean emptyTopicAllowed) {
        int q = (flags >>> PublishEncoder.QOS_SHIFT) & 0b11;
        boolean d = (flags & PublishEncoder.FLAG_DUP) != 0;
        int flagStatus = checkFlags(flags);
        if (flagStatus != CodecStatus.OK) {
            return flagStatus;
        }
        if (!Wire.inBounds(buf, off, len)) {
            return CodecStatus.NEED_MORE;
        }
        int end = off + len;
        int tl = Wire.fieldLength(buf, off, end);
        if (tl < 0) {
            return tl;
        }
        int status = tl == 0 && emptyTopicAllowed ? CodecStatus.OK : Topics.validateName(buf, off + 2, tl);
        if (status != CodecStatus.OK) {
            return status;
        }
        int pos = off + 2 + tl;
        int id = 0;
        if (q > 0) {
            if (end - pos < 2) {
                return CodecStatus.REMAINING_LENGTH_MISMATCH;
            }
            id = Wire.readU16(buf, pos);
            if (id == 0) {
                return CodecStatus.PACKET_ID_ZERO;
            }
            pos += 2;
        }
        this.buf = buf;
        this.qos = q;
        this.dup = d;
        this.retain = (flags & PublishEncoder.FLAG_RETAIN) != 0;
        this.packetId = id;
        this.topicOffset = off + 2;
        this.topicLength = tl;
        this.payloadOffset = pos;
        this.payloadLength = end - pos;
        topicChars.wrap(buf, topicOffset, tl);
        return CodecStatus.OK;
    }

    /**
     * Checks the flags of a PUBLISH fixed header as a receiver must before reading the body: QoS is not 3
     * [MQTT-3.3.1-4] and DUP is clear at QoS 0 [MQTT-3.3.1-2]. {@link #decode} checks the same; a receiver that
     * cannot buffer the body (a PUBLISH larger than its buffer) checks them with this.
     *
     * @param flags the low nibble of fixed header byte 1
     * @return {@link CodecStatus#OK}, {@link CodecStatus#INVALID_QOS} or {@link CodecStatus#DUP_ON_QOS0}
     */
    public static int checkFlags(int flags) {
        int q = (flags >>> PublishEncoder.QOS_SHIFT) & 0b11;
        if (q == 3) {
            return CodecStatus.INVALID_QOS;
        }
        return q == 0 && (flags & PublishEncoder.FLAG_DUP) != 0 ? CodecStatus.DUP_ON_QOS0 : CodecStatus.OK;
    }

    /**
     * Returns the QoS a PUBLISH fixed header's flags carry (§3.3.1.2).
     *
     * @param flags the low nibble of fixed header byte 1
     * @return 0..3 (3 is invalid: {@link #checkFlags})
     */
    public static int qos(int flags) {
        return (flags >>> PublishEncoder.QOS_SHIFT) & 0b11;
    }

    /** Returns the QoS of the last successful decode, 0..2 (§3.3.1.2). */
    public int qos() {
        return qos;
    }

    /** Returns the RETAIN flag of the last successful decode (§3.3.1.3). */
    public boolean retain() {
        return retain;
    }

    /** Returns the DUP flag of the last successful decode (§3.3.1.1). */
    public boolean dup() {
        return dup;
    }

    /** Returns the packet identifier of the last successful decode; 0 at QoS 0 (§3.3.2.2). */
    public int packetId() {
        return packetId;
    }

    /** Returns the buffer the offsets refer to. */
    public byte[] buffer() {
        return buf;
    }

    /** Returns the offset of the topic name's UTF-8 bytes in {@link #buffer()}. */
    public int topicOffset() {
        return topicOffset;
    }

    /** Returns the topic name's size in UTF-8 bytes. */
    public int topicLength() {
        return topicLength;
    }

    /** Returns the offset of the payload in {@link #buffer()}. */
    public int payloadOffset() {
        return payloadOffset;
    }

    /** Returns the payload size in bytes (§3.3.3). */
    public int payloadLength() {
        return payloadLength;
    }

    /**
     * Returns the topic name as a reusable CharSequence over the buffer, decoded on the fly without allocation:
     * ASCII is indexed directly; other code points are decoded from a cursor (sequential access is O(1) per char)
     * and a supplementary code point reads as its surrogate pair. {@code toString()} and {@code subSequence}
     * allocate. Valid until the next decode.
     *
     * @return the topic view
     */
    public CharSequence topic() {
        return topicChars;
    }

    /**
     * Compares the topic name with UTF-8 bytes.
     *
     * @param utf8 bytes
     * @param off first byte
     * @param len byte count
     * @return true when equal byte for byte (§4.7.3: no normalization)
     */
    public boolean topicEquals(byte[] utf8, int off, int len) {
        if (len != topicLength) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (buf[topicOffset + i] != utf8[off + i]) {
                return false;
            }
        }
        return true;
    }
}
