package dev.wren.mqtt.it5;

import dev.wren.mqtt.MqttConfig;
import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.ConnectFields;
import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.codec.v5.AckView;
import dev.wren.mqtt.codec.v5.ConnackView;
import dev.wren.mqtt.codec.v5.ConnectEncoder;
import dev.wren.mqtt.codec.v5.PropertiesView;
import dev.wren.mqtt.codec.v5.PropertiesWriter;
import dev.wren.mqtt.codec.v5.Property;
import dev.wren.mqtt.codec.v5.PublishEncoder;
import dev.wren.mqtt.codec.v5.PublishView;
import dev.wren.mqtt.codec.v5.ReasonCode;
import dev.wren.mqtt.codec.v5.ReasonPacketEncoder;
import dev.wren.mqtt.codec.v5.SubackView;
import dev.wren.mqtt.codec.v5.SubscribeEncoder;
import dev.wren.mqtt.internal.Connect5;
import dev.wren.mqtt.testing.HiveMqBroker;
import dev.wren.mqtt.testing.MosquittoExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MQTT 5.0 codec against two real 5.0 brokers, mosquitto 2.0 and HiveMQ CE, over a plain TCP transport with no
 * session: what the encoders write is accepted, and what the brokers send back decodes, properties included
 * (issue 15's real peers; issue 16's groundwork). Every test runs once per broker; each uses topics of its own.
 */
class Codec5InteropTest {

    @RegisterExtension
    static final MosquittoExtension MOSQUITTO = MosquittoExtension.builder().build();
    @RegisterExtension
    static final HiveMqBroker HIVEMQ = HiveMqBroker.perClass();

    private static final byte[] CORRELATION = {0x01, 0x02, 0x03, (byte) 0xFF};

    @Test
    void mosquittoAcceptsProtocolLevel5() throws IOException {
        try (Wire5Client c = connect("mosquitto", "wren-p5", null, null)) {
            c.ping();
        }
        assertTrue(MOSQUITTO.log().contains("as wren-p5 (p5"), "mosquitto log shows protocol 5:\n" + MOSQUITTO.log());
    }

    /** MQTT 3.1 (protocol "MQIsdp", level 3) from the same codec: both brokers still take it. */
    @ParameterizedTest
    @ValueSource(strings = {"mosquitto", "hivemq"})
    void mqtt31ConnectIsAccepted(String broker) throws IOException {
        try (Wire5Client c = new Wire5Client(broker + "/mqtt31", "127.0.0.1", port(broker))) {
            ConnectFields f = new ConnectFields();
            f.protocolLevel = dev.wren.mqtt.codec.ConnectEncoder.PROTOCOL_LEVEL_3_1;
            f.clientId = "wren-mqtt31";
            f.keepAliveSeconds = 60;
            c.send(dev.wren.mqtt.codec.ConnectEncoder.encode(c.tx, 0, f));
            c.expect(PacketType.CONNACK);
            dev.wren.mqtt.codec.ConnackView connack = new dev.wren.mqtt.codec.ConnackView();
            assertEquals("OK", CodecStatus.name(connack.decode(c.buffer(), c.bodyOffset(), c.bodyLength())));
            assertEquals(dev.wren.mqtt.codec.ConnackView.ACCEPTED, connack.returnCode(), c.name + ": return code");
        }
        if (broker.equals("mosquitto")) {
            // mosquitto's log numbers protocols by its own enum: p1 MQTT 3.1, p2 MQTT 3.1.1, p5 MQTT 5.0
            assertTrue(MOSQUITTO.log().contains("as wren-mqtt31 (p1"), "mosquitto log shows MQTT 3.1:\n"
                    + MOSQUITTO.log());
        }
    }

    /** CONNECT with every client limit and a user property; CONNACK's properties decoded and printed. */
    @ParameterizedTest
    @ValueSource(strings = {"mosquitto", "hivemq"})
    void connectWithPropertiesIsAcceptedAndConnackDecodes(String broker) throws IOException {
        PropertiesWriter props = new PropertiesWriter().wrap(new byte[256], 0, PacketType.CONNECT)
                .putInt(Property.SESSION_EXPIRY_INTERVAL, 30)
                .putInt(Property.RECEIVE_MAXIMUM, 20)
                .putInt(Property.MAXIMUM_PACKET_SIZE, 65536)
                .putInt(Property.TOPIC_ALIAS_MAXIMUM, 5)
                .putInt(Property.REQUEST_PROBLEM_INFORMATION, 1)
                .putInt(Property.REQUEST_RESPONSE_INFORMATION, 0)
                .putUserProperty("node", "wren");
        ConnackView connack = new ConnackView();
        try (Wire5Client c = connect(broker, "", props, connack)) {
            PropertiesView p = connack.properties();
            System.out.println("CONNACK from " + broker + ": reason 0x" + Integer.toHexString(connack.reasonCode())
                    + " (" + ReasonCode.name(PacketType.CONNACK, connack.reasonCode()) + "), session present "
                    + connack.sessionPresent() + ", properties:\n" + Wire5Client.describe(p));
            assertFalse(connack.sessionPresent(), "clean start: no session [MQTT-3.2.2-2]");
            assertTrue(p.valueLength(Property.ASSIGNED_CLIENT_IDENTIFIER) > 0,
                    "empty client id: the server assigns one [MQTT-3.2.2-16]");
            // absent means the spec's default: receive maximum 65535, maximum QoS 2, retain available
            assertTrue(p.intValue(Property.RECEIVE_MAXIMUM, 65535) >= 1);
            assertTrue(p.intValue(Property.MAXIMUM_QOS, 2) >= 1, "both brokers take QoS 1 at least");
            assertEquals(1, p.intValue(Property.RETAIN_AVAILABLE, 1), "both brokers keep retained messages");
            assertTrue(p.intValue(Property.TOPIC_ALIAS_MAXIMUM, 0) >= 0);
            c.ping();
        }
    }

    /** PUBLISH at QoS 0, 1 and 2 with every message property; each acknowledged and echoed with the properties. */
    @ParameterizedTest
    @ValueSource(strings = {"mosquitto", "hivemq"})
    void publishAtEachQosIsEchoedWithItsProperties(String broker) throws IOException {
        String topic = "wren/it5/" + broker + "/msg";
        try (Wire5Client sub = connect(broker, "wren-sub-" + broker, null, null);
                Wire5Client pub = connect(broker, "wren-pub-" + broker, null, null)) {
            subscribe(sub, 1, new String[]{topic}, new int[]{SubscribeEncoder.options(2, false, false, 0)},
                    ReasonCode.GRANTED_QOS_2);
            AckView ack = new AckView();
            for (int qos = 0; qos <= 2; qos++) {
                PropertiesWriter props = messageProperties(PacketType.PUBLISH, topic + "/reply");
                byte[] payload = ("m" + qos).getBytes(StandardCharsets.UTF_8);
                pub.send(PublishEncoder.encode(pub.tx, 0, topic, qos, false, false, 10 + qos, props, payload, 0,
                        payload.length));
                if (qos == 1) {
                    pub.expect(PacketType.PUBACK).ack(ack, PacketType.PUBACK);
                    assertEquals(11, ack.packetId());
                    assertEquals(ReasonCode.SUCCESS, ack.reasonCode(), "a subscriber matched");
                } else if (qos == 2) {
                    pub.expect(PacketType.PUBREC).ack(ack, PacketType.PUBREC);
                    assertEquals(12, ack.packetId());
                    assertEquals(ReasonCode.SUCCESS, ack.reasonCode());
                    pub.sendAck(PacketType.PUBREL, 12);
                    pub.expect(PacketType.PUBCOMP).ack(ack, PacketType.PUBCOMP);
                    assertEquals(12, ack.packetId());
                    assertEquals(ReasonCode.SUCCESS, ack.reasonCode());
                }
            }
            List<String> got = receive(sub, 3, topic + "/reply");
            // sorted: order is promised within a QoS only (§4.6), and HiveMQ may forward QoS 0 after QoS 1
            Collections.sort(got);
            assertEquals(Arrays.asList(topic + " q0 m0", topic + " q1 m1", topic + " q2 m2"), got);
        }
    }

    /** No local: one's own message is not echoed; retain handling 2: no retained message at subscribe. */
    @ParameterizedTest
    @ValueSource(strings = {"mosquitto", "hivemq"})
    void subscriptionOptionsNoLocalAndRetainHandling2AreHonoured(String broker) throws IOException {
        String own = "wren/it5/" + broker + "/nolocal";
        String retained = "wren/it5/" + broker + "/retained";
        try (Wire5Client sub = connect(broker, "wren-opt-sub-" + broker, null, null);
                Wire5Client pub = connect(broker, "wren-opt-pub-" + broker, null, null)) {
            AckView ack = new AckView();
            byte[] old = "old".getBytes(StandardCharsets.UTF_8);
            pub.send(PublishEncoder.encode(pub.tx, 0, retained, 1, true, false, 1, null, old, 0, old.length));
            pub.expect(PacketType.PUBACK);

            subscribe(sub, 2, new String[]{own, retained}, new int[]{
                    SubscribeEncoder.options(1, true, false, SubscribeEncoder.SEND_RETAINED),
                    SubscribeEncoder.options(1, false, false, SubscribeEncoder.DO_NOT_SEND_RETAINED)},
                    ReasonCode.GRANTED_QOS_1);
            byte[] mine = "mine".getBytes(StandardCharsets.UTF_8);
            sub.send(PublishEncoder.encode(sub.tx, 0, own, 1, false, false, 3, null, mine, 0, mine.length));
            sub.expect(PacketType.PUBACK).ack(ack, PacketType.PUBACK);
            assertEquals(3, ack.packetId());

            byte[] other = "other".getBytes(StandardCharsets.UTF_8);
            byte[] fresh = "new".getBytes(StandardCharsets.UTF_8);
            pub.send(PublishEncoder.encode(pub.tx, 0, own, 1, false, false, 4, null, other, 0, other.length));
            pub.expect(PacketType.PUBACK);
            pub.send(PublishEncoder.encode(pub.tx, 0, retained, 1, false, false, 5, null, fresh, 0, fresh.length));
            pub.expect(PacketType.PUBACK);

            // the retained "old" would come right after SUBACK, "mine" before "other": both would be read first
            List<String> got = receive(sub, 2, null);
            Collections.sort(got);
            assertEquals(Arrays.asList(own + " q1 other", retained + " q1 new"), got);

            byte[] none = new byte[0];
            pub.send(PublishEncoder.encode(pub.tx, 0, retained, 1, true, false, 6, null, none, 0, 0));
            pub.expect(PacketType.PUBACK);
        }
    }

    /** DISCONNECT with reason 0x04 makes the broker publish the will, with its properties, after the will delay. */
    @ParameterizedTest
    @ValueSource(strings = {"mosquitto", "hivemq"})
    void disconnectWithWillMessageDeliversTheWillWithItsProperties(String broker) throws IOException {
        String willTopic = "wren/it5/" + broker + "/will";
        try (Wire5Client sub = connect(broker, "wren-will-sub-" + broker, null, null)) {
            subscribe(sub, 1, new String[]{willTopic}, new int[]{SubscribeEncoder.options(1, false, false, 0)},
                    ReasonCode.GRANTED_QOS_1);
            ConnectFields f = new ConnectFields();
            f.willTopic = willTopic;
            f.willPayload = "gone".getBytes(StandardCharsets.UTF_8);
            f.willPayloadLength = f.willPayload.length;
            f.willQos = 1;
            PropertiesWriter willProps = messageProperties(Property.WILL, willTopic + "/reply")
                    .putInt(Property.WILL_DELAY_INTERVAL, 1);
            // session expiry 0 (absent): the session ends at DISCONNECT, so the will goes then at the latest
            try (Wire5Client pub = connect(broker, "wren-will-pub-" + broker, null, f, willProps, null)) {
                pub.send(ReasonPacketEncoder.encode(pub.tx, 0, PacketType.DISCONNECT,
                        ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, null));
            }
            assertEquals(Collections.singletonList(willTopic + " q1 gone"), receive(sub, 1, willTopic + "/reply"));
        }
    }

    /** The CONNECT that {@link Connect5} makes of a config with every 5.0 option is accepted; its will arrives. */
    @ParameterizedTest
    @ValueSource(strings = {"mosquitto", "hivemq"})
    void connectFromTheConfigIsAcceptedAndItsWillDelivered(String broker) throws IOException {
        String willTopic = "wren/it5/" + broker + "/config-will";
        try (Wire5Client sub = connect(broker, "wren-cfg-sub-" + broker, null, null)) {
            subscribe(sub, 1, new String[]{willTopic}, new int[]{SubscribeEncoder.options(1, false, false, 0)},
                    ReasonCode.GRANTED_QOS_1);
            MqttConfig config = MqttConfig.builder().host("127.0.0.1").protocolVersion(MqttConfig.MQTT_5)
                    .clientId("wren-cfg-" + broker).keepAliveSeconds(30).receiveMaximum(20).maximumPacketSize(65536)
                    .topicAliasMaximum(5).requestProblemInformation(false).userProperty("node", "wren")
                    .will(willTopic, "gone".getBytes(StandardCharsets.UTF_8), 1, false)
                    .willProperties(1, 60, true, "text/plain; charset=utf-8", willTopic + "/reply", CORRELATION)
                    .willUserProperty("wren", "it5").build();
            try (Wire5Client c = new Wire5Client(broker + "/config", "127.0.0.1", port(broker))) {
                byte[] connect = Connect5.encode(config, true);
                System.arraycopy(connect, 0, c.tx, 0, connect.length);
                c.send(connect.length);
                ConnackView connack = new ConnackView();
                c.expect(PacketType.CONNACK);
                assertEquals("OK", CodecStatus.name(connack.decode(c.buffer(), c.bodyOffset(), c.bodyLength())));
                assertEquals(ReasonCode.SUCCESS, connack.reasonCode(),
                        ReasonCode.name(PacketType.CONNACK, connack.reasonCode()));
                c.send(ReasonPacketEncoder.encode(c.tx, 0, PacketType.DISCONNECT,
                        ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, null));
            }
            assertEquals(Collections.singletonList(willTopic + " q1 gone"), receive(sub, 1, willTopic + "/reply"));
        }
    }

    // ---- helpers ----

    private static int port(String broker) {
        return broker.equals("mosquitto") ? MOSQUITTO.port() : HIVEMQ.port();
    }

    private static Wire5Client connect(String broker, String clientId, PropertiesWriter props, ConnackView connack)
            throws IOException {
        return connect(broker, clientId, props, null, null, connack);
    }

    private static Wire5Client connect(String broker, String clientId, PropertiesWriter props, ConnectFields will,
            PropertiesWriter willProps, ConnackView connack) throws IOException {
        Wire5Client c = new Wire5Client(broker + "/" + clientId, "127.0.0.1", port(broker));
        ConnectFields f = will == null ? new ConnectFields() : will;
        f.clientId = clientId;
        f.cleanSession = true;
        f.keepAliveSeconds = 60;
        c.send(ConnectEncoder.encode(c.tx, 0, f, props, willProps));
        ConnackView view = connack == null ? new ConnackView() : connack;
        c.expect(PacketType.CONNACK);
        assertEquals("OK", CodecStatus.name(view.decode(c.buffer(), c.bodyOffset(),
                c.bodyLength())), c.name + ": CONNACK decode");
        assertEquals(ReasonCode.SUCCESS, view.reasonCode(), c.name + ": CONNACK reason "
                + ReasonCode.name(PacketType.CONNACK, view.reasonCode()) + "\n" + Wire5Client.describe(view.properties()));
        return c;
    }

    private static void subscribe(Wire5Client c, int packetId, String[] filters, int[] options, int granted)
            throws IOException {
        c.send(SubscribeEncoder.encode(c.tx, 0, packetId, null, filters, options, filters.length));
        c.expect(PacketType.SUBACK);
        SubackView suback = new SubackView();
        assertEquals("OK", CodecStatus.name(suback.decode(c.buffer(), c.bodyOffset(),
                c.bodyLength(), PacketType.SUBACK)));
        assertEquals(packetId, suback.packetId());
        assertEquals(filters.length, suback.count());
        for (int i = 0; i < filters.length; i++) {
            assertEquals(granted, suback.reasonCode(i), c.name + ": SUBACK for " + filters[i]);
        }
    }

    /** Message Expiry 60 s, UTF-8 payload, content type, response topic, correlation data and a user property. */
    private static PropertiesWriter messageProperties(int packetType, String responseTopic) {
        return new PropertiesWriter().wrap(new byte[512], 0, packetType)
                .putInt(Property.PAYLOAD_FORMAT_INDICATOR, 1)
                .putInt(Property.MESSAGE_EXPIRY_INTERVAL, 60)
                .putString(Property.CONTENT_TYPE, "text/plain; charset=utf-8")
                .putString(Property.RESPONSE_TOPIC, responseTopic)
                .putBinary(Property.CORRELATION_DATA, CORRELATION, 0, CORRELATION.length)
                .putUserProperty("wren", "it5");
    }

    /**
     * Reads until {@code count} PUBLISHes arrived, acknowledging each as its QoS asks (PUBACK; PUBREC, then PUBCOMP
     * for the PUBREL), and returns them as {@code "topic qN payload"} in arrival order. With {@code responseTopic},
     * each must carry the properties of {@link #messageProperties}; topic aliases are resolved.
     */
    private static List<String> receive(Wire5Client c, int count, String responseTopic) throws IOException {
        List<String> got = new ArrayList<>();
        String[] aliases = new String[16];
        PublishView view = new PublishView();
        int awaitingPubrel = 0;
        while (got.size() < count || awaitingPubrel > 0) {
            c.next();
            if (c.type() == PacketType.PUBREL) {
                AckView rel = c.ack(new AckView(), PacketType.PUBREL);
                c.sendAck(PacketType.PUBCOMP, rel.packetId());
                awaitingPubrel--;
                continue;
            }
            assertEquals(PacketType.PUBLISH, c.type(), c.name + ": expected PUBLISH or PUBREL, got type " + c.type());
            c.publish(view);
            PropertiesView p = view.properties();
            String topic = view.topic().toString();
            int alias = p.intValue(Property.TOPIC_ALIAS, 0);
            if (alias > 0 && alias < aliases.length) {
                if (topic.isEmpty()) {
                    topic = aliases[alias];
                } else {
                    aliases[alias] = topic;
                }
            }
            String payload = new String(view.buffer(), view.payloadOffset(), view.payloadLength(),
                    StandardCharsets.UTF_8);
            if (responseTopic != null) {
                checkMessageProperties(c.name, p, responseTopic);
            }
            got.add(topic + " q" + view.qos() + " " + payload);
            if (view.qos() == 1) {
                c.sendAck(PacketType.PUBACK, view.packetId());
            } else if (view.qos() == 2) {
                c.sendAck(PacketType.PUBREC, view.packetId());
                awaitingPubrel++;
            }
        }
        return got;
    }

    private static void checkMessageProperties(String who, PropertiesView p, String responseTopic) {
        assertEquals(1, p.intValue(Property.PAYLOAD_FORMAT_INDICATOR, 0), who + ": payload format [MQTT-3.3.2-4]");
        int expiry = p.intValue(Property.MESSAGE_EXPIRY_INTERVAL, -1);
        assertTrue(expiry > 0 && expiry <= 60, who + ": message expiry " + expiry + " in 1..60 [MQTT-3.3.2-6]");
        assertEquals("text/plain; charset=utf-8", p.text(Property.CONTENT_TYPE).toString(), who + ": content type");
        assertEquals(responseTopic, p.text(Property.RESPONSE_TOPIC).toString(), who + ": response topic");
        assertArrayEquals(CORRELATION, Arrays.copyOfRange(p.buffer(), p.valueOffset(Property.CORRELATION_DATA),
                p.valueOffset(Property.CORRELATION_DATA) + p.valueLength(Property.CORRELATION_DATA)),
                who + ": correlation data");
        boolean userProperty = false;
        p.reset();
        while (p.next()) {
            if (p.id() == Property.USER_PROPERTY) {
                String key = new String(p.buffer(), p.keyOffset(), p.keyLength(), StandardCharsets.UTF_8);
                userProperty |= key.equals("wren") && p.valueText().toString().equals("it5");
            }
        }
        assertTrue(userProperty, who + ": user property wren=it5 forwarded [MQTT-3.3.2-17]\n" + Wire5Client.describe(p));
    }
}
