package dev.wren.mqtt;

import dev.wren.mqtt.MqttException.Reason;
import dev.wren.mqtt.testing.Covers5;
import dev.wren.mqtt.testing.ScriptedTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.wren.mqtt.testing.Bytes.of;
import static dev.wren.mqtt.testing.Bytes.str;
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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Session resume at MQTT 5.0 (§4.4): what a reconnect re-sends with and without a session present, what it never
 * re-sends, and what is stored at 5.0 but goes out on a 3.1.1 connection after an AUTO fallback.
 */
@Timeout(10)
class SessionResume5Test extends ScriptedSessionTest {

    static final byte[] P = "p".getBytes(StandardCharsets.US_ASCII);
    /** Content Type "text/plain" and a user property k=v. */
    private static final byte[] PROPS = props(0x03, str("text/plain"), 0x26, str("k"), str("v"));

    MqttConfig.Builder config5() {
        return config().protocolVersion(MqttConfig.MQTT_5);
    }

    static PublishProperties props5() {
        return new PublishProperties(64).contentType("text/plain").userProperty("k", "v");
    }

    /**
     * a (QoS 2, id 1), b (QoS 2, id 2), c (QoS 1, id 3) with properties, d (QoS 2, id 4); PUBREC 4 then PUBREC 1,
     * then the connection drops. With a session present the PUBLISHes go again with DUP=1, their original ids and
     * their properties, in publish order, and the PUBRELs in PUBREC order.
     */
    void resumeWithASessionPresent(MqttConfig.Builder b) throws Exception {
        ScriptedTransport first = accepted5(false, new byte[0])
                .expect(publish("a", "p", 2, false, false, 1))
                .expect(publish("b", "p", 2, false, false, 2))
                .expect(publish("c", "p", 1, false, false, 3, PROPS))
                .expect(publish("d", "p", 2, false, false, 4))
                .send(pubrec(4, 0)).expect(pubrel(4))
                .send(pubrec(1, 0)).expect(pubrel(1))
                .endOfStream();
        MqttClient client = new MqttClient(b.build());
        client.connect();
        client.publish("a", P, 0, 1, 2, false);
        client.publish("b", P, 0, 1, 2, false);
        client.publish("c", P, 0, 1, 1, false, props5());
        client.publish("d", P, 0, 1, 2, false);
        MqttException lost = assertThrows(MqttException.class, () -> client.awaitInflight(1000));
        assertEquals(Reason.CONNECTION_LOST, lost.reason(), lost.getMessage());
        ScriptedTransport second = accepted5(true, new byte[0])
                .expect(pubrel(4))
                .expect(publish("b", "p", 2, false, true, 2))
                .expect(publish("c", "p", 1, false, true, 3, PROPS))
                .expect(pubrel(1))
                .send(pubcomp(4)).send(pubcomp(1)).send(pubrec(2, 0)).expect(pubrel(2)).send(pubcomp(2))
                .send(puback(3));
        assertTrue(client.connect());
        assertTrue(client.awaitInflight(1000));
        first.assertFinished();
        second.assertFinished();
        client.close();
    }

    @Test
    @Covers5({"MQTT-4.4.0-1", "MQTT-3.3.1-1", "MQTT-4.6.0-1", "MQTT-4.6.0-4", "MQTT-4.3.3-6"})
    void aSessionPresentResendsPublishesWithDupAndTheirPropertiesAndPubrelsInOrder() throws Exception {
        resumeWithASessionPresent(config5());
    }

    /**
     * Session Present 0 after a CONNECT with Clean Start 0: the server has none of this client's session state, and
     * the client discards its own [MQTT-3.2.2-5]: no DUP, no PUBREL for ids the server never saw (a QoS 2 message
     * whose PUBREC had arrived starts over from PUBLISH), and an incoming QoS 2 message that awaited its PUBREL is
     * forgotten, so the same packet id from the server is a new message. The unacknowledged messages themselves are
     * published again as new ones.
     */
    @Test
    @Covers5({"MQTT-3.2.2-5", "MQTT-4.4.0-1"})
    void noSessionPresentDiscardsTheSessionStateAndPublishesTheMessagesAgainAsNew() throws Exception {
        List<String> got = new ArrayList<>();
        ScriptedTransport first = accepted5(false, new byte[0])
                .expect(publish("a", "p", 1, false, false, 1))
                .expect(publish("b", "p", 2, false, false, 2))
                .send(pubrec(2, 0)).expect(pubrel(2))
                .send(publish("in", "x", 2, false, false, 9)).expect(of(0x50, 0x02, 0, 9)) // PUBREC 9, no PUBREL yet
                .endOfStream();
        MqttClient client = new MqttClient(config5().build());
        client.setDefaultHandler(m -> got.add(m.topicAsString() + " " + m.payloadAsString()));
        client.connect();
        client.publish("a", P, 0, 1, 1, false);
        client.publish("b", P, 0, 1, 2, false);
        assertThrows(MqttException.class, () -> client.awaitInflight(1000));
        assertEquals(List.of("in x"), got);
        ScriptedTransport second = accepted5(false, new byte[0])
                .expect(publish("a", "p", 1, false, false, 1))
                .expect(publish("b", "p", 2, false, false, 2))
                .send(publish("in", "y", 2, false, false, 9)).expect(of(0x50, 0x02, 0, 9))
                .send(puback(1)).send(pubrec(2, 0)).expect(pubrel(2)).send(pubcomp(2));
        assertEquals(false, client.connect());
        assertTrue(client.awaitInflight(1000));
        assertEquals(List.of("in x", "in y"), got, "id 9 is a new message: the old state was discarded");
        first.assertFinished();
        second.assertFinished();
    }

    /** A connection's life without a reconnect: nothing is re-sent, however long an ack takes [MQTT-4.4.0-1]. */
    @Test
    @Covers5({"MQTT-4.4.0-1", "MQTT-3.1.2-20"})
    void withoutAReconnectNothingIsResentHoweverLongTheAckTakes() throws Exception {
        ScriptedTransport t = accepted5(false, new byte[0]).expect(publish("a", "p", 1, false, false, 1));
        MqttClient client = new MqttClient(config5().build());
        client.connect();
        client.publish("a", P, 0, 1, 1, false);
        for (int i = 0; i < 3; i++) {
            t.expect(pingreq()).send(pingresp()); // only PINGREQs, a keep-alive interval (10 s) apart
            long start = clock.nanoTime();
            while (!t.isFinished() && clock.millisSince(start) < 11_000) {
                client.poll(1_000);
            }
            t.assertFinished();
        }
        t.send(puback(1));
        assertTrue(client.awaitInflight(1000));
        t.assertFinished();
    }

    /**
     * A PUBACK or PUBREC with a reason code of 0x80 or more acknowledges its PUBLISH: it is not re-sent on the next
     * connection, even with a session present [MQTT-4.4.0-2].
     */
    @Test
    @Covers5({"MQTT-4.4.0-2"})
    void aPublishRefusedByItsAckIsNotResentOnTheNextConnection() throws Exception {
        ScriptedTransport first = accepted5(false, new byte[0])
                .expect(publish("a", "p", 1, false, false, 1)).expect(publish("b", "p", 2, false, false, 2))
                .expect(publish("c", "p", 1, false, false, 3))
                .send(dev.wren.mqtt.testing.Packets5.puback(1, 0x97)).send(pubrec(2, 0x87))
                .endOfStream();
        MqttClient client = new MqttClient(config5().build());
        client.connect();
        client.publish("a", P, 0, 1, 1, false);
        client.publish("b", P, 0, 1, 2, false);
        client.publish("c", P, 0, 1, 1, false);
        assertThrows(MqttException.class, () -> client.awaitInflight(1000));
        assertEquals(1, client.inflightCount(), "only c is still unacknowledged");
        ScriptedTransport second = accepted5(true, new byte[0])
                .expect(publish("c", "p", 1, false, true, 3)).send(puback(3));
        client.connect();
        assertTrue(client.awaitInflight(1000));
        second.assertFinished();
        assertTrue(events.events.containsAll(List.of("refused 1 0x97", "refused 2 0x87")), events.events.toString());
    }

    /**
     * Four messages unacknowledged, then a server that allows 2 at once: the resume re-sends the first two and holds
     * the rest, which go in publish order as acks free room; a PUBREL goes at once, and counts as one out.
     */
    @Test
    @Covers5({"MQTT-3.3.4-7", "MQTT-3.3.4-8", "MQTT-4.9.0-2", "MQTT-4.9.0-3", "MQTT-4.4.0-1", "MQTT-4.6.0-1"})
    void aResumeSendsNoMoreThanTheNewServersReceiveMaximumAndTheRestAsAcksFreeRoom() throws Exception {
        ScriptedTransport first = accepted5(false, new byte[0])
                .expect(publish("a", "p", 2, false, false, 1)).expect(publish("b", "p", 1, false, false, 2))
                .expect(publish("c", "p", 1, false, false, 3)).expect(publish("d", "p", 2, false, false, 4))
                .send(pubrec(1, 0)).expect(pubrel(1))
                .endOfStream();
        MqttClient client = new MqttClient(config5().maxInflight(8).build());
        client.connect();
        client.publish("a", P, 0, 1, 2, false);
        client.publish("b", P, 0, 1, 1, false);
        client.publish("c", P, 0, 1, 1, false);
        client.publish("d", P, 0, 1, 2, false);
        assertThrows(MqttException.class, () -> client.awaitInflight(1000));
        ScriptedTransport second = accepted5(true, props(0x21, 0, 2)) // Receive Maximum 2
                .expect(pubrel(1)).expect(publish("b", "p", 1, false, true, 2)); // a (awaiting PUBCOMP) and b: 2
        client.connect();
        second.assertFinished(); // c and d held
        second.send(puback(2)).expect(publish("c", "p", 1, false, true, 3));
        client.poll(100);
        second.assertFinished(); // a and c out
        second.send(pubcomp(1)).expect(publish("d", "p", 2, false, true, 4));
        client.poll(100);
        second.assertFinished();
        // A new message waits for room behind the held ones, which are all out now: c and d are 2.
        MqttException full = assertThrows(MqttException.class, () -> client.publish("e", P, 0, 1, 1, false));
        assertEquals(Reason.INFLIGHT_WINDOW_TIMEOUT, full.reason());
        second.send(puback(3)).send(pubrec(4, 0)).expect(pubrel(4)).send(pubcomp(4));
        assertTrue(client.awaitInflight(1000));
        second.assertFinished();
    }

    /**
     * Messages stored under one server's limits meet a server with lower ones: those its CONNACK rules out are not
     * re-sent (each would be a protocol error, at every resume) but ended and reported with the reason code the
     * server would give; the others are re-sent.
     */
    @Test
    @Covers5({"MQTT-3.2.2-11", "MQTT-3.2.2-14", "MQTT-3.2.2-15"})
    void aResumeEndsTheMessagesTheNewConnackRulesOutAndReportsThemRefused() throws Exception {
        ScriptedTransport first = accepted5(false, new byte[0])
                .expect(publish("a", "p", 2, false, false, 1)).expect(publish("b", "p", 1, true, false, 2))
                .expect(publish("c", "p".repeat(20), 1, false, false, 3)).expect(publish("d", "p", 1, false, false, 4))
                .endOfStream();
        MqttClient client = new MqttClient(config5().build());
        client.connect();
        client.publish("a", P, 0, 1, 2, false);
        client.publish("b", P, 0, 1, 1, true);
        client.publish("c", "p".repeat(20).getBytes(), 0, 20, 1, false);
        client.publish("d", P, 0, 1, 1, false);
        assertThrows(MqttException.class, () -> client.awaitInflight(1000));
        // Maximum QoS 1, Retain Available 0, Maximum Packet Size 20
        ScriptedTransport second = accepted5(true, props(0x24, 1, 0x25, 0, 0x27, 0, 0, 0, 20))
                .expect(publish("d", "p", 1, false, true, 4)).send(puback(4));
        client.connect();
        assertTrue(client.awaitInflight(1000));
        second.assertFinished();
        List<String> after = events.events.subList(events.events.lastIndexOf("connected true"), events.events.size());
        assertEquals(List.of("connected true", "refused 1 0x9b", "refused 2 0x9a", "refused 3 0x95", "complete 4"),
                after);
    }

    /**
     * AUTO: QoS 1/2 messages published (with properties) while offline are stored as 5.0 frames; the server then
     * refuses 5.0 and the client falls back to 3.1.1, where they go out as 3.1.1 PUBLISHes (no property block, which
     * a 3.1.1 server would take for payload), in order, with their packet ids.
     */
    @Test
    void messagesStoredAt5GoOutAs311PublishesAfterAnAutoFallback() throws Exception {
        MqttClient client = new MqttClient(config().protocolVersion(MqttConfig.MQTT_AUTO).automaticReconnect(true)
                .build());
        assertEquals(1, client.publish("a", P, 0, 1, 1, false, props5())); // in the window, sent at the connect
        assertEquals(2, client.publish("b", "bb".getBytes(), 0, 2, 2, false));
        factory.then(new ScriptedTransport(clock).expect(connect("c", false, 10, CONNECT5_PROPS))
                .send(connack(false, 0x84, new byte[0])));
        ScriptedTransport t311 = accepted(false)
                .expect(dev.wren.mqtt.testing.Packets.publish("a", "p", 1, false, false, 1))
                .expect(dev.wren.mqtt.testing.Packets.publish("b", "bb", 2, false, false, 2))
                .send(puback(1)).send(dev.wren.mqtt.testing.Packets.pubrec(2)).expect(pubrel(2)).send(pubcomp(2));
        client.connect();
        assertTrue(client.awaitInflight(1000));
        t311.assertFinished();
    }

    /**
     * The same with a store that queues beyond the window ({@code queuing}, client-journal's test gives its journal):
     * the messages wait there as 5.0 frames and are rewritten as they are taken.
     */
    void messagesQueuedAt5GoOutAs311PublishesAfterAnAutoFallback(MqttConfig.Builder queuing) throws Exception {
        MqttClient client = new MqttClient(queuing.protocolVersion(MqttConfig.MQTT_AUTO).transmitBufferBytes(512)
                .maxInflight(2).build());
        client.publish("a", P, 0, 1, 1, false, props5());
        client.publish("b", "bb".getBytes(), 0, 2, 2, false);
        client.publish("c", P, 0, 1, 1, false, props5()); // beyond the window of 2: taken when a slot frees
        assertEquals(3, client.queuedCount());
        factory.then(new ScriptedTransport(clock).expect(connect("c", false, 10, CONNECT5_PROPS))
                .send(of(0x20, 0x02, 0x00, 0x01))); // a 3.1.1 server: return code 1
        ScriptedTransport t311 = accepted(false)
                .expect(dev.wren.mqtt.testing.Packets.publish("a", "p", 1, false, false, 1))
                .expect(dev.wren.mqtt.testing.Packets.publish("b", "bb", 2, false, false, 2))
                .send(puback(1))
                .expect(dev.wren.mqtt.testing.Packets.publish("c", "p", 1, false, false, 3))
                .send(dev.wren.mqtt.testing.Packets.pubrec(2)).expect(pubrel(2)).send(pubcomp(2)).send(puback(3));
        client.connect();
        assertTrue(client.awaitInflight(1000));
        t311.assertFinished();
        client.close();
    }
}
