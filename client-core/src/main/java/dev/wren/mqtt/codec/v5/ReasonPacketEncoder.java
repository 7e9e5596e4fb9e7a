package dev.wren.mqtt.codec.v5;

import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.codec.Wire;

/**
 * Encodes the packets whose body is a reason code and properties: DISCONNECT (§3.14) and AUTH (§3.15), both
 * directions. The shortest form is chosen: an empty body for reason code 0 without properties (§3.14.2.1,
 * §3.15.2.1), the reason code alone without properties, else both.
 */
public final class ReasonPacketEncoder {
    private ReasonPacketEncoder() {
    }

    /**
     * Returns the size of the frame.
     *
     * @param reasonCode the reason code
     * @param props properties, or null
     * @return bytes, 2..
     */
    public static int length(int reasonCode, PropertiesWriter props) {
        return Wire.frameLength(remainingLength(reasonCode, props));
    }

    private static int remainingLength(int reasonCode, PropertiesWriter props) {
        if (props == null || props.length() == 0) {
            return reasonCode == ReasonCode.SUCCESS ? 0 : 1;
        }
        return 1 + PropertiesWriter.blockLength(props);
    }

    /**
     * Writes the frame with flags 0 [MQTT-3.14.1-1, MQTT-3.15.1-1].
     *
     * @param dst destination with room for {@link #length} bytes
     * @param off first byte to write
     * @param packetType {@link PacketType#DISCONNECT} or {@link PacketType5#AUTH}
     * @param reasonCode a code of that packet's table [MQTT-3.15.2-1] ({@link ReasonCode#allowedIn})
     * @param props properties (wrapped for the same packet type), or null
     * @return bytes written
     */
    public static int encode(byte[] dst, int off, int packetType, int reasonCode, PropertiesWriter props) {
        int remaining = remainingLength(reasonCode, props);
        int pos = off + Wire.writeHeader(dst, off, packetType, 0, remaining);
        if (remaining > 0) {
            dst[pos++] = (byte) reasonCode;
        }
        if (remaining > 1) {
            pos += PropertiesWriter.writeBlock(props, dst, pos);
        }
        return pos - off;
    }
}
