package dev.wren.mqtt.codec.v5;

import dev.wren.mqtt.codec.ConnectFields;
import dev.wren.mqtt.codec.PacketType;
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

    // §3.1.2.3 connect flags (written by the shared dev.wren.mqtt.codec.ConnectEncoder#writeVariableHeader)
    static final int FLAG_USER_NAME = 0x80;
    static final int FLAG_PASSWORD = 0x40;
    static final int FLAG_WILL_RETAIN = 0x20;
    static final int FLAG_WILL = 0x04;
    static final int FLAG_CLEAN_START = 0x02;
    static final int WILL_QOS_SHIFT = 3;

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
        return dev.wren.mqtt.codec.ConnectEncoder.remainingLength(f, PROTOCOL_LEVEL,
                PropertiesWriter.blockLength(props), PropertiesWriter.blockLength(willProps));
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
        pos += dev.wren.mqtt.codec.ConnectEncoder.writeVariableHeader(dst, pos, f, PROTOCOL_LEVEL);
        pos += PropertiesWriter.writeBlock(props, dst, pos);
        pos += Wire.writeString(dst, pos, f.clientId);
        if (f.willTopic != null) {
            pos += PropertiesWriter.writeBlock(willProps, dst, pos);
            pos += dev.wren.mqtt.codec.ConnectEncoder.writeWillMessage(dst, pos, f);
        }
        pos += dev.wren.mqtt.codec.ConnectEncoder.writeCredentials(dst, pos, f);
        return pos - off;
    }
}
