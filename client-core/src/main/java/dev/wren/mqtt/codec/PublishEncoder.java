package dev.wren.mqtt.codec;

/**
 * Encodes PUBLISH (MQTT 3.1.1 §3.3): byte 1 {@code 0011 DUP QoS QoS RETAIN}, remaining length, topic name,
 * packet identifier at QoS 1 and 2 only [MQTT-2.3.1-5], then the payload.
 */
public final class PublishEncoder {
    static final int FLAG_DUP = 0b1000;
    static final int FLAG_RETAIN = 0b0001;
    static final int QOS_SHIFT = 1;

    private PublishEncoder() {
    }

    /**
     * Returns the size of a whole PUBLISH frame, fixed header included.
     *
     * @param topicUtf8Length topic name size in UTF-8 bytes, 1..65535
     * @param qos 0..2
     * @param payloadLength payload bytes (the frame must stay within {@link RemainingLength#MAX})
     * @return bytes
     */
    public static int length(int topicUtf8Length, int qos, int payloadLength) {
        return Wire.frameLength(remainingLength(topicUtf8Length, qos, payloadLength));
    }

    /**
     * Validates a topic name given as text and returns its UTF-8 size: the checks of
     * {@link Topics#validateName(CharSequence)} (§4.7), in the same order, keeping the size they measure, so that a
     * publish does not measure its topic again before encoding it.
     *
     * @param topic the topic name
     * @return the UTF-8 size, 1..{@link Topics#MAX_BYTES}, or a negative status as
     *     {@link Topics#validateName(CharSequence)} returns it
     */
    public static int topicLength(CharSequence topic) {
        int n = topic.length();
        if (n == 0) {
            return CodecStatus.EMPTY_TOPIC_NAME;
        }
        int bytes = Utf8.lengthOrStatus(topic);
        if (bytes < 0) {
            return bytes;
        }
        if (bytes > Topics.MAX_BYTES) {
            return CodecStatus.TOPIC_TOO_LONG;
        }
        for (int i = 0; i < n; i++) {
            char c = topic.charAt(i);
            if (c == '+' || c == '#') {
                return CodecStatus.WILDCARD_IN_TOPIC_NAME; // [MQTT-3.3.2-2]
            }
        }
        return bytes;
    }

    private static int remainingLength(int topicLength, int qos, int payloadLength) {
        return 2 + topicLength + (qos > 0 ? 2 : 0) + payloadLength;
    }

    /**
     * Writes a PUBLISH frame with the topic given as text, encoded straight into {@code dst}.
     *
     * @param dst destination with room for {@link #length} bytes
     * @param off first byte to write
     * @param topic a topic name that passed {@link Topics#validateName(CharSequence)}
     * @param qos 0..2
     * @param retain RETAIN flag (§3.3.1.3)
     * @param dup DUP flag, only on a re-delivery at QoS 1 or 2 [MQTT-3.3.1-1, MQTT-3.3.1-2]
     * @param packetId 1..65535 at QoS 1 and 2 [MQTT-2.3.1-1]; ignored at QoS 0 [MQTT-2.3.1-5]
     * @param payload payload bytes
     * @param payloadOffset first payload byte
     * @param payloadLength payload byte count
     * @return bytes written
     */
    public static int encode(byte[] dst, int off, CharSequence topic, int qos, boolean retain, boolean dup,
            int packetId, byte[] payload, int payloadOffset, int payloadLength) {
        int pos = off + encodeHeader(dst, off, topic, qos, retain, dup, packetId, payloadLength);
        System.arraycopy(payload, payloadOffset, dst, pos, payloadLength);
        return pos + payloadLength - off;
    }

    /**
     * Writes everything of a PUBLISH frame up to where the payload starts, the topic given as text; the caller
     * then writes {@code payloadLength} bytes there (MQTT 5.0 writes its property block first and counts it in
     * {@code payloadLength}).
     *
     * @param dst destination with room for {@link #length} bytes
     * @param off first byte to write
     * @param topic a topic name that passed {@link Topics#validateName(CharSequence)}
     * @param qos 0..2
     * @param retain RETAIN flag (§3.3.1.3)
     * @param dup DUP flag [MQTT-3.3.1-1, MQTT-3.3.1-2]
     * @param packetId 1..65535 at QoS 1 and 2; ignored at QoS 0 [MQTT-2.3.1-5]
     * @param payloadLength the size of what follows the packet identifier
     * @return bytes written: the payload starts at {@code off} plus this
     */
    public static int encodeHeader(byte[] dst, int off, CharSequence topic, int qos, boolean retain, boolean dup,
            int packetId, int payloadLength) {
        return encodeHeader(dst, off, topic, Utf8.encodedLength(topic), qos, retain, dup, packetId, payloadLength);
    }

    /**
     * As {@link #encodeHeader(byte[], int, CharSequence, int, boolean, boolean, int, int)} with the topic's UTF-8
     * size already known ({@link #topicLength}), so the text is read once more, to encode it, and not measured again.
     *
     * @param topicUtf8Length the UTF-8 size of {@code topic}, as {@link #topicLength} returned it
     * @return bytes written: the payload starts at {@code off} plus this
     */
    public static int encodeHeader(byte[] dst, int off, CharSequence topic, int topicUtf8Length, int qos,
            boolean retain, boolean dup, int packetId, int payloadLength) {
        int pos = off + writeFixedHeader(dst, off, qos, retain, dup, remainingLength(topicUtf8Length, qos, payloadLength));
        pos += Wire.writeU16(dst, pos, topicUtf8Length);
        pos += Utf8.encode(topic, dst, pos);
        pos += writePacketId(dst, pos, qos, packetId);
        return pos - off;
    }

    /**
     * Writes a PUBLISH frame with the topic given as pre-encoded UTF-8 bytes.
     *
     * @param dst destination with room for {@link #length} bytes
     * @param off first byte to write
     * @param topicUtf8 topic name bytes that passed {@link Topics#validateName(byte[], int, int)}
     * @param topicOffset first topic byte
     * @param topicLength topic byte count, 1..65535
     * @param qos 0..2
     * @param retain RETAIN flag (§3.3.1.3)
     * @param dup DUP flag [MQTT-3.3.1-1, MQTT-3.3.1-2]
     * @param packetId 1..65535 at QoS 1 and 2; ignored at QoS 0 [MQTT-2.3.1-5]
     * @param payload payload bytes
     * @param payloadOffset first payload byte
     * @param payloadLength payload byte count
     * @return bytes written
     */
    public static int encode(byte[] dst, int off, byte[] topicUtf8, int topicOffset, int topicLength, int qos,
            boolean retain, boolean dup, int packetId, byte[] payload, int payloadOffset, int payloadLength) {
        int pos = off + encodeHeader(dst, off, topicUtf8, topicOffset, topicLength, qos, retain, dup, packetId,
                payloadLength);
        System.arraycopy(payload, payloadOffset, dst, pos, payloadLength);
        return pos + payloadLength - off;
    }

    /**
     * Writes everything of a PUBLISH frame up to where the payload starts; the caller then writes
     * {@code payloadLength} bytes there (e.g. readings as ASCII with {@link AsciiWriter}).
     *
     * @param dst destination with room for {@link #length} bytes
     * @param off first byte to write
     * @param topicUtf8 topic name bytes
     * @param topicOffset first topic byte
     * @param topicLength topic byte count, 1..65535
     * @param qos 0..2
     * @param retain RETAIN flag
     * @param dup DUP flag
     * @param packetId 1..65535 at QoS 1 and 2; ignored at QoS 0
     * @param payloadLength the payload size the caller will write (with MQTT 5.0: the property block too)
     * @return bytes written: the payload starts at {@code off} plus this
     */
    public static int encodeHeader(byte[] dst, int off, byte[] topicUtf8, int topicOffset, int topicLength,
            int qos, boolean retain, boolean dup, int packetId, int payloadLength) {
        int pos = off + writeFixedHeader(dst, off, qos, retain, dup, remainingLength(topicLength, qos, payloadLength));
        pos += Wire.writeBinary(dst, pos, topicUtf8, topicOffset, topicLength);
        pos += writePacketId(dst, pos, qos, packetId);
        return pos - off;
    }

    /**
     * Sets the DUP flag of an encoded PUBLISH in place, for a re-delivery [MQTT-3.3.1-1].
     *
     * @param frame buffer holding the frame
     * @param off first byte of the frame (fixed header byte 1)
     */
    public static void setDup(byte[] frame, int off) {
        frame[off] |= FLAG_DUP;
    }

    /**
     * Sets or clears the DUP flag of an encoded PUBLISH in place: set on a re-delivery [MQTT-3.3.1-1], clear on a
     * first delivery under a new packet identifier.
     *
     * @param frame buffer holding the frame
     * @param off first byte of the frame (fixed header byte 1)
     * @param dup the DUP flag to leave
     */
    public static void setDup(byte[] frame, int off, boolean dup) {
        frame[off] = (byte) (dup ? frame[off] | FLAG_DUP : frame[off] & ~FLAG_DUP);
    }

    /**
     * Returns the QoS of an encoded PUBLISH, from its fixed header (§3.3.1.2).
     *
     * @param frame buffer holding the frame
     * @param off first byte of the frame
     * @return 0..2 (3 only for a frame this encoder did not write)
     */
    public static int qos(byte[] frame, int off) {
        return (frame[off] >>> QOS_SHIFT) & 0b11;
    }

    /**
     * Writes the packet identifier of an encoded QoS 1 or 2 PUBLISH in place: it follows the fixed header and the
     * topic name (§3.3.2), so a frame encoded before its identifier was known gets one when it goes out.
     *
     * @param frame buffer holding a whole QoS 1/2 PUBLISH frame
     * @param off first byte of the frame
     * @param packetId 1..65535 [MQTT-2.3.1-1]
     */
    public static void setPacketId(byte[] frame, int off, int packetId) {
        int pos = off + 1;
        while ((frame[pos++] & 0x80) != 0) {
            // remaining length continuation bytes (§2.2.3)
        }
        Wire.writeU16(frame, pos + 2 + Wire.readU16(frame, pos), packetId);
    }

    private static int writeFixedHeader(byte[] dst, int off, int qos, boolean retain, boolean dup, int remaining) {
        int flags = (qos << QOS_SHIFT) | (retain ? FLAG_RETAIN : 0) | (dup ? FLAG_DUP : 0);
        return Wire.writeHeader(dst, off, PacketType.PUBLISH, flags, remaining);
    }

    private static int writePacketId(byte[] dst, int pos, int qos, int packetId) {
        return qos > 0 ? Wire.writeU16(dst, pos, packetId) : 0;
    }
}
