package dev.wren.mqtt.codec;

/**
 * A reusable view of a body that holds only a packet identifier: PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK
 * (MQTT 3.1.1 §3.4..§3.7, §3.11).
 */
public final class AckView {
    private int packetId;

    /**
     * Decodes the body.
     *
     * @param buf bytes
     * @param off first body byte (after the fixed header)
     * @param len remaining length
     * @return {@link CodecStatus#OK}, {@link CodecStatus#NEED_MORE} (body not all in {@code buf}),
     *     {@link CodecStatus#REMAINING_LENGTH_MISMATCH} (not 2) or {@link CodecStatus#PACKET_ID_ZERO}
     *     [MQTT-2.3.1-1]
     */
    public int decode(byte[] buf, int off, int len) {
        if (len != 2) {
            return CodecStatus.REMAINING_LENGTH_MISMATCH;
        }
        if (!Wire.inBounds(buf, off, len)) {
            return CodecStatus.NEED_MORE;
        }
        int id = Wire.readU16(buf, off);
        if (id == 0) {
            return CodecStatus.PACKET_ID_ZERO;
        }
        packetId = id;
        return CodecStatus.OK;
    }

    /** Returns the packet identifier of the last successful decode, 1..65535. */
    public int packetId() {
        return packetId;
    }
}
