package dev.wren.mqtt.codec;

/** Encodes SUBACK (MQTT 3.1.1 §3.9), for a server or a test peer. */
public final class SubackEncoder {
    private SubackEncoder() {
    }

    /**
     * Returns the size of a whole SUBACK frame, fixed header included.
     *
     * @param count return codes, one per filter of the SUBSCRIBE acknowledged [MQTT-3.8.4-5]
     * @return bytes
     */
    public static int length(int count) {
        return Wire.frameLength(2 + count);
    }

    /**
     * Writes a SUBACK frame: packet identifier, then one return code per filter, in filter order
     * [MQTT-3.9.3-1].
     *
     * @param dst destination with room for {@link #length} bytes
     * @param off first byte to write
     * @param packetId the SUBSCRIBE's packet identifier [MQTT-3.8.4-2]
     * @param codes granted QoS 0..2 or 0x80 for failure [MQTT-3.9.3-2]
     * @param count how many codes
     * @return bytes written
     */
    public static int encode(byte[] dst, int off, int packetId, int[] codes, int count) {
        int pos = off + Wire.writeHeader(dst, off, PacketType.SUBACK, 0, 2 + count);
        pos += Wire.writeU16(dst, pos, packetId);
        for (int i = 0; i < count; i++) {
            dst[pos++] = (byte) codes[i];
        }
        return pos - off;
    }
}
