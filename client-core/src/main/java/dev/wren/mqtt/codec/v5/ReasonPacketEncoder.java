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
        return Wire.frameLength(bodyLength(reasonCode, props));
    }

    /**
     * The size of a reason code and properties in their shortest form (§3.4.2.1, §3.14.2.1, §3.15.2.1): nothing for
     * Success without properties, the reason code alone without properties, else both. Also the tail of the
     * publish acknowledgements ({@link AckEncoder}), after their packet identifier.
     */
    static int bodyLength(int reasonCode, PropertiesWriter props) {
        if (props == null || props.length() == 0) {
            return reasonCode == ReasonCode.SUCCESS ? 0 : 1;
        }
        return 1 + PropertiesWriter.blockLength(props);
    }

    /** Writes what {@link #bodyLength} sized as {@code bodyLength} bytes; returns it. */
    static int writeBody(byte[] dst, int pos, int reasonCode, PropertiesWriter props, int bodyLength) {
        if (bodyLength > 0) {
            dst[pos] = (byte) reasonCode;
        }
        if (bodyLength > 1) {
            PropertiesWriter.writeBlock(props, dst, pos + 1);
        }
        return bodyLength;
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
        int remaining = bodyLength(reasonCode, props);
        int pos = off + Wire.writeHeader(dst, off, packetType, 0, remaining);
        pos += writeBody(dst, pos, reasonCode, props, remaining);
        return pos - off;
    }
}
