package dev.wren.mqtt.codec;

import static dev.wren.mqtt.codec.Bytes.concat;
import static dev.wren.mqtt.codec.Bytes.of;

import java.util.ArrayList;
import java.util.List;

/**
 * Malformed frames, each with the status that must reject it. {@code clientSide} rows are what a server might
 * send a client; the others are what a client might send a server (decoded by the server-side views).
 */
final class MalformedCases {
    record Case(String name, boolean clientSide, byte[] frame, int expected, String... covers) {
        @Override
        public String toString() {
            return name + " -> " + CodecStatus.name(expected);
        }
    }

    private MalformedCases() {
    }

    private static final int[] CONNECT_PREFIX = {0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04};

    /** A CONNECT frame: protocol name and level 4, then {@code flags}, keep-alive 60, then the payload bytes. */
    private static byte[] connect(int flags, int... payload) {
        byte[] body = concat(CONNECT_PREFIX, flags, 0x00, 0x3C, payload);
        return concat(0x10, body.length, body);
    }

    static List<Case> all() {
        List<Case> c = new ArrayList<>();
        // Fixed header, Table 2.2 reserved flags [MQTT-2.2.2-1, MQTT-2.2.2-2]
        c.add(new Case("PUBACK with flags 0001", true, of(0x41, 0x02, 0x00, 0x01), CodecStatus.RESERVED_FLAGS,
                "MQTT-2.2.2-1", "MQTT-2.2.2-2"));
        c.add(new Case("CONNACK with flags 1000", true, of(0x28, 0x02, 0x00, 0x00), CodecStatus.RESERVED_FLAGS,
                "MQTT-2.2.2-2"));
        c.add(new Case("PUBREL with flags 0000", true, of(0x60, 0x02, 0x00, 0x01), CodecStatus.RESERVED_FLAGS,
                "MQTT-3.6.1-1", "MQTT-2.2.2-2"));
        c.add(new Case("PUBREL with flags 0011", true, of(0x63, 0x02, 0x00, 0x01), CodecStatus.RESERVED_FLAGS,
                "MQTT-3.6.1-1"));
        c.add(new Case("PUBCOMP with flags 0010", true, of(0x72, 0x02, 0x00, 0x01), CodecStatus.RESERVED_FLAGS));
        c.add(new Case("SUBACK with flags 0010", true, of(0x92, 0x03, 0x00, 0x01, 0x00), CodecStatus.RESERVED_FLAGS));
        c.add(new Case("UNSUBACK with flags 0100", true, of(0xB4, 0x02, 0x00, 0x01), CodecStatus.RESERVED_FLAGS));
        c.add(new Case("PINGRESP with flags 1000", true, of(0xD8, 0x00), CodecStatus.RESERVED_FLAGS));
        c.add(new Case("SUBSCRIBE with flags 0000", false, of(0x80, 0x06, 0x00, 0x01, 0x00, 0x01, 'a', 0x00),
                CodecStatus.RESERVED_FLAGS, "MQTT-3.8.1-1"));
        c.add(new Case("UNSUBSCRIBE with flags 0000", false, of(0xA0, 0x05, 0x00, 0x01, 0x00, 0x01, 'a'),
                CodecStatus.RESERVED_FLAGS, "MQTT-3.10.1-1"));
        c.add(new Case("DISCONNECT with flags 0001", false, of(0xE1, 0x00), CodecStatus.RESERVED_FLAGS,
                "MQTT-3.14.1-1"));
        c.add(new Case("CONNECT with flags 0001", false, flagsOn(connect(0x02, 0x00, 0x00), 0x01),
                CodecStatus.RESERVED_FLAGS));
        // Packet types (§2.2.1)
        c.add(new Case("type 0", true, of(0x00, 0x00), CodecStatus.UNKNOWN_PACKET_TYPE));
        c.add(new Case("type 15", true, of(0xF0, 0x00), CodecStatus.UNKNOWN_PACKET_TYPE));
        c.add(new Case("CONNECT sent to a client", true, connect(0x02, 0x00, 0x00), CodecStatus.FORBIDDEN_FROM_SERVER));
        c.add(new Case("SUBSCRIBE sent to a client", true, of(0x82, 0x06, 0x00, 0x01, 0x00, 0x01, 'a', 0x00),
                CodecStatus.FORBIDDEN_FROM_SERVER));
        c.add(new Case("UNSUBSCRIBE sent to a client", true, of(0xA2, 0x05, 0x00, 0x01, 0x00, 0x01, 'a'),
                CodecStatus.FORBIDDEN_FROM_SERVER));
        c.add(new Case("PINGREQ sent to a client", true, of(0xC0, 0x00), CodecStatus.FORBIDDEN_FROM_SERVER));
        c.add(new Case("DISCONNECT sent to a client", true, of(0xE0, 0x00), CodecStatus.FORBIDDEN_FROM_SERVER));
        // Remaining length (§2.2.3)
        c.add(new Case("remaining length of 5 bytes", true, of(0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F),
                CodecStatus.REMAINING_LENGTH_TOO_LONG));
        c.add(new Case("PUBACK remaining length 3", true, of(0x40, 0x03, 0x00, 0x01, 0x00),
                CodecStatus.REMAINING_LENGTH_MISMATCH));
        c.add(new Case("PUBREC remaining length 1", true, of(0x50, 0x01, 0x01), CodecStatus.REMAINING_LENGTH_MISMATCH));
        c.add(new Case("CONNACK remaining length 3", true, of(0x20, 0x03, 0x00, 0x00, 0x00),
                CodecStatus.REMAINING_LENGTH_MISMATCH));
        c.add(new Case("UNSUBACK remaining length 0", true, of(0xB0, 0x00), CodecStatus.REMAINING_LENGTH_MISMATCH));
        c.add(new Case("PINGRESP remaining length 1", true, of(0xD0, 0x01, 0x00), CodecStatus.REMAINING_LENGTH_MISMATCH));
        c.add(new Case("SUBACK without return codes", true, of(0x90, 0x02, 0x00, 0x01),
                CodecStatus.REMAINING_LENGTH_MISMATCH));
        c.add(new Case("PUBLISH QoS 1 without packet id", true, of(0x32, 0x04, 0x00, 0x02, 'a', 'b'),
                CodecStatus.REMAINING_LENGTH_MISMATCH));
        c.add(new Case("PUBLISH QoS 2 with half a packet id", true, of(0x34, 0x05, 0x00, 0x02, 'a', 'b', 0x00),
                CodecStatus.REMAINING_LENGTH_MISMATCH));
        // Strings cut short (§1.5.3)
        c.add(new Case("PUBLISH topic length past the end", true, of(0x30, 0x05, 0x00, 0x05, 'a', 'b', 'c'),
                CodecStatus.TRUNCATED_STRING, "MQTT-3.3.2-1"));
        c.add(new Case("PUBLISH body of 1 byte", true, of(0x30, 0x01, 0x00), CodecStatus.TRUNCATED_STRING));
        c.add(new Case("PUBLISH empty body", true, of(0x30, 0x00), CodecStatus.TRUNCATED_STRING));
        // PUBLISH flags and ids
        c.add(new Case("PUBLISH QoS 3", true, of(0x36, 0x05, 0x00, 0x01, 'a', 0x00, 0x01), CodecStatus.INVALID_QOS,
                "MQTT-3.3.1-4"));
        c.add(new Case("PUBLISH QoS 3 with DUP and RETAIN", true, of(0x3F, 0x05, 0x00, 0x01, 'a', 0x00, 0x01),
                CodecStatus.INVALID_QOS, "MQTT-3.3.1-4"));
        c.add(new Case("PUBLISH QoS 0 with DUP", true, of(0x38, 0x03, 0x00, 0x01, 'a'), CodecStatus.DUP_ON_QOS0,
                "MQTT-3.3.1-2", "MQTT-4.3.1-1"));
        c.add(new Case("PUBLISH QoS 1 packet id 0", true, of(0x32, 0x05, 0x00, 0x01, 'a', 0x00, 0x00),
                CodecStatus.PACKET_ID_ZERO, "MQTT-2.3.1-1"));
        c.add(new Case("PUBLISH QoS 2 packet id 0", true, of(0x34, 0x05, 0x00, 0x01, 'a', 0x00, 0x00),
                CodecStatus.PACKET_ID_ZERO, "MQTT-2.3.1-1"));
        // Acks with packet id 0 [MQTT-2.3.1-1]: a receiver cannot match them to anything it sent
        for (int type : new int[] {PacketType.PUBACK, PacketType.PUBREC, PacketType.PUBREL, PacketType.PUBCOMP,
                PacketType.UNSUBACK}) {
            int flags = type == PacketType.PUBREL ? 0x02 : 0x00;
            c.add(new Case(PacketType.name(type) + " packet id 0", true, of(type << 4 | flags, 0x02, 0x00, 0x00),
                    CodecStatus.PACKET_ID_ZERO, "MQTT-2.3.1-1"));
        }
        c.add(new Case("SUBACK packet id 0", true, of(0x90, 0x03, 0x00, 0x00, 0x00), CodecStatus.PACKET_ID_ZERO));
        // Topic names [MQTT-3.3.2-2, MQTT-4.7.1-1, MQTT-4.7.3-1]
        c.add(new Case("PUBLISH topic with '+'", true, of(0x30, 0x05, 0x00, 0x03, 'a', '/', '+'),
                CodecStatus.WILDCARD_IN_TOPIC_NAME, "MQTT-3.3.2-2", "MQTT-4.7.1-1"));
        c.add(new Case("PUBLISH topic with '#'", true, of(0x30, 0x04, 0x00, 0x02, 'a', '#'),
                CodecStatus.WILDCARD_IN_TOPIC_NAME, "MQTT-3.3.2-2", "MQTT-4.7.1-1"));
        c.add(new Case("PUBLISH empty topic", true, of(0x30, 0x03, 0x00, 0x00, 'x'), CodecStatus.EMPTY_TOPIC_NAME,
                "MQTT-4.7.3-1"));
        // Ill-formed UTF-8 in a received topic [MQTT-1.5.3-1, MQTT-1.5.3-2]
        c.add(utf8("surrogate U+D800", CodecStatus.UTF8_SURROGATE, 0xED, 0xA0, 0x80));
        c.add(utf8("surrogate U+DFFF", CodecStatus.UTF8_SURROGATE, 0xED, 0xBF, 0xBF));
        c.add(utf8("overlong '/' C0 AF", CodecStatus.UTF8_OVERLONG, 0xC0, 0xAF));
        c.add(utf8("overlong U+0000 C0 80", CodecStatus.UTF8_OVERLONG, 0xC0, 0x80));
        c.add(utf8("overlong 3-byte E0 80 AF", CodecStatus.UTF8_OVERLONG, 0xE0, 0x80, 0xAF));
        c.add(utf8("overlong 4-byte F0 80 80 AF", CodecStatus.UTF8_OVERLONG, 0xF0, 0x80, 0x80, 0xAF));
        c.add(utf8("2-byte sequence at the end", CodecStatus.UTF8_TRUNCATED, 'a', 0xC3));
        c.add(utf8("3-byte sequence cut by ASCII", CodecStatus.UTF8_TRUNCATED, 0xE2, 0x82, 'a'));
        c.add(utf8("4-byte sequence at the end", CodecStatus.UTF8_TRUNCATED, 0xF0, 0x9F, 0x98));
        c.add(utf8("U+0000", CodecStatus.UTF8_NULL, 'a', 0x00, 'b'));
        c.add(utf8("stray continuation byte", CodecStatus.UTF8_INVALID, 0x80));
        c.add(utf8("byte 0xFF", CodecStatus.UTF8_INVALID, 'a', 0xFF));
        c.add(utf8("lead byte 0xF5", CodecStatus.UTF8_INVALID, 0xF5, 0x80, 0x80, 0x80));
        c.add(utf8("above U+10FFFF", CodecStatus.UTF8_INVALID, 0xF4, 0x90, 0x80, 0x80));
        // SUBACK [MQTT-3.9.3-2]
        for (int code : new int[] {0x03, 0x7F, 0x81, 0xFF}) {
            c.add(new Case(String.format("SUBACK code 0x%02X", code), true, of(0x90, 0x04, 0x00, 0x01, 0x00, code),
                    CodecStatus.INVALID_SUBACK_CODE, "MQTT-3.9.3-2"));
        }
        // CONNACK (§3.2.2)
        c.add(new Case("CONNACK session present on refusal", true, of(0x20, 0x02, 0x01, 0x04),
                CodecStatus.SESSION_PRESENT_ON_REFUSAL, "MQTT-3.2.2-4"));
        c.add(new Case("CONNACK return code 6", true, of(0x20, 0x02, 0x00, 0x06), CodecStatus.INVALID_CONNACK_CODE));
        c.add(new Case("CONNACK return code 0xFF", true, of(0x20, 0x02, 0x00, 0xFF), CodecStatus.INVALID_CONNACK_CODE));
        c.add(new Case("CONNACK flags 0x02", true, of(0x20, 0x02, 0x02, 0x00), CodecStatus.INVALID_CONNACK_FLAGS));
        // CONNECT, as a server decodes it (§3.1)
        byte[] mqisdp = of(0x10, 0x12, 0x00, 0x06, 'M', 'Q', 'I', 's', 'd', 'p', 0x03, 0x02, 0x00, 0x3C,
                0x00, 0x04, 'w', 'r', 'e', 'n');
        c.add(new Case("CONNECT protocol MQIsdp (3.1)", false, mqisdp, CodecStatus.PROTOCOL_NAME, "MQTT-3.1.2-1"));
        c.add(new Case("CONNECT protocol name 'MQTX'", false, withByte(connect(0x02, 0x00, 0x00), 7, 'X'),
                CodecStatus.PROTOCOL_NAME, "MQTT-3.1.2-1"));
        c.add(new Case("CONNECT protocol level 3", false, withByte(connect(0x02, 0x00, 0x00), 8, 0x03),
                CodecStatus.PROTOCOL_LEVEL, "MQTT-3.1.2-2"));
        c.add(new Case("CONNECT reserved flag", false, connect(0x03, 0x00, 0x00), CodecStatus.CONNECT_RESERVED_FLAG,
                "MQTT-3.1.2-3"));
        c.add(new Case("CONNECT will QoS without will", false, connect(0x0A, 0x00, 0x00),
                CodecStatus.WILL_FIELDS_WITHOUT_WILL, "MQTT-3.1.2-11", "MQTT-3.1.2-13"));
        c.add(new Case("CONNECT will retain without will", false, connect(0x22, 0x00, 0x00),
                CodecStatus.WILL_FIELDS_WITHOUT_WILL, "MQTT-3.1.2-11", "MQTT-3.1.2-15"));
        c.add(new Case("CONNECT will QoS 3", false, connect(0x1E, 0x00, 0x00, 0x00, 0x01, 't', 0x00, 0x00),
                CodecStatus.INVALID_WILL_QOS, "MQTT-3.1.2-14"));
        c.add(new Case("CONNECT password without user name", false, connect(0x42, 0x00, 0x00, 0x00, 0x01, 'p'),
                CodecStatus.PASSWORD_WITHOUT_USER_NAME, "MQTT-3.1.2-22"));
        c.add(new Case("CONNECT will flag without will fields", false, connect(0x06, 0x00, 0x00),
                CodecStatus.TRUNCATED_STRING, "MQTT-3.1.2-9"));
        c.add(new Case("CONNECT user name flag without user name", false, connect(0x82, 0x00, 0x00),
                CodecStatus.TRUNCATED_STRING, "MQTT-3.1.2-19"));
        c.add(new Case("CONNECT password flag without password", false, connect(0xC2, 0x00, 0x00, 0x00, 0x01, 'u'),
                CodecStatus.TRUNCATED_STRING, "MQTT-3.1.2-21"));
        c.add(new Case("CONNECT user name present without its flag", false, connect(0x02, 0x00, 0x00, 0x00, 0x01, 'u'),
                CodecStatus.REMAINING_LENGTH_MISMATCH, "MQTT-3.1.2-18"));
        c.add(new Case("CONNECT without client id", false, connect(0x02), CodecStatus.TRUNCATED_STRING,
                "MQTT-3.1.3-3"));
        c.add(new Case("CONNECT client id with a surrogate", false, connect(0x02, 0x00, 0x03, 0xED, 0xA0, 0x80),
                CodecStatus.UTF8_SURROGATE, "MQTT-3.1.3-4"));
        c.add(new Case("CONNECT will topic with '#'", false,
                connect(0x06, 0x00, 0x00, 0x00, 0x01, '#', 0x00, 0x00), CodecStatus.WILDCARD_IN_TOPIC_NAME,
                "MQTT-3.1.3-10"));
        c.add(new Case("CONNECT user name with U+0000", false, connect(0x82, 0x00, 0x00, 0x00, 0x01, 0x00),
                CodecStatus.UTF8_NULL, "MQTT-3.1.3-11"));
        c.add(new Case("CONNECT variable header cut short", false, of(0x10, 0x06, 0x00, 0x04, 'M', 'Q', 'T', 'T'),
                CodecStatus.REMAINING_LENGTH_MISMATCH));
        // SUBSCRIBE / UNSUBSCRIBE, as a server decodes them (§3.8, §3.10)
        c.add(new Case("SUBSCRIBE without filters", false, of(0x82, 0x02, 0x00, 0x01), CodecStatus.EMPTY_SUBSCRIBE,
                "MQTT-3.8.3-3"));
        c.add(new Case("SUBSCRIBE requested QoS 3", false, of(0x82, 0x06, 0x00, 0x01, 0x00, 0x01, 'a', 0x03),
                CodecStatus.INVALID_REQUESTED_QOS, "MQTT-3.8.3-3"));
        c.add(new Case("SUBSCRIBE reserved QoS bits", false, of(0x82, 0x06, 0x00, 0x01, 0x00, 0x01, 'a', 0x04),
                CodecStatus.INVALID_REQUESTED_QOS, "MQTT-3.8.3-3"));
        c.add(new Case("SUBSCRIBE filter without QoS byte", false, of(0x82, 0x05, 0x00, 0x01, 0x00, 0x01, 'a'),
                CodecStatus.REMAINING_LENGTH_MISMATCH));
        c.add(new Case("SUBSCRIBE packet id 0", false, of(0x82, 0x06, 0x00, 0x00, 0x00, 0x01, 'a', 0x00),
                CodecStatus.PACKET_ID_ZERO, "MQTT-2.3.1-1"));
        c.add(new Case("SUBSCRIBE filter 'a#'", false, of(0x82, 0x07, 0x00, 0x01, 0x00, 0x02, 'a', '#', 0x00),
                CodecStatus.MULTI_LEVEL_WILDCARD_MISPLACED, "MQTT-4.7.1-2"));
        c.add(new Case("SUBSCRIBE filter '#/a'", false,
                of(0x82, 0x08, 0x00, 0x01, 0x00, 0x03, '#', '/', 'a', 0x00),
                CodecStatus.MULTI_LEVEL_WILDCARD_MISPLACED, "MQTT-4.7.1-2"));
        c.add(new Case("SUBSCRIBE filter 'a+'", false, of(0x82, 0x07, 0x00, 0x01, 0x00, 0x02, 'a', '+', 0x00),
                CodecStatus.SINGLE_LEVEL_WILDCARD_MISPLACED, "MQTT-4.7.1-3"));
        c.add(new Case("SUBSCRIBE empty filter", false, of(0x82, 0x05, 0x00, 0x01, 0x00, 0x00, 0x00),
                CodecStatus.EMPTY_TOPIC_FILTER, "MQTT-4.7.3-1"));
        c.add(new Case("SUBSCRIBE filter with U+0000", false, of(0x82, 0x06, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00),
                CodecStatus.UTF8_NULL, "MQTT-4.7.3-2", "MQTT-3.8.3-1"));
        c.add(new Case("SUBSCRIBE filter length past the end", false, of(0x82, 0x05, 0x00, 0x01, 0x00, 0x09, 'a'),
                CodecStatus.TRUNCATED_STRING));
        c.add(new Case("SUBSCRIBE with 9 filters into a view of 8", false, nineFilters(), CodecStatus.TOO_MANY_FILTERS));
        c.add(new Case("UNSUBSCRIBE without filters", false, of(0xA2, 0x02, 0x00, 0x01), CodecStatus.EMPTY_UNSUBSCRIBE,
                "MQTT-3.10.3-2"));
        c.add(new Case("UNSUBSCRIBE packet id 0", false, of(0xA2, 0x05, 0x00, 0x00, 0x00, 0x01, 'a'),
                CodecStatus.PACKET_ID_ZERO, "MQTT-2.3.1-1"));
        c.add(new Case("UNSUBSCRIBE filter with a surrogate", false,
                of(0xA2, 0x07, 0x00, 0x01, 0x00, 0x03, 0xED, 0xB0, 0x80), CodecStatus.UTF8_SURROGATE, "MQTT-3.10.3-1"));
        return c;
    }

    /** A QoS 0 PUBLISH whose topic is the given bytes. */
    private static Case utf8(String what, int expected, int... topic) {
        String[] covers = expected == CodecStatus.UTF8_NULL
                ? new String[] {"MQTT-1.5.3-2", "MQTT-4.7.3-2"} : new String[] {"MQTT-1.5.3-1"};
        return new Case("PUBLISH topic: " + what, true, concat(0x30, 2 + topic.length, 0x00, topic.length, topic),
                expected, covers);
    }

    private static byte[] flagsOn(byte[] frame, int flags) {
        frame[0] |= (byte) flags;
        return frame;
    }

    private static byte[] withByte(byte[] frame, int index, int value) {
        frame[index] = (byte) value;
        return frame;
    }

    private static byte[] nineFilters() {
        List<Object> parts = new ArrayList<>();
        parts.add(of(0x82, 2 + 9 * 4, 0x00, 0x01));
        for (int i = 0; i < 9; i++) {
            parts.add(of(0x00, 0x01, 'a' + i, 0x00));
        }
        return concat(parts.toArray());
    }
}
