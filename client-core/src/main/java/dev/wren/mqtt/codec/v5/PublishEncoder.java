package dev.wren.mqtt.codec.v5;

import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.codec.Wire;

/**
 * Encodes an MQTT 5.0 PUBLISH (§3.3): byte 1 {@code 0011 DUP QoS QoS RETAIN}, remaining length, topic name, packet
 * identifier at QoS 1 and 2 only [MQTT-2.2.1-2], properties, payload. Set DUP on a resend with
 * {@link dev.wren.mqtt.codec.PublishEncoder#setDup}: byte 1 is the same in both versions.
 */
public final class PublishEncoder {
    private PublishEncoder() {
    }

    /**
     * Returns the size of a whole PUBLISH frame.
     *
     * @param topicUtf8Length topic name size in UTF-8 bytes, 0..65535 (0 only with a Topic Alias, §3.3.2.1)
     * @param qos 0..2
     * @param props properties (wrapped for {@link PacketType#PUBLISH}), or null
     * @param payloadLength payload bytes
     * @return bytes
     */
    public static int length(int topicUtf8Length, int qos, PropertiesWriter props, int payloadLength) {
        return dev.wren.mqtt.codec.PublishEncoder.length(topicUtf8Length, qos,
                PropertiesWriter.blockLength(props) + payloadLength);
    }

    /**
     * Writes a PUBLISH frame with the topic given as text.
     *
     * @param dst destination with room for {@link #length} bytes
     * @param off first byte to write
     * @param topic a topic name that passed {@link dev.wren.mqtt.codec.Topics#validateName(CharSequence)}, or
     *     empty with a Topic Alias property
     * @param qos 0..2
     * @param retain RETAIN flag (§3.3.1.3)
     * @param dup DUP flag, only on a resend at QoS 1 or 2 [MQTT-3.3.1-1, MQTT-3.3.1-2]
     * @param packetId 1..65535 at QoS 1 and 2; ignored at QoS 0 [MQTT-2.2.1-2]
     * @param props properties, or null
     * @param payload payload bytes
     * @param payloadOffset first payload byte
     * @param payloadLength payload byte count
     * @return bytes written
     */
    public static int encode(byte[] dst, int off, CharSequence topic, int qos, boolean retain, boolean dup,
            int packetId, PropertiesWriter props, byte[] payload, int payloadOffset, int payloadLength) {
        int pos = off + dev.wren.mqtt.codec.PublishEncoder.encodeHeader(dst, off, topic, qos, retain, dup, packetId,
                PropertiesWriter.blockLength(props) + payloadLength);
        pos += PropertiesWriter.writeBlock(props, dst, pos);
        System.arraycopy(payload, payloadOffset, dst, pos, payloadLength);
        return pos + payloadLength - off;
    }

    /**
     * Writes everything of a PUBLISH frame up to the payload, the topic given as UTF-8 bytes; the caller then
     * writes {@code payloadLength} bytes where this stops.
     *
     * @param dst destination with room for {@link #length} bytes
     * @param off first byte to write
     * @param topicUtf8 topic name bytes (validated)
     * @param topicOffset first topic byte
     * @param topicLength topic byte count, 0..65535
     * @param qos 0..2
     * @param retain RETAIN flag
     * @param dup DUP flag
     * @param packetId 1..65535 at QoS 1 and 2; ignored at QoS 0
     * @param props properties, or null
     * @param payloadLength the payload size the caller will write
     * @return bytes written: the payload starts at {@code off} plus this
     */
    public static int encodeHeader(byte[] dst, int off, byte[] topicUtf8, int topicOffset, int topicLength,
            int qos, boolean retain, boolean dup, int packetId, PropertiesWriter props, int payloadLength) {
        int pos = off + dev.wren.mqtt.codec.PublishEncoder.encodeHeader(dst, off, topicUtf8, topicOffset, topicLength,
                qos, retain, dup, packetId, PropertiesWriter.blockLength(props) + payloadLength);
        return pos + PropertiesWriter.writeBlock(props, dst, pos) - off;
    }

    /**
     * Rewrites in place an encoded 5.0 PUBLISH as the MQTT 3.1.1 PUBLISH of the same message (MQTT 3.1.1 §3.3, which
     * has no properties): flags, topic name, packet identifier and payload stay, the property block goes, the
     * remaining length shrinks with it. For a message stored at 5.0 that goes out on a 3.1.1 connection (AUTO's
     * fallback). The frame still starts at {@code off}; allocates nothing.
     *
     * @param frame buffer holding a whole 5.0 PUBLISH frame as {@link #encode} writes it (well-formed)
     * @param off first byte of the frame
     * @return the 3.1.1 frame's length
     */
    public static int toProtocol311(byte[] frame, int off) {
        return rewrite(frame, off, 0, frame, off);
    }

    /**
     * Writes at {@code dst[at]} the stored 5.0 PUBLISH {@code frame[off..]} as it goes out on this connection with a
     * Topic Alias (§3.3.2.3.4) appended to its properties: with an empty topic name when the alias is already mapped
     * ({@code alias} &gt; 0), with the topic to map it otherwise ({@code alias} &lt; 0, the alias is -alias). The
     * stored frame keeps its topic for a resend on a later connection, which knows no aliases [MQTT-3.3.2-7].
     *
     * @return the length of the frame written (at most 4 bytes more than the stored one)
     */
    public static int withTopicAlias(byte[] frame, int off, int alias, byte[] dst, int at) {
        return rewrite(frame, off, alias, dst, at);
    }

    /** The offset in {@code frame} of the topic name's length field of the PUBLISH frame at {@code off}. */
    public static int topicAt(byte[] frame, int off) {
        return off + 1 + VariableByteInteger.size(VariableByteInteger.decode(frame, off + 1, frame.length));
    }

    /** {@code alias} 0: as 3.1.1, no property block (in place: every byte moves towards {@code off}); else as above. */
    private static int rewrite(byte[] frame, int off, int alias, byte[] dst, int at) {
        int topicAt = topicAt(frame, off);
        int end = topicAt + VariableByteInteger.value(VariableByteInteger.decode(frame, off + 1, frame.length));
        int topicLength = Wire.readU16(frame, topicAt);
        int id = dev.wren.mqtt.codec.PublishEncoder.qos(frame, off) > 0 ? 2 : 0;
        int propertyLength = VariableByteInteger.decode(frame, topicAt + 2 + topicLength + id, end);
        int properties = VariableByteInteger.value(propertyLength);
        int payloadAt = topicAt + 2 + topicLength + id + VariableByteInteger.size(propertyLength) + properties;
        int topic = alias > 0 ? 0 : topicLength;
        int block = alias == 0 ? 0 : VariableByteInteger.length(properties + 3) + properties + 3;
        int pos = at + Wire.writeHeader(dst, at, PacketType.PUBLISH, frame[off] & 0x0F,
                2 + topic + id + block + end - payloadAt);
        pos += Wire.writeU16(dst, pos, topic);
        System.arraycopy(frame, topicAt + 2, dst, pos, topic);
        System.arraycopy(frame, topicAt + 2 + topicLength, dst, pos += topic, id);
        pos += id;
        if (alias != 0) {
            pos += VariableByteInteger.encode(properties + 3, dst, pos);
            System.arraycopy(frame, payloadAt - properties, dst, pos, properties);
            pos += properties;
            dst[pos++] = (byte) Property.TOPIC_ALIAS;
            pos += Wire.writeU16(dst, pos, Math.abs(alias));
        }
        System.arraycopy(frame, payloadAt, dst, pos, end - payloadAt);
        return pos + end - payloadAt - at;
    }
}
