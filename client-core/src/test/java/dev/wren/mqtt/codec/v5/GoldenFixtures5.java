package dev.wren.mqtt.codec.v5;

import static dev.wren.mqtt.testing.Bytes.of;
import static dev.wren.mqtt.testing.Bytes.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wren.mqtt.codec.ConnectFields;
import dev.wren.mqtt.codec.EmptyPacketEncoder;
import dev.wren.mqtt.codec.PacketType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Golden frames of all 15 MQTT 5.0 control packets, with and without properties, written from the specification
 * (MQTT 5.0 §2, §3) and annotated field by field; plus CONNECT at levels 3 and 4. Each fixture says how to encode
 * it and what its decoded fields are.
 */
final class GoldenFixtures5 {
    interface Encoder {
        int encode(byte[] dst, int off);
    }

    /**
     * @param serverToClient true when a client receives this packet (Table 2-1 direction)
     * @param covers MQTT 5.0 statements the fixture exercises
     */
    record Fixture(String name, boolean serverToClient, byte[] frame, IntSupplier length, Encoder encoder,
            Consumer<PacketDecoder5> check, String... covers) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final byte[] OFFLINE = "offline".getBytes(StandardCharsets.US_ASCII);
    static final byte[] PW = {'p', 'w'};
    static final byte[] PAYLOAD = {'2', '1', '.', '5'};
    static final byte[] AUTH_DATA = {1, 2};
    static final byte[] CORRELATION = {(byte) 0xAB, (byte) 0xCD};
    static final CharSequence[] FILTERS = {"a/+", "$share/g/s/#"};
    static final int[] OPTIONS = {SubscribeEncoder.options(1, true, true, SubscribeEncoder.DO_NOT_SEND_RETAINED),
        SubscribeEncoder.options(2, false, false, SubscribeEncoder.SEND_RETAINED_IF_NEW)};

    private GoldenFixtures5() {
    }

    static ConnectFields minimalConnect() {
        ConnectFields f = new ConnectFields();
        f.clientId = "wren";
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

    /** The CONNECT properties of the full CONNECT fixture: 40 bytes. */
    static PropertiesWriter connectProperties() {
        return new PropertiesWriter().wrap(new byte[64], 0, PacketType.CONNECT)
                .putInt(Property.SESSION_EXPIRY_INTERVAL, 3600)
                .putInt(Property.RECEIVE_MAXIMUM, 20)
                .putInt(Property.MAXIMUM_PACKET_SIZE, 4096)
                .putInt(Property.TOPIC_ALIAS_MAXIMUM, 10)
                .putInt(Property.REQUEST_RESPONSE_INFORMATION, 1)
                .putInt(Property.REQUEST_PROBLEM_INFORMATION, 0)
                .putUserProperty("a", "b")
                .putString(Property.AUTHENTICATION_METHOD, "SCRAM")
                .putBinary(Property.AUTHENTICATION_DATA, AUTH_DATA, 0, AUTH_DATA.length);
    }

    /** The will properties of the full CONNECT fixture: 37 bytes. */
    static PropertiesWriter willProperties() {
        return new PropertiesWriter().wrap(new byte[64], 0, Property.WILL)
                .putInt(Property.WILL_DELAY_INTERVAL, 10)
                .putInt(Property.PAYLOAD_FORMAT_INDICATOR, 1)
                .putInt(Property.MESSAGE_EXPIRY_INTERVAL, 60)
                .putString(Property.CONTENT_TYPE, "text")
                .putString(Property.RESPONSE_TOPIC, "r/1")
                .putBinary(Property.CORRELATION_DATA, CORRELATION, 0, CORRELATION.length)
                .putUserProperty("k", "v");
    }

    static PropertiesWriter connackProperties() {
        return new PropertiesWriter().wrap(new byte[128], 0, PacketType.CONNACK)
                .putInt(Property.SESSION_EXPIRY_INTERVAL, 0)
                .putInt(Property.RECEIVE_MAXIMUM, 100)
                .putInt(Property.MAXIMUM_QOS, 1)
                .putInt(Property.RETAIN_AVAILABLE, 0)
                .putInt(Property.MAXIMUM_PACKET_SIZE, 65536)
                .putString(Property.ASSIGNED_CLIENT_IDENTIFIER, "c1")
                .putInt(Property.TOPIC_ALIAS_MAXIMUM, 5)
                .putString(Property.REASON_STRING, "ok")
                .putUserProperty("x", "y")
                .putInt(Property.WILDCARD_SUBSCRIPTION_AVAILABLE, 1)
                .putInt(Property.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 1)
                .putInt(Property.SHARED_SUBSCRIPTION_AVAILABLE, 0)
                .putInt(Property.SERVER_KEEP_ALIVE, 120)
                .putString(Property.RESPONSE_INFORMATION, "ri")
                .putString(Property.SERVER_REFERENCE, "s2")
                .putString(Property.AUTHENTICATION_METHOD, "M")
                .putBinary(Property.AUTHENTICATION_DATA, AUTH_DATA, 0, 1);
    }

    static PropertiesWriter publishProperties() {
        return new PropertiesWriter().wrap(new byte[64], 0, PacketType.PUBLISH)
                .putInt(Property.PAYLOAD_FORMAT_INDICATOR, 1)
                .putInt(Property.MESSAGE_EXPIRY_INTERVAL, 60)
                .putInt(Property.TOPIC_ALIAS, 3)
                .putString(Property.RESPONSE_TOPIC, "r/1")
                .putBinary(Property.CORRELATION_DATA, CORRELATION, 0, CORRELATION.length)
                .putUserProperty("k", "v")
                .putInt(Property.SUBSCRIPTION_IDENTIFIER, 200)
                .putInt(Property.SUBSCRIPTION_IDENTIFIER, 1)
                .putString(Property.CONTENT_TYPE, "t");
    }

    /** Reason String "no" and User Property k=v: 12 bytes, allowed in every packet with a reason code. */
    static PropertiesWriter reasonProperties(int packetType) {
        return new PropertiesWriter().wrap(new byte[32], 0, packetType)
                .putString(Property.REASON_STRING, "no")
                .putUserProperty("k", "v");
    }

    static List<Fixture> all() {
        return Arrays.asList(
            new Fixture("CONNECT minimal, level 5", false, of(
                    0x10, 17,                          // CONNECT, remaining length 17
                    str("MQTT"), 0x05,                 // protocol name, level 5 [MQTT-3.1.2-1 (3.1.1)], §3.1.2.2
                    0x02,                              // flags: Clean Start
                    0x00, 0x3C,                        // keep alive 60 s
                    0x00,                              // property length 0 [MQTT-2.2.2-1]
                    str("wren")),                      // client id, first in the payload [MQTT-3.1.3-3]
                () -> ConnectEncoder.length(minimalConnect(), null, null),
                (dst, off) -> ConnectEncoder.encode(dst, off, minimalConnect(), null, null),
                d -> {
                    assertEquals(5, d.connect.level);
                    assertTrue(d.connect.cleanStart());
                    assertEquals(60, d.connect.keepAliveSeconds);
                    assertEquals(0, d.connect.properties.propertyLength());
                    assertEquals("wren", text(d.connect.buf, d.connect.clientIdOffset, d.connect.clientIdLength));
                    assertFalse(d.connect.hasWill());
                },
                "MQTT-2.2.2-1", "MQTT-3.1.3-3", "MQTT-3.1.3-4", "MQTT-3.1.2-16", "MQTT-3.1.2-18"),
            new Fixture("CONNECT full, level 5, with will properties", false, of(
                    0x10, 0x7D,                        // CONNECT, remaining length 125
                    str("MQTT"), 0x05,                 // protocol name, level 5
                    0xEC,                              // flags: user name, password, will retain, will QoS 1, will
                    0x00, 0x1E,                        // keep alive 30 s
                    40,                                // property length 40
                    0x11, 0x00, 0x00, 0x0E, 0x10,      //   Session Expiry Interval 3600
                    0x21, 0x00, 0x14,                  //   Receive Maximum 20
                    0x27, 0x00, 0x00, 0x10, 0x00,      //   Maximum Packet Size 4096
                    0x22, 0x00, 0x0A,                  //   Topic Alias Maximum 10
                    0x19, 0x01,                        //   Request Response Information 1
                    0x17, 0x00,                        //   Request Problem Information 0
                    0x26, str("a"), str("b"),          //   User Property a=b [MQTT-1.5.7-1]
                    0x15, str("SCRAM"),                //   Authentication Method
                    0x16, 0x00, 0x02, 0x01, 0x02,      //   Authentication Data 01 02
                    str("node-7"),                     // client id [MQTT-3.1.3-1: order]
                    37,                                // will property length 37 [MQTT-3.1.2-9]
                    0x18, 0x00, 0x00, 0x00, 0x0A,      //   Will Delay Interval 10
                    0x01, 0x01,                        //   Payload Format Indicator 1 (UTF-8)
                    0x02, 0x00, 0x00, 0x00, 0x3C,      //   Message Expiry Interval 60
                    0x03, str("text"),                 //   Content Type
                    0x08, str("r/1"),                  //   Response Topic
                    0x09, 0x00, 0x02, 0xAB, 0xCD,      //   Correlation Data
                    0x26, str("k"), str("v"),          //   User Property k=v
                    str("n/7/status"),                 // will topic [MQTT-3.1.3-11]
                    0x00, 0x07, "offline",             // will payload
                    str("u"),                          // user name [MQTT-3.1.2-17, MQTT-3.1.3-12]
                    0x00, 0x02, "pw"),                 // password [MQTT-3.1.2-19]
                () -> ConnectEncoder.length(fullConnect(), connectProperties(), willProperties()),
                (dst, off) -> ConnectEncoder.encode(dst, off, fullConnect(), connectProperties(), willProperties()),
                d -> {
                    ServerConnectView c = d.connect;
                    assertFalse(c.cleanStart());
                    assertEquals(30, c.keepAliveSeconds);
                    assertEquals(3600, c.properties.intValue(Property.SESSION_EXPIRY_INTERVAL, -1));
                    assertEquals(20, c.properties.intValue(Property.RECEIVE_MAXIMUM, -1));
                    assertEquals(4096, c.properties.intValue(Property.MAXIMUM_PACKET_SIZE, -1));
                    assertEquals("SCRAM", c.properties.text(Property.AUTHENTICATION_METHOD).toString());
                    assertEquals(2, c.properties.valueLength(Property.AUTHENTICATION_DATA));
                    assertTrue(c.hasWill() && c.willRetain() && c.willQos() == 1);
                    assertEquals(10, c.willProperties.intValue(Property.WILL_DELAY_INTERVAL, -1));
                    assertEquals("r/1", c.willProperties.text(Property.RESPONSE_TOPIC).toString());
                    assertEquals("n/7/status", text(c.buf, c.willTopicOffset, c.willTopicLength));
                    assertEquals("offline", text(c.buf, c.willPayloadOffset, c.willPayloadLength));
                    assertEquals("u", text(c.buf, c.userNameOffset, c.userNameLength));
                    assertEquals("pw", text(c.buf, c.passwordOffset, c.passwordLength));
                },
                "MQTT-3.1.3-1", "MQTT-3.1.2-9", "MQTT-3.1.2-12", "MQTT-3.1.2-17", "MQTT-3.1.2-19", "MQTT-3.1.3-11",
                "MQTT-3.1.3-12", "MQTT-1.5.7-1"),
            new Fixture("CONNECT level 3 (MQTT 3.1, MQIsdp)", false, of(
                    0x10, 18,                          // CONNECT, remaining length 18
                    str("MQIsdp"), 0x03,               // protocol name "MQIsdp", level 3
                    0x02,                              // flags: clean session
                    0x00, 0x3C,                        // keep alive 60 s
                    str("wren")),                      // client id (no properties before level 5)
                () -> dev.wren.mqtt.codec.ConnectEncoder.length(level(3)),
                (dst, off) -> dev.wren.mqtt.codec.ConnectEncoder.encode(dst, off, level(3)),
                d -> {
                    assertEquals(3, d.connect.level);
                    assertEquals("wren", text(d.connect.buf, d.connect.clientIdOffset, d.connect.clientIdLength));
                }),
            new Fixture("CONNECT level 4 (MQTT 3.1.1) through the same peer", false, of(
                    0x10, 16, str("MQTT"), 0x04, 0x02, 0x00, 0x3C, str("wren")),
                () -> dev.wren.mqtt.codec.ConnectEncoder.length(level(4)),
                (dst, off) -> dev.wren.mqtt.codec.ConnectEncoder.encode(dst, off, level(4)),
                d -> assertEquals(4, d.connect.level)),
            new Fixture("CONNACK success, no properties", true, of(
                    0x20, 0x03,                        // CONNACK, remaining length 3
                    0x00,                              // acknowledge flags: session present 0 [MQTT-3.2.2-1]
                    0x00,                              // reason code Success
                    0x00),                             // property length 0 [MQTT-2.2.2-1]
                () -> ServerEncoders.connackLength(null),
                (dst, off) -> ServerEncoders.encodeConnack(dst, off, false, 0, null),
                d -> {
                    assertFalse(d.connack.sessionPresent());
                    assertEquals(ReasonCode.SUCCESS, d.connack.reasonCode());
                    assertFalse(d.connack.properties().has(Property.RECEIVE_MAXIMUM));
                    assertEquals(65535, d.connack.properties().intValue(Property.RECEIVE_MAXIMUM, 65535));
                },
                "MQTT-3.2.2-1", "MQTT-2.2.2-1"),
            new Fixture("CONNACK with every CONNACK property", true, of(
                    0x20, 67,                          // CONNACK, remaining length 67
                    0x01, 0x00,                        // session present, Success
                    64,                                // property length 64
                    0x11, 0x00, 0x00, 0x00, 0x00,      //   Session Expiry Interval 0
                    0x21, 0x00, 0x64,                  //   Receive Maximum 100
                    0x24, 0x01,                        //   Maximum QoS 1
                    0x25, 0x00,                        //   Retain Available 0
                    0x27, 0x00, 0x01, 0x00, 0x00,      //   Maximum Packet Size 65536
                    0x12, str("c1"),                   //   Assigned Client Identifier
                    0x22, 0x00, 0x05,                  //   Topic Alias Maximum 5
                    0x1F, str("ok"),                   //   Reason String
                    0x26, str("x"), str("y"),          //   User Property
                    0x28, 0x01,                        //   Wildcard Subscription Available
                    0x29, 0x01,                        //   Subscription Identifiers Available
                    0x2A, 0x00,                        //   Shared Subscription Available 0
                    0x13, 0x00, 0x78,                  //   Server Keep Alive 120
                    0x1A, str("ri"),                   //   Response Information
                    0x1C, str("s2"),                   //   Server Reference
                    0x15, str("M"),                    //   Authentication Method
                    0x16, 0x00, 0x01, 0x01),           //   Authentication Data 01
                () -> ServerEncoders.connackLength(connackProperties()),
                (dst, off) -> ServerEncoders.encodeConnack(dst, off, true, 0, connackProperties()),
                d -> {
                    PropertiesView p = d.connack.properties();
                    assertTrue(d.connack.sessionPresent());
                    assertEquals(100, p.intValue(Property.RECEIVE_MAXIMUM, -1));
                    assertEquals(1, p.intValue(Property.MAXIMUM_QOS, -1));
                    assertEquals(0, p.intValue(Property.RETAIN_AVAILABLE, -1));
                    assertEquals(65536, p.intValue(Property.MAXIMUM_PACKET_SIZE, -1));
                    assertEquals(120, p.intValue(Property.SERVER_KEEP_ALIVE, -1));
                    assertEquals("c1", p.text(Property.ASSIGNED_CLIENT_IDENTIFIER).toString());
                    assertEquals("s2", p.text(Property.SERVER_REFERENCE).toString());
                },
                new String[0]),
            new Fixture("CONNACK refused: Bad User Name or Password", true, of(
                    0x20, 0x03, 0x00, 0x86, 0x00),     // session present 0, reason 0x86, no properties
                () -> ServerEncoders.connackLength(null),
                (dst, off) -> ServerEncoders.encodeConnack(dst, off, false, ReasonCode.BAD_USER_NAME_OR_PASSWORD, null),
                d -> assertEquals("Bad User Name or Password",
                        ReasonCode.name(PacketType.CONNACK, d.connack.reasonCode()))),
            new Fixture("PUBLISH QoS 0, no properties", true, of(
                    0x30, 10,                          // PUBLISH, QoS 0, remaining length 10
                    str("a/b"),                        // topic name [MQTT-3.3.2-1]
                    0x00,                              // property length 0; no packet id at QoS 0 [MQTT-2.2.1-2]
                    "21.5"),                           // payload
                () -> PublishEncoder.length(3, 0, null, 4),
                (dst, off) -> PublishEncoder.encode(dst, off, "a/b", 0, false, false, 0, null, PAYLOAD, 0, 4),
                d -> {
                    assertEquals(0, d.publish.packetId());
                    assertEquals("a/b", d.publish.topic().toString());
                    assertEquals(4, d.publish.payloadLength());
                },
                "MQTT-2.2.1-2", "MQTT-3.3.2-1", "MQTT-3.3.1-2"),
            new Fixture("PUBLISH QoS 1 retained with properties, two Subscription Identifiers", true, of(
                    0x33, 49,                          // PUBLISH, QoS 1, RETAIN, remaining length 49
                    str("a/b"),                        // topic name
                    0x00, 0x07,                        // packet identifier 7
                    37,                                // property length 37
                    0x01, 0x01,                        //   Payload Format Indicator 1
                    0x02, 0x00, 0x00, 0x00, 0x3C,      //   Message Expiry Interval 60
                    0x23, 0x00, 0x03,                  //   Topic Alias 3 [MQTT-3.3.2-8: not 0]
                    0x08, str("r/1"),                  //   Response Topic [MQTT-3.3.2-13, MQTT-3.3.2-14]
                    0x09, 0x00, 0x02, 0xAB, 0xCD,      //   Correlation Data
                    0x26, str("k"), str("v"),          //   User Property
                    0x0B, 0xC8, 0x01,                  //   Subscription Identifier 200 (2-byte VBI)
                    0x0B, 0x01,                        //   Subscription Identifier 1
                    0x03, str("t"),                    //   Content Type [MQTT-3.3.2-19]
                    "21.5"),                           // payload, valid UTF-8
                () -> PublishEncoder.length(3, 1, publishProperties(), 4),
                (dst, off) -> PublishEncoder.encode(dst, off, "a/b", 1, true, false, 7, publishProperties(),
                        PAYLOAD, 0, 4),
                d -> {
                    PropertiesView p = d.publish.properties();
                    assertEquals(7, d.publish.packetId());
                    assertTrue(d.publish.retain());
                    assertEquals(3, p.intValue(Property.TOPIC_ALIAS, 0));
                    assertEquals(200, p.intValue(Property.SUBSCRIPTION_IDENTIFIER, 0));
                    int ids = 0;
                    for (p.reset(); p.next(); ) {
                        ids += p.id() == Property.SUBSCRIPTION_IDENTIFIER ? p.intValue() : 0;
                    }
                    assertEquals(201, ids);
                    assertEquals(0, d.publish.checkPayloadFormat());
                },
                "MQTT-3.3.2-8", "MQTT-3.3.2-13", "MQTT-3.3.2-14", "MQTT-3.3.2-19", "MQTT-1.5.5-1"),
            new Fixture("PUBLISH QoS 2 DUP with a Topic Alias and an empty topic", true, of(
                    0x3C, 9,                           // PUBLISH, DUP, QoS 2, remaining length 9
                    0x00, 0x00,                        // empty topic name: the alias stands for it (§3.3.2.3.4)
                    0x12, 0x34,                        // packet identifier 0x1234
                    0x03, 0x23, 0x00, 0x01,            // property length 3: Topic Alias 1
                    0x7F),                             // payload
                () -> PublishEncoder.length(0, 2, alias(1), 1),
                (dst, off) -> PublishEncoder.encode(dst, off, "", 2, false, true, 0x1234, alias(1),
                        new byte[] {0x7F}, 0, 1),
                d -> {
                    assertTrue(d.publish.dup());
                    assertEquals(0, d.publish.topicLength());
                    assertEquals(1, d.publish.properties().intValue(Property.TOPIC_ALIAS, 0));
                },
                new String[0]),
            ack("PUBACK short form", PacketType.PUBACK, 0, null, of(0x40, 0x02, 0x00, 0x07)),
            ack("PUBACK No matching subscribers, no properties", PacketType.PUBACK,
                    ReasonCode.NO_MATCHING_SUBSCRIBERS, null, of(0x40, 0x03, 0x00, 0x07, 0x10), "MQTT-3.4.2-1"),
            ack("PUBACK Not authorized with properties", PacketType.PUBACK, ReasonCode.NOT_AUTHORIZED,
                    reasonProperties(PacketType.PUBACK), of(0x40, 16, 0x00, 0x07, 0x87, 12, 0x1F, str("no"),
                            0x26, str("k"), str("v")), "MQTT-3.4.2-1"),
            ack("PUBREC short form", PacketType.PUBREC, 0, null, of(0x50, 0x02, 0x00, 0x07)),
            ack("PUBREC Quota exceeded with properties", PacketType.PUBREC, ReasonCode.QUOTA_EXCEEDED,
                    reasonProperties(PacketType.PUBREC), of(0x50, 16, 0x00, 0x07, 0x97, 12, 0x1F, str("no"),
                            0x26, str("k"), str("v")), "MQTT-3.5.2-1"),
            ack("PUBREL short form", PacketType.PUBREL, 0, null, of(0x62, 0x02, 0x00, 0x07), "MQTT-2.1.3-1"),
            ack("PUBREL Packet Identifier not found with properties", PacketType.PUBREL,
                    ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, reasonProperties(PacketType.PUBREL),
                    of(0x62, 16, 0x00, 0x07, 0x92, 12, 0x1F, str("no"), 0x26, str("k"), str("v")), "MQTT-3.6.2-1"),
            ack("PUBCOMP short form", PacketType.PUBCOMP, 0, null, of(0x70, 0x02, 0x00, 0x07)),
            ack("PUBCOMP Success with properties", PacketType.PUBCOMP, 0, reasonProperties(PacketType.PUBCOMP),
                    of(0x70, 16, 0x00, 0x07, 0x00, 12, 0x1F, str("no"), 0x26, str("k"), str("v")), "MQTT-3.7.2-1"),
            new Fixture("SUBSCRIBE with options and a shared subscription, no properties", false, of(
                    0x82, 24,                          // SUBSCRIBE, flags 0010 [MQTT-2.1.3-1], remaining length 24
                    0x00, 0x0A,                        // packet identifier 10
                    0x00,                              // property length 0
                    str("a/+"), 0x2D,                  // filter, options: QoS 1, No Local, RAP, Retain Handling 2
                    str("$share/g/s/#"), 0x12),        // shared filter [MQTT-4.8.2-1], QoS 2, Retain Handling 1
                () -> SubscribeEncoder.length(null, FILTERS, 2, true),
                (dst, off) -> SubscribeEncoder.encode(dst, off, 10, null, FILTERS, OPTIONS, 2),
                d -> {
                    assertEquals(10, d.subscribe.packetId);
                    assertEquals(2, d.subscribe.count);
                    assertEquals(0x2D, d.subscribe.options[0]);
                    assertEquals(0x12, d.subscribe.options[1]);
                },
                "MQTT-3.8.3-1", "MQTT-3.8.3-2", "MQTT-4.8.2-1", "MQTT-4.8.2-2", "MQTT-4.7.1-1", "MQTT-4.7.1-2"),
            new Fixture("SUBSCRIBE with a Subscription Identifier and a User Property", false, of(
                    0x82, 17,                          // SUBSCRIBE, remaining length 17
                    0x00, 0x0B,                        // packet identifier 11
                    10,                                // property length 10
                    0x0B, 0x80, 0x01,                  //   Subscription Identifier 128 (2-byte VBI)
                    0x26, str("k"), str("v"),          //   User Property
                    str("x"), 0x00),                   // filter "x", QoS 0
                () -> SubscribeEncoder.length(subscribeProperties(), new CharSequence[] {"x"}, 1, true),
                (dst, off) -> SubscribeEncoder.encode(dst, off, 11, subscribeProperties(),
                        new CharSequence[] {"x"}, new int[] {0}, 1),
                d -> assertEquals(128, d.subscribe.properties.intValue(Property.SUBSCRIPTION_IDENTIFIER, 0)),
                "MQTT-1.5.5-1"),
            new Fixture("SUBACK with reason codes, no properties", true, of(
                    0x90, 0x06,                        // SUBACK, remaining length 6
                    0x00, 0x0A,                        // packet identifier 10
                    0x00,                              // property length 0
                    0x01, 0x9E, 0xA2),                 // Granted QoS 1, Shared not supported, Wildcard not supported
                () -> ServerEncoders.subackLength(null, 3),
                (dst, off) -> ServerEncoders.encodeSuback(dst, off, PacketType.SUBACK, 10, null,
                        new int[] {1, 0x9E, 0xA2}, 3),
                d -> {
                    assertEquals(3, d.suback.count());
                    assertEquals(0xA2, d.suback.reasonCode(2));
                },
                "MQTT-3.8.4-7"),
            new Fixture("SUBACK with properties", true, of(
                    0x90, 16, 0x00, 0x0A, 12, 0x1F, str("no"), 0x26, str("k"), str("v"), 0x80),
                () -> ServerEncoders.subackLength(reasonProperties(PacketType.SUBACK), 1),
                (dst, off) -> ServerEncoders.encodeSuback(dst, off, PacketType.SUBACK, 10,
                        reasonProperties(PacketType.SUBACK), new int[] {0x80}, 1),
                d -> assertEquals("no", d.suback.properties().text(Property.REASON_STRING).toString())),
            new Fixture("UNSUBSCRIBE, no properties", false, of(
                    0xA2, 11,                          // UNSUBSCRIBE, flags 0010, remaining length 11
                    0x00, 0x0C,                        // packet identifier 12
                    0x00,                              // property length 0
                    str("a/+"), str("#")),             // filters [MQTT-3.10.3-1]
                () -> SubscribeEncoder.length(null, new CharSequence[] {"a/+", "#"}, 2, false),
                (dst, off) -> SubscribeEncoder.encodeUnsubscribe(dst, off, 12, null,
                        new CharSequence[] {"a/+", "#"}, 2),
                d -> assertEquals(2, d.subscribe.count),
                "MQTT-3.10.3-1", "MQTT-3.10.3-2"),
            new Fixture("UNSUBSCRIBE with a User Property", false, of(
                    0xA2, 13, 0x00, 0x0C, 7, 0x26, str("k"), str("v"), str("#")),
                () -> SubscribeEncoder.length(userProperty(PacketType.UNSUBSCRIBE), new CharSequence[] {"#"}, 1,
                        false),
                (dst, off) -> SubscribeEncoder.encodeUnsubscribe(dst, off, 12, userProperty(PacketType.UNSUBSCRIBE),
                        new CharSequence[] {"#"}, 1),
                d -> assertTrue(d.subscribe.properties.has(Property.USER_PROPERTY))),
            new Fixture("UNSUBACK with reason codes, no properties", true, of(
                    0xB0, 0x05,                        // UNSUBACK, remaining length 5
                    0x00, 0x0C, 0x00,                  // packet identifier 12, property length 0
                    0x00, 0x11),                       // Success, No subscription existed
                () -> ServerEncoders.subackLength(null, 2),
                (dst, off) -> ServerEncoders.encodeSuback(dst, off, PacketType.UNSUBACK, 12, null,
                        new int[] {0, 0x11}, 2),
                d -> assertEquals(0x11, d.suback.reasonCode(1)),
                new String[0]),
            new Fixture("UNSUBACK with properties", true, of(
                    0xB0, 16, 0x00, 0x0C, 12, 0x1F, str("no"), 0x26, str("k"), str("v"), 0x87),
                () -> ServerEncoders.subackLength(reasonProperties(PacketType.UNSUBACK), 1),
                (dst, off) -> ServerEncoders.encodeSuback(dst, off, PacketType.UNSUBACK, 12,
                        reasonProperties(PacketType.UNSUBACK), new int[] {0x87}, 1),
                d -> assertEquals(0x87, d.suback.reasonCode(0))),
            new Fixture("PINGREQ", false, of(0xC0, 0x00),
                () -> EmptyPacketEncoder.LENGTH,
                (dst, off) -> EmptyPacketEncoder.encode(dst, off, PacketType.PINGREQ),
                d -> assertEquals(PacketType.PINGREQ, d.header.type())),
            new Fixture("PINGRESP", true, of(0xD0, 0x00),
                () -> EmptyPacketEncoder.LENGTH,
                (dst, off) -> EmptyPacketEncoder.encode(dst, off, PacketType.PINGRESP),
                d -> assertEquals(PacketType.PINGRESP, d.header.type())),
            reason("DISCONNECT normal, short form", PacketType.DISCONNECT, 0, null, of(0xE0, 0x00), "MQTT-3.14.1-1"),
            reason("DISCONNECT with Will Message, reason only", PacketType.DISCONNECT,
                    ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, null, of(0xE0, 0x01, 0x04)),
            reason("DISCONNECT Session taken over with properties", PacketType.DISCONNECT,
                    ReasonCode.SESSION_TAKEN_OVER, disconnectProperties(),
                    of(0xE0, 24,                       // DISCONNECT, remaining length 24
                            0x8E,                      // Session taken over
                            22,                        // property length 22
                            0x11, 0x00, 0x00, 0x00, 0x00, //   Session Expiry Interval 0
                            0x1C, str("s2"),           //   Server Reference
                            0x1F, str("no"),           //   Reason String
                            0x26, str("k"), str("v"))), //  User Property
            reason("AUTH success, short form", PacketType5.AUTH, 0, null, of(0xF0, 0x00), "MQTT-3.15.1-1"),
            reason("AUTH Continue authentication with properties", PacketType5.AUTH,
                    ReasonCode.CONTINUE_AUTHENTICATION, authProperties(),
                    of(0xF0, 26,                       // AUTH, flags 0 [MQTT-3.15.1-1], remaining length 26
                            0x18,                      // Continue authentication
                            24,                        // property length 24
                            0x15, str("SCRAM"),        //   Authentication Method
                            0x16, 0x00, 0x02, 0x01, 0x02, // Authentication Data
                            0x1F, str("c"),            //   Reason String
                            0x26, str("k"), str("v")), //   User Property
                    "MQTT-3.15.2-1"));
    }

    static ConnectFields level(int level) {
        ConnectFields f = minimalConnect();
        f.protocolLevel = level;
        return f;
    }

    static PropertiesWriter alias(int alias) {
        return new PropertiesWriter().wrap(new byte[8], 0, PacketType.PUBLISH).putInt(Property.TOPIC_ALIAS, alias);
    }

    static PropertiesWriter subscribeProperties() {
        return new PropertiesWriter().wrap(new byte[16], 0, PacketType.SUBSCRIBE)
                .putInt(Property.SUBSCRIPTION_IDENTIFIER, 128).putUserProperty("k", "v");
    }

    static PropertiesWriter userProperty(int packetType) {
        return new PropertiesWriter().wrap(new byte[16], 0, packetType).putUserProperty("k", "v");
    }

    static PropertiesWriter disconnectProperties() {
        return new PropertiesWriter().wrap(new byte[32], 0, PacketType.DISCONNECT)
                .putInt(Property.SESSION_EXPIRY_INTERVAL, 0)
                .putString(Property.SERVER_REFERENCE, "s2")
                .putString(Property.REASON_STRING, "no")
                .putUserProperty("k", "v");
    }

    static PropertiesWriter authProperties() {
        return new PropertiesWriter().wrap(new byte[32], 0, PacketType5.AUTH)
                .putString(Property.AUTHENTICATION_METHOD, "SCRAM")
                .putBinary(Property.AUTHENTICATION_DATA, AUTH_DATA, 0, 2)
                .putString(Property.REASON_STRING, "c")
                .putUserProperty("k", "v");
    }

    private static Fixture ack(String name, int type, int code, PropertiesWriter props, byte[] frame,
            String... covers) {
        return new Fixture(name, true, frame,
                () -> AckEncoder.length(code, props),
                (dst, off) -> AckEncoder.encode(dst, off, type, 7, code, props),
                d -> {
                    assertEquals(7, d.ack.packetId());
                    assertEquals(code, d.ack.reasonCode());
                    assertEquals(props != null, d.ack.properties().has(Property.REASON_STRING));
                },
                covers);
    }

    private static Fixture reason(String name, int type, int code, PropertiesWriter props, byte[] frame,
            String... covers) {
        return new Fixture(name, true, frame,
                () -> ReasonPacketEncoder.length(code, props),
                (dst, off) -> ReasonPacketEncoder.encode(dst, off, type, code, props),
                d -> {
                    assertEquals(code, d.reason.reasonCode());
                    assertEquals(props != null, d.reason.properties().has(Property.REASON_STRING));
                },
                covers);
    }

    static String text(byte[] buf, int off, int len) {
        return new String(buf, off, len, StandardCharsets.UTF_8);
    }
}
