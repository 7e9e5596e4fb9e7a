package dev.wren.mqtt.codec.v5;

import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.Wire;

/** Decoding steps the body views share. */
final class Bodies {
    private Bodies() {
    }

    /**
     * Checks the packet identifier that starts an acknowledgement or SUBACK/UNSUBACK body [MQTT-2.2.1-6]; on OK
     * read it with {@link Wire#readU16}.
     *
     * @return OK, NEED_MORE (body not all in {@code buf}), REMAINING_LENGTH_MISMATCH (below 2 bytes) or
     *     PACKET_ID_ZERO
     */
    static int checkPacketId(byte[] buf, int off, int len) {
        if (!Wire.inBounds(buf, off, len)) {
            return CodecStatus.NEED_MORE;
        }
        if (len < 2) {
            return CodecStatus.REMAINING_LENGTH_MISMATCH;
        }
        return Wire.readU16(buf, off) == 0 ? CodecStatus.PACKET_ID_ZERO : CodecStatus.OK;
    }

    /**
     * Decodes a property block that must end exactly at {@code end}.
     *
     * @return OK, a properties status, or REMAINING_LENGTH_MISMATCH for bytes left after the block
     */
    static int propertiesToEnd(PropertiesView properties, byte[] buf, int pos, int end, int packetType) {
        int status = properties.decode(buf, pos, end, packetType);
        if (status != CodecStatus.OK) {
            return status;
        }
        return pos + properties.encodedLength() == end ? CodecStatus.OK : CodecStatus.REMAINING_LENGTH_MISMATCH;
    }

    /**
     * Decodes the optional reason code and property block of an acknowledgement, DISCONNECT or AUTH body, from
     * {@code pos} to {@code end}: nothing means Success and no properties, one byte a reason code alone.
     *
     * @return the reason code (0..255), or a negative status
     */
    static int reasonAndProperties(PropertiesView properties, byte[] buf, int pos, int end, int packetType) {
        int code = pos < end ? buf[pos] & 0xFF : ReasonCode.SUCCESS;
        int status = ReasonCode.check(packetType, code);
        if (status != CodecStatus.OK) {
            return status;
        }
        status = end - pos > 1 ? propertiesToEnd(properties, buf, pos + 1, end, packetType)
                : properties.decode(EMPTY_BLOCK, 0, 1, packetType);
        return status != CodecStatus.OK ? status : code;
    }

    /** A property length of 0: what an omitted block means. */
    private static final byte[] EMPTY_BLOCK = {0};
}
