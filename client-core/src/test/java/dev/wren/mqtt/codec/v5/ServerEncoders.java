package dev.wren.mqtt.codec.v5;

import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.codec.Wire;

/**
 * Test peer: the frames only a server sends, CONNACK (§3.2), SUBACK (§3.9) and UNSUBACK (§3.11), sized first and
 * written into a caller buffer. Kept in the test sources: a client never encodes them.
 */
public final class ServerEncoders {
    private ServerEncoders() {
    }

    static int connackLength(PropertiesWriter props) {
        return Wire.frameLength(2 + PropertiesWriter.blockLength(props));
    }

    static int encodeConnack(byte[] dst, int off, boolean sessionPresent, int reasonCode, PropertiesWriter props) {
        int pos = off + Wire.writeHeader(dst, off, PacketType.CONNACK, 0, 2 + PropertiesWriter.blockLength(props));
        dst[pos++] = (byte) (sessionPresent ? 1 : 0);
        dst[pos++] = (byte) reasonCode;
        pos += PropertiesWriter.writeBlock(props, dst, pos);
        return pos - off;
    }

    static int subackLength(PropertiesWriter props, int count) {
        return Wire.frameLength(2 + PropertiesWriter.blockLength(props) + count);
    }

    /** SUBACK or UNSUBACK: packet identifier, properties, one reason code per filter. */
    static int encodeSuback(byte[] dst, int off, int packetType, int packetId, PropertiesWriter props, int[] codes,
            int count) {
        int remaining = 2 + PropertiesWriter.blockLength(props) + count;
        int pos = off + Wire.writeHeader(dst, off, packetType, 0, remaining);
        pos += Wire.writeU16(dst, pos, packetId);
        pos += PropertiesWriter.writeBlock(props, dst, pos);
        for (int i = 0; i < count; i++) {
            dst[pos++] = (byte) codes[i];
        }
        return pos - off;
    }
}
