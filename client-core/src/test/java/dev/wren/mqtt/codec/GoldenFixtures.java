package dev.wren.mqtt.codec;

import static dev.wren.mqtt.codec.Bytes.ascii;
import static dev.wren.mqtt.codec.Bytes.concat;
import static dev.wren.mqtt.codec.Bytes.of;
import static dev.wren.mqtt.codec.Bytes.repeat;
import static dev.wren.mqtt.codec.PacketDecoder.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Golden frames of all 14 MQTT 3.1.1 control packets, written from the specification (§2, §3), annotated field
 * by field. Each fixture says how to encode it and what its decoded fields are.
 */
final class GoldenFixtures {
    interface Encoder {
        int encode(byte[] dst, int off);
    }

    /**
     * @param serverToClient true when a client receives this packet (Table 2.1 direction)
     * @param covers normative statements the fixture exercises
     */
    record Fixture(String name, boolean serverToClient, byte[] frame, IntSupplier length, Encoder encoder,
            Consumer<PacketDecoder> check, String... covers) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final byte[] PAYLOAD_215 = {'2', '1', '.', '5'};
    private static final byte[] PAYLOAD_0102 = {1, 2};
    private static final byte[] OFFLINE = {'o', 'f', 'f', 'l', 'i', 'n', 'e'};
    private static final byte[] PW = {'p', 'w'};
    private static final byte[] PAYLOAD_125 = repeat(0x55, 125);
    private static final byte[] EMPTY = {};

    private GoldenFixtures() {
    }

    static ConnectFields minimalConnect() {
        ConnectFields f = new ConnectFields();
        f.clientId = "wren";
        f.cleanSession = true;
        f.keepAliveSeconds = 60;
        return f;
    }

    static ConnectFields fullConnect() {
        ConnectFields f = new ConnectFields();
        f.clientId = "node-7";
        f.cleanSession = false;
        f.keepAliveSeconds = 30;
        f.willTopic = "n/7/status";
        f.willPayload = OFFLINE;
        f.willPayloadLength = OFFLINE.length;
        f.willQos = 1;
        f.willRetain = true;
        f.userName = "u";
        f.password = PW;
        f.passwordLength = PW.length;
        return f;
    }

    static final CharSequence[] SUBSCRIBE_FILTERS = {"a/+", "$SYS/#"};
    static final int[] SUBSCRIBE_QOS = {1, 2};
    static final CharSequence[] UNSUBSCRIBE_FILTERS = {"a/+", "#"};
    static final int[] SUBACK_CODES = {0x01, 0x80, 0x02};

    static List<Fixture> all() {
        return Arrays.asList(
            new Fixture("CONNECT minimal", false, of(
                    0x10, 0x10,                    // CONNECT, flags 0000; remaining length 16
                    0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name "MQTT" (§3.1.2.1)
                    0x04,                          // protocol level 4 = 3.1.1 (§3.1.2.2)
                    0x02,                          // connect flags: clean session (§3.1.2.4)
                    0x00, 0x3C,                    // keep alive 60 s (§3.1.2.10)
                    0x00, 0x04, 'w', 'r', 'e', 'n'), // client id "wren", first payload field (§3.1.3.1)
                () -> ConnectEncoder.length(minimalConnect()),
                (dst, off) -> ConnectEncoder.encode(dst, off, minimalConnect()),
                d -> {
                    assertTrue(d.connect.cleanSession());
                    assertEquals(60, d.connect.keepAliveSeconds());
                    assertEquals("wren", d.connect.clientId().toString());
                    assertFalse(d.connect.hasWill());
                    assertFalse(d.connect.hasUserName());
                    assertFalse(d.connect.hasPassword());
                    assertEquals(0, d.connect.willQos());
                    assertFalse(d.connect.willRetain());
                },
                "MQTT-3.1.3-3", "MQTT-3.1.3-4", "MQTT-3.1.2-11", "MQTT-3.1.2-13", "MQTT-3.1.2-15",
                "MQTT-3.1.2-18", "MQTT-3.1.2-20"),
            new Fixture("CONNECT with will, user name and password", false, of(
                    0x10, 0x2E,                    // CONNECT; remaining length 46
                    0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name
                    0x04,                          // level 4
                    0xEC,                          // flags 1110 1100: user name, password, will retain,
                                                   //   will QoS 01, will flag, clean session 0, reserved 0
                    0x00, 0x1E,                    // keep alive 30 s
                    0x00, 0x06, 'n', 'o', 'd', 'e', '-', '7',                // client id "node-7"
                    0x00, 0x0A, 'n', '/', '7', '/', 's', 't', 'a', 't', 'u', 's', // will topic "n/7/status"
                    0x00, 0x07, 'o', 'f', 'f', 'l', 'i', 'n', 'e',           // will message "offline"
                    0x00, 0x01, 'u',                                         // user name "u"
                    0x00, 0x02, 'p', 'w'),                                   // password "pw"
                () -> ConnectEncoder.length(fullConnect()),
                (dst, off) -> ConnectEncoder.encode(dst, off, fullConnect()),
                d -> {
                    ConnectView c = d.connect;
                    assertFalse(c.cleanSession());
                    assertEquals(30, c.keepAliveSeconds());
                    assertEquals("node-7", c.clientId().toString());
                    assertTrue(c.hasWill());
                    assertEquals("n/7/status", c.willTopic().toString());
                    assertEquals("offline", utf8(c.buffer(), c.willPayloadOffset(), c.willPayloadLength()));
                    assertEquals(1, c.willQos());
                    assertTrue(c.willRetain());
                    assertEquals("u", c.userName().toString());
                    assertEquals("pw", utf8(c.buffer(), c.passwordOffset(), c.passwordLength()));
                },
                "MQTT-3.1.3-1", "MQTT-3.1.2-9", "MQTT-3.1.2-14", "MQTT-3.1.2-19", "MQTT-3.1.2-21",
                "MQTT-3.1.3-10", "MQTT-3.1.3-11"),
            new Fixture("CONNACK accepted, session present", true, of(
                    0x20, 0x02,                    // CONNACK; remaining length 2
                    0x01,                          // acknowledge flags: session present (§3.2.2.2)
                    0x00),                         // return code 0 accepted (Table 3.1)
                () -> ConnackEncoder.LENGTH,
                (dst, off) -> ConnackEncoder.encode(dst, off, true, 0),
                d -> {
                    assertTrue(d.connack.sessionPresent());
                    assertEquals(0, d.connack.returnCode());
                }),
            new Fixture("CONNACK refused, not authorized", true, of(
                    0x20, 0x02,                    // CONNACK; remaining length 2
                    0x00,                          // session present 0 on refusal [MQTT-3.2.2-4]
                    0x05),                         // return code 5 not authorized
                () -> ConnackEncoder.LENGTH,
                (dst, off) -> ConnackEncoder.encode(dst, off, false, 5),
                d -> {
                    assertFalse(d.connack.sessionPresent());
                    assertEquals(5, d.connack.returnCode());
                },
                "MQTT-3.2.2-4"),
            new Fixture("PUBLISH QoS 0", true, of(
                    0x30, 0x09,                    // PUBLISH, DUP 0, QoS 00, RETAIN 0; remaining length 9
                    0x00, 0x03, 'a', '/', 'b',     // topic name "a/b" (§3.3.2.1); no packet id at QoS 0
                    '2', '1', '.', '5'),           // payload "21.5" (§3.3.3)
                () -> PublishEncoder.length(3, 0, 4),
                (dst, off) -> PublishEncoder.encode(dst, off, "a/b", 0, false, false, 0, PAYLOAD_215, 0, 4),
                d -> {
                    PublishView p = d.publish;
                    assertEquals(0, p.qos());
                    assertFalse(p.dup());
                    assertFalse(p.retain());
                    assertEquals(0, p.packetId());
                    assertEquals("a/b", p.topic().toString());
                    assertEquals("21.5", utf8(p.buffer(), p.payloadOffset(), p.payloadLength()));
                },
                "MQTT-2.3.1-5", "MQTT-3.3.1-2", "MQTT-3.3.2-1", "MQTT-4.3.1-1"),
            new Fixture("PUBLISH QoS 1 retained", true, of(
                    0x33, 0x09,                    // PUBLISH, DUP 0, QoS 01, RETAIN 1; remaining length 9
                    0x00, 0x03, 's', '/', 't',     // topic name "s/t"
                    0x00, 0x0A,                    // packet id 10 (§3.3.2.2)
                    0x01, 0x02),                   // payload 01 02
                () -> PublishEncoder.length(3, 1, 2),
                (dst, off) -> PublishEncoder.encode(dst, off, "s/t", 1, true, false, 10, PAYLOAD_0102, 0, 2),
                d -> {
                    PublishView p = d.publish;
                    assertEquals(1, p.qos());
                    assertTrue(p.retain());
                    assertEquals(10, p.packetId());
                    assertEquals("s/t", p.topic().toString());
                    assertEquals(2, p.payloadLength());
                },
                "MQTT-2.3.1-1"),
            new Fixture("PUBLISH QoS 2 DUP, non-ASCII topic, empty payload", true, of(
                    0x3C, 0x0B,                    // PUBLISH, DUP 1, QoS 10, RETAIN 0; remaining length 11
                    0x00, 0x07,                    // topic length 7 bytes
                    0xC3, 0xA9,                    //   U+00E9 'é' (2 bytes)
                    '/',                           //   level separator
                    0xF0, 0x9F, 0x98, 0x80,        //   U+1F600 (4 bytes; a surrogate pair in Java)
                    0x12, 0x34),                   // packet id 0x1234; no payload
                () -> PublishEncoder.length(7, 2, 0),
                (dst, off) -> PublishEncoder.encode(dst, off, "\u00e9/\ud83d\ude00", 2, false, true, 0x1234, EMPTY, 0, 0),
                d -> {
                    PublishView p = d.publish;
                    assertEquals(2, p.qos());
                    assertTrue(p.dup());
                    assertEquals(0x1234, p.packetId());
                    assertEquals("\u00e9/\ud83d\ude00", p.topic().toString());
                    assertEquals(4, p.topic().length());
                    assertEquals(0, p.payloadLength());
                },
                "MQTT-1.5.3-1", "MQTT-3.3.1-1"),
            new Fixture("PUBLISH with a 2-byte remaining length", true, concat(of(
                    0x30, 0x80, 0x01,              // PUBLISH QoS 0; remaining length 128 = 0x80 0x01 (§2.2.3)
                    0x00, 0x01, 't'),              // topic name "t"
                    PAYLOAD_125),                  // payload: 125 bytes of 0x55
                () -> PublishEncoder.length(1, 0, 125),
                (dst, off) -> PublishEncoder.encode(dst, off, "t", 0, false, false, 0, PAYLOAD_125, 0, 125),
                d -> {
                    assertEquals(128, d.header.remainingLength());
                    assertEquals(3, d.header.headerLength());
                    assertEquals(125, d.publish.payloadLength());
                }),
            new Fixture("PUBACK", true, of(
                    0x40, 0x02,                    // PUBACK, flags 0000; remaining length 2
                    0x00, 0x01),                   // packet id 1 (§3.4.2)
                () -> AckEncoder.LENGTH,
                (dst, off) -> AckEncoder.encode(dst, off, PacketType.PUBACK, 1),
                d -> assertEquals(1, d.ack.packetId())),
            new Fixture("PUBREC", true, of(
                    0x50, 0x02,                    // PUBREC, flags 0000; remaining length 2
                    0xFF, 0xFF),                   // packet id 65535 (§3.5.2)
                () -> AckEncoder.LENGTH,
                (dst, off) -> AckEncoder.encode(dst, off, PacketType.PUBREC, 0xFFFF),
                d -> assertEquals(0xFFFF, d.ack.packetId())),
            new Fixture("PUBREL", true, of(
                    0x62, 0x02,                    // PUBREL, reserved flags 0010 [MQTT-3.6.1-1]; remaining length 2
                    0x00, 0x07),                   // packet id 7 (§3.6.2)
                () -> AckEncoder.LENGTH,
                (dst, off) -> AckEncoder.encode(dst, off, PacketType.PUBREL, 7),
                d -> assertEquals(7, d.ack.packetId()),
                "MQTT-2.2.2-1", "MQTT-3.6.1-1"),
            new Fixture("PUBCOMP", true, of(
                    0x70, 0x02,                    // PUBCOMP, flags 0000; remaining length 2
                    0x00, 0x07),                   // packet id 7 (§3.7.2)
                () -> AckEncoder.LENGTH,
                (dst, off) -> AckEncoder.encode(dst, off, PacketType.PUBCOMP, 7),
                d -> assertEquals(7, d.ack.packetId())),
            new Fixture("SUBSCRIBE two filters", false, of(
                    0x82, 0x11,                    // SUBSCRIBE, reserved flags 0010 [MQTT-3.8.1-1]; remaining 17
                    0x00, 0x02,                    // packet id 2 (§3.8.2)
                    0x00, 0x03, 'a', '/', '+',     // filter "a/+"
                    0x01,                          //   requested QoS 1
                    0x00, 0x06, '$', 'S', 'Y', 'S', '/', '#', // filter "$SYS/#"
                    0x02),                         //   requested QoS 2
                () -> SubscribeEncoder.length(SUBSCRIBE_FILTERS, 2),
                (dst, off) -> SubscribeEncoder.encode(dst, off, 2, SUBSCRIBE_FILTERS, SUBSCRIBE_QOS, 2),
                d -> {
                    SubscribeView s = d.subscribe;
                    assertEquals(2, s.packetId());
                    assertEquals(2, s.count());
                    assertEquals("a/+", s.filter(0).toString());
                    assertEquals(1, s.requestedQos(0));
                    assertEquals("$SYS/#", s.filter(1).toString());
                    assertEquals(2, s.requestedQos(1));
                },
                "MQTT-2.3.1-1", "MQTT-3.8.1-1", "MQTT-3.8.3-1", "MQTT-3.8.3-3", "MQTT-4.7.1-2", "MQTT-4.7.1-3"),
            new Fixture("SUBACK three codes", true, of(
                    0x90, 0x05,                    // SUBACK, flags 0000; remaining length 5
                    0x00, 0x02,                    // packet id 2, as in the SUBSCRIBE (§3.9.2)
                    0x01,                          // granted QoS 1
                    0x80,                          // failure
                    0x02),                         // granted QoS 2
                () -> SubackEncoder.length(3),
                (dst, off) -> SubackEncoder.encode(dst, off, 2, SUBACK_CODES, 3),
                d -> {
                    SubackView s = d.suback;
                    assertEquals(2, s.packetId());
                    assertEquals(3, s.count());
                    assertEquals(0x01, s.returnCode(0));
                    assertEquals(0x80, s.returnCode(1));
                    assertEquals(0x02, s.returnCode(2));
                },
                "MQTT-3.9.3-1", "MQTT-3.9.3-2"),
            new Fixture("UNSUBSCRIBE two filters", false, of(
                    0xA2, 0x0A,                    // UNSUBSCRIBE, reserved flags 0010 [MQTT-3.10.1-1]; remaining 10
                    0x00, 0x03,                    // packet id 3 (§3.10.2)
                    0x00, 0x03, 'a', '/', '+',     // filter "a/+"
                    0x00, 0x01, '#'),              // filter "#", packed contiguously [MQTT-3.10.3-1]
                () -> UnsubscribeEncoder.length(UNSUBSCRIBE_FILTERS, 2),
                (dst, off) -> UnsubscribeEncoder.encode(dst, off, 3, UNSUBSCRIBE_FILTERS, 2),
                d -> {
                    UnsubscribeView u = d.unsubscribe;
                    assertEquals(3, u.packetId());
                    assertEquals(2, u.count());
                    assertEquals("a/+", u.filter(0).toString());
                    assertEquals("#", u.filter(1).toString());
                },
                "MQTT-3.10.1-1", "MQTT-3.10.3-1", "MQTT-3.10.3-2"),
            new Fixture("UNSUBACK", true, of(
                    0xB0, 0x02,                    // UNSUBACK, flags 0000; remaining length 2
                    0x00, 0x03),                   // packet id 3, as in the UNSUBSCRIBE (§3.11.2)
                () -> AckEncoder.LENGTH,
                (dst, off) -> AckEncoder.encode(dst, off, PacketType.UNSUBACK, 3),
                d -> assertEquals(3, d.ack.packetId())),
            new Fixture("PINGREQ", false, of(
                    0xC0, 0x00),                   // PINGREQ, flags 0000; remaining length 0 (§3.12)
                () -> EmptyPacketEncoder.LENGTH,
                (dst, off) -> EmptyPacketEncoder.encode(dst, off, PacketType.PINGREQ),
                d -> assertEquals(PacketType.PINGREQ, d.header.type())),
            new Fixture("PINGRESP", true, of(
                    0xD0, 0x00),                   // PINGRESP, flags 0000; remaining length 0 (§3.13)
                () -> EmptyPacketEncoder.LENGTH,
                (dst, off) -> EmptyPacketEncoder.encode(dst, off, PacketType.PINGRESP),
                d -> assertEquals(PacketType.PINGRESP, d.header.type())),
            new Fixture("DISCONNECT", false, of(
                    0xE0, 0x00),                   // DISCONNECT, reserved flags 0000 [MQTT-3.14.1-1]; length 0
                () -> EmptyPacketEncoder.LENGTH,
                (dst, off) -> EmptyPacketEncoder.encode(dst, off, PacketType.DISCONNECT),
                d -> assertEquals(PacketType.DISCONNECT, d.header.type()),
                "MQTT-3.14.1-1"));
    }

    /** Asserts two frames equal, printing both in hex. */
    static void assertFrame(byte[] expected, byte[] actual, int off, int len, String name) {
        assertArrayEquals(expected, Arrays.copyOfRange(actual, off, off + len),
                () -> name + ": expected " + Bytes.hex(expected) + " but was " + Bytes.hex(actual, off, len));
    }
}
