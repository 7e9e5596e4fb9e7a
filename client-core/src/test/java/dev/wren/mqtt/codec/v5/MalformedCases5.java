package dev.wren.mqtt.codec.v5;

import static dev.wren.mqtt.testing.Bytes.of;
import static dev.wren.mqtt.testing.Bytes.str;

import dev.wren.mqtt.codec.CodecStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * Malformed MQTT 5.0 frames, each with the status that must reject it. {@code clientSide} rows are what a server
 * might send a client; the others what a client might send a server (decoded by the test peer's views).
 */
final class MalformedCases5 {
    record Case(String name, boolean clientSide, byte[] frame, int expected, String... covers) {
        @Override
        public String toString() {
            return name + " -> " + CodecStatus.name(expected);
        }
    }

    private MalformedCases5() {
    }

    /** A frame: byte 1, the remaining length computed from the body, then the body's parts. */
    private static byte[] frame(int byte1, Object... body) {
        byte[] b = of(body);
        byte[] rl = new byte[4];
        int n = VariableByteInteger.encode(b.length, rl, 0);
        return of(byte1, java.util.Arrays.copyOf(rl, n), b);
    }

    /** A PUBACK for packet 1 with reason Success and the given property list. */
    private static byte[] pubackWith(Object... props) {
        byte[] list = of(props);
        return of(0x40, 3 + 1 + list.length, 0x00, 0x01, 0x00, list.length, list);
    }

    /** A QoS 0 PUBLISH to "t" with the given property list and payload "p". */
    private static byte[] publishWith(Object... props) {
        byte[] list = of(props);
        return of(0x30, 3 + 1 + list.length + 1, str("t"), list.length, list, "p");
    }

    /** A CONNACK (Success) with the given property list. */
    private static byte[] connackWith(Object... props) {
        byte[] list = of(props);
        return of(0x20, 3 + list.length, 0x00, 0x00, list.length, list);
    }

    static List<Case> all() {
        List<Case> c = new ArrayList<>();
        // Variable byte integers [MQTT-1.5.5-1]
        c.add(new Case("remaining length 0x80 0x00, not minimal", true, of(0xD0, 0x80, 0x00),
                CodecStatus.MALFORMED_VARIABLE_BYTE_INTEGER, "MQTT-1.5.5-1"));
        c.add(new Case("remaining length of 5 bytes", true, of(0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01),
                CodecStatus.MALFORMED_VARIABLE_BYTE_INTEGER, "MQTT-1.5.5-1"));
        c.add(new Case("Subscription Identifier 0x81 0x00, not minimal", true,
                publishWith(0x0B, 0x81, 0x00), CodecStatus.MALFORMED_VARIABLE_BYTE_INTEGER, "MQTT-1.5.5-1"));
        c.add(new Case("property length 0x80 0x00, not minimal", true,
                of(0x40, 0x05, 0x00, 0x01, 0x00, 0x80, 0x00), CodecStatus.MALFORMED_VARIABLE_BYTE_INTEGER,
                "MQTT-1.5.5-1"));
        // Fixed header flags [MQTT-2.1.3-1]
        c.add(new Case("AUTH with flags 0001", true, of(0xF1, 0x00), CodecStatus.RESERVED_FLAGS, "MQTT-3.15.1-1"));
        c.add(new Case("DISCONNECT with flags 0010", true, of(0xE2, 0x00), CodecStatus.RESERVED_FLAGS,
                "MQTT-3.14.1-1", "MQTT-2.1.3-1"));
        c.add(new Case("PUBREL with flags 0000", true, of(0x60, 0x02, 0x00, 0x01), CodecStatus.RESERVED_FLAGS,
                "MQTT-2.1.3-1"));
        c.add(new Case("packet type 0", true, of(0x00, 0x00), CodecStatus.UNKNOWN_PACKET_TYPE));
        c.add(new Case("PUBLISH QoS 3", true, of(0x36, 0x05, str("t"), 0x00, 0x00), CodecStatus.INVALID_QOS,
                "MQTT-3.3.1-4"));
        c.add(new Case("PUBLISH QoS 0 with DUP", true, of(0x38, 0x04, str("t"), 0x00), CodecStatus.DUP_ON_QOS0,
                "MQTT-3.3.1-2"));
        c.add(new Case("PINGRESP with a body", true, of(0xD0, 0x01, 0x00), CodecStatus.REMAINING_LENGTH_MISMATCH));
        // Properties: unknown, not allowed, duplicated, truncated (§2.2.2)
        c.add(new Case("property id 0x04 is not defined", true, pubackWith(0x04, 0x00),
                CodecStatus.UNKNOWN_PROPERTY));
        c.add(new Case("Topic Alias in a PUBACK", true, pubackWith(0x23, 0x00, 0x01),
                CodecStatus.PROPERTY_NOT_ALLOWED));
        c.add(new Case("Will Delay Interval in a PUBLISH", true, publishWith(0x18, 0, 0, 0, 1),
                CodecStatus.PROPERTY_NOT_ALLOWED));
        c.add(new Case("Reason String twice", true, pubackWith(0x1F, str("a"), 0x1F, str("b")),
                CodecStatus.DUPLICATE_PROPERTY));
        c.add(new Case("Topic Alias twice", true, publishWith(0x23, 0x00, 0x01, 0x23, 0x00, 0x02),
                CodecStatus.DUPLICATE_PROPERTY));
        c.add(new Case("Receive Maximum twice in CONNACK", true, connackWith(0x21, 0x00, 0x01, 0x21, 0x00, 0x02),
                CodecStatus.DUPLICATE_PROPERTY));
        c.add(new Case("Message Expiry Interval cut to 3 bytes", true, publishWith(0x02, 0x00, 0x00, 0x01),
                CodecStatus.TRUNCATED_PROPERTY));
        c.add(new Case("property length past the packet", true, of(0x40, 0x04, 0x00, 0x01, 0x00, 0x05),
                CodecStatus.TRUNCATED_PROPERTY));
        c.add(new Case("User Property without its value", true, pubackWith(0x26, str("k")),
                CodecStatus.TRUNCATED_PROPERTY));
        // Property values
        c.add(new Case("Topic Alias 0", true, publishWith(0x23, 0x00, 0x00), CodecStatus.TOPIC_ALIAS_ZERO,
                "MQTT-3.3.2-8"));
        c.add(new Case("Subscription Identifier 0", true, publishWith(0x0B, 0x00),
                CodecStatus.SUBSCRIPTION_ID_ZERO));
        c.add(new Case("Payload Format Indicator 2", true, publishWith(0x01, 0x02),
                CodecStatus.INVALID_PAYLOAD_FORMAT));
        c.add(new Case("Maximum QoS 2", true, connackWith(0x24, 0x02), CodecStatus.INVALID_PROPERTY_VALUE));
        c.add(new Case("Retain Available 2", true, connackWith(0x25, 0x02), CodecStatus.INVALID_PROPERTY_VALUE));
        c.add(new Case("Receive Maximum 0", true, connackWith(0x21, 0x00, 0x00), CodecStatus.INVALID_PROPERTY_VALUE));
        c.add(new Case("Maximum Packet Size 0", true, connackWith(0x27, 0, 0, 0, 0),
                CodecStatus.INVALID_PROPERTY_VALUE));
        c.add(new Case("Reason String with U+0000", true, pubackWith(0x1F, 0x00, 0x01, 0x00), CodecStatus.UTF8_NULL,
                "MQTT-1.5.4-2"));
        c.add(new Case("Content Type with a surrogate", true, publishWith(0x03, 0x00, 0x03, 0xED, 0xA0, 0x80),
                CodecStatus.UTF8_SURROGATE, "MQTT-1.5.4-1", "MQTT-3.3.2-19"));
        c.add(new Case("User Property value with 0xFF", true, pubackWith(0x26, str("k"), 0x00, 0x01, 0xFF),
                CodecStatus.UTF8_INVALID, "MQTT-1.5.7-1"));
        c.add(new Case("Response Topic with a wildcard", true, publishWith(0x08, str("r/#")),
                CodecStatus.WILDCARD_IN_TOPIC_NAME, "MQTT-3.3.2-14"));
        c.add(new Case("Authentication Data without Method", true, connackWith(0x16, 0x00, 0x00),
                CodecStatus.AUTH_DATA_WITHOUT_METHOD));
        // PUBLISH body
        c.add(new Case("PUBLISH empty topic without Topic Alias", true, of(0x30, 0x03, 0x00, 0x00, 0x00),
                CodecStatus.EMPTY_TOPIC_WITHOUT_ALIAS));
        c.add(new Case("PUBLISH topic with a wildcard", true, of(0x30, 0x06, str("a/+"), 0x00),
                CodecStatus.WILDCARD_IN_TOPIC_NAME, "MQTT-3.3.2-2", "MQTT-4.7.0-1"));
        c.add(new Case("PUBLISH topic with U+0000", true, of(0x30, 0x04, 0x00, 0x01, 0x00, 0x00),
                CodecStatus.UTF8_NULL, "MQTT-4.7.3-2"));
        c.add(new Case("PUBLISH QoS 1 packet id 0", true, of(0x32, 0x06, str("t"), 0x00, 0x00, 0x00),
                CodecStatus.PACKET_ID_ZERO));
        c.add(new Case("PUBLISH from a client with a Subscription Identifier", false, publishWith(0x0B, 0x01),
                CodecStatus.PROPERTY_NOT_ALLOWED, "MQTT-3.3.4-6"));
        // Reason codes per packet
        c.add(new Case("CONNACK reason 0x01", true, of(0x20, 0x03, 0x00, 0x01, 0x00),
                CodecStatus.INVALID_CONNACK_REASON));
        c.add(new Case("CONNACK reason 0x8B (DISCONNECT only)", true, of(0x20, 0x03, 0x00, 0x8B, 0x00),
                CodecStatus.INVALID_CONNACK_REASON));
        c.add(new Case("CONNACK flags 0x02", true, of(0x20, 0x03, 0x02, 0x00, 0x00),
                CodecStatus.INVALID_CONNACK_FLAGS, "MQTT-3.2.2-1"));
        c.add(new Case("CONNACK session present with a failure", true, of(0x20, 0x03, 0x01, 0x80, 0x00),
                CodecStatus.SESSION_PRESENT_ON_REFUSAL));
        c.add(new Case("CONNACK without property length", true, of(0x20, 0x02, 0x00, 0x00),
                CodecStatus.REMAINING_LENGTH_MISMATCH, "MQTT-2.2.2-1"));
        c.add(new Case("CONNACK trailing byte", true, of(0x20, 0x04, 0x00, 0x00, 0x00, 0x00),
                CodecStatus.REMAINING_LENGTH_MISMATCH));
        c.add(new Case("PUBACK reason 0x92 (PUBREL/PUBCOMP only)", true, of(0x40, 0x03, 0x00, 0x01, 0x92),
                CodecStatus.INVALID_PUBACK_REASON, "MQTT-3.4.2-1"));
        c.add(new Case("PUBREC reason 0x01", true, of(0x50, 0x03, 0x00, 0x01, 0x01),
                CodecStatus.INVALID_PUBREC_REASON, "MQTT-3.5.2-1"));
        c.add(new Case("PUBREL reason 0x80", true, of(0x62, 0x03, 0x00, 0x01, 0x80),
                CodecStatus.INVALID_PUBREL_REASON, "MQTT-3.6.2-1"));
        c.add(new Case("PUBCOMP reason 0x10", true, of(0x70, 0x03, 0x00, 0x01, 0x10),
                CodecStatus.INVALID_PUBCOMP_REASON, "MQTT-3.7.2-1"));
        c.add(new Case("PUBACK packet id 0", true, of(0x40, 0x02, 0x00, 0x00), CodecStatus.PACKET_ID_ZERO));
        c.add(new Case("PUBACK of 1 byte", true, of(0x40, 0x01, 0x00), CodecStatus.REMAINING_LENGTH_MISMATCH));
        c.add(new Case("SUBACK reason 0x03", true, of(0x90, 0x04, 0x00, 0x01, 0x00, 0x03),
                CodecStatus.INVALID_SUBACK_REASON, "MQTT-3.8.4-7"));
        c.add(new Case("SUBACK without reason codes", true, of(0x90, 0x03, 0x00, 0x01, 0x00),
                CodecStatus.REMAINING_LENGTH_MISMATCH));
        c.add(new Case("UNSUBACK reason 0x01", true, of(0xB0, 0x04, 0x00, 0x01, 0x00, 0x01),
                CodecStatus.INVALID_UNSUBACK_REASON));
        c.add(new Case("DISCONNECT reason 0x01", true, of(0xE0, 0x01, 0x01), CodecStatus.INVALID_DISCONNECT_REASON));
        c.add(new Case("DISCONNECT with Topic Alias", true, of(0xE0, 0x05, 0x00, 0x03, 0x23, 0x00, 0x01),
                CodecStatus.PROPERTY_NOT_ALLOWED));
        c.add(new Case("AUTH reason 0x80", true, of(0xF0, 0x01, 0x80), CodecStatus.INVALID_AUTH_REASON,
                "MQTT-3.15.2-1"));
        c.add(new Case("AUTH trailing byte after properties", true, of(0xF0, 0x03, 0x18, 0x00, 0x00),
                CodecStatus.REMAINING_LENGTH_MISMATCH));
        c.add(new Case("Server Reference in AUTH", true, of(0xF0, 0x06, 0x18, 0x04, 0x1C, str("s")),
                CodecStatus.PROPERTY_NOT_ALLOWED));
        // What a client might send: the test peer's views
        c.add(new Case("CONNECT level 6", false, frame(0x10, str("MQTT"), 0x06, 0x02, 0x00, 0x3C, 0x00, str("")),
                CodecStatus.PROTOCOL_LEVEL));
        c.add(new Case("CONNECT MQIsdp at level 4", false, frame(0x10, str("MQIsdp"), 0x04, 0x02, 0x00, 0x3C,
                str("")), CodecStatus.PROTOCOL_LEVEL));
        c.add(new Case("CONNECT will QoS without will", false,
                frame(0x10, str("MQTT"), 0x05, 0x08, 0x00, 0x3C, 0x00, str("")),
                CodecStatus.WILL_FIELDS_WITHOUT_WILL, "MQTT-3.1.2-11"));
        c.add(new Case("CONNECT will retain without will", false,
                frame(0x10, str("MQTT"), 0x05, 0x20, 0x00, 0x3C, 0x00, str("")),
                CodecStatus.WILL_FIELDS_WITHOUT_WILL, "MQTT-3.1.2-13"));
        c.add(new Case("CONNECT will QoS 3", false, frame(0x10, str("MQTT"), 0x05, 0x1C, 0x00, 0x3C, 0x00, str("")),
                CodecStatus.INVALID_WILL_QOS, "MQTT-3.1.2-12"));
        c.add(new Case("CONNECT Topic Alias property", false,
                frame(0x10, str("MQTT"), 0x05, 0x02, 0x00, 0x3C, 0x03, 0x23, 0x00, 0x01, str("")),
                CodecStatus.PROPERTY_NOT_ALLOWED));
        c.add(new Case("CONNECT will with a Will Delay Interval twice", false,
                frame(0x10, str("MQTT"), 0x05, 0x06, 0x00, 0x3C, 0x00, str(""),
                        0x0A, 0x18, 0, 0, 0, 1, 0x18, 0, 0, 0, 2, str("w"), str("")),
                CodecStatus.DUPLICATE_PROPERTY));
        c.add(new Case("CONNECT client id not UTF-8", false,
                frame(0x10, str("MQTT"), 0x05, 0x02, 0x00, 0x3C, 0x00, 0x00, 0x01, 0xC0),
                CodecStatus.UTF8_OVERLONG, "MQTT-3.1.3-4"));
        c.add(new Case("CONNECT user name flag without a user name", false,
                frame(0x10, str("MQTT"), 0x05, 0x82, 0x00, 0x3C, 0x00, str("c")),
                CodecStatus.TRUNCATED_STRING, "MQTT-3.1.2-17"));
        c.add(new Case("CONNECT a user name without its flag", false,
                frame(0x10, str("MQTT"), 0x05, 0x02, 0x00, 0x3C, 0x00, str("c"), str("u")),
                CodecStatus.REMAINING_LENGTH_MISMATCH, "MQTT-3.1.2-16"));
        c.add(new Case("SUBSCRIBE options reserved bit 6", false,
                frame(0x82, 0x00, 0x01, 0x00, str("a"), 0x40), CodecStatus.INVALID_SUBSCRIPTION_OPTIONS));
        c.add(new Case("SUBSCRIBE Retain Handling 3", false,
                frame(0x82, 0x00, 0x01, 0x00, str("a"), 0x30), CodecStatus.INVALID_SUBSCRIPTION_OPTIONS));
        c.add(new Case("SUBSCRIBE No Local on a shared subscription", false,
                frame(0x82, 0x00, 0x01, 0x00, str("$share/g/a"), 0x04), CodecStatus.NO_LOCAL_ON_SHARED,
                "MQTT-3.8.3-4"));
        c.add(new Case("SUBSCRIBE $share// empty ShareName", false,
                frame(0x82, 0x00, 0x01, 0x00, str("$share//a"), 0x00), CodecStatus.INVALID_SHARED_SUBSCRIPTION,
                "MQTT-4.8.2-1"));
        c.add(new Case("SUBSCRIBE $share/g without a filter", false,
                frame(0x82, 0x00, 0x01, 0x00, str("$share/g/"), 0x00), CodecStatus.INVALID_SHARED_SUBSCRIPTION,
                "MQTT-4.8.2-2"));
        c.add(new Case("SUBSCRIBE ShareName with a wildcard", false,
                frame(0x82, 0x00, 0x01, 0x00, str("$share/+/a"), 0x00), CodecStatus.INVALID_SHARED_SUBSCRIPTION,
                "MQTT-4.8.2-2"));
        c.add(new Case("SUBSCRIBE without filters", false, frame(0x82, 0x00, 0x01, 0x00),
                CodecStatus.EMPTY_SUBSCRIBE, "MQTT-3.8.3-2"));
        c.add(new Case("SUBSCRIBE filter with '#' not last", false,
                frame(0x82, 0x00, 0x01, 0x00, str("#/a"), 0x00), CodecStatus.MULTI_LEVEL_WILDCARD_MISPLACED,
                "MQTT-4.7.1-1"));
        c.add(new Case("SUBSCRIBE filter with 'a+'", false,
                frame(0x82, 0x00, 0x01, 0x00, str("a+"), 0x00), CodecStatus.SINGLE_LEVEL_WILDCARD_MISPLACED,
                "MQTT-4.7.1-2"));
        c.add(new Case("SUBSCRIBE empty filter", false, frame(0x82, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00),
                CodecStatus.EMPTY_TOPIC_FILTER, "MQTT-4.7.3-1"));
        c.add(new Case("SUBSCRIBE filter not UTF-8", false,
                frame(0x82, 0x00, 0x01, 0x00, 0x00, 0x01, 0xFF, 0x00), CodecStatus.UTF8_INVALID, "MQTT-3.8.3-1"));
        c.add(new Case("UNSUBSCRIBE without filters", false, frame(0xA2, 0x00, 0x01, 0x00),
                CodecStatus.EMPTY_UNSUBSCRIBE, "MQTT-3.10.3-2"));
        c.add(new Case("UNSUBSCRIBE filter not UTF-8", false, frame(0xA2, 0x00, 0x01, 0x00, 0x00, 0x01, 0xFF),
                CodecStatus.UTF8_INVALID, "MQTT-3.10.3-1"));
        c.add(new Case("UNSUBSCRIBE Subscription Identifier property", false,
                frame(0xA2, 0x00, 0x01, 0x02, 0x0B, 0x01, str("a")), CodecStatus.PROPERTY_NOT_ALLOWED));
        return c;
    }
}
