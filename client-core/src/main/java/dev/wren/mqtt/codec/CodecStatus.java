package dev.wren.mqtt.codec;

/**
 * Status codes returned by every decoder and validator of this package: {@link #OK}, {@link #NEED_MORE} (not an
 * error) or a negative, distinct error code per rule of MQTT 3.1.1 a receiver enforces.
 *
 * <p>{@link #describe(int)}, {@link #name(int)} and {@link #ruleId(int)} return constant strings, so reporting
 * a status allocates nothing.
 */
public final class CodecStatus {
    /** Success. */
    public static final int OK = 0;
    /** Not enough bytes yet to decide; not an error: read more and call again. */
    public static final int NEED_MORE = 1;
    /** Reserved flag bits of fixed header byte 1 differ from MQTT 3.1.1 Table 2.2. */
    public static final int RESERVED_FLAGS = -1;
    /** The remaining length field continues past 4 bytes (§2.2.3); non-minimal encodings within 4 bytes are accepted. */
    public static final int REMAINING_LENGTH_TOO_LONG = -2;
    /** The remaining length does not fit the packet: wrong size for a fixed-size packet, a missing field, or trailing bytes (§2.2.3). */
    public static final int REMAINING_LENGTH_MISMATCH = -3;
    /** A length-prefixed string or binary field runs past the end of the packet (§1.5.3). */
    public static final int TRUNCATED_STRING = -4;
    /** A packet type that only flows client to server was received by a client (§2.2.1, Table 2.1). */
    public static final int FORBIDDEN_FROM_SERVER = -5;
    /** A PUBLISH with both QoS bits set, QoS 3 (§3.3.1.2). */
    public static final int INVALID_QOS = -6;
    /** Packet identifier 0 where a non-zero one is required (§2.3.1). */
    public static final int PACKET_ID_ZERO = -7;
    /** A UTF-8 string encodes a surrogate code point U+D800..U+DFFF, or a CharSequence holds an unpaired surrogate (§1.5.3). */
    public static final int UTF8_SURROGATE = -8;
    /** A UTF-8 string uses an overlong (non-shortest) encoding (§1.5.3, RFC 3629 §3). */
    public static final int UTF8_OVERLONG = -9;
    /** A UTF-8 multi-byte sequence ends before all its continuation bytes (§1.5.3). */
    public static final int UTF8_TRUNCATED = -10;
    /** A UTF-8 string contains the null character U+0000 (§1.5.3). */
    public static final int UTF8_NULL = -11;
    /** A UTF-8 string has a stray continuation byte, a byte 0xF5..0xFF, or a code point above U+10FFFF (§1.5.3). */
    public static final int UTF8_INVALID = -12;
    /** A topic name contains a wildcard character {@code +} or {@code #} (§3.3.2.1, §4.7.1). */
    public static final int WILDCARD_IN_TOPIC_NAME = -13;
    /** A topic name is empty (§4.7.3). */
    public static final int EMPTY_TOPIC_NAME = -14;
    /** A SUBACK return code other than 0x00, 0x01, 0x02 or 0x80 (§3.9.3). */
    public static final int INVALID_SUBACK_CODE = -15;
    /** A CONNACK with a non-zero return code sets session present (§3.2.2.2). */
    public static final int SESSION_PRESENT_ON_REFUSAL = -16;
    /** A CONNACK return code above 5, reserved (§3.2.2.3, Table 3.1). */
    public static final int INVALID_CONNACK_CODE = -17;
    /** CONNACK acknowledge flags bits 7-1 are not 0 (§3.2.2.1). */
    public static final int INVALID_CONNACK_FLAGS = -18;
    /** Packet type 0 or 15, reserved (§2.2.1, Table 2.1). */
    public static final int UNKNOWN_PACKET_TYPE = -19;
    /** A CONNECT whose protocol name is not {@code "MQTT"} (§3.1.2.1). */
    public static final int PROTOCOL_NAME = -20;
    /** A CONNECT whose protocol level is not 4 (§3.1.2.2). */
    public static final int PROTOCOL_LEVEL = -21;
    /** A CONNECT with reserved connect flags bit 0 set (§3.1.2.3). */
    public static final int CONNECT_RESERVED_FLAG = -22;
    /** A CONNECT sets will QoS or will retain while the will flag is 0 (§3.1.2.5..7). */
    public static final int WILL_FIELDS_WITHOUT_WILL = -23;
    /** A CONNECT with will QoS 3 (§3.1.2.6). */
    public static final int INVALID_WILL_QOS = -24;
    /** A CONNECT with the password flag set but the user name flag clear (§3.1.2.9). */
    public static final int PASSWORD_WITHOUT_USER_NAME = -25;
    /** A SUBSCRIBE without any topic filter / QoS pair (§3.8.3). */
    public static final int EMPTY_SUBSCRIBE = -26;
    /** An UNSUBSCRIBE without any topic filter (§3.10.3). */
    public static final int EMPTY_UNSUBSCRIBE = -27;
    /** A SUBSCRIBE requested-QoS byte with reserved bits 7-2 set or QoS 3 (§3.8.3.1). */
    public static final int INVALID_REQUESTED_QOS = -28;
    /** More topic filters than the view was constructed to hold; a capacity limit, not a spec rule. */
    public static final int TOO_MANY_FILTERS = -29;
    /** A topic filter is empty (§4.7.3). */
    public static final int EMPTY_TOPIC_FILTER = -30;
    /** A {@code #} that is not alone in the last level of a topic filter (§4.7.1.2). */
    public static final int MULTI_LEVEL_WILDCARD_MISPLACED = -31;
    /** A {@code +} that does not occupy an entire level of a topic filter (§4.7.1.3). */
    public static final int SINGLE_LEVEL_WILDCARD_MISPLACED = -32;
    /** A topic name or filter that encodes to more than 65535 UTF-8 bytes (§4.7.3). */
    public static final int TOPIC_TOO_LONG = -33;
    /** A PUBLISH at QoS 0 with the DUP flag set (§3.3.1.1). */
    public static final int DUP_ON_QOS0 = -34;
    /** A variable byte integer runs past 4 bytes or is not minimally encoded (MQTT 5.0 §1.5.5). */
    public static final int MALFORMED_VARIABLE_BYTE_INTEGER = -35;
    /** A property identifier that MQTT 5.0 does not define (§2.2.2.2, Table 2-4). */
    public static final int UNKNOWN_PROPERTY = -36;
    /** A property that may not appear in this packet (§2.2.2.2, Table 2-4). */
    public static final int PROPERTY_NOT_ALLOWED = -37;
    /** A property that may appear once appears twice (§3.1.2.11 ff., a Protocol Error). */
    public static final int DUPLICATE_PROPERTY = -38;
    /** The property length or a property value runs past the packet, or its length is not a whole number of properties (§2.2.2.1). */
    public static final int TRUNCATED_PROPERTY = -39;
    /** A Topic Alias property with the value 0 [MQTT-3.3.2-8]. */
    public static final int TOPIC_ALIAS_ZERO = -40;
    /** A Subscription Identifier property with the value 0 (§3.3.2.3.8, a Protocol Error). */
    public static final int SUBSCRIPTION_ID_ZERO = -41;
    /** A Payload Format Indicator other than 0 or 1 (§3.3.2.3.2). */
    public static final int INVALID_PAYLOAD_FORMAT = -42;
    /** A byte property other than 0 or 1, a Receive Maximum of 0 or a Maximum Packet Size of 0 (§3.1.2.11, §3.2.2.3, Protocol Errors). */
    public static final int INVALID_PROPERTY_VALUE = -43;
    /** A PUBLISH with Payload Format Indicator 1 whose payload is not valid UTF-8 (§3.3.2.3.2, reason code 0x99), when the receiver checks it. */
    public static final int PAYLOAD_NOT_UTF8 = -44;
    /** Authentication Data without an Authentication Method (§3.1.2.11.10, a Protocol Error). */
    public static final int AUTH_DATA_WITHOUT_METHOD = -45;
    /** A CONNACK reason code not in MQTT 5.0 Table 3-1 [MQTT-3.2.2-8]. */
    public static final int INVALID_CONNACK_REASON = -46;
    /** A PUBACK reason code not in MQTT 5.0 §3.4.2.1 [MQTT-3.4.2-1]. */
    public static final int INVALID_PUBACK_REASON = -47;
    /** A PUBREC reason code not in MQTT 5.0 §3.5.2.1 [MQTT-3.5.2-1]. */
    public static final int INVALID_PUBREC_REASON = -48;
    /** A PUBREL reason code not in MQTT 5.0 §3.6.2.1 [MQTT-3.6.2-1]. */
    public static final int INVALID_PUBREL_REASON = -49;
    /** A PUBCOMP reason code not in MQTT 5.0 §3.7.2.1 [MQTT-3.7.2-1]. */
    public static final int INVALID_PUBCOMP_REASON = -50;
    /** A SUBACK reason code not in MQTT 5.0 §3.9.3 [MQTT-3.8.4-7]. */
    public static final int INVALID_SUBACK_REASON = -51;
    /** An UNSUBACK reason code not in MQTT 5.0 §3.11.3 [MQTT-3.11.3-2]. */
    public static final int INVALID_UNSUBACK_REASON = -52;
    /** A DISCONNECT reason code not in MQTT 5.0 §3.14.2.1. */
    public static final int INVALID_DISCONNECT_REASON = -53;
    /** An AUTH reason code not in MQTT 5.0 §3.15.2.1 [MQTT-3.15.2-1]. */
    public static final int INVALID_AUTH_REASON = -54;
    /** A SUBSCRIBE options byte with reserved bits 7-6 set, QoS 3 or Retain Handling 3 (MQTT 5.0 §3.8.3.1). */
    public static final int INVALID_SUBSCRIPTION_OPTIONS = -55;
    /** No Local set on a shared subscription [MQTT-3.8.3-4]. */
    public static final int NO_LOCAL_ON_SHARED = -56;
    /** A {@code $share/} filter without a ShareName, with {@code / + #} in it, or without a filter after it [MQTT-4.8.2-1, MQTT-4.8.2-2]. */
    public static final int INVALID_SHARED_SUBSCRIPTION = -57;
    /** A PUBLISH with an empty topic name and no Topic Alias (MQTT 5.0 §3.3.2.1, a Protocol Error). */
    public static final int EMPTY_TOPIC_WITHOUT_ALIAS = -58;
    /**
     * Alias of {@link #REMAINING_LENGTH_TOO_LONG}: the only malformed remaining length in MQTT 3.1.1 is one whose
     * 4th byte has the continuation bit set (§2.2.3); non-minimal encodings are allowed.
     */
    public static final int MALFORMED_REMAINING_LENGTH = REMAINING_LENGTH_TOO_LONG;

    private static final int ERROR_COUNT = 58;

    // Indexed by -status; entry 0 is OK. NEED_MORE (1) is handled apart. One string split once when the class
    // loads, not an array initializer: each element of one costs ~7 bytes of code and two constant-pool entries.
    private static final String[] NAMES = (
            "OK RESERVED_FLAGS REMAINING_LENGTH_TOO_LONG REMAINING_LENGTH_MISMATCH TRUNCATED_STRING "
            + "FORBIDDEN_FROM_SERVER INVALID_QOS PACKET_ID_ZERO UTF8_SURROGATE UTF8_OVERLONG "
            + "UTF8_TRUNCATED UTF8_NULL UTF8_INVALID WILDCARD_IN_TOPIC_NAME EMPTY_TOPIC_NAME "
            + "INVALID_SUBACK_CODE SESSION_PRESENT_ON_REFUSAL INVALID_CONNACK_CODE INVALID_CONNACK_FLAGS "
            + "UNKNOWN_PACKET_TYPE PROTOCOL_NAME PROTOCOL_LEVEL CONNECT_RESERVED_FLAG "
            + "WILL_FIELDS_WITHOUT_WILL INVALID_WILL_QOS PASSWORD_WITHOUT_USER_NAME EMPTY_SUBSCRIBE "
            + "EMPTY_UNSUBSCRIBE INVALID_REQUESTED_QOS TOO_MANY_FILTERS EMPTY_TOPIC_FILTER "
            + "MULTI_LEVEL_WILDCARD_MISPLACED SINGLE_LEVEL_WILDCARD_MISPLACED TOPIC_TOO_LONG DUP_ON_QOS0 "
            + "MALFORMED_VARIABLE_BYTE_INTEGER UNKNOWN_PROPERTY PROPERTY_NOT_ALLOWED DUPLICATE_PROPERTY "
            + "TRUNCATED_PROPERTY TOPIC_ALIAS_ZERO SUBSCRIPTION_ID_ZERO INVALID_PAYLOAD_FORMAT "
            + "INVALID_PROPERTY_VALUE PAYLOAD_NOT_UTF8 AUTH_DATA_WITHOUT_METHOD INVALID_CONNACK_REASON "
            + "INVALID_PUBACK_REASON INVALID_PUBREC_REASON INVALID_PUBREL_REASON INVALID_PUBCOMP_REASON "
            + "INVALID_SUBACK_REASON INVALID_UNSUBACK_REASON INVALID_DISCONNECT_REASON "
            + "INVALID_AUTH_REASON INVALID_SUBSCRIPTION_OPTIONS NO_LOCAL_ON_SHARED "
            + "INVALID_SHARED_SUBSCRIPTION EMPTY_TOPIC_WITHOUT_ALIAS").split(" ");

    /** Same index as NAMES, one line each; the rule id ({@link #ruleId}) is the last "MQTT-" id in brackets. */
    private static final String[] DESCRIPTIONS = (
            "ok\n"
            + "reserved flag bits of fixed header byte 1 differ from Table 2.2 [MQTT-2.2.2-2]\n"
            + "remaining length continues past its 4th byte [MQTT 3.1.1 §2.2.3]\n"
            + "remaining length does not fit the packet (wrong fixed size, missing field or trailing bytes) [MQTT 3.1.1 §2.2.3]\n"
            + "length-prefixed field runs past the end of the packet [MQTT 3.1.1 §1.5.3]\n"
            + "packet type a server never sends: CONNECT, SUBSCRIBE, UNSUBSCRIBE, PINGREQ or DISCONNECT [MQTT 3.1.1 §2.2.1 Table 2.1]\n"
            + "PUBLISH with both QoS bits set [MQTT-3.3.1-4]\n"
            + "packet identifier 0 where a non-zero one is required [MQTT-2.3.1-1]\n"
            + "UTF-8 string encodes a surrogate code point U+D800..U+DFFF [MQTT-1.5.3-1]\n"
            + "UTF-8 string uses an overlong encoding [MQTT-1.5.3-1]\n"
            + "UTF-8 multi-byte sequence cut short [MQTT-1.5.3-1]\n"
            + "UTF-8 string contains U+0000 [MQTT-1.5.3-2]\n"
            + "UTF-8 string has a byte that starts no valid sequence or a code point above U+10FFFF [MQTT-1.5.3-1]\n"
            + "topic name contains a wildcard '+' or '#' [MQTT-3.3.2-2]\n"
            + "topic name is empty [MQTT-4.7.3-1]\n"
            + "SUBACK return code other than 0x00, 0x01, 0x02, 0x80 [MQTT-3.9.3-2]\n"
            + "CONNACK refuses the connection but sets session present [MQTT-3.2.2-4]\n"
            + "CONNACK return code above 5 is reserved [MQTT 3.1.1 §3.2.2.3 Table 3.1]\n"
            + "CONNACK acknowledge flags bits 7-1 are reserved and must be 0 [MQTT 3.1.1 §3.2.2.1]\n"
            + "packet type 0 or 15 is reserved [MQTT 3.1.1 §2.2.1 Table 2.1]\n"
            + "CONNECT protocol name is not \"MQTT\" [MQTT-3.1.2-1]\n"
            + "CONNECT protocol level is not 4 (MQTT 3.1.1) [MQTT-3.1.2-2]\n"
            + "CONNECT flags bit 0 is reserved and must be 0 [MQTT-3.1.2-3]\n"
            + "CONNECT sets will QoS or will retain without the will flag [MQTT-3.1.2-11]\n"
            + "CONNECT will QoS is 3 [MQTT-3.1.2-14]\n"
            + "CONNECT password flag set without the user name flag [MQTT-3.1.2-22]\n"
            + "SUBSCRIBE carries no topic filter [MQTT-3.8.3-3]\n"
            + "UNSUBSCRIBE carries no topic filter [MQTT-3.10.3-2]\n"
            + "SUBSCRIBE requested QoS byte has reserved bits set or is 3 [MQTT-3-8.3-4, listed under MQTT-3.8.3-3]\n"
            + "more topic filters than the view was built to hold (a capacity limit, not a spec rule)\n"
            + "topic filter is empty [MQTT-4.7.3-1]\n"
            + "'#' is not alone in the last level of the topic filter [MQTT-4.7.1-2]\n"
            + "'+' does not occupy an entire level of the topic filter [MQTT-4.7.1-3]\n"
            + "topic name or filter encodes to more than 65535 bytes [MQTT-4.7.3-3]\n"
            + "PUBLISH at QoS 0 has the DUP flag set [MQTT-3.3.1-2]\n"
            + "variable byte integer longer than 4 bytes or not in its minimal encoding [MQTT 5.0: MQTT-1.5.5-1]\n"
            + "property identifier not defined by MQTT 5.0 Table 2-4 [MQTT 5.0 §2.2.2.2]\n"
            + "property not allowed in this packet [MQTT 5.0 §2.2.2.2 Table 2-4]\n"
            + "property that may appear once is given twice [MQTT 5.0 §2.2.2.2, Protocol Error]\n"
            + "property length or a property value runs past the packet [MQTT 5.0 §2.2.2.1]\n"
            + "Topic Alias of 0 [MQTT 5.0: MQTT-3.3.2-8]\n"
            + "Subscription Identifier of 0 [MQTT 5.0 §3.3.2.3.8, Protocol Error]\n"
            + "Payload Format Indicator other than 0 (bytes) or 1 (UTF-8) [MQTT 5.0 §3.3.2.3.2]\n"
            + "byte property other than 0 or 1, Receive Maximum 0 or Maximum Packet Size 0 [MQTT 5.0 §3.1.2.11, §3.2.2.3, Protocol Error]\n"
            + "Payload Format Indicator 1 but the payload is not valid UTF-8 [MQTT 5.0 §3.3.2.3.2, reason 0x99]\n"
            + "Authentication Data without an Authentication Method [MQTT 5.0 §3.1.2.11.10, Protocol Error]\n"
            + "CONNACK reason code not in MQTT 5.0 §3.2.2.2 [MQTT 5.0: MQTT-3.2.2-8]\n"
            + "PUBACK reason code not in MQTT 5.0 §3.4.2.1 [MQTT 5.0: MQTT-3.4.2-1]\n"
            + "PUBREC reason code not in MQTT 5.0 §3.5.2.1 [MQTT 5.0: MQTT-3.5.2-1]\n"
            + "PUBREL reason code not in MQTT 5.0 §3.6.2.1 [MQTT 5.0: MQTT-3.6.2-1]\n"
            + "PUBCOMP reason code not in MQTT 5.0 §3.7.2.1 [MQTT 5.0: MQTT-3.7.2-1]\n"
            + "SUBACK reason code not in MQTT 5.0 §3.9.3 [MQTT 5.0: MQTT-3.8.4-7]\n"
            + "UNSUBACK reason code not in MQTT 5.0 §3.11.3 [MQTT 5.0: MQTT-3.11.3-2]\n"
            + "DISCONNECT reason code not in MQTT 5.0 §3.14.2.1 [MQTT 5.0 §3.14.2.1]\n"
            + "AUTH reason code not in MQTT 5.0 §3.15.2.1 [MQTT 5.0: MQTT-3.15.2-1]\n"
            + "SUBSCRIBE options: reserved bits 7-6 set, QoS 3 or Retain Handling 3 [MQTT 5.0 §3.8.3.1]\n"
            + "No Local set on a shared subscription [MQTT 5.0: MQTT-3.8.3-4]\n"
            + "$share/ filter: empty ShareName, '/', '+' or '#' in it, or no topic filter after it [MQTT 5.0: MQTT-4.8.2-2]\n"
            + "PUBLISH topic name is empty and there is no Topic Alias [MQTT 5.0 §3.3.2.1, Protocol Error]\n").split("\n");

    /** Derived from DESCRIPTIONS once, when the class loads: the id stands in the description already. */
    private static final String[] RULE_IDS = new String[DESCRIPTIONS.length];

    static {
        for (int i = 0; i < DESCRIPTIONS.length; i++) {
            String d = DESCRIPTIONS[i];
            int at = d.lastIndexOf("MQTT-");
            RULE_IDS[i] = at < 0 ? "" : d.substring(at, d.indexOf(']', at));
        }
    }

    private CodecStatus() {
    }

    /**
     * Tells whether a status is an error.
     *
     * @param status any status of this class
     * @return {@code status < 0}
     */
    public static boolean isError(int status) {
        return status < 0;
    }

    /**
     * Describes a status: the rule broken and its spec id, e.g. {@code "reserved flag bits ... [MQTT-2.2.2-2]"}.
     *
     * @param status any int
     * @return a constant string; {@code "unknown status"} for a value that is no status of this class
     */
    public static String describe(int status) {
        if (status == NEED_MORE) {
            return "need more bytes";
        }
        return known(status) ? DESCRIPTIONS[-status] : "unknown status";
    }

    /**
     * Returns the constant name of a status, e.g. {@code "RESERVED_FLAGS"}.
     *
     * @param status any int
     * @return a constant string; {@code "UNKNOWN_STATUS"} for a value that is no status of this class
     */
    public static String name(int status) {
        if (status == NEED_MORE) {
            return "NEED_MORE";
        }
        return known(status) ? NAMES[-status] : "UNKNOWN_STATUS";
    }

    /**
     * Returns the normative statement id that a status enforces, e.g. {@code "MQTT-2.2.2-2"}: an
     * MQTT 5.0 id for the codes from {@link #MALFORMED_VARIABLE_BYTE_INTEGER} on, an MQTT 3.1.1 id for the others.
     *
     * @param status any int
     * @return the id, or {@code ""} when the rule has no numbered statement (it then cites a section)
     */
    public static String ruleId(int status) {
        return known(status) ? RULE_IDS[-status] : "";
    }

    private static boolean known(int status) {
        return status <= 0 && status >= -ERROR_COUNT;
    }
}
