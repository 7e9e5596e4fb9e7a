package dev.wren.mqtt.codec;

/**
 * A reusable view of a SUBSCRIBE body (MQTT 3.1.1 §3.8), for a server or test peer decoding what a client sent.
 * Filters stay in the caller's buffer; the view holds their offsets, up to a capacity fixed at construction.
 */
public final class SubscribeView {
    private final TopicFilterList list;

    /**
     * Creates a view.
     *
     * @param maxFilters most filters one SUBSCRIBE may carry, at least 1
     * @throws IllegalArgumentException when {@code maxFilters < 1}
     */
    public SubscribeView(int maxFilters) {
        list = new TopicFilterList(maxFilters);
    }

    /**
     * Decodes a SUBSCRIBE body: packet identifier, then topic filter / requested QoS pairs.
     *
     * @param buf bytes
     * @param off first body byte (after the fixed header)
     * @param len remaining length
     * @return {@link CodecStatus#OK}, {@link CodecStatus#NEED_MORE} (body not all in {@code buf}),
     *     {@link CodecStatus#REMAINING_LENGTH_MISMATCH} (no packet id, or a filter without its QoS byte),
     *     {@link CodecStatus#PACKET_ID_ZERO} [MQTT-2.3.1-1], {@link CodecStatus#EMPTY_SUBSCRIBE}
     *     [MQTT-3.8.3-3], {@link CodecStatus#TRUNCATED_STRING}, a filter status of
     *     {@link Topics#validateFilter(byte[], int, int)} [MQTT-3.8.3-1], {@link CodecStatus#INVALID_REQUESTED_QOS}
     *     or {@link CodecStatus#TOO_MANY_FILTERS}
     */
    public int decode(byte[] buf, int off, int len) {
        return list.decode(buf, off, len, true, CodecStatus.EMPTY_SUBSCRIBE);
    }

    /** Returns the packet identifier of the last successful decode. */
    public int packetId() {
        return list.packetId;
    }

    /** Returns how many filters the last successful decode found. */
    public int count() {
        return list.count;
    }

    /** Returns the buffer the offsets refer to. */
    public byte[] buffer() {
        return list.buf;
    }

    /** Returns the offset of filter {@code i}'s UTF-8 bytes in {@link #buffer()}. */
    public int filterOffset(int i) {
        return list.offsets[list.check(i)];
    }

    /** Returns the UTF-8 byte count of filter {@code i}. */
    public int filterLength(int i) {
        return list.lengths[list.check(i)];
    }

    /** Returns the QoS requested for filter {@code i}, 0..2 (§3.8.3.1). */
    public int requestedQos(int i) {
        return list.qos[list.check(i)];
    }

    /**
     * Returns filter {@code i} as a CharSequence over the buffer; one shared view, valid until the next call.
     *
     * @param i 0..count()-1
     * @return the filter text
     */
    public CharSequence filter(int i) {
        return list.chars.wrap(list.buf, filterOffset(i), filterLength(i));
    }
}
