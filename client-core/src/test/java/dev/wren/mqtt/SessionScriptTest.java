package dev.wren.mqtt;

import dev.wren.mqtt.MqttException.Reason;
import dev.wren.mqtt.testing.Bytes;
import dev.wren.mqtt.testing.Covers;
import dev.wren.mqtt.testing.ScriptedTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.wren.mqtt.testing.Packets.connack;
import static dev.wren.mqtt.testing.Packets.connect;
import static dev.wren.mqtt.testing.Packets.disconnect;
import static dev.wren.mqtt.testing.Packets.pingreq;
import static dev.wren.mqtt.testing.Packets.pingresp;
import static dev.wren.mqtt.testing.Packets.puback;
import static dev.wren.mqtt.testing.Packets.pubcomp;
import static dev.wren.mqtt.testing.Packets.publish;
import static dev.wren.mqtt.testing.Packets.pubrec;
import static dev.wren.mqtt.testing.Packets.pubrel;
import static dev.wren.mqtt.testing.Packets.suback;
import static dev.wren.mqtt.testing.Packets.subscribe;
import static dev.wren.mqtt.testing.Packets.unsuback;
import static dev.wren.mqtt.testing.Packets.unsubscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The session over a scripted transport and a fake clock: exact bytes, edge cases a real broker will not produce. */
@Timeout(10)
class SessionScriptTest extends ScriptedSessionTest {

    private static final byte[] P = "p".getBytes(StandardCharsets.US_ASCII);

    private final List<String> received = new ArrayList<>();

    private MqttClient connectedClient(MqttConfig.Builder b) throws Exception {
        MqttClient client = new MqttClient(b.build());
        client.connect();
        client.setDefaultHandler(m -> received.add(m.topicAsString() + "=" + m.payloadAsString() + " q" + m.qos()
                + (m.dup() ? " dup" : "") + (m.retain() ? " retain" : "")));
        return client;
    }

    @Test
    @Covers({"MQTT-3.1.3-7"})
    void connectWritesConnectAndReportsSessionPresent() throws Exception {
        ScriptedTransport t = accepted(true);
        MqttClient client = new MqttClient(config().build());
        assertTrue(client.connect());
        assertTrue(client.isConnected());
        assertEquals(List.of("connected true"), events.events);
        t.assertFinished();
        assertThrows(IllegalArgumentException.class, () -> config().clientId("").cleanSession(false).build(),
                "an empty client id needs a clean session");
    }

    @Test
    void protocolVersion31SendsTheMqisdpConnectAtLevel3() throws Exception {
        // MQTT 3.1: protocol name "MQIsdp", level 3, then the same flags, keep-alive and payload as 3.1.1.
        byte[] body = Bytes.of(Bytes.str("MQIsdp"), 0x03, 0x00, 0, 10,
                Bytes.str("c"));
        ScriptedTransport t = new ScriptedTransport(clock).expect(dev.wren.mqtt.testing.Packets.withHeader(0x10, body)).send(connack(false, 0));
        factory.then(t);
        MqttClient client = new MqttClient(config().protocolVersion(MqttConfig.MQTT_3_1).build());
        client.connect();
        assertTrue(client.isConnected());
        t.assertFinished();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    @Covers({"MQTT-3.2.2-5"})
    void connackRefusalIsAnExceptionNamingTheReturnCode(int code) throws Exception {
        ScriptedTransport t = new ScriptedTransport(clock).expect(connect("c", false, 10)).send(connack(false, code)).endOfStream();
        factory.then(t);
        MqttClient client = new MqttClient(config().build());
        MqttException e = assertThrows(MqttException.class, client::connect);
        assertEquals(Reason.forConnackReturnCode(code), e.reason());
        assertTrue(e.getMessage().contains("return code " + code), e.getMessage());
        assertTrue(t.isClosed());
        assertFalse(client.isConnected());
    }

    @Test
    @Covers({"MQTT-3.2.0-1", "MQTT-4.8.0-1"})
    void aFirstPacketOtherThanConnackClosesTheConnection() throws Exception {
        ScriptedTransport t = new ScriptedTransport(clock).expect(connect("c", false, 10)).send(pingresp());
        factory.then(t);
        MqttException e = assertThrows(MqttException.class, new MqttClient(config().build())::connect);
        assertEquals(Reason.PROTOCOL_VIOLATION, e.reason());
        assertEquals("MQTT-3.2.0-1", e.ruleId());
        assertTrue(t.isClosed());
    }

    @Test
    @Covers({"MQTT-3.2.2-1"})
    void sessionPresentOnACleanSessionIsAViolation() throws Exception {
        ScriptedTransport t = new ScriptedTransport(clock).expect(connect("c", true, 10)).send(connack(true, 0));
        factory.then(t);
        MqttException e = assertThrows(MqttException.class, new MqttClient(config().cleanSession(true).build())::connect);
        assertEquals("MQTT-3.2.2-1", e.ruleId());
        assertTrue(t.isClosed());
    }

    @Test
    void silentServerAtConnectTimesOut() throws Exception {
        ScriptedTransport t = new ScriptedTransport(clock).expect(connect("c", false, 10));
        factory.then(t);
        long start = clock.nanoTime();
        MqttException e = assertThrows(MqttException.class, new MqttClient(config().connectTimeoutMillis(3000).build())::connect);
        assertEquals(Reason.CONNECT_TIMEOUT, e.reason());
        assertEquals(3000, clock.millisSince(start));
        assertTrue(t.isClosed());
    }

    @Test
    @Covers({"MQTT-3.1.2-23"})
    void serverSilenceEndsInKeepAliveTimeout() throws Exception {
        ScriptedTransport t = accepted(false).expect(pingreq());
        MqttClient client = connectedClient(config());
        long start = clock.nanoTime();
        MqttException e = assertThrows(MqttException.class, () -> client.poll(60_000));
        assertEquals(Reason.KEEP_ALIVE_TIMEOUT, e.reason());
        // PINGREQ after 10 s of sending nothing, then 4 s (0.4 of the interval, under operationTimeoutMillis) for PINGRESP.
        assertEquals(14_000, clock.millisSince(start));
        assertTrue(t.isClosed());
        assertFalse(client.isConnected());
        assertEquals(List.of("connected false", "lost KEEP_ALIVE_TIMEOUT"), events.events);
        t.assertFinished();
    }

    @Test
    @Covers({"MQTT-3.1.2-23"})
    void pingrespKeepsTheConnectionAndTheNextPingFollowsAnInterval() throws Exception {
        ScriptedTransport t = accepted(false).expect(pingreq()).send(pingresp()).expect(pingreq()).send(pingresp());
        MqttClient client = connectedClient(config());
        long start = clock.nanoTime();
        assertEquals(1, client.poll(60_000), "PINGRESP handled");
        assertEquals(10_000, clock.millisSince(start));
        assertEquals(1, client.poll(60_000));
        assertEquals(20_000, clock.millisSince(start));
        t.assertFinished();
        assertTrue(client.isConnected());
    }

    @Test
    void sendingResetsTheKeepAliveInterval() throws Exception {
        ScriptedTransport t = accepted(false).expect(publish("t", "p", 0, false, false, 0)).expect(pingreq());
        MqttClient client = connectedClient(config());
        long start = clock.nanoTime();
        assertEquals(0, client.poll(6_000));
        client.publish("t", P, 0, 1, 0, false); // at 6 s
        assertEquals(0, client.poll(9_000)); // until 15 s: no ping yet
        assertFalse(t.isFinished());
        assertEquals(0, client.poll(1_000)); // 16 s = 10 s after the publish
        assertEquals(16_000, clock.millisSince(start));
        assertTrue(t.isFinished(), "PINGREQ written 10 s after the last packet");
    }

    @Test
    @Covers({"MQTT-4.3.2-1", "MQTT-4.3.3-1", "MQTT-4.6.0-4"})
    void publishAtQos1And2CompletesOnPubackAndPubcomp() throws Exception {
        ScriptedTransport t = accepted(false)
                .expect(publish("t", "p", 1, false, false, 1)).send(puback(1))
                .expect(publish("t", "p", 2, true, false, 2)).send(pubrec(2))
                .expect(pubrel(2)).send(pubcomp(2));
        MqttClient client = connectedClient(config());
        assertEquals(1, client.publish("t", P, 0, 1, 1, false));
        assertEquals(1, client.inflightCount());
        assertEquals(2, client.publish(MqttTopic.of("t"), P, 0, 1, 2, true));
        assertTrue(client.awaitInflight(1000));
        assertEquals(0, client.inflightCount());
        assertEquals(List.of("connected false", "complete 1", "complete 2"), events.events);
        t.assertFinished();
    }

    @Test
    @Covers({"MQTT-4.4.0-1", "MQTT-4.6.0-1", "MQTT-3.3.1-1"})
    void connectionDroppedMidFlightResendsWithDupAndPubrelInOriginalOrder() throws Exception {
        ScriptedTransport first = accepted(false)
                .expect(publish("a", "p", 1, false, false, 1))
                .expect(publish("b", "p", 2, false, false, 2)).send(pubrec(2)).expect(pubrel(2))
                .expect(publish("c", "p", 2, false, false, 3))
                .expect(publish("d", "p", 1, false, false, 4)).send(puback(4))
                .endOfStream();
        // Sequence: a (QoS 1), b (QoS 2, PUBREC arrives, PUBREL sent), c (QoS 2), d (QoS 1, acked), then the drop.
        ScriptedTransport second = accepted(true)
                .expect(publish("a", "p", 1, false, true, 1))
                .expect(pubrel(2))
                .expect(publish("c", "p", 2, false, true, 3))
                .send(puback(1)).send(pubcomp(2)).send(pubrec(3)).expect(pubrel(3)).send(pubcomp(3));
        MqttClient client = connectedClient(config());
        client.publish("a", P, 0, 1, 1, false);
        client.publish("b", P, 0, 1, 2, false);
        assertEquals(1, client.poll(100), "PUBREC 2");
        client.publish("c", P, 0, 1, 2, false);
        client.publish("d", P, 0, 1, 1, false);
        MqttException lost = assertThrows(MqttException.class, () -> client.poll(1000));
        assertEquals(Reason.CONNECTION_LOST, lost.reason());
        assertEquals(3, client.inflightCount(), "the window survives the lost connection");
        assertThrows(MqttException.class, () -> client.publish("e", P, 0, 1, 1, false), "NOT_CONNECTED");
        assertTrue(client.connect());
        assertTrue(client.awaitInflight(1000));
        first.assertFinished();
        second.assertFinished();
        assertEquals(List.of("connected false", "complete 4", "lost CONNECTION_LOST", "connected true",
                "complete 1", "complete 2", "complete 3"), events.events);
    }

    @Test
    void withoutSessionPresentTheWindowIsPublishedAgainAsNew() throws Exception {
        ScriptedTransport first = accepted(false)
                .expect(publish("a", "p", 1, false, false, 1))
                .expect(publish("b", "p", 2, false, false, 2)).send(pubrec(2)).expect(pubrel(2))
                .failRead();
        ScriptedTransport second = accepted(false)
                .expect(publish("a", "p", 1, false, false, 1))
                .expect(publish("b", "p", 2, false, false, 2)) // PUBREC had arrived: starts over, may duplicate
                .send(puback(1)).send(pubrec(2)).expect(pubrel(2)).send(pubcomp(2));
        MqttClient client = connectedClient(config());
        client.publish("a", P, 0, 1, 1, false);
        client.publish("b", P, 0, 1, 2, false);
        assertEquals(1, client.poll(1000), "PUBREC 2; the PUBREL goes out at the end of the pass");
        assertEquals(Reason.CONNECTION_LOST, assertThrows(MqttException.class, () -> client.poll(1000)).reason());
        assertFalse(client.connect());
        assertTrue(client.awaitInflight(1000));
        first.assertFinished();
        second.assertFinished();
    }

    @Test
    void eachPubrecIsReportedBeforeThePubcomp() throws Exception {
        ScriptedTransport t = accepted(false)
                .expect(publish("t", "p", 2, false, false, 1)).send(pubrec(1)).expect(pubrel(1))
                .send(pubrec(1)).expect(pubrel(1)).send(pubcomp(1));
        List<String> steps = new ArrayList<>();
        MqttClient client = connectedClient(config().listener(new MqttListener() {
            @Override
            public void onPubrec(int packetId) {
                steps.add("pubrec " + packetId);
            }

            @Override
            public void onPublishComplete(int packetId) {
                steps.add("complete " + packetId);
            }
        }));
        client.publish("t", P, 0, 1, 2, false);
        assertTrue(client.awaitInflight(1000));
        assertEquals(List.of("pubrec 1", "pubrec 1", "complete 1"), steps);
        t.assertFinished();
    }

    @Test
    @Covers({"MQTT-4.3.3-1"})
    void aRepeatedPubrecIsAnsweredWithPubrelAgain() throws Exception {
        ScriptedTransport t = accepted(false)
                .expect(publish("t", "p", 2, false, false, 1)).send(pubrec(1)).expect(pubrel(1))
                .send(pubrec(1)).expect(pubrel(1)).send(pubcomp(1));
        MqttClient client = connectedClient(config());
        client.publish("t", P, 0, 1, 2, false);
        assertTrue(client.awaitInflight(1000));
        t.assertFinished();
    }

    @Test
    @Covers({"MQTT-4.3.3-2", "MQTT-4.6.0-3"})
    void incomingQos2IsDeliveredOnceUntilReleased() throws Exception {
        ScriptedTransport t = accepted(false)
                .send(publish("t", "one", 2, false, false, 7)).expect(pubrec(7))
                .send(publish("t", "one", 2, false, true, 7)).expect(pubrec(7)) // re-sent: PUBREC again, no delivery
                .send(pubrel(7)).expect(pubcomp(7))
                .send(publish("t", "two", 2, false, false, 7)).expect(pubrec(7)) // released id reused: a new message
                .send(pubrel(7)).expect(pubcomp(7));
        MqttClient client = connectedClient(config());
        while (!t.isFinished()) {
            client.poll(100);
        }
        assertEquals(List.of("t=one q2", "t=two q2"), received);
    }

    @Test
    @Covers({"MQTT-4.3.2-2", "MQTT-4.6.0-2", "MQTT-4.3.1-1"})
    void incomingQos0And1AreDeliveredAndQos1AckedInOrder() throws Exception {
        ScriptedTransport t = accepted(false)
                .send(publish("a", "x", 0, false, false, 0))
                .send(publish("b", "y", 1, true, false, 5))
                .send(publish("c", "z", 1, false, true, 6))
                .expect(puback(5)).expect(puback(6));
        MqttClient client = connectedClient(config());
        assertEquals(3, client.poll(100));
        assertEquals(List.of("a=x q0", "b=y q1 retain", "c=z q1 dup"), received);
        t.assertFinished();
    }

    @Test
    void aReceivedMessageReportsTheServersPacketIdAndZeroAtQos0() throws Exception {
        ScriptedTransport t = accepted(false)
                .send(publish("a", "x", 0, false, false, 0))
                .send(publish("b", "y", 1, false, false, 513))
                .send(publish("c", "z", 2, false, false, 65535))
                .expect(puback(513)).expect(pubrec(65535));
        MqttClient client = connectedClient(config());
        List<String> ids = new ArrayList<>();
        client.setDefaultHandler(m -> ids.add(m.topicAsString() + " q" + m.qos() + " id " + m.packetId()));
        assertEquals(3, client.poll(100));
        assertEquals(List.of("a q0 id 0", "b q1 id 513", "c q2 id 65535"), ids);
        t.assertFinished();
    }

    @Test
    void oneBytePerReadDeliversEverything() throws Exception {
        ScriptedTransport t = new ScriptedTransport(clock).maxBytesPerRead(1)
                .expect(connect("c", false, 10)).send(connack(false, 0))
                .expect(subscribe(1, "s/#", 2)).send(suback(1, 2))
                .send(publish("s/1", "hello", 1, false, false, 9)).expect(puback(9))
                .send(publish("s/2", "world", 2, false, false, 10)).expect(pubrec(10)).send(pubrel(10)).expect(pubcomp(10))
                .expect(publish("o", "p", 1, false, false, 2)).send(puback(2));
        factory.then(t);
        MqttClient client = new MqttClient(config().build());
        client.connect();
        client.subscribe("s/#", 2, m -> received.add(m.topicAsString() + "=" + m.payloadAsString()));
        while (received.size() < 2) {
            client.poll(100);
        }
        // The PUBREC goes out at the end of that pass; the PUBREL the script then releases is read by the next one.
        assertEquals(1, client.poll(100), "PUBREL 10");
        client.publish("o", P, 0, 1, 1, false);
        assertTrue(client.awaitInflight(1000));
        while (!t.isFinished()) {
            client.poll(10);
        }
        assertEquals(List.of("s/1=hello", "s/2=world"), received);
    }

    /** Server bytes that break the protocol, and the rule the client must name when it closes. */
    static Object[][] violations() {
        return new Object[][] {
            {"PUBACK with reserved flags", Bytes.hex("41 02 00 01"), "MQTT-2.2.2-2"},
            {"PUBREL with flags 0", Bytes.hex("60 02 00 01"), "MQTT-2.2.2-2"},
            {"PUBLISH with QoS 3", Bytes.hex("36 05 00 01 74 00 01"), "MQTT-3.3.1-4"},
            {"PUBLISH QoS 0 with DUP", Bytes.hex("38 03 00 01 74"), "MQTT-3.3.1-2"},
            {"PUBLISH topic with wildcard", Bytes.hex("30 03 00 01 2b"), "MQTT-3.3.2-2"},
            {"PUBLISH topic with U+0000", Bytes.hex("30 03 00 01 00"), "MQTT-1.5.3-2"},
            {"PUBLISH topic with a surrogate", Bytes.hex("30 05 00 03 ed a0 80"), "MQTT-1.5.3-1"},
            {"PUBLISH QoS 1 with packet id 0", Bytes.hex("32 05 00 01 74 00 00"), "MQTT-2.3.1-1"},
            {"PUBLISH with an empty topic", Bytes.hex("30 02 00 00"), "MQTT-4.7.3-1"},
            {"PINGREQ from the server", Bytes.hex("c0 00"), ""},
            {"SUBSCRIBE from the server", Bytes.hex("82 06 00 01 00 01 74 00"), ""},
            {"reserved packet type 15", Bytes.hex("f0 00"), ""},
            {"remaining length with 5 bytes", Bytes.hex("30 ff ff ff ff 01"), ""},
            {"PUBACK of 3 bytes", Bytes.hex("40 03 00 01 00"), ""},
            {"PUBACK for a QoS 2 message", Bytes.hex("40 02 00 01"), "MQTT-4.3.3-1"},
            {"PUBCOMP before PUBREC", Bytes.hex("70 02 00 01"), "MQTT-4.3.3-1"},
            {"second CONNACK", Bytes.hex("20 02 00 00"), ""},
            {"SUBACK with a reserved code", Bytes.hex("90 03 00 05 03"), "MQTT-3.9.3-2"},
        };
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("violations")
    @Covers({"MQTT-4.8.0-1", "MQTT-2.2.2-2", "MQTT-3.3.1-4", "MQTT-3.3.1-2", "MQTT-3.3.2-2", "MQTT-1.5.3-1",
            "MQTT-1.5.3-2", "MQTT-2.3.1-1", "MQTT-4.7.3-1", "MQTT-3.9.3-2"})
    void aServerBreakingTheProtocolIsDisconnectedWithTheRuleNamed(String what, byte[] bytes, String rule) throws Exception {
        for (int perRead : new int[] {Integer.MAX_VALUE, 1}) {
            ScriptedTransport t = new ScriptedTransport(clock).maxBytesPerRead(perRead)
                    .expect(connect("c", false, 10)).send(connack(false, 0))
                    .expect(publish("q2", "p", 2, false, false, 1))
                    .send(bytes);
            factory.then(t);
            RecordingListener listener = new RecordingListener();
            MqttClient client = new MqttClient(config().listener(listener).build());
            client.connect();
            client.publish("q2", P, 0, 1, 2, false);
            MqttException e = assertThrows(MqttException.class, () -> client.poll(1000), what);
            assertEquals(Reason.PROTOCOL_VIOLATION, e.reason(), what + ": " + e.getMessage());
            assertEquals(rule, e.ruleId(), what + ": " + e.getMessage());
            assertTrue(t.isClosed(), what + ": socket closed");
            assertFalse(client.isConnected());
            assertEquals(List.of(e), listener.lost);
            assertEquals(1, client.inflightCount(), "the unacknowledged message is kept");
        }
    }

    /** An ack that does not fit a message's exchange, and the words the message must use (no internal names). */
    static Object[][] misfitAcks() {
        return new Object[][] {
            {1, Bytes.hex("50 02 00 01"), "PUBREC for packet id 1, which was sent at QoS 1 and awaits a PUBACK"},
            {1, Bytes.hex("70 02 00 01"), "PUBCOMP for packet id 1, which was sent at QoS 1 and awaits a PUBACK"},
            {2, Bytes.hex("40 02 00 01"), "PUBACK for packet id 1, which was sent at QoS 2 and awaits a PUBREC"},
            {2, Bytes.hex("70 02 00 01"), "PUBCOMP for packet id 1, which was sent at QoS 2 and awaits a PUBREC"},
        };
    }

    @ParameterizedTest(name = "{2}")
    @org.junit.jupiter.params.provider.MethodSource("misfitAcks")
    void anAckThatDoesNotFitTheExchangeIsReportedInTheReadersWords(int qos, byte[] ack, String words) throws Exception {
        accepted(false).expect(publish("q", "p", qos, false, false, 1)).send(ack);
        MqttClient client = connectedClient(config());
        client.publish("q", P, 0, 1, qos, false);
        MqttException e = assertThrows(MqttException.class, () -> client.poll(1000));
        assertTrue(e.getMessage().contains(words), e.getMessage());
        assertFalse(e.getMessage().contains("AWAIT_") || e.getMessage().contains("state"), e.getMessage());
    }

    @Test
    void misuseBeforeConnectAndAfterCloseIsReportedWithoutInternalStateNames() throws Exception {
        accepted(false);
        MqttClient client = new MqttClient(config().build());
        IllegalStateException before = assertThrows(IllegalStateException.class, () -> client.unsubscribe("a"));
        assertEquals("unsubscribe before connect: call connect first", before.getMessage());
        client.connect();
        IllegalStateException twice = assertThrows(IllegalStateException.class, client::connect);
        assertEquals("connect while connected: disconnect first", twice.getMessage());
        client.close();
        IllegalStateException after = assertThrows(IllegalStateException.class, () -> client.poll(0));
        assertEquals("poll after close: the client is closed", after.getMessage());
        IllegalStateException connectAfter = assertThrows(IllegalStateException.class, client::connect);
        assertEquals("connect after close: the client is closed", connectAfter.getMessage());
    }

    @Test
    void aSubackFollowedByTheEndOfStreamInTheSameReadStillCompletesTheSubscribe() throws Exception {
        accepted(false).expect(subscribe(1, "s/#", 1)).send(suback(1, 1))
                .expect(unsubscribe(2, "u")).send(unsuback(2)).endOfStream();
        MqttClient client = connectedClient(config());
        assertEquals(1, client.subscribe("s/#", 1, m -> { }), "the broker granted QoS 1 before the connection went");
        assertEquals(List.of(), events.lost, "the connection is still up after the SUBACK alone");
        client.unsubscribe("u"); // UNSUBACK, then end of stream in the same round
        assertFalse(client.isConnected());
        assertEquals(1, events.lost.size(), "the loss still reaches the listener");
        assertEquals(Reason.NOT_CONNECTED, assertThrows(MqttException.class, () -> client.subscribe("t", 0, m -> { }))
                .reason(), "the next operation says the connection is gone");
    }

    @Test
    void endOfStreamAndReadAndWriteFailuresAreConnectionLost() throws Exception {
        accepted(false).endOfStream();
        MqttClient client = connectedClient(config());
        MqttException eof = assertThrows(MqttException.class, () -> client.poll(1000));
        assertEquals(Reason.CONNECTION_LOST, eof.reason());
        assertTrue(eof.getMessage().contains("end of stream"), eof.getMessage());

        accepted(false).failWrite();
        client.connect();
        MqttException write = assertThrows(MqttException.class, () -> client.publish("t", P, 0, 1, 1, false));
        assertEquals(Reason.CONNECTION_LOST, write.reason());
        assertTrue(write.getCause() instanceof IOException);
        assertEquals(1, client.inflightCount(), "a QoS 1 message whose write failed stays in the window");

        accepted(false).expect(publish("t", "p", 1, false, false, 1)).failRead();
        client.connect();
        MqttException read = assertThrows(MqttException.class, () -> client.poll(1000));
        assertEquals(Reason.CONNECTION_LOST, read.reason());
        assertEquals(List.of("connected false", "lost CONNECTION_LOST", "connected false", "lost CONNECTION_LOST",
                "connected false", "lost CONNECTION_LOST"), events.events);
    }

    @Test
    void aFullWindowDrivesTheReceiveLoopUntilASlotFrees() throws Exception {
        ScriptedTransport t = accepted(false)
                .expect(publish("t", "p", 1, false, false, 1))
                .expect(publish("t", "p", 1, false, false, 2)).send(puback(1))
                .expect(publish("t", "p", 1, false, false, 3));
        MqttClient client = connectedClient(config().maxInflight(2));
        client.publish("t", P, 0, 1, 1, false);
        client.publish("t", P, 0, 1, 1, false);
        assertEquals(3, client.publish("t", P, 0, 1, 1, false));
        t.assertFinished();
        assertEquals(2, client.inflightCount());
    }

    @Test
    void aWindowThatStaysFullFailsNamingSizeAndTimeout() throws Exception {
        ScriptedTransport t = accepted(false).expect(publish("t", "p", 1, false, false, 1))
                .expect(publish("t", "p", 1, false, false, 2));
        for (int i = 0; i < 3; i++) {
            t.expect(pingreq()).send(pingresp()); // at 10, 20 and 30 s
        }
        MqttClient client = connectedClient(config().maxInflight(2).keepAliveSeconds(10).operationTimeoutMillis(30_000));
        client.publish("t", P, 0, 1, 1, false);
        client.publish("t", P, 0, 1, 1, false);
        long start = clock.nanoTime();
        MqttException e = assertThrows(MqttException.class, () -> client.publish("t", P, 0, 1, 1, false));
        assertEquals(Reason.INFLIGHT_WINDOW_TIMEOUT, e.reason());
        assertTrue(e.getMessage().contains("window of 2 messages") && e.getMessage().contains("30000"), e.getMessage());
        assertEquals(30_000, clock.millisSince(start));
        assertTrue(client.isConnected(), "a full window is not a broken connection; pings kept it alive");
    }

    @Test
    void oversizeIncomingPublishIsDrainedAckedCountedAndTheConnectionKept() throws Exception {
        String big = "x".repeat(300);
        ScriptedTransport t = accepted(false)
                .send(Bytes.of(publish("big/1", big, 1, false, false, 3), publish("small", "s", 0, false, false, 0)))
                .expect(puback(3))
                .send(publish("big/2", big, 2, false, false, 4)).expect(pubrec(4))
                .send(publish("big/2", big, 2, false, true, 4)).expect(pubrec(4))
                .send(pubrel(4)).expect(pubcomp(4))
                .send(publish("after", "a", 0, false, false, 0));
        MqttClient client = connectedClient(config().receiveBufferBytes(64));
        while (!t.isFinished()) {
            client.poll(100);
        }
        assertEquals(List.of("small=s q0", "after=a q0"), received);
        assertEquals(List.of("connected false", "oversize big/1 312 qos1", "oversize big/2 312 qos2"), events.events);
        assertEquals(2, client.oversizeMessageCount());
        assertTrue(client.isConnected());
    }

    @Test
    void oversizePublishWithATopicLongerThanTheBufferIsStillAcked() throws Exception {
        String topic = "t/" + "y".repeat(100);
        ScriptedTransport t = new ScriptedTransport(clock).maxBytesPerRead(7)
                .expect(connect("c", false, 10)).send(connack(false, 0))
                .send(publish(topic, "payload", 1, false, false, 0x1234)).expect(puback(0x1234))
                .send(publish("ok", "k", 0, false, false, 0));
        factory.then(t);
        MqttClient client = connectedClient(config().receiveBufferBytes(64));
        while (!t.isFinished()) {
            client.poll(100);
        }
        assertEquals(List.of("ok=k q0"), received);
        assertEquals(1, client.oversizeMessageCount());
    }

    @Test
    void anOversizeNonPublishPacketClosesTheConnection() throws Exception {
        byte[] hugeSuback = Bytes.of(0x90, 0xC8, 0x01, new byte[200]);
        accepted(false).send(hugeSuback);
        MqttClient client = connectedClient(config().receiveBufferBytes(64));
        MqttException e = assertThrows(MqttException.class, () -> client.poll(1000));
        assertEquals(Reason.PACKET_TOO_LARGE, e.reason());
        assertTrue(e.getMessage().contains("> receiveBufferBytes 64"), e.getMessage());
    }

    @Test
    void publishingFromAHandlerIsSafeAndAHandlerErrorStillAcks() throws Exception {
        ScriptedTransport t = accepted(false)
                .expect(subscribe(1, "in/+", 1)).send(suback(1, 1))
                .send(publish("in/a", "ping", 1, false, false, 5))
                .expect(publish("out", "ping", 1, false, false, 2)).expect(puback(5))
                .send(publish("in/b", "boom", 1, false, false, 6)).expect(puback(6));
        MqttClient client = connectedClient(config());
        client.subscribe("in/+", 1, m -> {
            if (m.payloadEqualsAscii("boom")) {
                throw new IllegalStateException("handler failed");
            }
            client.publish("out", m.payloadBuffer(), m.payloadOffset(), m.payloadLength(), 1, false);
            received.add(m.topicAsString() + " still " + m.payloadAsString());
            assertThrows(IllegalStateException.class, () -> client.poll(0));
        });
        while (!t.isFinished()) {
            client.poll(100);
        }
        assertEquals(List.of("in/a still ping"), received);
        assertTrue(events.events.contains("handler error in/b handler failed"), events.events.toString());
    }

    @Test
    void aFullWindowInsideAHandlerFailsAtOnce() throws Exception {
        accepted(false).expect(publish("x", "p", 1, false, false, 1))
                .send(publish("in", "m", 0, false, false, 0));
        MqttClient client = connectedClient(config().maxInflight(1));
        client.publish("x", P, 0, 1, 1, false);
        List<MqttException> errors = new ArrayList<>();
        client.setDefaultHandler(m -> {
            try {
                client.publish("y", P, 0, 1, 1, false);
            } catch (MqttException e) {
                errors.add(e);
            }
        });
        client.poll(100);
        assertEquals(1, errors.size());
        assertEquals(Reason.INFLIGHT_WINDOW_FULL, errors.get(0).reason());
    }

    @Test
    @Covers({"MQTT-3.8.4-2"})
    void subscribeRoutesByFilterAndTheRestGoesToTheDefaultHandler() throws Exception {
        ScriptedTransport t = accepted(false)
                .expect(subscribe(1, "a/+", 1)).send(suback(1, 1))
                .expect(subscribe(2, "a/#", 0)).send(suback(9, 0)).send(suback(2, 0)) // a stray id is ignored
                .send(publish("a/b", "1", 0, false, false, 0))
                .send(publish("a/b/c", "2", 0, false, false, 0))
                .send(publish("z", "3", 0, false, false, 0))
                .expect(unsubscribe(3, "a/+")).send(unsuback(3))
                .send(publish("a/b", "4", 0, false, false, 0));
        MqttClient client = connectedClient(config());
        List<String> plus = new ArrayList<>();
        List<String> hash = new ArrayList<>();
        assertEquals(1, client.subscribe("a/+", 1, m -> plus.add(m.payloadAsString())));
        assertEquals(0, client.subscribe("a/#", 0, m -> hash.add(m.payloadAsString())));
        while (received.size() < 1) {
            client.poll(100);
        }
        client.unsubscribe("a/+");
        while (!t.isFinished()) {
            client.poll(100);
        }
        client.poll(0);
        assertEquals(List.of("1"), plus);
        assertEquals(List.of("1", "2", "4"), hash);
        assertEquals(List.of("z=3 q0"), received);
    }

    @Test
    void subscribeRefusedAndTimedOut() throws Exception {
        accepted(false).expect(subscribe(1, "no", 1)).send(suback(1, 0x80)).expect(subscribe(2, "slow", 1))
                .expect(pingreq()).send(pingresp()).expect(pingreq()).send(pingresp());
        MqttClient client = connectedClient(config().operationTimeoutMillis(20_000));
        MqttException refused = assertThrows(MqttException.class, () -> client.subscribe("no", 1, m -> { }));
        assertEquals(Reason.SUBSCRIBE_REFUSED, refused.reason());
        MqttException timeout = assertThrows(MqttException.class, () -> client.subscribe("slow", 1, m -> { }));
        assertEquals(Reason.OPERATION_TIMEOUT, timeout.reason());
        assertTrue(timeout.getMessage().contains("SUBACK") && timeout.getMessage().contains("20000"), timeout.getMessage());
    }

    @Test
    @Covers({"MQTT-3.14.4-1", "MQTT-3.14.4-2"})
    void disconnectSendsDisconnectThenClosesAndNothingElse() throws Exception {
        ScriptedTransport t = accepted(false).expect(disconnect());
        MqttClient client = connectedClient(config());
        client.disconnect();
        assertTrue(t.isClosed());
        assertFalse(client.isConnected());
        t.assertFinished();
        assertEquals(Reason.NOT_CONNECTED, assertThrows(MqttException.class, () -> client.publish("t", P, 0, 1, 0, false)).reason());
        assertTrue(Arrays.equals(Bytes.of(connect("c", false, 10), disconnect()), t.written()));
    }

    @Test
    void misuseIsRejectedNamingTheValue() throws Exception {
        accepted(false);
        MqttClient client = new MqttClient(config().build());
        IllegalStateException early = assertThrows(IllegalStateException.class, () -> client.publish("t", P, 0, 1, 0, false));
        assertTrue(early.getMessage().contains("connect"), early.getMessage());
        client.connect();
        IllegalArgumentException qos = assertThrows(IllegalArgumentException.class, () -> client.publish("t", P, 0, 1, 3, false));
        assertTrue(qos.getMessage().contains("qos 3"), qos.getMessage());
        IllegalArgumentException wildcard = assertThrows(IllegalArgumentException.class, () -> client.publish("a/+", P, 0, 1, 0, false));
        assertTrue(wildcard.getMessage().contains("MQTT-3.3.2-2"), wildcard.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MqttTopic.of("a/#"));
        assertThrows(IllegalArgumentException.class, () -> client.publish("t", P, 1, 5, 0, false));
        assertThrows(IllegalArgumentException.class, () -> client.subscribe("a/#/b", 0, m -> { }));
        MqttException tooBig = assertThrows(MqttException.class, () -> client.publish("t", new byte[20_000], 0, 20_000, 0, false));
        assertEquals(Reason.PACKET_TOO_LARGE, tooBig.reason());
        assertThrows(IllegalStateException.class, client::connect, "already connected");
        client.close();
        client.close();
        assertThrows(IllegalStateException.class, client::connect, "closed");
    }
}
