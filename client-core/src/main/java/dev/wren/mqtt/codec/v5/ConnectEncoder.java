package dev.wren.mqtt.codec.v5;

import dev.wren.mqtt.codec.ConnectFields;
import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.codec.Utf8;
import dev.wren.mqtt.codec.Wire;

/**
 * Encodes an MQTT 5.0 CONNECT (§3.1): protocol "MQTT" level 5, flags, keep alive, properties, then client id,
 * will properties, will topic, will payload, user name, password [MQTT-3.1.3-1]. The fields are the 3.1.1
 * {@link ConnectFields}, with {@code cleanSession} as Clean Start (§3.1.2.4); a password may go without a user
 * name in 5.0 (§3.1.2.9).
 */
public final class ConnectEncoder {
    /** Protocol level of MQTT 5.0 (§3.1.2.2). */
    public static final int PROTOCOL_LEVEL = 5;

    // §3.1.2.3 connect flags
    static final int FLAG_USER_NAME = 0x80;
    static final int FLAG_PASSWORD = 0x40;
    static final int FLAG_WILL_RETAIN = 0x20;
    static final int FLAG_WILL = 0x04;
    static final int FLAG_CLEAN_START = 0x02;
    static final int WILL_QOS_SHIFT = 3;

    /** Protocol name (2 + 4), level, flags, keep alive (§3.1.2). */
    private static final int FIXED_PART = 10;

    private ConnectEncoder() {
    }

    /**
     * Returns the size of the whole CONNECT frame.
     *
     * @param f validated fields ({@code protocolLevel} is ignored: this writes level 5)
     * @param props CONNECT properties, or null
     * @param willProps will properties (used only with a will), or null
     * @return bytes
     */
    public static int length(ConnectFields f, PropertiesWriter props, PropertiesWriter willProps) {
        return Wire.frameLength(remainingLength(f, props, willProps));
    }

    private static int remainingLength(ConnectFields f, PropertiesWriter props, PropertiesWriter willProps) {
        int n = FIXED_PART + PropertiesWriter.blockLength(props) + 2 + Utf8.encodedLength(f.clientId);
        if (f.willTopic != null) {
            n += PropertiesWriter.blockLength(willProps) + 2 + Utf8.encodedLength(f.willTopic) + 2
                    + f.willPayloadLength;
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
     * Writes a CONNECT frame. The will properties, topic and payload are present exactly when the will flag is
     * [MQTT-3.1.2-9]; without a will, will QoS and retain are 0 [MQTT-3.1.2-11, MQTT-3.1.2-13]; user name and
     * password are present exactly when their flags are [MQTT-3.1.2-16..19].
     *
     * @param dst destination with room for {@link #length} bytes
     * @param off first byte to write
     * @param f validated fields
     * @param props CONNECT properties (a writer wrapped for {@link PacketType#CONNECT}), or null
     * @param willProps will properties (wrapped for {@link Property#WILL}), or null
     * @return bytes written
     */
    public static int encode(byte[] dst, int off, ConnectFields f, PropertiesWriter props,
            PropertiesWriter willProps) {
        int pos = off + Wire.writeHeader(dst, off, PacketType.CONNECT, 0, remainingLength(f, props, willProps));
        pos += dev.wren.mqtt.codec.ConnectEncoder.writeProtocol(dst, pos, PROTOCOL_LEVEL);
        dst[pos++] = (byte) flags(f);
        pos += Wire.writeU16(dst, pos, f.keepAliveSeconds);
        pos += PropertiesWriter.writeBlock(props, dst, pos);
        pos += Wire.writeString(dst, pos, f.clientId);
        if (f.willTopic != null) {
            pos += PropertiesWriter.writeBlock(willProps, dst, pos);
            pos += Wire.writeString(dst, pos, f.willTopic);
            pos += Wire.writeBinary(dst, pos, f.willPayload, f.willPayloadOffset, f.willPayloadLength);
        }
        if (f.userName != null) {
            pos += Wire.writeString(dst, pos, f.userName);
        }
        if (f.password != null) {
            pos += Wire.writeBinary(dst, pos, f.password, f.passwordOffset, f.passwordLength);
        }
        return pos - off;
    }

    private static int flags(ConnectFields f) {
        int flags = f.cleanSession ? FLAG_CLEAN_START : 0;
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
