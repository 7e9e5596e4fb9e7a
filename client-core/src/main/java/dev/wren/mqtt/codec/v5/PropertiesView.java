package dev.wren.mqtt.codec.v5;

import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.Topics;
import dev.wren.mqtt.codec.Utf8;
import dev.wren.mqtt.codec.Utf8Chars;
import dev.wren.mqtt.codec.Wire;

/**
 * A reusable view of a property block (MQTT 5.0 §2.2.2): the property length, then properties, read in place.
 *
 * <p>{@link #decode} validates the whole block at once, so iterating it afterwards cannot fail. Two ways to read:
 * <ul>
 *   <li>direct, for a property that appears at most once: {@link #has}, {@link #intValue(int)},
 *       {@link #valueOffset(int)}, {@link #valueLength(int)}, {@link #text(int)};</li>
 *   <li>iteration, for every property in wire order, repeatable ones included (User Property, Subscription
 *       Identifier in PUBLISH): {@link #reset()}, then {@link #next()} until false, reading {@link #id()},
 *       {@link #type()}, {@link #intValue()}, {@link #valueOffset()}/{@link #valueLength()} and, for a string pair,
 *       {@link #keyOffset()}/{@link #keyLength()}.</li>
 * </ul>
 * Nothing allocates. Offsets refer to {@link #buffer()} and are valid until it is overwritten.
 */
public final class PropertiesView {
    /** A property length of 0: what an omitted block means. */
    private static final byte[] EMPTY_BLOCK = {0};

    private final int[] ints = new int[Property.MAX_ID + 1];
    private final int[] offsets = new int[Property.MAX_ID + 1];
    private final int[] lengths = new int[Property.MAX_ID + 1];
    private final Utf8Chars chars = new Utf8Chars();
    private byte[] buf = new byte[0];
    private long seen;
    private int start;
    private int end;
    private int encodedLength;
    // Iteration cursor and the property it last read.
    private int cursor;
    private int id;
    private int intValue;
    private int keyOffset;
    private int keyLength;
    private int valueOffset;
    private int valueLength;

    /**
     * Decodes and validates a property block: the property length [MQTT-2.2.2-1], then each property: its
     * identifier is defined and allowed in {@code packetType} (Table 2-4), it appears only once unless repeatable,
     * its value lies inside the block and is valid: a byte property 0 or 1, Receive Maximum and Maximum Packet
     * Size not 0, Topic Alias not 0 [MQTT-3.3.2-8], Subscription Identifier not 0, strings well-formed UTF-8
     * [MQTT-1.5.4-1, MQTT-1.5.4-2] (both of a pair, [MQTT-1.5.7-1]), Response Topic a topic name without
     * wildcards [MQTT-3.3.2-14]; Authentication Data only with an Authentication Method.
     *
     * @param buf bytes
     * @param off first byte of the property length
     * @param limit end of the packet body (exclusive): the block may not run past it
     * @param packetType the packet the block belongs to, 1..15, or {@link Property#WILL}
     * @return {@link CodecStatus#OK}, {@link CodecStatus#TRUNCATED_PROPERTY},
     *     {@link CodecStatus#MALFORMED_VARIABLE_BYTE_INTEGER}, {@link CodecStatus#UNKNOWN_PROPERTY},
     *     {@link CodecStatus#PROPERTY_NOT_ALLOWED}, {@link CodecStatus#DUPLICATE_PROPERTY},
     *     {@link CodecStatus#INVALID_PAYLOAD_FORMAT}, {@link CodecStatus#INVALID_PROPERTY_VALUE},
     *     {@link CodecStatus#TOPIC_ALIAS_ZERO}, {@link CodecStatus#SUBSCRIPTION_ID_ZERO}, a UTF8_* status, a topic
     *     name status for Response Topic, or {@link CodecStatus#AUTH_DATA_WITHOUT_METHOD}
     */
    public int decode(byte[] buf, int off, int limit, int packetType) {
        seen = 0;
        int vbi = VariableByteInteger.decode(buf, off, limit);
        if (vbi == CodecStatus.NEED_MORE) {
            return CodecStatus.TRUNCATED_PROPERTY;
        }
        if (vbi < 0) {
            return vbi;
        }
        int listStart = off + VariableByteInteger.size(vbi);
        int listLength = VariableByteInteger.value(vbi);
        if (listLength > limit - listStart) {
            return CodecStatus.TRUNCATED_PROPERTY;
        }
        this.buf = buf;
        start = listStart;
        end = listStart + listLength;
        encodedLength = end - off;
        long found = 0;
        for (int pos = start; pos < end; ) {
            int next = read(pos);
            if (next < 0) {
                return next;
            }
            int status = check(packetType, found);
            if (status != CodecStatus.OK) {
                return status;
            }
            if ((found & (1L << id)) == 0) {
                record();
            }
            found |= 1L << id;
            pos = next;
        }
        if ((found & (1L << Property.AUTHENTICATION_DATA)) != 0
                && (found & (1L << Property.AUTHENTICATION_METHOD)) == 0) {
            return CodecStatus.AUTH_DATA_WITHOUT_METHOD;
        }
        seen = found;
        cursor = start;
        return CodecStatus.OK;
    }

    /**
     * Decodes a property block that must end exactly at {@code end} (the rest of a CONNACK, acknowledgement,
     * DISCONNECT or AUTH body).
     *
     * @return OK, a status of {@link #decode}, or REMAINING_LENGTH_MISMATCH for bytes left after the block
     */
    int decodeToEnd(byte[] buf, int pos, int end, int packetType) {
        int status = decode(buf, pos, end, packetType);
        if (status != CodecStatus.OK) {
            return status;
        }
        return pos + encodedLength == end ? CodecStatus.OK : CodecStatus.REMAINING_LENGTH_MISMATCH;
    }

    /**
     * Decodes the optional reason code and property block of an acknowledgement, DISCONNECT or AUTH body, from
     * {@code pos} to {@code end}: nothing means Success and no properties, one byte a reason code alone.
     *
     * @return the reason code (0..255), or a negative status
     */
    int decodeReasonAndProperties(byte[] buf, int pos, int end, int packetType) {
        int code = pos < end ? buf[pos] & 0xFF : ReasonCode.SUCCESS;
        int status = ReasonCode.check(packetType, code);
        if (status != CodecStatus.OK) {
            return status;
        }
        status = end - pos > 1 ? decodeToEnd(buf, pos + 1, end, packetType) : decode(EMPTY_BLOCK, 0, 1, packetType);
        return status != CodecStatus.OK ? status : code;
    }

    /** Stores the property just read for the direct accessors (the first one, for a repeatable property). */
    private void record() {
        ints[id] = intValue;
        offsets[id] = valueOffset;
        lengths[id] = valueLength;
    }

    /** Validates the property just read; {@code found} holds the ids seen before it. */
    private int check(int packetType, long found) {
        if (!Property.allowedIn(id, packetType)) {
            return CodecStatus.PROPERTY_NOT_ALLOWED;
        }
        if ((found & (1L << id)) != 0 && !Property.repeatable(id, packetType)) {
            return CodecStatus.DUPLICATE_PROPERTY;
        }
        switch (Property.type(id)) {
            case Property.BYTE:
                if (intValue > 1) {
                    return id == Property.PAYLOAD_FORMAT_INDICATOR ? CodecStatus.INVALID_PAYLOAD_FORMAT
                            : CodecStatus.INVALID_PROPERTY_VALUE;
                }
                return CodecStatus.OK;
            case Property.UTF8_STRING:
                return id == Property.RESPONSE_TOPIC ? Topics.validateName(buf, valueOffset, valueLength)
                        : Utf8.validate(buf, valueOffset, valueLength);
            case Property.UTF8_STRING_PAIR: {
                int status = Utf8.validate(buf, keyOffset, keyLength);
                return status != CodecStatus.OK ? status : Utf8.validate(buf, valueOffset, valueLength);
            }
            case Property.BINARY_DATA:
                return CodecStatus.OK;
            default:
                if (intValue == 0 && (id == Property.RECEIVE_MAXIMUM || id == Property.MAXIMUM_PACKET_SIZE)) {
                    return CodecStatus.INVALID_PROPERTY_VALUE;
                }
                if (intValue == 0 && id == Property.TOPIC_ALIAS) {
                    return CodecStatus.TOPIC_ALIAS_ZERO;
                }
                return intValue == 0 && id == Property.SUBSCRIPTION_IDENTIFIER ? CodecStatus.SUBSCRIPTION_ID_ZERO
                        : CodecStatus.OK;
        }
    }

    /**
     * Reads the property at {@code pos} into the cursor fields.
     *
     * @return the position after it, or a negative status
     */
    private int read(int pos) {
        int vbi = VariableByteInteger.decode(buf, pos, end);
        if (vbi == CodecStatus.NEED_MORE) {
            return CodecStatus.TRUNCATED_PROPERTY;
        }
        if (vbi < 0) {
            return vbi;
        }
        id = VariableByteInteger.value(vbi);
        int p = pos + VariableByteInteger.size(vbi);
        intValue = 0;
        keyOffset = 0;
        keyLength = 0;
        valueOffset = p;
        valueLength = 0;
        switch (Property.type(id)) {
            case Property.BYTE:
                return fixed(p, 1);
            case Property.TWO_BYTE_INTEGER:
                return fixed(p, 2);
            case Property.FOUR_BYTE_INTEGER:
                return fixed(p, 4);
            case Property.VARIABLE_BYTE_INTEGER: {
                int v = VariableByteInteger.decode(buf, p, end);
                if (v == CodecStatus.NEED_MORE) {
                    return CodecStatus.TRUNCATED_PROPERTY;
                }
                if (v < 0) {
                    return v;
                }
                intValue = VariableByteInteger.value(v);
                valueLength = VariableByteInteger.size(v);
                return p + valueLength;
            }
            case Property.UTF8_STRING:
            case Property.BINARY_DATA:
                return field(p);
            case Property.UTF8_STRING_PAIR: {
                int next = field(p);
                if (next < 0) {
                    return next;
                }
                keyOffset = valueOffset;
                keyLength = valueLength;
                return field(next);
            }
            default:
                return CodecStatus.UNKNOWN_PROPERTY;
        }
    }

    private int fixed(int p, int size) {
        if (end - p < size) {
            return CodecStatus.TRUNCATED_PROPERTY;
        }
        int v = 0;
        for (int i = 0; i < size; i++) {
            v = (v << 8) | (buf[p + i] & 0xFF);
        }
        intValue = v;
        valueLength = size;
        return p + size;
    }

    private int field(int p) {
        int n = Wire.fieldLength(buf, p, end);
        if (n < 0) {
            return CodecStatus.TRUNCATED_PROPERTY;
        }
        valueOffset = p + 2;
        valueLength = n;
        return p + 2 + n;
    }

    /** Returns the bytes the block took: property length field plus properties. */
    public int encodedLength() {
        return encodedLength;
    }

    /** Returns the property length: the size of the properties after the length field (§2.2.2.1). */
    public int propertyLength() {
        return end - start;
    }

    /** Returns the buffer the offsets refer to. */
    public byte[] buffer() {
        return buf;
    }

    /** Returns the offset of the first property (after the property length field) in {@link #buffer()}. */
    public int propertiesOffset() {
        return start;
    }

    /**
     * Tells whether the block holds a property.
     *
     * @param id a property identifier
     * @return true when present at least once
     */
    public boolean has(int id) {
        return Property.type(id) != 0 && (seen & (1L << id)) != 0;
    }

    /**
     * Returns an integer property's value (the first, for a repeated Subscription Identifier).
     *
     * @param id a property of type byte, two byte, four byte (as the int of the same bits: read a value over
     *     2<sup>31</sup> with {@link Integer#toUnsignedLong}) or variable byte integer
     * @param absent the value to return when the property is absent, e.g. the spec's default
     * @return the value, or {@code absent}
     */
    public int intValue(int id, int absent) {
        return has(id) ? ints[id] : absent;
    }

    /** Returns the offset of a string or binary property's bytes (the value of a User Property); 0 when absent. */
    public int valueOffset(int id) {
        return has(id) ? offsets[id] : 0;
    }

    /** Returns the byte count of a string or binary property; 0 when absent. */
    public int valueLength(int id) {
        return has(id) ? lengths[id] : 0;
    }

    /**
     * Returns a string property as a CharSequence over the buffer; one shared view, valid until the next call of
     * this method or {@link #valueText()}.
     *
     * @param id a UTF-8 string property
     * @return the text, empty when absent
     */
    public CharSequence text(int id) {
        return chars.wrap(buf, valueOffset(id), valueLength(id));
    }

    /** Restarts the iteration at the first property. */
    public void reset() {
        cursor = start;
    }

    /**
     * Moves to the next property in wire order.
     *
     * @return false at the end of the block (or when the buffer was overwritten since {@link #decode})
     */
    public boolean next() {
        if (cursor >= end) {
            return false;
        }
        int next = read(cursor); // validated by decode; a negative result means the buffer changed since
        cursor = next < 0 ? end : next;
        return next >= 0;
    }

    /** Returns the identifier of the property the iteration is at. */
    public int id() {
        return id;
    }

    /** Returns the value type of the property the iteration is at, {@link Property#BYTE}.. */
    public int type() {
        return Property.type(id);
    }

    /** Returns the integer value of the property the iteration is at (integer types only). */
    public int intValue() {
        return intValue;
    }

    /** Returns the offset of the value bytes (string, binary, pair value) of the property the iteration is at. */
    public int valueOffset() {
        return valueOffset;
    }

    /** Returns the value byte count (for integers: 1, 2, 4 or the variable byte integer size). */
    public int valueLength() {
        return valueLength;
    }

    /** Returns the offset of a string pair's name (User Property key). */
    public int keyOffset() {
        return keyOffset;
    }

    /** Returns the byte count of a string pair's name. */
    public int keyLength() {
        return keyLength;
    }

    /**
     * Returns the string value at the iteration as a CharSequence over the buffer (shared view, see
     * {@link #text(int)}).
     *
     * @return the text
     */
    public CharSequence valueText() {
        return chars.wrap(buf, valueOffset, valueLength);
    }
}
