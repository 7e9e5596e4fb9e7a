package dev.wren.mqtt.codec;

/**
 * Encodes CONNECT (MQTT 3.1.1 §3.1): protocol "MQTT" level 4 (or MQTT 3.1's "MQIsdp" level 3, same layout), flags,
 * keep-alive, then the payload fields.
 */
public final class ConnectEncoder {
    /** Protocol level of MQTT 3.1.1 (§3.1.2.2). */
    public static final int PROTOCOL_LEVEL = 4;
    /** Protocol level of MQTT 3.1, whose protocol name is {@code "MQIsdp"}. */
    public static final int PROTOCOL_LEVEL_3_1 = 3;

    // §3.1.2.3 connect flags
    static final int FLAG_USER_NAME = 0x80;
    static final int FLAG_PASSWORD = 0x40;
    static final int FLAG_WILL_RETAIN = 0x20;
    static final int FLAG_WILL = 0x04;
    static final int FLAG_CLEAN_SESSION = 0x02;
    static final int WILL_QOS_SHIFT = 3;

    /** Variable header: protocol name (2 + 4), level, flags, keep-alive (§3.1.2). */
    private static final int VARIABLE_HEADER_LENGTH = 10;

    private ConnectEncoder() {
    }

    /**
     * Returns the size of the whole CONNECT frame, fixed header included.
     *
     * @param f validated fields (every text encodable: {@link Utf8#encodedLength} not -1)
     * @return bytes
     */
    public static int length(ConnectFields f) {
        return Wire.frameLength(remainingLength(f, f.protocolLevel, 0, 0));
    }

    /**
     * Returns the remaining length of a CONNECT at a protocol level: variable header (§3.1.2), then client id,
     * will, user name and password (§3.1.3). MQTT 5.0 adds a property block after the keep alive and another
     * before the will topic (MQTT 5.0 §3.1.2.11, §3.1.3.2); MQTT 3.1.1 passes 0 for both. Public only so that
     * {@code dev.wren.mqtt.codec.v5} can share it; not for applications.
     *
     * @param f validated fields
     * @param level 3, 4 or 5
     * @param propertiesLength size of the CONNECT property block, 0 before MQTT 5.0
     * @param willPropertiesLength size of the will property block (counted only with a will), 0 before MQTT 5.0
     * @return bytes
     */
    public static int remainingLength(ConnectFields f, int level, int propertiesLength, int willPropertiesLength) {
        int n = VARIABLE_HEADER_LENGTH + (level == PROTOCOL_LEVEL_3_1 ? 2 : 0) + propertiesLength + 2
                + Utf8.encodedLength(f.clientId);
        if (f.willTopic != null) {
            n += willPropertiesLength + 2 + Utf8.encodedLength(f.willTopic) + 2 + f.willPayloadLength;
        }
        if (f.userName != null) {
            n += 2 + Utf8.encodedLength(f.userName);
        }
        if (f.password != null) {
            n += 2 + f.passwordLength;
        }
        return n;
    }

    /**
     * Writes a CONNECT frame; fields appear in the order client id, will topic, will message, user name,
     * password [MQTT-3.1.3-1], the client id first [MQTT-3.1.3-3]. Without a will, will QoS and retain are
     * written as 0 [MQTT-3.1.2-11]; without a user name the password flag follows the password [MQTT-3.1.2-22
     * is the caller's check].
     *
     * @param dst destination with room for {@link #length(ConnectFields)} bytes
     * @param off first byte to write
     * @param f validated fields
     * @return bytes written
     */
    public static int encode(byte[] dst, int off, ConnectFields f) {
        int pos = off + Wire.writeHeader(dst, off, PacketType.CONNECT, 0, remainingLength(f, f.protocolLevel, 0, 0));
        pos += writeVariableHeader(dst, pos, f, f.protocolLevel);
        pos += Wire.writeString(dst, pos, f.clientId);
        if (f.willTopic != null) {
            pos += writeWillMessage(dst, pos, f);
        }
        pos += writeCredentials(dst, pos, f);
        return pos - off;
    }

    /**
     * Writes the variable header both levels share: protocol name and level ({@link #writeProtocol}), the connect
     * flags (§3.1.2.3; bit 1 is Clean Session, Clean Start in MQTT 5.0) and the keep alive (§3.1.2.10). Public
     * only so that {@code dev.wren.mqtt.codec.v5} can share it; not for applications.
     *
     * @param dst destination
     * @param off first byte to write
     * @param f validated fields
     * @param level 3, 4 or 5
     * @return bytes written, 10 or 12
     */
    public static int writeVariableHeader(byte[] dst, int off, ConnectFields f, int level) {
        int pos = off + writeProtocol(dst, off, level);
        dst[pos++] = (byte) flags(f);
        pos += Wire.writeU16(dst, pos, f.keepAliveSeconds);
        return pos - off;
    }

    /**
     * Writes the will topic and will message (§3.1.3.2, §3.1.3.3); call only with a will. Public only so that
     * {@code dev.wren.mqtt.codec.v5} can share it; not for applications.
     *
     * @return bytes written
     */
    public static int writeWillMessage(byte[] dst, int off, ConnectFields f) {
        int pos = off + Wire.writeString(dst, off, f.willTopic);
        pos += Wire.writeBinary(dst, pos, f.willPayload, f.willPayloadOffset, f.willPayloadLength);
        return pos - off;
    }

    /**
     * Writes user name and password, each only when set (§3.1.3.4, §3.1.3.5). Public only so that
     * {@code dev.wren.mqtt.codec.v5} can share it; not for applications.
     *
     * @return bytes written
     */
    public static int writeCredentials(byte[] dst, int off, ConnectFields f) {
        int pos = off;
        if (f.userName != null) {
            pos += Wire.writeString(dst, pos, f.userName);
        }
        if (f.password != null) {
            pos += Wire.writeBinary(dst, pos, f.password, f.passwordOffset, f.passwordLength);
        }
        return pos - off;
    }

    /**
     * Writes protocol name and level: {@code 00 04 'MQTT' 04} [MQTT-3.1.2-1, MQTT-3.1.2-2], {@code 00 04 'MQTT' 05}
     * for MQTT 5.0, or {@code 00 06 'MQIsdp' 03} for MQTT 3.1.
     *
     * @param dst destination
     * @param off first byte to write
     * @param level 3, 4 or 5
     * @return bytes written, 7 or 9
     */
    public static int writeProtocol(byte[] dst, int off, int level) {
        int pos = off;
        if (level == PROTOCOL_LEVEL_3_1) {
            pos += Wire.writeU16(dst, pos, 6);
            dst[pos++] = 'M';
            dst[pos++] = 'Q';
            dst[pos++] = 'I';
            dst[pos++] = 's';
            dst[pos++] = 'd';
            dst[pos++] = 'p';
        } else {
            pos += Wire.writeU16(dst, pos, 4);
            dst[pos++] = 'M';
            dst[pos++] = 'Q';
            dst[pos++] = 'T';
            dst[pos++] = 'T';
        }
        dst[pos++] = (byte) level;
        return pos - off;
    }

    private static int flags(ConnectFields f) {
        int flags = f.cleanSession ? FLAG_CLEAN_SESSION : 0;
        if (f.willTopic != null) {
            flags |= FLAG_WILL | (f.willQos << WILL_QOS_SHIFT) | (f.willRetain ? FLAG_WILL_RETAIN : 0);
        }
        if (f.userName != null) {
            flags |= FLAG_USER_NAME;
        }
        if (f.password != null) {
            flags |= FLAG_PASSWORD;
        }
        return flags;
    }
}
