package dev.wren.mqtt.codec;

/**
 * A reusable view of a SUBACK body (MQTT 3.1.1 §3.9): packet identifier and one return code per filter,
 * read in place from the caller's buffer.
 */
public final class SubackView {
    /** Return code: failure (§3.9.3). */
    public static final int FAILURE = 0x80;

    private byte[] buf = new byte[0];
    private int codesOffset;
    private int count;
    private int packetId;

    /**
     * Decodes a SUBACK body.
     *
     * @param buf bytes; the view reads return codes from it until the next decode
     * @param off first body byte (after the fixed header)
     * @param len remaining length
     * @return {@link CodecStatus#OK}, {@link CodecStatus#NEED_MORE} (body not all in {@code buf}),
     *     {@link CodecStatus#REMAINING_LENGTH_MISMATCH} (no return code), {@link CodecStatus#PACKET_ID_ZERO}
     *     [MQTT-2.3.1-1] or {@link CodecStatus#INVALID_SUBACK_CODE} [MQTT-3.9.3-2]
     */
    public int decode(byte[] buf, int off, int len) {
        if (len < 3) {
            return CodecStatus.REMAINING_LENGTH_MISMATCH;
        }
        if (!Wire.inBounds(buf, off, len)) {
            return CodecStatus.NEED_MORE;
        }
        int id = Wire.readU16(buf, off);
        if (id == 0) {
            return CodecStatus.PACKET_ID_ZERO;
        }
        for (int i = off + 2; i < off + len; i++) {
            int code = buf[i] & 0xFF;
            if (code > 2 && code != FAILURE) {
                return CodecStatus.INVALID_SUBACK_CODE;
            }
        }
        this.buf = buf;
        this.codesOffset = off + 2;
        this.count = len - 2;
        this.packetId = id;
        return CodecStatus.OK;
    }

    /** Returns the packet identifier of the last successful decode [MQTT-3.8.4-2]. */
    public int packetId() {
        return packetId;
    }

    /** Returns how many return codes the SUBACK holds. */
    public int count() {
        return count;
    }

    /**
     * Returns a return code, in the order of the SUBSCRIBE's filters [MQTT-3.9.3-1].
     *
     * @param i 0..count()-1
     * @return granted QoS 0..2, or {@link #FAILURE}
     */
    public int returnCode(int i) {
        return Wire.codeAt(buf, codesOffset, count, i, "return code");
    }
}
