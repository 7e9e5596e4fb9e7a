package dev.wren.mqtt;

import dev.wren.mqtt.MqttException.Reason;
import dev.wren.mqtt.codec.v5.Property;
import dev.wren.mqtt.testing.Covers5;
import dev.wren.mqtt.testing.ScriptedTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static dev.wren.mqtt.testing.Bytes.of;
import static dev.wren.mqtt.testing.Bytes.str;
import static dev.wren.mqtt.testing.Packets.disconnect;
import static dev.wren.mqtt.testing.Packets.pingreq;
import static dev.wren.mqtt.testing.Packets.pingresp;
import static dev.wren.mqtt.testing.Packets.puback;
import static dev.wren.mqtt.testing.Packets.pubcomp;
import static dev.wren.mqtt.testing.Packets.pubrel;
import static dev.wren.mqtt.testing.Packets5.connack;
import static dev.wren.mqtt.testing.Packets5.connect;
import static dev.wren.mqtt.testing.Packets5.props;
import static dev.wren.mqtt.testing.Packets5.publish;
import static dev.wren.mqtt.testing.Packets5.pubrec;
import static dev.wren.mqtt.testing.Packets5.suback;
import static dev.wren.mqtt.testing.Packets5.subscribe;
import static dev.wren.mqtt.testing.Packets5.unsuback;
import static dev.wren.mqtt.testing.Packets5.unsubscribe;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The session at protocol 5 over scripted transports: what the CONNACK says is honoured, and what brokers will not
 * do on request (reason codes on acks, a small Receive Maximum or Maximum Packet Size, a DISCONNECT mid-flight).
 */
class Session5ScriptTest extends ScriptedSessionTest {

    /** What client "c" sends in its 5.0 CONNECT with the defaults: Receive Maximum = maxIncomingQos2 (64). */
    static final byte[] CONNECT_PROPS = props(0x21, 0, 64);

    MqttConfig.Builder config5() {
        return config().protocolVersion(MqttConfig.MQTT_5);
    }

    /** The next connection expects the 5.0 CONNECT of "c" and answers a CONNACK carrying {@code connackProps}. */
    ScriptedTransport accepted5(byte[] connackProps) {
        ScriptedTransport t = new ScriptedTransport(clock).expect(connect("c", false, 10, CONNECT_PROPS))
                .send(connack(false, 0, connackProps));
        factory.then(t);
        return t;
    }

    MqttClient connected(MqttConfig.Builder b) throws Exception {
        MqttClient client = new MqttClient(b.build());
        client.connect();
        return client;
    }

    private static byte[] payload(int n) {
        return new byte[n];
    }

    @Test
    void connackRefusalAtProtocol5IsAnExceptionNamingTheReasonCodeAndTheServersReasonString() {
        ScriptedTransport t = new ScriptedTransport(clock).expect(connect("c", false, 10, CONNECT_PROPS))
                .send(connack(false, 0x87, props(0x1F, str("user c may not connect"))));
        factory.then(t);
        MqttException e = assertThrows(MqttException.class, new MqttClient(config5().build())::connect);
        assertEquals(Reason.NOT_AUTHORIZED, e.reason());
        assertTrue(e.getMessage().contains("CONNACK reason code 0x87 Not authorized"), e.getMessage());
        assertTrue(e.getMessage().contains("user c may not connect"), e.getMessage());
        assertTrue(t.isClosed());
    }

    @Test
    @Covers5({"MQTT-3.2.2-21"})
    void serverKeepAliveReplacesTheConfiguredInterval() throws Exception {
        ScriptedTransport t = accepted5(props(0x13, 0, 3, 0x12, str("assigned-7"))); // Server Keep Alive 3 s
        MqttClient client = connected(config5());
        assertEquals("assigned-7", client.assignedClientId());
        t.expect(pingreq()).send(pingresp());
        long start = clock.nanoTime();
        client.poll(2_900); // the configured 10 s would send nothing for 10 s either
        assertFalse(t.isFinished(), "no PINGREQ before the server's 3 s");
        client.poll(200);
        assertTrue(clock.millisSince(start) <= 3_100, "PINGREQ by 3 s, waited " + clock.millisSince(start));
        client.poll(0);
        t.assertFinished();
    }

    @Test
    @Covers5({"MQTT-3.3.4-7", "MQTT-4.9.0-1", "MQTT-4.9.0-2"})
    void serverReceiveMaximumOf2CapsTheInflightWindow() throws Exception {
        ScriptedTransport t = accepted5(props(0x21, 0, 2));
        MqttClient client = connected(config5().maxInflight(8).operationTimeoutMillis(2_000));
        t.expect(publish("t", "1", 1, false, false, 1)).expect(publish("t", "2", 1, false, false, 2));
        assertEquals(1, client.publish("t", "1".getBytes(), 0, 1, 1, false));
        assertEquals(2, client.publish("t", "2".getBytes(), 0, 1, 1, false));
        // A third would exceed the server's 2: it waits for a slot and is not written (the script refuses the write).
        MqttException e = assertThrows(MqttException.class, () -> client.publish("t", "3".getBytes(), 0, 1, 1, false));
        assertEquals(Reason.INFLIGHT_WINDOW_TIMEOUT, e.reason());
        assertEquals(2, client.inflightCount());
        t.send(puback(1)).expect(publish("t", "3", 1, false, false, 3));
        assertEquals(3, client.publish("t", "3".getBytes(), 0, 1, 1, false));
        assertEquals(List.of("connected false", "complete 1"), events.events);
        t.assertFinished();
    }

    /**
     * With automatic reconnect, publishes taken while the connection is down stay within the last server's Receive
     * Maximum, so the resume after the next CONNACK re-sends no more than it allows.
     */
    @Test
    @Covers5({"MQTT-3.3.4-7"})
    void publishesTakenWhileReconnectingStayWithinTheLastServersReceiveMaximum() throws Exception {
        ScriptedTransport t = accepted5(props(0x21, 0, 2)).endOfStream();
        MqttClient client = connected(config5().maxInflight(8).automaticReconnect(true)
                .reconnectBackoff(100, 100, 1.0, 0.0));
        client.poll(10); // the end of stream: disconnected, the reconnect scheduled in 100 ms
        ScriptedTransport attempt = new ScriptedTransport(clock).expect(connect("c", false, 10, CONNECT_PROPS));
        factory.then(attempt); // CONNECT sent, no CONNACK yet
        clock.advanceMillis(150); // the backoff has passed
        client.poll(10);
        assertTrue(attempt.isFinished(), "the attempt sent CONNECT and awaits CONNACK");
        assertFalse(client.isConnected());
        assertEquals(1, client.publish("t", "1".getBytes(), 0, 1, 1, false));
        assertEquals(2, client.publish("t", "2".getBytes(), 0, 1, 1, false));
        MqttException e = assertThrows(MqttException.class, () -> client.publish("t", "3".getBytes(), 0, 1, 1, false));
        assertEquals(Reason.INFLIGHT_WINDOW_FULL, e.reason());
        assertTrue(e.getMessage().contains("2 messages"), e.getMessage());
        assertEquals(2, client.inflightCount());
    }

    @Test
    @Covers5({"MQTT-3.2.2-15"})
    void serverMaximumPacketSizeRefusesALargerPublishAndSendsNothing() throws Exception {
        ScriptedTransport t = accepted5(props(0x27, 0, 0, 0, 20)); // Maximum Packet Size 20 bytes
        MqttClient client = connected(config5());
        // 2 header + 3 topic + 2 id + 1 property length + 13 payload = 21 bytes
        MqttException e = assertThrows(MqttException.class, () -> client.publish("t", payload(13), 0, 13, 1, false));
        assertEquals(Reason.PACKET_TOO_LARGE, e.reason());
        assertTrue(e.getMessage().contains("PUBLISH of 21 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("Maximum Packet Size 20"), e.getMessage());
        assertEquals(0, client.inflightCount());
        t.expect(publish("t", "\0".repeat(12), 1, false, false, 1)); // 20 bytes: sent
        assertEquals(1, client.publish("t", payload(12), 0, 12, 1, false));
        t.assertFinished();
        assertTrue(client.isConnected());
    }

    @Test
    @Covers5({"MQTT-3.2.2-14", "MQTT-3.2.2-11"})
    void retainUnavailableAndMaximumQos1RefuseThosePublishesAndSendNothing() throws Exception {
        ScriptedTransport t = accepted5(props(0x25, 0, 0x24, 1)); // Retain Available 0, Maximum QoS 1
        MqttClient client = connected(config5());
        MqttException retained = assertThrows(MqttException.class,
                () -> client.publish("t", payload(1), 0, 1, 0, true));
        assertEquals(Reason.RETAIN_NOT_SUPPORTED, retained.reason());
        MqttException qos2 = assertThrows(MqttException.class, () -> client.publish("t", payload(1), 0, 1, 2, false));
        assertEquals(Reason.QOS_NOT_SUPPORTED, qos2.reason());
        assertTrue(qos2.getMessage().contains("qos 2 > the server's Maximum QoS 1"), qos2.getMessage());
        t.assertFinished(); // nothing written
        assertTrue(client.isConnected());
    }

    @Test
    @Covers5({"MQTT-3.3.4-7"})
    void pubackOrPubrecWithAFailureReasonEndsThatMessageAndIsReportedPerPacketId() throws Exception {
        ScriptedTransport t = accepted5(props(0x21, 0, 2));
        MqttClient client = connected(config5());
        t.expect(publish("t", "a", 1, false, false, 1)).expect(publish("t", "b", 2, false, false, 2))
                .send(of(0x40, 0x03, 0, 1, 0x97)) // PUBACK 1: Quota exceeded
                .send(pubrec(2, 0x87)); // PUBREC 2: Not authorized -> no PUBREL
        client.publish("t", "a".getBytes(), 0, 1, 1, false);
        client.publish("t", "b".getBytes(), 0, 1, 2, false);
        client.poll(100);
        assertEquals(List.of("connected false", "refused 1 0x97", "refused 2 0x87"), events.events);
        assertEquals(0, client.inflightCount());
        assertTrue(client.isConnected());
        // Both slots are free again (Receive Maximum 2): two more go out at once; the QoS 2 one completes normally.
        t.expect(publish("t", "c", 2, false, false, 3)).send(pubrec(3, 0)).expect(pubrel(3)).send(pubcomp(3));
        client.publish("t", "c".getBytes(), 0, 1, 2, false);
        assertTrue(client.awaitInflight(1_000));
        t.assertFinished();
    }

    @Test
    void subscribeReceiveAndUnsubscribeAtProtocol5() throws Exception {
        ScriptedTransport t = accepted5(new byte[0]);
        MqttClient client = connected(config5());
        List<String> got = new ArrayList<>();
        t.expect(subscribe(1, "a/#", 1)).send(suback(1, 0x01))
                // a message with a Content Type property: the payload starts after it
                .send(publish("a/b", "hello", 1, false, false, 7, props(0x03, str("text/plain"))))
                .expect(puback(7));
        assertEquals(1, client.subscribe("a/#", 1, m -> got.add(m.topicAsString() + " " + m.payloadAsString() + " "
                + m.properties().text(Property.CONTENT_TYPE) + " " + m.properties().intValue(Property.MESSAGE_EXPIRY_INTERVAL, -1))));
        client.poll(100);
        assertEquals(List.of("a/b hello text/plain -1"), got);

        int[] codes = new int[2];
        t.expect(dev.wren.mqtt.testing.Packets5.subscribeAll(2, "x", 0, "y", 2)).send(suback(2, 0x00, 0x87));
        assertEquals(1, client.subscribe(new CharSequence[]{"x", "y"}, new int[]{0, 2}, m -> { }, codes));
        assertArrayEquals(new int[]{0x00, 0x87}, codes);
        MqttException refused = assertThrows(MqttException.class, () -> {
            t.expect(subscribe(3, "z", 1)).send(suback(3, 0x8F));
            client.subscribe("z", 1, m -> { });
        });
        assertTrue(refused.getMessage().contains("0x8f Topic Filter invalid"), refused.getMessage());

        t.expect(unsubscribe(4, "a/#")).send(unsuback(4, 0x00));
        client.unsubscribe("a/#");
        t.expect(disconnect()); // reason 0x00 Normal disconnection, no properties: remaining length 0 (§3.14.2.1)
        client.disconnect(0);
        t.assertFinished();
    }

    @Test
    void serverDisconnectMidFlightIsALostConnectionCarryingTheServersReason() throws Exception {
        ScriptedTransport t = accepted5(new byte[0]);
        MqttClient client = connected(config5());
        t.expect(publish("t", "a", 1, false, false, 1))
                .send(dev.wren.mqtt.testing.Packets5.disconnect(0x8E, "another connection took over c"));
        client.publish("t", "a".getBytes(), 0, 1, 1, false);
        MqttException e = assertThrows(MqttException.class, () -> client.poll(100));
        assertEquals(Reason.SESSION_TAKEN_OVER, e.reason());
        assertTrue(e.getMessage().contains("0x8e Session taken over"), e.getMessage());
        assertTrue(e.getMessage().contains("another connection took over c"), e.getMessage());
        assertEquals(List.of("connected false", "lost SESSION_TAKEN_OVER"), events.events);
        assertFalse(client.isConnected());
        assertEquals(1, client.inflightCount(), "the message stays for the next connection");
        assertTrue(t.isClosed());
    }

    @Test
    @Covers5({"MQTT-3.3.2-10", "MQTT-3.3.2-7"})
    void serverTopicAliasesAreResolvedThroughTheTableAndForgottenWithTheConnection() throws Exception {
        byte[] connectProps = props(0x21, 0, 64, 0x22, 0, 2); // Receive Maximum 64, Topic Alias Maximum 2
        ScriptedTransport t = new ScriptedTransport(clock).expect(connect("c", false, 10, connectProps))
                .send(connack(false, 0, new byte[0]));
        factory.then(t);
        MqttClient client = connected(config5().topicAliasMaximum(2));
        List<String> got = new ArrayList<>();
        List<String> matched = new ArrayList<>();
        client.setDefaultHandler(m -> got.add(m.topicAsString() + " " + m.payloadAsString()));
        t.expect(subscribe(1, "c/#", 0)).send(suback(1, 0));
        client.subscribe("c/#", 0, m -> matched.add(m.topic() + " " + m.payloadAsString()));
        t.send(publish("a/b", "1", 0, false, false, 0, props(0x23, 0, 1)))  // alias 1 = a/b
                .send(publish("", "2", 0, false, false, 0, props(0x23, 0, 1)))   // a/b through alias 1
                .send(publish("c/long/name", "3", 0, false, false, 0, props(0x23, 0, 1))) // alias 1 re-mapped
                .send(publish("x", "4", 0, false, false, 0, props(0x23, 0, 2)))   // alias 2 = x
                .send(publish("", "5", 0, false, false, 0, props(0x23, 0, 1)))   // c/long/name: matches c/#
                .send(publish("", "6", 0, false, false, 0, props(0x23, 0, 2)));  // x
        client.poll(100);
        assertEquals(List.of("a/b 1", "a/b 2", "x 4", "x 6"), got);
        assertEquals(List.of("c/long/name 3", "c/long/name 5"), matched);

        t.send(publish("", "7", 0, false, false, 0, props(0x23, 0, 3))); // above the maximum
        MqttException above = assertThrows(MqttException.class, () -> client.poll(100));
        assertEquals(Reason.TOPIC_ALIAS_INVALID, above.reason());
        assertTrue(above.getMessage().contains("Topic Alias 3, not in 1..topicAliasMaximum 2"), above.getMessage());

        // A new connection starts without aliases [MQTT-3.3.2-7]: alias 1 is unmapped there.
        ScriptedTransport t2 = new ScriptedTransport(clock).expect(connect("c", false, 10, connectProps))
                .send(connack(true, 0, new byte[0])).send(publish("", "8", 0, false, false, 0, props(0x23, 0, 1)));
        factory.then(t2);
        client.connect();
        MqttException unmapped = assertThrows(MqttException.class, () -> client.poll(100));
        assertEquals(Reason.PROTOCOL_VIOLATION, unmapped.reason());
        assertTrue(unmapped.getMessage().contains("Topic Alias 1, which the server has not mapped"), unmapped.getMessage());
    }

    @Test
    @Covers5({"MQTT-3.3.4-9"})
    void aServerExceedingTheClientsReceiveMaximumIsAProtocolErrorNamedAsSuch() throws Exception {
        ScriptedTransport t = new ScriptedTransport(clock).expect(connect("c", false, 10, props(0x21, 0, 2)))
                .send(connack(false, 0, new byte[0]));
        factory.then(t);
        MqttClient client = connected(config5().receiveMaximum(2));
        client.setDefaultHandler(m -> { });
        t.send(publish("q", "1", 2, false, false, 1)).send(publish("q", "2", 2, false, false, 2))
                .expect(dev.wren.mqtt.testing.Packets.pubrec(1)).expect(dev.wren.mqtt.testing.Packets.pubrec(2));
        client.poll(100);
        t.assertFinished();
        t.send(publish("q", "3", 2, false, false, 3)); // a third before any PUBREL: over the client's 2
        MqttException e = assertThrows(MqttException.class, () -> client.poll(100));
        assertEquals(Reason.RECEIVE_MAXIMUM_EXCEEDED, e.reason());
        assertEquals("MQTT-3.3.4-9", e.ruleId());
        assertTrue(e.getMessage().contains("Receive Maximum 2"), e.getMessage());
    }

    /**
     * MQTT_AUTO against a server that does not speak 5.0: its answer to the 5.0 CONNECT, then the 3.1.1 CONNECT on
     * a new connection within the same connect() call, and 3.1.1 from then on.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"3.1.1 CONNACK return code 1", "3.1.1 code 1 in a 5.0 CONNACK's layout",
            "5.0 CONNACK reason 0x84", "closed before CONNACK"})
    void autoFallsBackTo311OnceWhenTheServerRefuses5(String answer) throws Exception {
        ScriptedTransport refusing = new ScriptedTransport(clock).expect(connect("c", false, 10, CONNECT_PROPS));
        if (answer.startsWith("3.1.1 CONNACK")) {
            refusing.send(of(0x20, 0x02, 0x00, 0x01));
        } else if (answer.startsWith("3.1.1 code 1")) {
            // Moquette 0.17: its 3.1.1 refusal written in the 5.0 CONNACK layout (a property length follows)
            refusing.send(of(0x20, 0x03, 0x00, 0x01, 0x00));
        } else if (answer.startsWith("5.0")) {
            refusing.send(connack(false, 0x84, new byte[0]));
        } else {
            refusing.endOfStream();
        }
        factory.then(refusing);
        ScriptedTransport t311 = accepted(false);
        MqttClient client = connected(config().protocolVersion(MqttConfig.MQTT_AUTO));
        List<String> fallbacks = events.events.stream().filter(e -> e.startsWith("fallback ")).collect(
                java.util.stream.Collectors.toList());
        assertTrue(client.isConnected());
        assertTrue(refusing.isClosed());
        assertEquals(1, fallbacks.size(), fallbacks.toString());
        assertTrue(fallbacks.get(0).contains(answer.startsWith("3.1.1") ? "return code 1"
                : answer.startsWith("5.0") ? "0x84" : "closed the connection before CONNACK"), fallbacks.get(0));
        // 3.1.1 bytes from now on: no property length in PUBLISH
        t311.expect(dev.wren.mqtt.testing.Packets.publish("t", "x", 1, false, false, 1)).send(puback(1));
        client.publish("t", "x".getBytes(), 0, 1, 1, false);
        assertTrue(client.awaitInflight(1_000));
        t311.endOfStream();
        assertThrows(MqttException.class, () -> client.poll(100));
        accepted(false); // the next connection is 3.1.1 at once: no second fallback
        client.connect();
        assertEquals(1, events.events.stream().filter(e -> e.startsWith("fallback ")).count(), events.events.toString());
    }

    @Test
    void autoStaysAt5WithA5Server() throws Exception {
        ScriptedTransport t = accepted5(new byte[0]);
        MqttClient client = connected(config().protocolVersion(MqttConfig.MQTT_AUTO));
        t.expect(publish("t", "x", 0, false, false, 0));
        client.publish("t", "x".getBytes(), 0, 1, 0, false);
        t.assertFinished();
    }

    @Test
    void protocol4IsUnchangedAndHasNoAssignedClientIdNorMessageProperties() throws Exception {
        ScriptedTransport t = accepted(false);
        MqttClient client = connected(config());
        assertNull(client.assignedClientId());
        List<Object> props = new ArrayList<>();
        client.setDefaultHandler(m -> props.add(m.properties()));
        t.send(dev.wren.mqtt.testing.Packets.publish("a", "x", 0, false, false, 0));
        client.poll(100);
        assertEquals(java.util.Collections.singletonList(null), props);
    }

    /** Message expiry 60 s, UTF-8 payload, content type, response topic, correlation data CA FE, user property k=v. */
    static final byte[] PUBLISH_PROPS = props(0x02, 0, 0, 0, 60, 0x01, 1, 0x03, str("text/plain"),
            0x08, str("reply/c"), 0x09, 0, 2, 0xCA, 0xFE, 0x26, str("k"), str("v"));

    static PublishProperties fill(PublishProperties p) {
        return p.clear().messageExpiryIntervalSeconds(60).payloadFormatUtf8(true).contentType("text/plain")
                .responseTopic("reply/c").correlationData(new byte[]{0, (byte) 0xCA, (byte) 0xFE}, 1, 2)
                .userProperty("k", "v");
    }

    @Test
    @Covers5({"MQTT-3.3.2-13", "MQTT-3.3.2-19", "MQTT-3.3.1-1"})
    void publishPropertiesAreEncodedInOrderAndAQos1ResendWithDupCarriesThem() throws Exception {
        ScriptedTransport t = accepted5(new byte[0]);
        MqttClient client = connected(config5());
        PublishProperties p = new PublishProperties(64);
        t.expect(publish("t", "a", 0, false, false, 0, PUBLISH_PROPS))
                .expect(publish("t", "b", 1, false, false, 1, PUBLISH_PROPS)).endOfStream();
        client.publish("t", "a".getBytes(), 0, 1, 0, false, fill(p));
        assertEquals(1, client.publish(MqttTopic.of("t"), "b".getBytes(), 0, 1, 1, false, fill(p)));
        p.clear(); // the frame holds its own copy: what the caller does with p next changes nothing stored
        assertThrows(MqttException.class, () -> client.poll(100)); // end of stream: the message stays in the window
        ScriptedTransport again = new ScriptedTransport(clock).expect(connect("c", false, 10, CONNECT_PROPS))
                .send(connack(true, 0, new byte[0]))
                .expect(publish("t", "b", 1, false, true, 1, PUBLISH_PROPS)).send(puback(1));
        factory.then(again);
        client.connect();
        client.poll(100);
        assertEquals(0, client.inflightCount());
        again.assertFinished();
    }

    @Test
    void emptyOrNullPublishPropertiesAreTheEmptyPropertyBlock() throws Exception {
        ScriptedTransport t = accepted5(new byte[0]);
        MqttClient client = connected(config5());
        t.expect(publish("t", "a", 0, false, false, 0)).expect(publish("t", "b", 0, false, false, 0));
        client.publish("t", "a".getBytes(), 0, 1, 0, false, new PublishProperties(8));
        client.publish("t", "b".getBytes(), 0, 1, 0, false, (PublishProperties) null);
        t.assertFinished();
    }

    @Test
    void publishPropertiesAtProtocol4AreRefusedNamingTheLevel() throws Exception {
        accepted(false);
        MqttClient client = connected(config());
        PublishProperties p = new PublishProperties(32).contentType("text/plain");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> client.publish("t", "a".getBytes(), 0, 1, 1, false, p));
        assertTrue(e.getMessage().contains("publish properties (13 bytes) need MQTT 5.0"), e.getMessage());
        assertTrue(e.getMessage().contains("protocol level 4"), e.getMessage());
        assertEquals(0, client.inflightCount());
    }

    @Test
    @Covers5({"MQTT-3.3.2-14"})
    void publishPropertiesBeyondTheirCapacityOrBreakingARuleAreRefusedKeepingWhatWasPut() {
        PublishProperties p = new PublishProperties(10).messageExpiryIntervalSeconds(1);
        IllegalArgumentException full = assertThrows(IllegalArgumentException.class,
                () -> p.contentType("text/plain"));
        assertEquals("publish properties: 13 more bytes after 5 exceed capacityBytes 10", full.getMessage());
        assertEquals(5, p.length());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> p.messageExpiryIntervalSeconds(2));
        assertTrue(twice.getMessage().contains("already written"), twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> p.clear().responseTopic("reply/#")); // [MQTT-3.3.2-14]
        assertThrows(IllegalArgumentException.class, () -> p.messageExpiryIntervalSeconds(-1));
        assertEquals(5, p.clear().messageExpiryIntervalSeconds(0xFFFFFFFFL).length());
    }

    @Test
    @Covers5({"MQTT-3.8.3-4"})
    void subscriptionOptionsGoIntoTheOptionsByteAndAreSentAgainOnResubscribe() throws Exception {
        ScriptedTransport t = accepted5(new byte[0]);
        MqttClient client = connected(config5().automaticReconnect(true).reconnectBackoff(100, 100, 1.0, 0.0));
        // options byte: QoS 1 | No Local 0x04 | Retain As Published 0x08 | Retain Handling 2 (0x20) = 0x2D
        t.expect(subscribe(1, "a/#", 0x2D)).send(suback(1, 0x01))
                .expect(subscribe(2, "b", 0x10)).send(suback(2, 0x00)).endOfStream();
        assertEquals(1, client.subscribe("a/#", 1 | MqttClient.NO_LOCAL | MqttClient.RETAIN_AS_PUBLISHED
                | MqttClient.RETAIN_HANDLING_NEVER, m -> { }));
        assertEquals(0, client.subscribe("b", MqttClient.RETAIN_HANDLING_SEND_IF_NEW, m -> { }));
        client.poll(10); // end of stream: reconnect in 100 ms
        ScriptedTransport again = new ScriptedTransport(clock).expect(connect("c", false, 10, CONNECT_PROPS))
                .send(connack(false, 0, new byte[0]))
                .expect(subscribe(3, "a/#", 0x2D)).send(suback(3, 0x01))
                .expect(subscribe(4, "b", 0x10)).send(suback(4, 0x00));
        factory.then(again);
        clock.advanceMillis(150);
        for (int i = 0; i < 10 && !again.isFinished(); i++) {
            client.poll(10);
        }
        again.assertFinished();

        IllegalArgumentException shared = assertThrows(IllegalArgumentException.class,
                () -> client.subscribe("$share/g/x", 1 | MqttClient.NO_LOCAL, m -> { }));
        assertEquals("NO_LOCAL on the shared subscription \"$share/g/x\" is a protocol error [MQTT-3.8.3-4]",
                shared.getMessage());
        IllegalArgumentException handling3 = assertThrows(IllegalArgumentException.class,
                () -> client.subscribe("x", 0x30, m -> { }));
        assertTrue(handling3.getMessage().startsWith("qos 48 (0x30) for \"x\" is not QoS 0..2"),
                handling3.getMessage());
        assertThrows(IllegalArgumentException.class, () -> client.subscribe("x", 0x40, m -> { })); // reserved bit 6
        assertThrows(IllegalArgumentException.class, () -> client.subscribe("x", 3, m -> { }));
    }

    @Test
    void subscriptionOptionsAtProtocol4AreRefusedNamingTheLevel() throws Exception {
        accepted(false);
        MqttClient client = connected(config());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> client.subscribe("a", 1 | MqttClient.NO_LOCAL, m -> { }));
        assertEquals("subscription options 0x4 for \"a\" need MQTT 5.0; this client speaks protocol level 4: set"
                + " protocolVersion(MQTT_5) or subscribe with a QoS 0..2 alone", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> client.subscribe("a", 3, m -> { }));
    }

    @Test
    @Covers5({"MQTT-3.14.4-1"})
    void disconnectWithWillMessageSendsReasonCode0x04AndAnIntervalOf0IfAsked() throws Exception {
        ScriptedTransport t = accepted5(new byte[0]);
        MqttClient client = connected(config5());
        t.expect(of(0xE0, 0x01, 0x04)).endOfStream(); // DISCONNECT, reason 0x04, no properties (§3.14.2.2.1)
        client.disconnect(0x04, -1);
        assertFalse(client.isConnected());
        t.assertFinished();
        assertTrue(t.isClosed());

        ScriptedTransport again = accepted5(new byte[0]);
        client.connect();
        // reason 0x04, property length 5: Session Expiry Interval (0x11) 0, allowed after a CONNECT with 0
        again.expect(of(0xE0, 0x07, 0x04, 0x05, 0x11, 0, 0, 0, 0)).endOfStream();
        client.disconnect(0x04, 0);
        again.assertFinished();
    }

    @Test
    void aSessionExpiryInDisconnectAfterAConnectWith0IsRefusedAndNothingIsSent() throws Exception {
        ScriptedTransport t = accepted5(new byte[0]);
        MqttClient client = connected(config5());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> client.disconnect(0, 60));
        assertEquals("sessionExpirySeconds 60 in DISCONNECT after a CONNECT with Session Expiry Interval 0 is a"
                + " protocol error (MQTT 5.0 §3.14.2.2.2); set sessionExpiryIntervalSeconds in the config to keep"
                + " sessions", e.getMessage());
        IllegalArgumentException code = assertThrows(IllegalArgumentException.class, () -> client.disconnect(0x01, -1));
        assertEquals("reason code 0x1 is not a DISCONNECT reason code (MQTT 5.0 §3.14.2.1)", code.getMessage());
        assertTrue(client.isConnected(), "refused before anything was sent");
        t.assertFinished();
    }

    @Test
    void disconnectWithAReasonCodeAtProtocol4IsRefused() throws Exception {
        accepted(false);
        MqttClient client = connected(config());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> client.disconnect(0x04, -1));
        assertEquals("disconnect with reason code 0x4 needs MQTT 5.0; this client speaks protocol level 4: use"
                + " disconnect()", e.getMessage());
        assertTrue(client.isConnected());
    }

    @Test
    @Covers5({"MQTT-3.11.3-1"})
    void unsubackReasonCodesAreReportedPerFilterAndARefusedFilterKeepsItsHandler() throws Exception {
        ScriptedTransport t = accepted5(new byte[0]);
        MqttClient client = connected(config5());
        List<String> got = new ArrayList<>();
        t.expect(dev.wren.mqtt.testing.Packets5.subscribeAll(1, "a", 1, "b", 1)).send(suback(1, 0x01, 0x01));
        client.subscribe(new CharSequence[]{"a", "b"}, new int[]{1, 1}, m -> got.add(m.topicAsString()), new int[2]);

        int[] codes = new int[3];
        t.expect(dev.wren.mqtt.testing.Packets5.unsubscribeAll(2, "a", "b", "c")).send(unsuback(2, 0x00, 0x87, 0x11));
        assertEquals(2, client.unsubscribe(new CharSequence[]{"a", "b", "c"}, codes));
        assertArrayEquals(new int[]{0x00, 0x87, 0x11}, codes);
        // "b" was refused: the server still sends it, and its handler still takes it; "a" goes unhandled
        t.send(publish("a", "x", 0, false, false, 0)).send(publish("b", "x", 0, false, false, 0));
        client.poll(100);
        assertEquals(List.of("b"), got);
        assertEquals(1, client.unhandledMessageCount());

        t.expect(unsubscribe(3, "b")).send(unsuback(3, 0x87));
        MqttException e = assertThrows(MqttException.class, () -> client.unsubscribe("b"));
        assertEquals(Reason.NOT_AUTHORIZED, e.reason());
        assertEquals("NOT_AUTHORIZED: server refused to unsubscribe \"b\" (UNSUBACK reason code 0x87 Not"
                + " authorized); its handler stays", e.getMessage());

        t.expect(unsubscribe(4, "b")).send(unsuback(4, 0x00, 0x00)); // two codes for one filter
        MqttException twice = assertThrows(MqttException.class, () -> client.unsubscribe("b"));
        assertEquals(Reason.PROTOCOL_VIOLATION, twice.reason());
        assertTrue(twice.getMessage().contains("UNSUBACK with 2 reason codes for an UNSUBSCRIBE of 1 filter"),
                twice.getMessage());
    }

    @Test
    void subscriptionOptionsTakenBeforeAnAutoFallbackAreLeftOutOfThe311Subscribe() throws Exception {
        ScriptedTransport refusing = new ScriptedTransport(clock).expect(connect("c", false, 10, CONNECT_PROPS))
                .send(connack(false, 0x84, new byte[0]));
        factory.then(refusing);
        ScriptedTransport t311 = accepted(false)
                .expect(dev.wren.mqtt.testing.Packets.subscribe(1, "a", 1)) // options byte 0x01: QoS alone
                .send(dev.wren.mqtt.testing.Packets.suback(1, 1));
        MqttClient client = new MqttClient(config().protocolVersion(MqttConfig.MQTT_AUTO).build());
        assertEquals(MqttClient.SUBACK_PENDING, client.subscribe("a", 1 | MqttClient.NO_LOCAL, m -> { }));
        client.connect();
        t311.assertFinished();
    }
}
