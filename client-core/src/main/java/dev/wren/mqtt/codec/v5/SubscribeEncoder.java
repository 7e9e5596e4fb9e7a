package dev.wren.mqtt.codec.v5;

import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.codec.Wire;

/**
 * Encodes MQTT 5.0 SUBSCRIBE (§3.8) and UNSUBSCRIBE (§3.10): byte 1 with flags 0b0010 [MQTT-2.1.3-1], packet
 * identifier, properties, then the filters, each followed by its subscription options byte in SUBSCRIBE.
 */
public final class SubscribeEncoder {
    /** Subscription options bit 2: No Local (§3.8.3.1). */
    public static final int NO_LOCAL = 0b100;
    /** Subscription options bit 3: Retain As Published (§3.8.3.1). */
    public static final int RETAIN_AS_PUBLISHED = 0b1000;
    /** Retain Handling 0: send retained messages at subscribe (§3.8.3.1). */
    public static final int SEND_RETAINED = 0;
    /** Retain Handling 1: send retained messages only for a new subscription. */
    public static final int SEND_RETAINED_IF_NEW = 1;
    /** Retain Handling 2: do not send retained messages. */
    public static final int DO_NOT_SEND_RETAINED = 2;

    private SubscribeEncoder() {
    }

    /**
     * Builds a subscription options byte (§3.8.3.1).
     *
     * @param qos maximum QoS, 0..2
     * @param noLocal do not receive one's own publications (never on a shared subscription [MQTT-3.8.3-4])
     * @param retainAsPublished keep the RETAIN flag of forwarded messages
     * @param retainHandling {@link #SEND_RETAINED}, {@link #SEND_RETAINED_IF_NEW} or {@link #DO_NOT_SEND_RETAINED}
     * @return the byte, reserved bits 7-6 clear
     */
    public static int options(int qos, boolean noLocal, boolean retainAsPublished, int retainHandling) {
        return qos | (noLocal ? NO_LOCAL : 0) | (retainAsPublished ? RETAIN_AS_PUBLISHED : 0) | (retainHandling << 4);
    }

    /**
     * Returns the size of a whole SUBSCRIBE ({@code withOptions}) or UNSUBSCRIBE frame.
     *
     * @param props properties, or null
     * @param filters topic filters that passed {@link dev.wren.mqtt.codec.Topics#validateFilter(CharSequence)}
     * @param count how many, at least 1 [MQTT-3.8.3-2, MQTT-3.10.3-2]
     * @param withOptions true for SUBSCRIBE (an options byte per filter)
     * @return bytes
     */
    public static int length(PropertiesWriter props, CharSequence[] filters, int count, boolean withOptions) {
        return Wire.frameLength(remainingLength(props, filters, count, withOptions));
    }

    private static int remainingLength(PropertiesWriter props, CharSequence[] filters, int count,
            boolean withOptions) {
        return 2 + PropertiesWriter.blockLength(props) + (withOptions ? count : 0)
                + dev.wren.mqtt.codec.SubscribeEncoder.filtersLength(filters, count);
    }

    /**
     * Writes a SUBSCRIBE frame.
     *
     * @param dst destination with room for {@link #length} bytes
     * @param off first byte to write
     * @param packetId 1..65535
     * @param props properties (Subscription Identifier, User Property), or null
     * @param filters validated filters
     * @param options a subscription options byte per filter ({@link #options})
     * @param count how many filters, at least 1
     * @return bytes written
     */
    public static int encode(byte[] dst, int off, int packetId, PropertiesWriter props, CharSequence[] filters,
            int[] options, int count) {
        return write(dst, off, PacketType.SUBSCRIBE, packetId, props, filters, options, count);
    }

    /**
     * Writes an UNSUBSCRIBE frame.
     *
     * @param dst destination with room for {@link #length} bytes ({@code withOptions} false)
     * @param off first byte to write
     * @param packetId 1..65535
     * @param props properties (User Property), or null
     * @param filters validated filters
     * @param count how many filters, at least 1
     * @return bytes written
     */
    public static int encodeUnsubscribe(byte[] dst, int off, int packetId, PropertiesWriter props,
            CharSequence[] filters, int count) {
        return write(dst, off, PacketType.UNSUBSCRIBE, packetId, props, filters, null, count);
    }

    private static int write(byte[] dst, int off, int type, int packetId, PropertiesWriter props,
            CharSequence[] filters, int[] options, int count) {
        int remaining = remainingLength(props, filters, count, options != null);
        int pos = off + Wire.writeHeader(dst, off, type, 0b0010, remaining);
        pos += Wire.writeU16(dst, pos, packetId);
        pos += PropertiesWriter.writeBlock(props, dst, pos);
        return pos + dev.wren.mqtt.codec.SubscribeEncoder.writeFilters(dst, pos, filters, options, count) - off;
    }
}
