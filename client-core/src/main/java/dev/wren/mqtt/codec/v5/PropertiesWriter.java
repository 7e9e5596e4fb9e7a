package dev.wren.mqtt.codec.v5;

import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.codec.Topics;
import dev.wren.mqtt.codec.Utf8;
import dev.wren.mqtt.codec.Wire;

/**
 * Writes properties (MQTT 5.0 §2.2.2) into a caller's buffer, like coreMQTT's v5 property builder: a reused
 * flyweight, no {@code Map}, no {@code List}, no allocation. Size first with the static {@code sizeOf} methods,
 * {@link #wrap} a buffer that large, then put each property; an encoder then copies the block, prefixed with its
 * length, into the packet ({@link #encodedLength()}, {@link #writeBlock}).
 *
 * <p>Each put checks what a sender must (validate at the edge): the identifier has the value type of the put
 * method, is allowed in the packet given to {@link #wrap} (Table 2-4) and, unless repeatable, is not yet written;
 * integers are in range (Topic Alias not 0 [MQTT-3.3.2-8], Subscription Identifier 1..268,435,455, byte properties
 * 0 or 1, Receive Maximum and Maximum Packet Size not 0); strings are encodable UTF-8 [MQTT-1.5.4-1,
 * MQTT-1.5.4-2]. A broken rule throws {@link IllegalArgumentException} naming the values.
 */
public final class PropertiesWriter {
    private byte[] buf = new byte[0];
    private int start;
    private int pos;
    private int packetType;
    private long written;

    /**
     * Starts an empty property list at {@code buf[off]}.
     *
     * @param buf destination, with room for the properties to be put
     * @param off first byte to write
     * @param packetType the packet the properties are for, 1..15, or {@link Property#WILL}
     * @return this
     */
    public PropertiesWriter wrap(byte[] buf, int off, int packetType) {
        this.buf = buf;
        this.start = off;
        this.pos = off;
        this.packetType = packetType;
        this.written = 0;
        return this;
    }

    /**
     * Points at properties already encoded (e.g. the list of a decoded {@link PropertiesView}), unchecked.
     *
     * @param buf bytes
     * @param off first property byte (after the property length)
     * @param len property list size
     * @return this
     */
    public PropertiesWriter wrapEncoded(byte[] buf, int off, int len) {
        wrap(buf, off, PacketType.PUBLISH);
        pos = off + len;
        return this;
    }

    /**
     * Returns the size of an integer property: identifier plus value.
     *
     * @param id a byte, two byte, four byte or variable byte integer property
     * @param value the value
     * @return bytes
     */
    public static int sizeOfInt(int id, int value) {
        switch (Property.type(id)) {
            case Property.BYTE: return 2;
            case Property.TWO_BYTE_INTEGER: return 3;
            case Property.FOUR_BYTE_INTEGER: return 5;
            default: return 1 + VariableByteInteger.length(value);
        }
    }

    /**
     * Returns the size of a string property: identifier, length, UTF-8 bytes.
     *
     * @param s the text (encodable: no U+0000, no unpaired surrogate)
     * @return bytes
     */
    public static int sizeOfString(CharSequence s) {
        return 3 + Utf8.encodedLength(s);
    }

    /**
     * Returns the size of a binary property.
     *
     * @param length data bytes, 0..65535
     * @return bytes
     */
    public static int sizeOfBinary(int length) {
        return 3 + length;
    }

    /**
     * Returns the size of a User Property.
     *
     * @param name the name
     * @param value the value
     * @return bytes
     */
    public static int sizeOfUserProperty(CharSequence name, CharSequence value) {
        return 5 + Utf8.encodedLength(name) + Utf8.encodedLength(value);
    }

    /**
     * Returns what a property block takes in a packet: the property length field plus the list.
     *
     * @param props a writer, or null for no properties
     * @return 1 + list size for an empty or absent list [MQTT-2.2.2-1], more otherwise
     */
    public static int blockLength(PropertiesWriter props) {
        int n = props == null ? 0 : props.length();
        return VariableByteInteger.length(n) + n;
    }

    /**
     * Writes a property block: the property length, then the list (a length of 0 when there are none,
     * [MQTT-2.2.2-1]).
     *
     * @param props a writer, or null
     * @param dst destination
     * @param off first byte to write
     * @return bytes written, {@link #blockLength}
     */
    public static int writeBlock(PropertiesWriter props, byte[] dst, int off) {
        int n = props == null ? 0 : props.length();
        int p = off + VariableByteInteger.encode(n, dst, off);
        if (n > 0) {
            System.arraycopy(props.buf, props.start, dst, p, n);
        }
        return p + n - off;
    }

    /**
     * As {@link #blockLength(PropertiesWriter)} with a Topic Alias (MQTT 5.0 §3.3.2.3.4, three bytes) after the list
     * when {@code topicAlias} is above 0.
     *
     * @param props a writer, or null
     * @param topicAlias 1..65535, or 0 for none [MQTT-3.3.2-8]
     * @return bytes
     */
    public static int blockLength(PropertiesWriter props, int topicAlias) {
        int n = (props == null ? 0 : props.length()) + (topicAlias > 0 ? 3 : 0);
        return VariableByteInteger.length(n) + n;
    }

    /**
     * As {@link #writeBlock(PropertiesWriter, byte[], int)} with a Topic Alias after the list when {@code topicAlias}
     * is above 0, so that a PUBLISH can carry an alias without copying the caller's properties first.
     *
     * @param props a writer, or null
     * @param topicAlias 1..65535, or 0 for none [MQTT-3.3.2-8]
     * @param dst destination
     * @param off first byte to write
     * @return bytes written, {@link #blockLength(PropertiesWriter, int)}
     */
    public static int writeBlock(PropertiesWriter props, int topicAlias, byte[] dst, int off) {
        if (topicAlias <= 0) {
            return writeBlock(props, dst, off);
        }
        int n = props == null ? 0 : props.length();
        int p = off + VariableByteInteger.encode(n + 3, dst, off);
        if (n > 0) {
            System.arraycopy(props.buf, props.start, dst, p, n);
        }
        p += n;
        dst[p] = (byte) Property.TOPIC_ALIAS;
        dst[p + 1] = (byte) (topicAlias >>> 8);
        dst[p + 2] = (byte) topicAlias;
        return p + 3 - off;
    }

    /**
     * Puts an integer property; the identifier's type decides the encoding (1, 2, 4 bytes or a variable byte
     * integer).
     *
     * @param id an integer property, e.g. {@link Property#MESSAGE_EXPIRY_INTERVAL}
     * @param value the value, in the property's range (four byte values over 2<sup>31</sup> as negative ints)
     * @return this
     * @throws IllegalArgumentException when the id is not an integer property, not allowed here, repeated, or the
     *     value is out of range
     */
    public PropertiesWriter putInt(int id, int value) {
        int type = Property.type(id);
        if (type < Property.BYTE || type > Property.VARIABLE_BYTE_INTEGER) {
            throw misuse(id, "is not an integer property");
        }
        checkRange(id, type, value);
        begin(id);
        switch (type) {
            case Property.BYTE:
                buf[pos++] = (byte) value;
                break;
            case Property.TWO_BYTE_INTEGER:
                pos += Wire.writeU16(buf, pos, value);
                break;
            case Property.FOUR_BYTE_INTEGER:
                pos += Wire.writeU16(buf, pos, value >>> 16);
                pos += Wire.writeU16(buf, pos, value & 0xFFFF);
                break;
            default:
                pos += VariableByteInteger.encode(value, buf, pos);
                break;
        }
        return this;
    }

    private static void checkRange(int id, int type, int value) {
        boolean ok;
        switch (type) {
            case Property.BYTE:
                ok = value == 0 || value == 1;
                break;
            case Property.TWO_BYTE_INTEGER:
                ok = value >= 0 && value <= 0xFFFF
                        && (value != 0 || id != Property.TOPIC_ALIAS && id != Property.RECEIVE_MAXIMUM);
                break;
            case Property.FOUR_BYTE_INTEGER:
                ok = value != 0 || id != Property.MAXIMUM_PACKET_SIZE;
                break;
            default:
                ok = value >= 1 && value <= VariableByteInteger.MAX;
                break;
        }
        if (!ok) {
            throw new IllegalArgumentException(Property.name(id) + " value " + value + " out of range");
        }
    }

    /**
     * Puts a UTF-8 string property.
     *
     * @param id a string property, e.g. {@link Property#CONTENT_TYPE}
     * @param s the text; for {@link Property#RESPONSE_TOPIC} a topic name without wildcards [MQTT-3.3.2-14]
     * @return this
     * @throws IllegalArgumentException when the id is not a string property, not allowed here, repeated, or the
     *     text is not encodable or longer than 65,535 UTF-8 bytes [MQTT-4.7.3-3 for Response Topic]
     */
    public PropertiesWriter putString(int id, CharSequence s) {
        if (Property.type(id) != Property.UTF8_STRING) {
            throw misuse(id, "is not a UTF-8 string property");
        }
        int status = id == Property.RESPONSE_TOPIC ? Topics.validateName(s) : utf8Field(s);
        if (status != CodecStatus.OK) {
            throw new IllegalArgumentException(Property.name(id) + ": " + CodecStatus.describe(status));
        }
        begin(id);
        pos += Wire.writeString(buf, pos, s);
        return this;
    }

    /**
     * Puts a binary data property.
     *
     * @param id {@link Property#CORRELATION_DATA} or {@link Property#AUTHENTICATION_DATA}
     * @param src data
     * @param off first data byte
     * @param len data byte count, 0..65535
     * @return this
     * @throws IllegalArgumentException when the id is not a binary property, not allowed here, or repeated
     */
    public PropertiesWriter putBinary(int id, byte[] src, int off, int len) {
        if (Property.type(id) != Property.BINARY_DATA || len < 0 || len > 0xFFFF) {
            throw misuse(id, "is not a binary property or " + len + " bytes is out of 0..65535");
        }
        begin(id);
        pos += Wire.writeBinary(buf, pos, src, off, len);
        return this;
    }

    /**
     * Puts a User Property; repeatable, and kept in the order put (§3.1.2.11.8).
     *
     * @param name the name [MQTT-1.5.7-1]
     * @param value the value [MQTT-1.5.7-1]
     * @return this
     * @throws IllegalArgumentException when the packet has no properties or a string is not encodable
     */
    public PropertiesWriter putUserProperty(CharSequence name, CharSequence value) {
        int status = utf8Field(name);
        if (status == CodecStatus.OK) {
            status = utf8Field(value);
        }
        if (status != CodecStatus.OK) {
            throw new IllegalArgumentException("User Property: " + CodecStatus.describe(status));
        }
        begin(Property.USER_PROPERTY);
        pos += Wire.writeString(buf, pos, name);
        pos += Wire.writeString(buf, pos, value);
        return this;
    }

    /** Checks text for a length-prefixed UTF-8 field: encodable, at most 65,535 bytes (§1.5.4). */
    private static int utf8Field(CharSequence s) {
        int status = Utf8.validate(s);
        return status == CodecStatus.OK && Utf8.encodedLength(s) > Topics.MAX_BYTES ? CodecStatus.TOPIC_TOO_LONG
                : status;
    }

    /** Checks that {@code id} may be written now, then writes its identifier (all are below 0x80: one byte). */
    private void begin(int id) {
        if (!Property.allowedIn(id, packetType)) {
            throw misuse(id, "is not allowed in " + (packetType == Property.WILL ? "will properties"
                    : PacketType5.name(packetType)));
        }
        if ((written & (1L << id)) != 0 && !Property.repeatable(id, packetType)) {
            throw misuse(id, "is already written and may appear once");
        }
        written |= 1L << id;
        buf[pos++] = (byte) id;
    }

    private static IllegalArgumentException misuse(int id, String what) {
        return new IllegalArgumentException("property 0x" + Integer.toHexString(id) + " (" + Property.name(id)
                + ") " + what);
    }

    /** Returns the buffer written to. */
    public byte[] buffer() {
        return buf;
    }

    /** Returns the offset of the first property byte in {@link #buffer()}. */
    public int offset() {
        return start;
    }

    /** Returns the size of the properties written so far, without the property length field. */
    public int length() {
        return pos - start;
    }

    /** Returns what the block takes in a packet, property length field included: {@link #blockLength}. */
    public int encodedLength() {
        return blockLength(this);
    }
}
