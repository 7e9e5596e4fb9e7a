package dev.wren.mqtt.codec.v5;

import dev.wren.mqtt.codec.PacketType;

/**
 * The 27 properties of MQTT 5.0 (§2.2.2.2, Table 2-4): identifier, value type, and the packets each may appear in,
 * as one int per identifier (type in bits 0-3, packet mask in bits 16-31: bit 16 + packet type, bit 16 for the
 * will properties, {@link #WILL}).
 */
public final class Property {
    /** Payload Format Indicator, byte 0 or 1: PUBLISH, will (§3.3.2.3.2). */
    public static final int PAYLOAD_FORMAT_INDICATOR = 0x01;
    /** Message Expiry Interval, four byte integer, seconds: PUBLISH, will (§3.3.2.3.3). */
    public static final int MESSAGE_EXPIRY_INTERVAL = 0x02;
    /** Content Type, UTF-8 string: PUBLISH, will (§3.3.2.3.9). */
    public static final int CONTENT_TYPE = 0x03;
    /** Response Topic, UTF-8 string, a topic name: PUBLISH, will (§3.3.2.3.5). */
    public static final int RESPONSE_TOPIC = 0x08;
    /** Correlation Data, binary data: PUBLISH, will (§3.3.2.3.6). */
    public static final int CORRELATION_DATA = 0x09;
    /** Subscription Identifier, variable byte integer 1..268,435,455: PUBLISH (repeatable), SUBSCRIBE (§3.8.2.1.2). */
    public static final int SUBSCRIPTION_IDENTIFIER = 0x0B;
    /** Session Expiry Interval, four byte integer, seconds: CONNECT, CONNACK, DISCONNECT (§3.1.2.11.2). */
    public static final int SESSION_EXPIRY_INTERVAL = 0x11;
    /** Assigned Client Identifier, UTF-8 string: CONNACK (§3.2.2.3.7). */
    public static final int ASSIGNED_CLIENT_IDENTIFIER = 0x12;
    /** Server Keep Alive, two byte integer, seconds: CONNACK (§3.2.2.3.14). */
    public static final int SERVER_KEEP_ALIVE = 0x13;
    /** Authentication Method, UTF-8 string: CONNECT, CONNACK, AUTH (§3.1.2.11.9). */
    public static final int AUTHENTICATION_METHOD = 0x15;
    /** Authentication Data, binary data: CONNECT, CONNACK, AUTH (§3.1.2.11.10). */
    public static final int AUTHENTICATION_DATA = 0x16;
    /** Request Problem Information, byte 0 or 1: CONNECT (§3.1.2.11.7). */
    public static final int REQUEST_PROBLEM_INFORMATION = 0x17;
    /** Will Delay Interval, four byte integer, seconds: will (§3.1.3.2.2). */
    public static final int WILL_DELAY_INTERVAL = 0x18;
    /** Request Response Information, byte 0 or 1: CONNECT (§3.1.2.11.6). */
    public static final int REQUEST_RESPONSE_INFORMATION = 0x19;
    /** Response Information, UTF-8 string: CONNACK (§3.2.2.3.15). */
    public static final int RESPONSE_INFORMATION = 0x1A;
    /** Server Reference, UTF-8 string: CONNACK, DISCONNECT (§3.2.2.3.16). */
    public static final int SERVER_REFERENCE = 0x1C;
    /** Reason String, UTF-8 string: every packet with a reason code (§3.2.2.3.9). */
    public static final int REASON_STRING = 0x1F;
    /** Receive Maximum, two byte integer 1..65535: CONNECT, CONNACK (§3.1.2.11.3). */
    public static final int RECEIVE_MAXIMUM = 0x21;
    /** Topic Alias Maximum, two byte integer: CONNECT, CONNACK (§3.1.2.11.5). */
    public static final int TOPIC_ALIAS_MAXIMUM = 0x22;
    /** Topic Alias, two byte integer 1..65535: PUBLISH (§3.3.2.3.4). */
    public static final int TOPIC_ALIAS = 0x23;
    /** Maximum QoS, byte 0 or 1: CONNACK (§3.2.2.3.4). */
    public static final int MAXIMUM_QOS = 0x24;
    /** Retain Available, byte 0 or 1: CONNACK (§3.2.2.3.5). */
    public static final int RETAIN_AVAILABLE = 0x25;
    /** User Property, UTF-8 string pair, repeatable and ordered: every packet with properties (§3.1.2.11.8). */
    public static final int USER_PROPERTY = 0x26;
    /** Maximum Packet Size, four byte integer 1..: CONNECT, CONNACK (§3.1.2.11.4). */
    public static final int MAXIMUM_PACKET_SIZE = 0x27;
    /** Wildcard Subscription Available, byte 0 or 1: CONNACK (§3.2.2.3.11). */
    public static final int WILDCARD_SUBSCRIPTION_AVAILABLE = 0x28;
    /** Subscription Identifiers Available, byte 0 or 1: CONNACK (§3.2.2.3.12). */
    public static final int SUBSCRIPTION_IDENTIFIER_AVAILABLE = 0x29;
    /** Shared Subscription Available, byte 0 or 1: CONNACK (§3.2.2.3.13). */
    public static final int SHARED_SUBSCRIPTION_AVAILABLE = 0x2A;

    /** Highest property identifier. */
    public static final int MAX_ID = 0x2A;

    /** Value type: Byte (§1.5.1). */
    public static final int BYTE = 1;
    /** Value type: Two Byte Integer (§1.5.2). */
    public static final int TWO_BYTE_INTEGER = 2;
    /** Value type: Four Byte Integer (§1.5.3). */
    public static final int FOUR_BYTE_INTEGER = 3;
    /** Value type: Variable Byte Integer (§1.5.5). */
    public static final int VARIABLE_BYTE_INTEGER = 4;
    /** Value type: UTF-8 Encoded String (§1.5.4). */
    public static final int UTF8_STRING = 5;
    /** Value type: Binary Data (§1.5.6). */
    public static final int BINARY_DATA = 6;
    /** Value type: UTF-8 String Pair (§1.5.7). */
    public static final int UTF8_STRING_PAIR = 7;

    /** Pseudo packet type of the will properties of CONNECT (§3.1.3.2); 0 is no packet type on the wire. */
    public static final int WILL = 0;

    private static final int MASK_SHIFT = 16;
    private static final int TYPE_MASK = 0xF;
    private static final int[] TABLE = new int[MAX_ID + 1];
    private static final String[] NAMES = new String[MAX_ID + 1];

    static {
        int publishAndWill = bit(PacketType.PUBLISH) | bit(WILL);
        int reasonPackets = bit(PacketType.CONNACK) | bit(PacketType.PUBACK) | bit(PacketType.PUBREC)
                | bit(PacketType.PUBREL) | bit(PacketType.PUBCOMP) | bit(PacketType.SUBACK) | bit(PacketType.UNSUBACK)
                | bit(PacketType.DISCONNECT) | bit(PacketType5.AUTH);
        int connectAndConnack = bit(PacketType.CONNECT) | bit(PacketType.CONNACK);
        int authPackets = connectAndConnack | bit(PacketType5.AUTH);
        def(PAYLOAD_FORMAT_INDICATOR, BYTE, publishAndWill, "Payload Format Indicator");
        def(MESSAGE_EXPIRY_INTERVAL, FOUR_BYTE_INTEGER, publishAndWill, "Message Expiry Interval");
        def(CONTENT_TYPE, UTF8_STRING, publishAndWill, "Content Type");
        def(RESPONSE_TOPIC, UTF8_STRING, publishAndWill, "Response Topic");
        def(CORRELATION_DATA, BINARY_DATA, publishAndWill, "Correlation Data");
        def(SUBSCRIPTION_IDENTIFIER, VARIABLE_BYTE_INTEGER, bit(PacketType.PUBLISH) | bit(PacketType.SUBSCRIBE),
                "Subscription Identifier");
        def(SESSION_EXPIRY_INTERVAL, FOUR_BYTE_INTEGER, connectAndConnack | bit(PacketType.DISCONNECT),
                "Session Expiry Interval");
        def(ASSIGNED_CLIENT_IDENTIFIER, UTF8_STRING, bit(PacketType.CONNACK), "Assigned Client Identifier");
        def(SERVER_KEEP_ALIVE, TWO_BYTE_INTEGER, bit(PacketType.CONNACK), "Server Keep Alive");
        def(AUTHENTICATION_METHOD, UTF8_STRING, authPackets, "Authentication Method");
        def(AUTHENTICATION_DATA, BINARY_DATA, authPackets, "Authentication Data");
        def(REQUEST_PROBLEM_INFORMATION, BYTE, bit(PacketType.CONNECT), "Request Problem Information");
        def(WILL_DELAY_INTERVAL, FOUR_BYTE_INTEGER, bit(WILL), "Will Delay Interval");
        def(REQUEST_RESPONSE_INFORMATION, BYTE, bit(PacketType.CONNECT), "Request Response Information");
        def(RESPONSE_INFORMATION, UTF8_STRING, bit(PacketType.CONNACK), "Response Information");
        def(SERVER_REFERENCE, UTF8_STRING, bit(PacketType.CONNACK) | bit(PacketType.DISCONNECT), "Server Reference");
        def(REASON_STRING, UTF8_STRING, reasonPackets, "Reason String");
        def(RECEIVE_MAXIMUM, TWO_BYTE_INTEGER, connectAndConnack, "Receive Maximum");
        def(TOPIC_ALIAS_MAXIMUM, TWO_BYTE_INTEGER, connectAndConnack, "Topic Alias Maximum");
        def(TOPIC_ALIAS, TWO_BYTE_INTEGER, bit(PacketType.PUBLISH), "Topic Alias");
        def(MAXIMUM_QOS, BYTE, bit(PacketType.CONNACK), "Maximum QoS");
        def(RETAIN_AVAILABLE, BYTE, bit(PacketType.CONNACK), "Retain Available");
        def(USER_PROPERTY, UTF8_STRING_PAIR, reasonPackets | publishAndWill | bit(PacketType.CONNECT)
                | bit(PacketType.SUBSCRIBE) | bit(PacketType.UNSUBSCRIBE), "User Property");
        def(MAXIMUM_PACKET_SIZE, FOUR_BYTE_INTEGER, connectAndConnack, "Maximum Packet Size");
        def(WILDCARD_SUBSCRIPTION_AVAILABLE, BYTE, bit(PacketType.CONNACK), "Wildcard Subscription Available");
        def(SUBSCRIPTION_IDENTIFIER_AVAILABLE, BYTE, bit(PacketType.CONNACK), "Subscription Identifier Available");
        def(SHARED_SUBSCRIPTION_AVAILABLE, BYTE, bit(PacketType.CONNACK), "Shared Subscription Available");
    }

    private Property() {
    }

    private static int bit(int packetType) {
        return 1 << packetType;
    }

    private static void def(int id, int type, int packets, String name) {
        TABLE[id] = (packets << MASK_SHIFT) | type;
        NAMES[id] = name;
    }

    /**
     * Returns the value type of a property.
     *
     * @param id any int
     * @return {@link #BYTE} .. {@link #UTF8_STRING_PAIR}, or 0 when MQTT 5.0 defines no property {@code id}
     */
    public static int type(int id) {
        return id >= 0 && id <= MAX_ID ? TABLE[id] & TYPE_MASK : 0;
    }

    /**
     * Tells whether a property may appear in a packet (Table 2-4).
     *
     * @param id property identifier
     * @param packetType packet type 1..15, or {@link #WILL} for the will properties
     * @return true when allowed; false for an unknown identifier
     */
    public static boolean allowedIn(int id, int packetType) {
        return type(id) != 0 && packetType >= 0 && packetType <= 15
                && (TABLE[id] >>> MASK_SHIFT & bit(packetType)) != 0;
    }

    /**
     * Tells whether a property may appear more than once in a packet: User Property everywhere
     * (§3.1.2.11.8), Subscription Identifier in PUBLISH (§3.3.2.3.8); every other property at most once.
     *
     * @param id property identifier
     * @param packetType packet type
     * @return true when repeatable
     */
    public static boolean repeatable(int id, int packetType) {
        return id == USER_PROPERTY || id == SUBSCRIPTION_IDENTIFIER && packetType == PacketType.PUBLISH;
    }

    /**
     * Returns the spec name of a property, e.g. {@code "Topic Alias"}.
     *
     * @param id any int
     * @return a constant string; {@code "unknown property"} for an undefined identifier
     */
    public static String name(int id) {
        return type(id) != 0 ? NAMES[id] : "unknown property";
    }
}
