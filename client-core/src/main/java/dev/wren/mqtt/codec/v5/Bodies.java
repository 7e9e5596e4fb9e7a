package dev.wren.mqtt.codec.v5;

import dev.wren.mqtt.codec.CodecStatus;

/** Decoding steps the body views share. */
final class Bodies {
    private Bodies() {
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
