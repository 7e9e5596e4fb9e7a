package dev.wren.mqtt.codec.v5;

import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.PacketType;

/**
 * MQTT 5.0 reason codes (§2.4, Table 2-6) with the packets each may appear in: CONNACK (§3.2.2.2), PUBACK
 * (§3.4.2.1), PUBREC (§3.5.2.1), PUBREL (§3.6.2.1), PUBCOMP (§3.7.2.1), SUBACK (§3.9.3), UNSUBACK (§3.11.3),
 * DISCONNECT (§3.14.2.1) and AUTH (§3.15.2.1). A value of 0x80 or more is a failure (§2.4).
 */
public final class ReasonCode {
    /** Success (CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK, AUTH). */
    public static final int SUCCESS = 0x00;
    /** Normal disconnection (DISCONNECT), the same value as {@link #SUCCESS}. */
    public static final int NORMAL_DISCONNECTION = 0x00;
    /** Granted QoS 0 (SUBACK), the same value as {@link #SUCCESS}. */
    public static final int GRANTED_QOS_0 = 0x00;
    /** Granted QoS 1 (SUBACK). */
    public static final int GRANTED_QOS_1 = 0x01;
    /** Granted QoS 2 (SUBACK). */
    public static final int GRANTED_QOS_2 = 0x02;
    /** Disconnect with Will Message (DISCONNECT from a client). */
    public static final int DISCONNECT_WITH_WILL_MESSAGE = 0x04;
    /** No matching subscribers (PUBACK, PUBREC). */
    public static final int NO_MATCHING_SUBSCRIBERS = 0x10;
    /** No subscription existed (UNSUBACK). */
    public static final int NO_SUBSCRIPTION_EXISTED = 0x11;
    /** Continue authentication (AUTH). */
    public static final int CONTINUE_AUTHENTICATION = 0x18;
    /** Re-authenticate (AUTH). */
    public static final int RE_AUTHENTICATE = 0x19;
    /** Unspecified error. */
    public static final int UNSPECIFIED_ERROR = 0x80;
    /** Malformed Packet. */
    public static final int MALFORMED_PACKET = 0x81;
    /** Protocol Error. */
    public static final int PROTOCOL_ERROR = 0x82;
    /** Implementation specific error. */
    public static final int IMPLEMENTATION_SPECIFIC_ERROR = 0x83;
    /** Unsupported Protocol Version (CONNACK). */
    public static final int UNSUPPORTED_PROTOCOL_VERSION = 0x84;
    /** Client Identifier not valid (CONNACK). */
    public static final int CLIENT_IDENTIFIER_NOT_VALID = 0x85;
    /** Bad User Name or Password (CONNACK). */
    public static final int BAD_USER_NAME_OR_PASSWORD = 0x86;
    /** Not authorized. */
    public static final int NOT_AUTHORIZED = 0x87;
    /** Server unavailable (CONNACK). */
    public static final int SERVER_UNAVAILABLE = 0x88;
    /** Server busy. */
    public static final int SERVER_BUSY = 0x89;
    /** Banned (CONNACK). */
    public static final int BANNED = 0x8A;
    /** Server shutting down (DISCONNECT). */
    public static final int SERVER_SHUTTING_DOWN = 0x8B;
    /** Bad authentication method (CONNACK, DISCONNECT). */
    public static final int BAD_AUTHENTICATION_METHOD = 0x8C;
    /** Keep Alive timeout (DISCONNECT). */
    public static final int KEEP_ALIVE_TIMEOUT = 0x8D;
    /** Session taken over (DISCONNECT). */
    public static final int SESSION_TAKEN_OVER = 0x8E;
    /** Topic Filter invalid. */
    public static final int TOPIC_FILTER_INVALID = 0x8F;
    /** Topic Name invalid. */
    public static final int TOPIC_NAME_INVALID = 0x90;
    /** Packet Identifier in use. */
    public static final int PACKET_IDENTIFIER_IN_USE = 0x91;
    /** Packet Identifier not found (PUBREL, PUBCOMP). */
    public static final int PACKET_IDENTIFIER_NOT_FOUND = 0x92;
    /** Receive Maximum exceeded (DISCONNECT). */
    public static final int RECEIVE_MAXIMUM_EXCEEDED = 0x93;
    /** Topic Alias invalid (DISCONNECT). */
    public static final int TOPIC_ALIAS_INVALID = 0x94;
    /** Packet too large (CONNACK, DISCONNECT). */
    public static final int PACKET_TOO_LARGE = 0x95;
    /** Message rate too high (DISCONNECT). */
    public static final int MESSAGE_RATE_TOO_HIGH = 0x96;
    /** Quota exceeded. */
    public static final int QUOTA_EXCEEDED = 0x97;
    /** Administrative action (DISCONNECT). */
    public static final int ADMINISTRATIVE_ACTION = 0x98;
    /** Payload format invalid. */
    public static final int PAYLOAD_FORMAT_INVALID = 0x99;
    /** Retain not supported (CONNACK, DISCONNECT). */
    public static final int RETAIN_NOT_SUPPORTED = 0x9A;
    /** QoS not supported (CONNACK, DISCONNECT). */
    public static final int QOS_NOT_SUPPORTED = 0x9B;
    /** Use another server (CONNACK, DISCONNECT). */
    public static final int USE_ANOTHER_SERVER = 0x9C;
    /** Server moved (CONNACK, DISCONNECT). */
    public static final int SERVER_MOVED = 0x9D;
    /** Shared Subscriptions not supported (SUBACK, DISCONNECT). */
    public static final int SHARED_SUBSCRIPTIONS_NOT_SUPPORTED = 0x9E;
    /** Connection rate exceeded (CONNACK, DISCONNECT). */
    public static final int CONNECTION_RATE_EXCEEDED = 0x9F;
    /** Maximum connect time (DISCONNECT). */
    public static final int MAXIMUM_CONNECT_TIME = 0xA0;
    /** Subscription Identifiers not supported (SUBACK, DISCONNECT). */
    public static final int SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED = 0xA1;
    /** Wildcard Subscriptions not supported (SUBACK, DISCONNECT). */
    public static final int WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED = 0xA2;

    private static final int MAX_CODE = 0xA2;
    /** Per code: bit {@code packetType} set when the code may appear in that packet. */
    private static final short[] PACKETS = new short[MAX_CODE + 1];
    private static final String[] NAMES = new String[MAX_CODE + 1];

    private static final int CONNACK = 1 << PacketType.CONNACK;
    private static final int PUBACK = 1 << PacketType.PUBACK;
    private static final int PUBREC = 1 << PacketType.PUBREC;
    private static final int PUBREL = 1 << PacketType.PUBREL;
    private static final int PUBCOMP = 1 << PacketType.PUBCOMP;
    private static final int SUBACK = 1 << PacketType.SUBACK;
    private static final int UNSUBACK = 1 << PacketType.UNSUBACK;
    private static final int DISCONNECT = 1 << PacketType.DISCONNECT;
    private static final int AUTH = 1 << PacketType5.AUTH;

    static {
        def(SUCCESS, CONNACK | PUBACK | PUBREC | PUBREL | PUBCOMP | SUBACK | UNSUBACK | DISCONNECT | AUTH, "Success");
        def(GRANTED_QOS_1, SUBACK, "Granted QoS 1");
        def(GRANTED_QOS_2, SUBACK, "Granted QoS 2");
        def(DISCONNECT_WITH_WILL_MESSAGE, DISCONNECT, "Disconnect with Will Message");
        def(NO_MATCHING_SUBSCRIBERS, PUBACK | PUBREC, "No matching subscribers");
        def(NO_SUBSCRIPTION_EXISTED, UNSUBACK, "No subscription existed");
        def(CONTINUE_AUTHENTICATION, AUTH, "Continue authentication");
        def(RE_AUTHENTICATE, AUTH, "Re-authenticate");
        def(UNSPECIFIED_ERROR, CONNACK | PUBACK | PUBREC | SUBACK | UNSUBACK | DISCONNECT, "Unspecified error");
        def(MALFORMED_PACKET, CONNACK | DISCONNECT, "Malformed Packet");
        def(PROTOCOL_ERROR, CONNACK | DISCONNECT, "Protocol Error");
        def(IMPLEMENTATION_SPECIFIC_ERROR, CONNACK | PUBACK | PUBREC | SUBACK | UNSUBACK | DISCONNECT,
                "Implementation specific error");
        def(UNSUPPORTED_PROTOCOL_VERSION, CONNACK, "Unsupported Protocol Version");
        def(CLIENT_IDENTIFIER_NOT_VALID, CONNACK, "Client Identifier not valid");
        def(BAD_USER_NAME_OR_PASSWORD, CONNACK, "Bad User Name or Password");
        def(NOT_AUTHORIZED, CONNACK | PUBACK | PUBREC | SUBACK | UNSUBACK | DISCONNECT, "Not authorized");
        def(SERVER_UNAVAILABLE, CONNACK, "Server unavailable");
        def(SERVER_BUSY, CONNACK | DISCONNECT, "Server busy");
        def(BANNED, CONNACK, "Banned");
        def(SERVER_SHUTTING_DOWN, DISCONNECT, "Server shutting down");
        def(BAD_AUTHENTICATION_METHOD, CONNACK | DISCONNECT, "Bad authentication method");
        def(KEEP_ALIVE_TIMEOUT, DISCONNECT, "Keep Alive timeout");
        def(SESSION_TAKEN_OVER, DISCONNECT, "Session taken over");
        def(TOPIC_FILTER_INVALID, SUBACK | UNSUBACK | DISCONNECT, "Topic Filter invalid");
        def(TOPIC_NAME_INVALID, CONNACK | PUBACK | PUBREC | DISCONNECT, "Topic Name invalid");
        def(PACKET_IDENTIFIER_IN_USE, PUBACK | PUBREC | SUBACK | UNSUBACK, "Packet Identifier in use");
        def(PACKET_IDENTIFIER_NOT_FOUND, PUBREL | PUBCOMP, "Packet Identifier not found");
        def(RECEIVE_MAXIMUM_EXCEEDED, DISCONNECT, "Receive Maximum exceeded");
        def(TOPIC_ALIAS_INVALID, DISCONNECT, "Topic Alias invalid");
        def(PACKET_TOO_LARGE, CONNACK | DISCONNECT, "Packet too large");
        def(MESSAGE_RATE_TOO_HIGH, DISCONNECT, "Message rate too high");
        def(QUOTA_EXCEEDED, CONNACK | PUBACK | PUBREC | SUBACK | DISCONNECT, "Quota exceeded");
        def(ADMINISTRATIVE_ACTION, DISCONNECT, "Administrative action");
        def(PAYLOAD_FORMAT_INVALID, CONNACK | PUBACK | PUBREC | DISCONNECT, "Payload format invalid");
        def(RETAIN_NOT_SUPPORTED, CONNACK | DISCONNECT, "Retain not supported");
        def(QOS_NOT_SUPPORTED, CONNACK | DISCONNECT, "QoS not supported");
        def(USE_ANOTHER_SERVER, CONNACK | DISCONNECT, "Use another server");
        def(SERVER_MOVED, CONNACK | DISCONNECT, "Server moved");
        def(SHARED_SUBSCRIPTIONS_NOT_SUPPORTED, SUBACK | DISCONNECT, "Shared Subscriptions not supported");
        def(CONNECTION_RATE_EXCEEDED, CONNACK | DISCONNECT, "Connection rate exceeded");
        def(MAXIMUM_CONNECT_TIME, DISCONNECT, "Maximum connect time");
        def(SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED, SUBACK | DISCONNECT, "Subscription Identifiers not supported");
        def(WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED, SUBACK | DISCONNECT, "Wildcard Subscriptions not supported");
    }

    private ReasonCode() {
    }

    private static void def(int code, int packets, String name) {
        PACKETS[code] = (short) packets;
        NAMES[code] = name;
    }

    /**
     * Tells whether a reason code may appear in a packet.
     *
     * @param packetType CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK, DISCONNECT or AUTH
     * @param code any int
     * @return true when the packet's reason code table lists {@code code}
     */
    public static boolean allowedIn(int packetType, int code) {
        return code >= 0 && code <= MAX_CODE && packetType > 0 && packetType <= 15
                && (PACKETS[code] & (1 << packetType)) != 0;
    }

    /**
     * Checks a received reason code against its packet's table.
     *
     * @param packetType a packet type that carries reason codes
     * @param code the received byte, 0..255
     * @return {@link CodecStatus#OK} or the packet's named error: {@link CodecStatus#INVALID_CONNACK_REASON},
     *     {@link CodecStatus#INVALID_PUBACK_REASON}, {@link CodecStatus#INVALID_PUBREC_REASON},
     *     {@link CodecStatus#INVALID_PUBREL_REASON}, {@link CodecStatus#INVALID_PUBCOMP_REASON},
     *     {@link CodecStatus#INVALID_SUBACK_REASON}, {@link CodecStatus#INVALID_UNSUBACK_REASON},
     *     {@link CodecStatus#INVALID_DISCONNECT_REASON} or {@link CodecStatus#INVALID_AUTH_REASON}
     */
    public static int check(int packetType, int code) {
        if (allowedIn(packetType, code)) {
            return CodecStatus.OK;
        }
        switch (packetType) {
            case PacketType.CONNACK: return CodecStatus.INVALID_CONNACK_REASON;
            case PacketType.PUBACK: return CodecStatus.INVALID_PUBACK_REASON;
            case PacketType.PUBREC: return CodecStatus.INVALID_PUBREC_REASON;
            case PacketType.PUBREL: return CodecStatus.INVALID_PUBREL_REASON;
            case PacketType.PUBCOMP: return CodecStatus.INVALID_PUBCOMP_REASON;
            case PacketType.SUBACK: return CodecStatus.INVALID_SUBACK_REASON;
            case PacketType.UNSUBACK: return CodecStatus.INVALID_UNSUBACK_REASON;
            case PacketType.DISCONNECT: return CodecStatus.INVALID_DISCONNECT_REASON;
            default: return CodecStatus.INVALID_AUTH_REASON;
        }
    }

    /**
     * Tells whether a reason code reports a failure: 0x80 or more (§2.4).
     *
     * @param code a reason code
     * @return {@code code >= 0x80}
     */
    public static boolean isFailure(int code) {
        return code >= UNSPECIFIED_ERROR;
    }

    /**
     * Returns the spec name of a reason code as it reads in a packet, e.g. {@code "Session taken over"}; 0x00 is
     * {@code "Normal disconnection"} in DISCONNECT and {@code "Granted QoS 0"} in SUBACK.
     *
     * @param packetType the packet that carries the code
     * @param code any int
     * @return a constant string; {@code "unknown reason code"} for a value Table 2-6 does not list
     */
    public static String name(int packetType, int code) {
        if (code == SUCCESS && packetType == PacketType.DISCONNECT) {
            return "Normal disconnection";
        }
        if (code == SUCCESS && packetType == PacketType.SUBACK) {
            return "Granted QoS 0";
        }
        return code >= 0 && code <= MAX_CODE && NAMES[code] != null ? NAMES[code] : "unknown reason code";
    }
}
