package dev.wren.mqtt.codec.v5;

import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.codec.Wire;

/**
 * Encodes PUBACK, PUBREC, PUBREL and PUBCOMP of MQTT 5.0 (§3.4..§3.7): packet identifier, reason code, properties.
 * The shortest form is chosen: packet identifier only for Success without properties (remaining length 2), plus
 * the reason code without properties (3), else all three (§3.4.2.1).
 */
public final class AckEncoder {
    private AckEncoder() {
    }

    /**
     * Returns the size of the frame.
     *
     * @param reasonCode the reason code
     * @param props properties, or null
     * @return bytes, 4..
     */
    public static int length(int reasonCode, PropertiesWriter props) {
        return Wire.frameLength(remainingLength(reasonCode, props));
    }

    private static int remainingLength(int reasonCode, PropertiesWriter props) {
        return 2 + ReasonPacketEncoder.bodyLength(reasonCode, props);
    }

    /**
     * Writes the frame; PUBREL has flags 0b0010 [MQTT-3.6.1-1].
     *
     * @param dst destination with room for {@link #length} bytes
     * @param off first byte to write
     * @param packetType {@link PacketType#PUBACK}, {@link PacketType#PUBREC}, {@link PacketType#PUBREL} or
     *     {@link PacketType#PUBCOMP}
     * @param packetId the acknowledged packet's identifier [MQTT-2.2.1-5]
     * @param reasonCode a code of that packet's table [MQTT-3.4.2-1, MQTT-3.5.2-1, MQTT-3.6.2-1, MQTT-3.7.2-1]
     *     ({@link ReasonCode#allowedIn})
     * @param props properties (wrapped for the same packet type), or null
     * @return bytes written
     */
    public static int encode(byte[] dst, int off, int packetType, int packetId, int reasonCode,
            PropertiesWriter props) {
        int remaining = remainingLength(reasonCode, props);
        int pos = off + Wire.writeHeader(dst, off, packetType, packetType == PacketType.PUBREL ? 0b0010 : 0,
                remaining);
        pos += Wire.writeU16(dst, pos, packetId);
        pos += ReasonPacketEncoder.writeBody(dst, pos, reasonCode, props, remaining - 2);
        return pos - off;
    }
}
