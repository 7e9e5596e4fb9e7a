package dev.wren.mqtt;

import dev.wren.mqtt.MqttException.Reason;
import dev.wren.mqtt.testing.Bytes;
import dev.wren.mqtt.testing.Covers;
import dev.wren.mqtt.testing.Packets;
import dev.wren.mqtt.testing.ScriptedTransport;
import dev.wren.mqtt.testing.TricklingTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.wren.mqtt.testing.Packets.connack;
import static dev.wren.mqtt.testing.Packets.connect;
import static dev.wren.mqtt.testing.Packets.pingreq;
import static dev.wren.mqtt.testing.Packets.pingresp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The receive path over a scripted transport and a fake clock: keep-alive judgement, deadlines, oversize checks. */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SessionReceivePathTest extends ScriptedSessionTest {

    private final List<String> received = new ArrayList<>();

    private MqttClient connectedClient(MqttConfig.Builder b) throws Exception {
        MqttClient client = new MqttClient(b.build());
        client.connect();
        client.setDefaultHandler(m -> received.add(m.topicAsString() + "=" + m.payloadAsString()));
        return client;
    }

    @Test
    void aPingrespThatArrivedBeforeALatePollIsReadBeforeTheDeadlineIsJudged() throws Exception {
        ScriptedTransport t = accepted(false).expect(pingreq()).send(pingresp());
        MqttClient client = connectedClient(config());
        assertEquals(0, client.poll(10_000), "PINGREQ goes out at 10 s");
        clock.advanceMillis(5_000); // the application was busy past the 4 s ping timeout; the PINGRESP waits unread
        assertEquals(1, client.poll(0), "the PINGRESP is handled");
        assertTrue(client.isConnected(), events.events.toString());
        t.assertFinished();
    }

    /** A PUBLISH with raw topic bytes (no validation by the test), for fixed header byte 1 {@code byte1}. */
    private static byte[] rawPublish(int byte1, byte[] topic, int packetId, int payloadBytes) {
        int qos = (byte1 >> 1) & 3;
        byte[] id = qos == 0 ? new byte[0] : Bytes.of(packetId >> 8, packetId & 0xFF);
        return Packets.withHeader(byte1, Bytes.of(topic.length >> 8, topic.length & 0xFF, topic, id, new byte[payloadBytes]));
    }

    private static byte[] longTopicWith(String middle) {
        return Bytes.of("t/".repeat(50).getBytes(StandardCharsets.UTF_8), middle.getBytes(StandardCharsets.UTF_8),
                "/end".getBytes(StandardCharsets.UTF_8));
    }

    /** Oversize PUBLISH packets (receive buffer 64 bytes) that break a rule, and the rule the client must name. */
    static Object[][] oversizeViolations() {
        byte[] okTopic = "big".getBytes(StandardCharsets.UTF_8);
        return new Object[][] {
            {"long topic with '+'", rawPublish(0x32, longTopicWith("+"), 1, 10), "MQTT-3.3.2-2"},
            {"long topic with '#'", rawPublish(0x30, longTopicWith("#"), 0, 10), "MQTT-3.3.2-2"},
            {"long topic with U+0000", rawPublish(0x30, longTopicWith("\u0000"), 0, 10), "MQTT-1.5.3-2"},
            {"long topic with a surrogate", rawPublish(0x30, Bytes.of(longTopicWith("x"), 0xED, 0xA0, 0x80), 0, 10),
                    "MQTT-1.5.3-1"},
            {"long topic with a stray continuation byte", rawPublish(0x30, Bytes.of(longTopicWith("x"), 0x80, 0x41), 0, 10),
                    "MQTT-1.5.3-1"},
            {"long topic, qos 1, packet id 0", rawPublish(0x32, longTopicWith("x"), 0, 10), "MQTT-2.3.1-1"},
            {"long topic, qos 0 with DUP", rawPublish(0x38, longTopicWith("x"), 0, 10), "MQTT-3.3.1-2"},
            {"short topic, qos 0 with DUP", rawPublish(0x38, okTopic, 0, 200), "MQTT-3.3.1-2"},
            {"short topic, qos 3", rawPublish(0x36, okTopic, 1, 200), "MQTT-3.3.1-4"},
            {"short topic, qos 2, packet id 0", rawPublish(0x34, okTopic, 0, 200), "MQTT-2.3.1-1"},
            {"short topic with '+'", rawPublish(0x30, "a/+".getBytes(StandardCharsets.UTF_8), 0, 200), "MQTT-3.3.2-2"},
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oversizeViolations")
    @Covers({"MQTT-4.8.0-1", "MQTT-3.3.2-2", "MQTT-1.5.3-1", "MQTT-1.5.3-2", "MQTT-2.3.1-1", "MQTT-3.3.1-2",
            "MQTT-3.3.1-4"})
    void anOversizePublishBreakingARuleClosesTheConnectionNamingIt(String what, byte[] packet, String rule)
            throws Exception {
        for (int perRead : new int[] {Integer.MAX_VALUE, 7, 1}) {
            ScriptedTransport t = new ScriptedTransport(clock).maxBytesPerRead(perRead)
                    .expect(connect("c", false, 10)).send(connack(false, 0)).send(packet);
            factory.then(t);
            RecordingListener listener = new RecordingListener();
            MqttClient client = new MqttClient(config().receiveBufferBytes(64).listener(listener).build());
            client.connect();
            MqttException e = assertThrows(MqttException.class, () -> client.poll(1000), what);
            assertEquals(Reason.PROTOCOL_VIOLATION, e.reason(), what + ": " + e.getMessage());
            assertEquals(rule, e.ruleId(), what + ": " + e.getMessage());
            assertTrue(t.isClosed(), what);
            assertEquals(0, client.oversizeMessageCount(), what + ": not reported as a message");
            assertEquals(List.of(e), listener.lost);
        }
    }

    @Test
    void aValidLongMultiByteTopicSplitAtEveryByteIsDrainedAndAcked() throws Exception {
        byte[] topic = longTopicWith("\u00e9\u20ac\ud83d\ude00\u00e9");
        for (int perRead : new int[] {1, 2, 3, 5, 7, 64}) {
            ScriptedTransport t = new ScriptedTransport(clock).maxBytesPerRead(perRead)
                    .expect(connect("c", false, 10)).send(connack(false, 0))
                    .send(rawPublish(0x34, topic, 0x0102, 30)).expect(Packets.pubrec(0x0102))
                    .send(Packets.publish("ok", "k", 0, false, false, 0));
            factory.then(t);
            received.clear();
            MqttClient client = connectedClient(config().receiveBufferBytes(64));
            while (!t.isFinished()) {
                client.poll(100);
            }
            assertEquals(List.of("ok=k"), received, "per read " + perRead);
            assertEquals(1, client.oversizeMessageCount());
            assertTrue(client.isConnected());
        }
    }

    @Test
    void pollReturnsByItsDeadlineWhileBytesTrickleIn() throws Exception {
        byte[] message = Packets.publish("t", "trickled", 0, false, false, 0);
        MqttClient client = new MqttClient(config().transportFactory((host, port, timeout) ->
                new TricklingTransport(clock, message, 90)).build());
        client.connect();
        client.setDefaultHandler(m -> received.add(m.topicAsString() + "=" + m.payloadAsString()));
        int polls = 0;
        while (received.isEmpty()) {
            long start = clock.nanoTime();
            client.poll(100);
            long elapsed = clock.millisSince(start);
            assertTrue(elapsed <= 100, "poll(100) took " + elapsed + " ms of fake time");
            polls++;
        }
        assertEquals(List.of("t=trickled"), received);
        assertTrue(polls >= message.length * 90 / 100, polls + " polls");
        assertTrue(client.isConnected());
    }

    /**
     * The head of the largest PUBLISH MQTT allows (remaining length 268,435,455, §2.2.3) at QoS 0 to topic "t", and
     * then {@code payloadBytes} bytes of its payload.
     */
    private static byte[] largestPublishHead(int payloadBytes) {
        return Bytes.of(0x30, 0xFF, 0xFF, 0xFF, 0x7F, 0x00, 0x01, 0x74, new byte[payloadBytes]);
    }

    private static final int LARGEST_FRAME = 5 + 268_435_455;

    /** Polls until the connection is lost, each poll returning by its timeout; returns what it threw. */
    private MqttException pollUntilLost(MqttClient client, int timeoutMillis) throws Exception {
        while (true) {
            long start = clock.nanoTime();
            try {
                client.poll(timeoutMillis);
            } catch (MqttException lost) {
                return lost;
            } finally {
                assertTrue(clock.millisSince(start) <= timeoutMillis,
                        "poll(" + timeoutMillis + ") took " + clock.millisSince(start) + " ms");
            }
        }
    }

    @Test
    void pollReturnsByItsDeadlineWhileAnOversizePublishTricklesAndKeepAliveGoesOn() throws Exception {
        // One byte per 2 s: under the 5 s stall limit, far over poll's 200 ms; 60 s in all.
        byte[] trickle = largestPublishHead(22);
        TricklingTransport transport = new TricklingTransport(clock, trickle, 2000);
        MqttClient client = new MqttClient(config().transportFactory((host, port, timeout) -> transport).build());
        client.connect();
        long connectedAt = clock.nanoTime();
        int polls = 0;
        while (transport.delivered() < trickle.length) {
            long start = clock.nanoTime();
            assertEquals(0, client.poll(200));
            assertTrue(clock.millisSince(start) <= 200, "poll(200) took " + clock.millisSince(start) + " ms");
            assertTrue(client.isConnected(), "bytes keep coming: " + events.events);
            polls++;
        }
        assertTrue(polls >= 60_000 / 200 - trickle.length, polls + " polls");
        assertEquals(List.of("connected false", "oversize t " + LARGEST_FRAME + " qos0"), events.events);
        // PINGREQ every keep-alive interval [MQTT-3.1.2-23], though the PINGRESP waits behind the PUBLISH.
        long seconds = clock.millisSince(connectedAt) / 1000;
        assertEquals(seconds / 10, transport.writesOf(pingreq()), seconds + " s: " + transport.writes());
        // The bytes stop: the PINGRESP deadline is judged from the last byte, before the stall limit would end it.
        MqttException e = pollUntilLost(client, 200);
        assertEquals(Reason.KEEP_ALIVE_TIMEOUT, e.reason(), e.getMessage());
        assertEquals(4000, clock.millisSince(transport.lastByteNanos()), "ping timeout 0.4 x 10 s after the last byte");
        assertTrue(transport.isClosed());
    }

    @Test
    void callsThatWaitForAnAnswerReturnByTheirDeadlineWhileAnOversizePublishTrickles() throws Exception {
        TricklingTransport transport = new TricklingTransport(clock, largestPublishHead(200), 1000);
        MqttClient client = new MqttClient(config().maxInflight(1)
                .transportFactory((host, port, timeout) -> transport).build());
        client.connect();
        client.publish("q", new byte[1], 0, 1, 1, false); // never acknowledged: the PUBACK would be behind the PUBLISH
        long start = clock.nanoTime();
        MqttException full = assertThrows(MqttException.class, () -> client.publish("q", new byte[1], 0, 1, 1, false));
        assertEquals(Reason.INFLIGHT_WINDOW_TIMEOUT, full.reason(), full.getMessage());
        assertEquals(5000, clock.millisSince(start), "a publish waits operationTimeoutMillis for a window slot");
        start = clock.nanoTime();
        MqttException subscribe = assertThrows(MqttException.class, () -> client.subscribe("s", 1, m -> { }));
        assertEquals(Reason.OPERATION_TIMEOUT, subscribe.reason(), subscribe.getMessage());
        assertEquals(5000, clock.millisSince(start), "subscribe waits operationTimeoutMillis for SUBACK, no longer");
        start = clock.nanoTime();
        assertFalse(client.awaitInflight(3000));
        assertEquals(3000, clock.millisSince(start));
        start = clock.nanoTime();
        MqttException unsubscribe = assertThrows(MqttException.class, () -> client.unsubscribe("s"));
        assertEquals(Reason.OPERATION_TIMEOUT, unsubscribe.reason(), unsubscribe.getMessage());
        assertEquals(5000, clock.millisSince(start));
        assertEquals(List.of("connected false", "oversize t " + LARGEST_FRAME + " qos0"), events.events);
        assertTrue(client.isConnected(), "the bytes kept coming all along");
    }

    @Test
    void aSlowButLiveOversizePublishIsDrainedEvenWhenItTakesLongerThanTheOperationTimeout() throws Exception {
        // 300 bytes at one per 90 ms: 27 s in all, over operationTimeoutMillis 5000, but never a gap near it.
        byte[] big = rawPublish(0x32, "big".getBytes(StandardCharsets.UTF_8), 9, 290);
        byte[] trickle = Bytes.of(big, Packets.publish("t", "after", 0, false, false, 0));
        MqttClient client = new MqttClient(config().keepAliveSeconds(0).receiveBufferBytes(64)
                .transportFactory((host, port, timeout) -> new TricklingTransport(clock, trickle, 90)).build());
        client.connect();
        client.setDefaultHandler(m -> received.add(m.topicAsString() + "=" + m.payloadAsString()));
        long start = clock.nanoTime();
        while (received.isEmpty()) {
            client.poll(100);
        }
        assertTrue(clock.millisSince(start) > 5000, clock.millisSince(start) + " ms");
        assertEquals(List.of("t=after"), received);
        assertEquals(1, client.oversizeMessageCount());
        assertTrue(events.events.contains("oversize big " + big.length + " qos1"), events.events.toString());
        assertTrue(client.isConnected());
    }

    @Test
    void anOversizePublishThatStallsForTheOperationTimeoutLosesTheConnectionNamingTheStall() throws Exception {
        byte[] big = rawPublish(0x30, "big".getBytes(StandardCharsets.UTF_8), 0, 290);
        byte[] head = java.util.Arrays.copyOf(big, 100); // then nothing more: a server that stalled mid-packet
        TricklingTransport transport = new TricklingTransport(clock, head, 90);
        MqttClient client = new MqttClient(config().keepAliveSeconds(0).receiveBufferBytes(64)
                .transportFactory((host, port, timeout) -> transport).build());
        client.connect();
        MqttException e = pollUntilLost(client, 100);
        assertEquals(Reason.CONNECTION_LOST, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("no byte for operationTimeoutMillis 5000")
                && e.getMessage().contains("100 of the " + big.length + " bytes"), e.getMessage());
        long stalled = clock.millisSince(transport.lastByteNanos());
        assertTrue(stalled >= 5000 && stalled < 5100, "failed a whole stall after the last byte, not later: " + stalled);
        assertEquals(List.of(e), events.lost);
    }
}
