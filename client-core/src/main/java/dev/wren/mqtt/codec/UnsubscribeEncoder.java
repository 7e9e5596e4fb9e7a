package dev.wren.mqtt.codec;

/**
 * Encodes UNSUBSCRIBE (MQTT 3.1.1 §3.10): byte 1 0xA2 (reserved flags 0b0010, [MQTT-3.10.1-1]), packet
 * identifier, then the topic filters packed contiguously [MQTT-3.10.3-1].
 */
public final class UnsubscribeEncoder {
    private UnsubscribeEncoder() {
    }

    /**
     * Returns the size of a whole UNSUBSCRIBE frame, fixed header included.
     *
     * @param filters topic filters that passed {@link Topics#validateFilter(CharSequence)}
     * @param count how many of {@code filters} to send, at least 1 [MQTT-3.10.3-2]
     * @return bytes
     */
    public static int length(CharSequence[] filters, int count) {
        return Wire.frameLength(2 + SubscribeEncoder.filtersLength(filters, count));
    }

    /**
     * Writes an UNSUBSCRIBE frame.
     *
     * @param dst destination with room for {@link #length} bytes
     * @param off first byte to write
     * @param packetId 1..65535 [MQTT-2.3.1-1]
     * @param filters validated topic filters
     * @param count how many filters, at least 1
     * @return bytes written
     */
    public static int encode(byte[] dst, int off, int packetId, CharSequence[] filters, int count) {
        int remaining = 2 + SubscribeEncoder.filtersLength(filters, count);
        int pos = off + Wire.writeHeader(dst, off, PacketType.UNSUBSCRIBE, 0b0010, remaining);
        pos += Wire.writeU16(dst, pos, packetId);
        return pos + SubscribeEncoder.writeFilters(dst, pos, filters, null, count) - off;
    }
}
