package dev.wren.mqtt.codec;

/**
 * Encodes SUBSCRIBE (MQTT 3.1.1 §3.8): byte 1 0x82 (reserved flags 0b0010, [MQTT-3.8.1-1]), packet identifier,
 * then per filter a UTF-8 string and a requested-QoS byte.
 */
public final class SubscribeEncoder {
    private SubscribeEncoder() {
    }

    /**
     * Returns the size of a whole SUBSCRIBE frame, fixed header included.
     *
     * @param filters topic filters that passed {@link Topics#validateFilter(CharSequence)}
     * @param count how many of {@code filters} to send, at least 1 [MQTT-3.8.3-3]
     * @return bytes
     */
    public static int length(CharSequence[] filters, int count) {
        return Wire.frameLength(2 + filtersLength(filters, count) + count);
    }

    /**
     * Returns the sum of {@code 2 + UTF-8 length} over the first {@code count} filters: the filter list of a
     * SUBSCRIBE or UNSUBSCRIBE of either level without its option bytes. Public only so that
     * {@code dev.wren.mqtt.codec.v5} can share it; not for applications.
     */
    public static int filtersLength(CharSequence[] filters, int count) {
        int n = 0;
        for (int i = 0; i < count; i++) {
            n += 2 + Utf8.encodedLength(filters[i]);
        }
        return n;
    }

    /**
     * Writes a SUBSCRIBE frame.
     *
     * @param dst destination with room for {@link #length} bytes
     * @param off first byte to write
     * @param packetId 1..65535 [MQTT-2.3.1-1]
     * @param filters validated topic filters
     * @param qos requested QoS per filter, 0..2
     * @param count how many filters, at least 1
     * @return bytes written
     */
    public static int encode(byte[] dst, int off, int packetId, CharSequence[] filters, int[] qos, int count) {
        int remaining = 2 + filtersLength(filters, count) + count;
        int pos = off + Wire.writeHeader(dst, off, PacketType.SUBSCRIBE, 0b0010, remaining);
        pos += Wire.writeU16(dst, pos, packetId);
        return pos + writeFilters(dst, pos, filters, qos, count) - off;
    }

    /**
     * Writes the filter list of a SUBSCRIBE or UNSUBSCRIBE of either level: per filter a UTF-8 string, followed in
     * SUBSCRIBE by its requested QoS (MQTT 3.1.1 §3.8.3) or subscription options byte (MQTT 5.0 §3.8.3.1). Public
     * only so that {@code dev.wren.mqtt.codec.v5} can share it; not for applications.
     *
     * @param dst destination
     * @param off first byte to write
     * @param filters validated topic filters
     * @param options one byte per filter, or null for UNSUBSCRIBE
     * @param count how many filters
     * @return bytes written
     */
    public static int writeFilters(byte[] dst, int off, CharSequence[] filters, int[] options, int count) {
        int pos = off;
        for (int i = 0; i < count; i++) {
            pos += Wire.writeString(dst, pos, filters[i]);
            if (options != null) {
                dst[pos++] = (byte) options[i];
            }
        }
        return pos - off;
    }
}
