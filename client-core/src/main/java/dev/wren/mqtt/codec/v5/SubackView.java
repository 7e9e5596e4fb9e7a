package dev.wren.mqtt.codec.v5;

import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.Wire;

/**
 * A reusable view of an MQTT 5.0 SUBACK (§3.9) or UNSUBACK (§3.11) body: packet identifier, properties, then one
 * reason code per filter of the request, in its order [MQTT-3.8.4-6, MQTT-3.11.3-1], read in place.
 */
public final class SubackView {
    private final PropertiesView properties = new PropertiesView();
    private byte[] buf = new byte[0];
    private int codesOffset;
    private int count;
    private int packetId;

    /**
     * Decodes the body.
     *
     * @param buf bytes
     * @param off first body byte
     * @param len remaining length
     * @param packetType SUBACK or UNSUBACK: selects the reason code table
     * @return {@link CodecStatus#OK}, {@link CodecStatus#NEED_MORE}, {@link CodecStatus#REMAINING_LENGTH_MISMATCH}
     *     (no packet identifier or no reason code), {@link CodecStatus#PACKET_ID_ZERO}, a properties status,
     *     {@link CodecStatus#INVALID_SUBACK_REASON} [MQTT-3.8.4-7] or {@link CodecStatus#INVALID_UNSUBACK_REASON}
     */
    public int decode(byte[] buf, int off, int len, int packetType) {
        int status = AckView.checkPacketId(buf, off, len);
        if (status != CodecStatus.OK) {
            return status;
        }
        int id = Wire.readU16(buf, off);
        int end = off + len;
        status = properties.decode(buf, off + 2, end, packetType);
        if (status != CodecStatus.OK) {
            return status;
        }
        int codes = off + 2 + properties.encodedLength();
        if (codes == end) {
            return CodecStatus.REMAINING_LENGTH_MISMATCH;
        }
        for (int i = codes; i < end; i++) {
            status = ReasonCode.check(packetType, buf[i] & 0xFF);
            if (status != CodecStatus.OK) {
                return status;
            }
        }
        this.buf = buf;
        this.codesOffset = codes;
        this.count = end - codes;
        this.packetId = id;
        return CodecStatus.OK;
    }

    /** Returns the packet identifier [MQTT-2.2.1-6]. */
    public int packetId() {
        return packetId;
    }

    /** Returns how many reason codes the body holds. */
    public int count() {
        return count;
    }

    /**
     * Returns a reason code, in the order of the request's filters.
     *
     * @param i 0..count()-1
     * @return the code: granted QoS 0..2 or Success/No subscription existed, or a failure of 0x80 or more
     */
    public int reasonCode(int i) {
        return Wire.codeAt(buf, codesOffset, count, i, "reason code");
    }

    /** Returns the properties (Reason String, User Property). */
    public PropertiesView properties() {
        return properties;
    }
}
