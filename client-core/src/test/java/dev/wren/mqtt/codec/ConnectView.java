package dev.wren.mqtt.codec;

/**
 * A reusable view of a CONNECT body (MQTT 3.1.1 §3.1), for a server or test peer decoding what a client sent.
 * Strings and binary fields stay in the caller's buffer: the view exposes offsets and lengths (and CharSequence
 * views for the text fields), valid until that buffer is overwritten.
 */
public final class ConnectView {
    private final Utf8Chars text = new Utf8Chars();
    private byte[] buf = new byte[0];
    private int connectFlags;
    private int keepAliveSeconds;
    private int clientIdOffset;
    private int clientIdLength;
    private int willTopicOffset;
    private int willTopicLength;
    private int willPayloadOffset;
    private int willPayloadLength;
    private int userNameOffset;
    private int userNameLength;
    private int passwordOffset;
    private int passwordLength;
    // Decode scratch: position of the next field, and the data offset/length of the field just read.
    private int pos;
    private int fieldOffset;
    private int fieldLength;

    /**
     * Decodes a CONNECT body.
     *
     * @param buf bytes
     * @param off first body byte (after the fixed header)
     * @param len remaining length
     * @return {@link CodecStatus#OK}, {@link CodecStatus#NEED_MORE} (body not all in {@code buf}),
     *     {@link CodecStatus#REMAINING_LENGTH_MISMATCH} (variable header cut short, or trailing bytes),
     *     {@link CodecStatus#PROTOCOL_NAME} [MQTT-3.1.2-1], {@link CodecStatus#PROTOCOL_LEVEL} [MQTT-3.1.2-2],
     *     {@link CodecStatus#CONNECT_RESERVED_FLAG} [MQTT-3.1.2-3], {@link CodecStatus#WILL_FIELDS_WITHOUT_WILL}
     *     [MQTT-3.1.2-11], {@link CodecStatus#INVALID_WILL_QOS} [MQTT-3.1.2-14],
     *     {@link CodecStatus#PASSWORD_WITHOUT_USER_NAME} [MQTT-3.1.2-22], {@link CodecStatus#TRUNCATED_STRING},
     *     a UTF8_* status for client id or user name [MQTT-3.1.3-4, MQTT-3.1.3-11], or a topic name status
     *     for the will topic [MQTT-3.1.3-10]
     */
    public int decode(byte[] buf, int off, int len) {
        if (!Wire.inBounds(buf, off, len)) {
            return CodecStatus.NEED_MORE;
        }
        int status = decodeVariableHeader(buf, off, len);
        if (status != CodecStatus.OK) {
            return status;
        }
        int end = off + len;
        pos = off + 10;
        // Payload order is fixed: client id, will topic, will message, user name, password [MQTT-3.1.3-1].
        status = utf8Field(buf, end);
        if (status != CodecStatus.OK) {
            return status;
        }
        clientIdOffset = fieldOffset;
        clientIdLength = fieldLength;
        if (hasWill()) {
            status = field(buf, end);
            if (status == CodecStatus.OK) {
                status = Topics.validateName(buf, fieldOffset, fieldLength);
            }
            if (status != CodecStatus.OK) {
                return status;
            }
            willTopicOffset = fieldOffset;
            willTopicLength = fieldLength;
            status = field(buf, end);
            if (status != CodecStatus.OK) {
                return status;
            }
            willPayloadOffset = fieldOffset;
            willPayloadLength = fieldLength;
        }
        if (hasUserName()) {
            status = utf8Field(buf, end);
            if (status != CodecStatus.OK) {
                return status;
            }
            userNameOffset = fieldOffset;
            userNameLength = fieldLength;
        }
        if (hasPassword()) {
            status = field(buf, end);
            if (status != CodecStatus.OK) {
                return status;
            }
            passwordOffset = fieldOffset;
            passwordLength = fieldLength;
        }
        if (pos != end) {
            return CodecStatus.REMAINING_LENGTH_MISMATCH;
        }
        this.buf = buf;
        return CodecStatus.OK;
    }

    private int decodeVariableHeader(byte[] buf, int off, int len) {
        if (len < 2 || Wire.readU16(buf, off) != 4) {
            return len < 2 ? CodecStatus.REMAINING_LENGTH_MISMATCH : CodecStatus.PROTOCOL_NAME;
        }
        if (len < 10) {
            return CodecStatus.REMAINING_LENGTH_MISMATCH;
        }
        if (buf[off + 2] != 'M' || buf[off + 3] != 'Q' || buf[off + 4] != 'T' || buf[off + 5] != 'T') {
            return CodecStatus.PROTOCOL_NAME;
        }
        if (buf[off + 6] != ConnectEncoder.PROTOCOL_LEVEL) {
            return CodecStatus.PROTOCOL_LEVEL;
        }
        int f = buf[off + 7] & 0xFF;
        if ((f & 0x01) != 0) {
            return CodecStatus.CONNECT_RESERVED_FLAG;
        }
        boolean will = (f & ConnectEncoder.FLAG_WILL) != 0;
        int willQos = (f >>> ConnectEncoder.WILL_QOS_SHIFT) & 0b11;
        if (!will && (willQos != 0 || (f & ConnectEncoder.FLAG_WILL_RETAIN) != 0)) {
            return CodecStatus.WILL_FIELDS_WITHOUT_WILL;
        }
        if (willQos == 3) {
            return CodecStatus.INVALID_WILL_QOS;
        }
        if ((f & ConnectEncoder.FLAG_PASSWORD) != 0 && (f & ConnectEncoder.FLAG_USER_NAME) == 0) {
            return CodecStatus.PASSWORD_WITHOUT_USER_NAME;
        }
        connectFlags = f;
        keepAliveSeconds = Wire.readU16(buf, off + 8);
        return CodecStatus.OK;
    }

    /** Reads a length-prefixed field at {@link #pos} into fieldOffset/fieldLength and advances. */
    private int field(byte[] buf, int end) {
        int n = Wire.fieldLength(buf, pos, end);
        if (n < 0) {
            return n;
        }
        fieldOffset = pos + 2;
        fieldLength = n;
        pos += 2 + n;
        return CodecStatus.OK;
    }

    private int utf8Field(byte[] buf, int end) {
        int status = field(buf, end);
        return status != CodecStatus.OK ? status : Utf8.validate(buf, fieldOffset, fieldLength);
    }

    /** Returns the buffer the offsets refer to. */
    public byte[] buffer() {
        return buf;
    }

    /** Returns the clean session flag (§3.1.2.4). */
    public boolean cleanSession() {
        return (connectFlags & ConnectEncoder.FLAG_CLEAN_SESSION) != 0;
    }

    /** Returns the keep alive in seconds, 0..65535 (§3.1.2.10). */
    public int keepAliveSeconds() {
        return keepAliveSeconds;
    }

    /** Returns whether the will flag is set (§3.1.2.5). */
    public boolean hasWill() {
        return (connectFlags & ConnectEncoder.FLAG_WILL) != 0;
    }

    /** Returns the will QoS, 0..2; 0 without a will (§3.1.2.6). */
    public int willQos() {
        return (connectFlags >>> ConnectEncoder.WILL_QOS_SHIFT) & 0b11;
    }

    /** Returns the will retain flag; false without a will (§3.1.2.7). */
    public boolean willRetain() {
        return (connectFlags & ConnectEncoder.FLAG_WILL_RETAIN) != 0;
    }

    /** Returns whether the user name flag is set (§3.1.2.8). */
    public boolean hasUserName() {
        return (connectFlags & ConnectEncoder.FLAG_USER_NAME) != 0;
    }

    /** Returns whether the password flag is set (§3.1.2.9). */
    public boolean hasPassword() {
        return (connectFlags & ConnectEncoder.FLAG_PASSWORD) != 0;
    }

    /** Returns the offset of the client identifier's UTF-8 bytes (§3.1.3.1). */
    public int clientIdOffset() {
        return clientIdOffset;
    }

    /** Returns the client identifier's size in UTF-8 bytes; may be 0 (§3.1.3.1). */
    public int clientIdLength() {
        return clientIdLength;
    }

    /** Returns the offset of the will topic's UTF-8 bytes; meaningful only with {@link #hasWill()}. */
    public int willTopicOffset() {
        return willTopicOffset;
    }

    /** Returns the will topic's size in UTF-8 bytes; meaningful only with {@link #hasWill()}. */
    public int willTopicLength() {
        return willTopicLength;
    }

    /** Returns the offset of the will message bytes; meaningful only with {@link #hasWill()} (§3.1.3.3). */
    public int willPayloadOffset() {
        return willPayloadOffset;
    }

    /** Returns the will message size in bytes; meaningful only with {@link #hasWill()}. */
    public int willPayloadLength() {
        return willPayloadLength;
    }

    /** Returns the offset of the user name's UTF-8 bytes; meaningful only with {@link #hasUserName()}. */
    public int userNameOffset() {
        return userNameOffset;
    }

    /** Returns the user name's size in UTF-8 bytes; meaningful only with {@link #hasUserName()}. */
    public int userNameLength() {
        return userNameLength;
    }

    /** Returns the offset of the password bytes; meaningful only with {@link #hasPassword()} (§3.1.3.5). */
    public int passwordOffset() {
        return passwordOffset;
    }

    /** Returns the password size in bytes; meaningful only with {@link #hasPassword()}. */
    public int passwordLength() {
        return passwordLength;
    }

    /**
     * Returns the client identifier as a CharSequence over the buffer; one shared text view (also used by
     * {@link #willTopic()} and {@link #userName()}), valid until the next of those calls.
     *
     * @return the client id text
     */
    public CharSequence clientId() {
        return text.wrap(buf, clientIdOffset, clientIdLength);
    }

    /**
     * Returns the will topic as a CharSequence over the buffer (shared view, see {@link #clientId()}).
     *
     * @return the will topic, empty without a will
     */
    public CharSequence willTopic() {
        return text.wrap(buf, willTopicOffset, hasWill() ? willTopicLength : 0);
    }

    /**
     * Returns the user name as a CharSequence over the buffer (shared view, see {@link #clientId()}).
     *
     * @return the user name, empty without one
     */
    public CharSequence userName() {
        return text.wrap(buf, userNameOffset, hasUserName() ? userNameLength : 0);
    }
}
