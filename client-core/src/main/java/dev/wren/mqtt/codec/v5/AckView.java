package dev.wren.mqtt.codec.v5;

import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.Wire;

/**
 * A reusable view of an MQTT 5.0 PUBACK, PUBREC, PUBREL or PUBCOMP body (§3.4..§3.7): packet identifier, then
 * optionally a reason code (Success when absent) and properties (none when absent) (§3.4.2.1).
 */
public final class AckView {
    private final PropertiesView properties = new PropertiesView();
    private int packetId;
    private int reasonCode;

    /**
     * Decodes the body.
     *
     * @param buf bytes
     * @param off first body byte
     * @param len remaining length
     * @param packetType PUBACK, PUBREC, PUBREL or PUBCOMP: selects the reason code table
     * @return {@link CodecStatus#OK}, {@link CodecStatus#NEED_MORE}, {@link CodecStatus#REMAINING_LENGTH_MISMATCH}
     *     (below 2, or bytes after the properties), {@link CodecStatus#PACKET_ID_ZERO}, the packet's
     *     INVALID_*_REASON [MQTT-3.4.2-1, MQTT-3.5.2-1, MQTT-3.6.2-1, MQTT-3.7.2-1] or a properties status
     */
    public int decode(byte[] buf, int off, int len, int packetType) {
        int status = checkPacketId(buf, off, len);
        if (status != CodecStatus.OK) {
            return status;
        }
        int id = Wire.readU16(buf, off);
        int code = properties.decodeReasonAndProperties(buf, off + 2, off + len, packetType);
        if (code < 0) {
            return code;
        }
        packetId = id;
        reasonCode = code;
        return CodecStatus.OK;
    }

    /**
     * Checks the packet identifier that starts an acknowledgement body (and, for {@link SubackView}, a SUBACK or
     * UNSUBACK body) [MQTT-2.2.1-6]; on OK read it with {@link Wire#readU16}.
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

    /** Returns the packet identifier, 1..65535. */
    public int packetId() {
        return packetId;
    }

    /** Returns the reason code; 0x80 or more is a failure. */
    public int reasonCode() {
        return reasonCode;
    }

    /** Returns the properties (Reason String, User Property). */
    public PropertiesView properties() {
        return properties;
    }
}
