package dev.wren.mqtt;

import dev.wren.mqtt.MqttException.Reason;
import dev.wren.mqtt.testing.Bytes;
import dev.wren.mqtt.testing.Covers;
import dev.wren.mqtt.testing.FakeClock;
import dev.wren.mqtt.testing.ScriptedTransport;
import dev.wren.mqtt.testing.ScriptedTransportFactory;
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
import static dev.wren.mqtt.testing.Packets.puback;
import static dev.wren.mqtt.testing.Packets.pubcomp;
import static dev.wren.mqtt.testing.Packets.publish;
import static dev.wren.mqtt.testing.Packets.pubrec;
import static dev.wren.mqtt.testing.Packets.pubrel;
import static dev.wren.mqtt.testing.Packets.suback;
import static dev.wren.mqtt.testing.Packets.subscribe;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MQTT 3.1.1 normative statements on the client side, each proven over a scripted transport: the exact bytes the
 * client writes (packet ids, flags, order) are the expectations of the script.
 */
@Timeout(60)
class NormativeClientRulesTest {

    private static final byte[] P = "p".getBytes(StandardCharsets.US_ASCII);

    private final FakeClock clock = new FakeClock();
    private final ScriptedTransportFactory factory = new ScriptedTransportFactory();
    private final RecordingListener events = new RecordingListener();
    private final List<String> received = new ArrayList<>();

    private MqttConfig.Builder config(boolean cleanSession) {
        return MqttConfig.builder().host("broker.test").clientId("c").cleanSession(cleanSession).keepAliveSeconds(10)
                .operationTimeoutMillis(5000).transportFactory(factory).clock(clock).listener(events);
    }

    /** The next connection: expects CONNECT for "c" (keep-alive 10 s) and answers CONNACK 0. */
    private ScriptedTransport accepted(boolean cleanSession, boolean sessionPresent) {
        ScriptedTransport t = new ScriptedTransport(clock).expect(connect("c", cleanSession, 10))
                .send(connack(sessionPresent, 0));
        factory.then(t);
        return t;
    }

    private void record(MqttMessage m) {
        received.add(m.topicAsString() + "=" + m.payloadAsString() + " q" + m.qos() + (m.dup() ? " dup" : ""));
    }

    private static void pollUntilFinished(MqttClient client, ScriptedTransport t) throws Exception {
        for (int i = 0; i < 100 && !t.isFinished(); i++) {
            client.poll(100);
        }
        t.assertFinished();
    }

    private static boolean startsWith(byte[] all, byte[] prefix) {
        return all.length >= prefix.length && Arrays.equals(Arrays.copyOf(all, prefix.length), prefix);
    }

    /**
     * Ids 1 (QoS 1, unacknowledged) and 2 (QoS 2, PUBREC in, PUBCOMP not yet) stay in use while ids 3..65535 are
     * used and acknowledged; after the wrap the client skips 1 and 2 and reuses 3 and 4, whose acks it processed.
     */
    @Test
    @Covers({"MQTT-2.3.1-2", "MQTT-2.3.1-3"})
    void newPacketsGetAnUnusedIdAndAnIdIsReusedOnlyAfterItsAck() throws Exception {
        ScriptedTransport t = accepted(false, false)
                .expect(publish("a", "p", 1, false, false, 1))
                .expect(publish("b", "p", 2, false, false, 2)).send(pubrec(2)).expect(pubrel(2))
                .expect(subscribe(3, "s", 1)).send(suback(3, 1));
        MqttClient client = new MqttClient(config(false).build());
        client.connect();
        assertEquals(1, client.publish("a", P, 0, 1, 1, false));
        assertEquals(2, client.publish("b", P, 0, 1, 2, false));
        assertEquals(1, client.poll(0), "PUBREC 2");
        assertEquals(1, client.subscribe("s", 1, this::record));
        for (int id = 4; id <= 65535; id++) {
            t.expect(publish("t", "p", 1, false, false, id)).send(puback(id));
            assertEquals(id, client.publish("t", P, 0, 1, 1, false));
            assertEquals(1, client.poll(0), "PUBACK " + id);
        }
        assertEquals(2, client.inflightCount(), "ids 1 and 2 still unacknowledged");
        // Wrapped: 1 and 2 are in use; 3 (SUBACK processed) and 4 (PUBACK processed) are free again.
        t.expect(publish("t", "p", 1, false, false, 3)).expect(publish("t", "p", 2, false, false, 4));
        assertEquals(3, client.publish("t", P, 0, 1, 1, false));
        assertEquals(4, client.publish("t", P, 0, 1, 2, false));
        t.assertFinished();
        assertEquals(4, client.inflightCount());
    }

    /**
     * Clean session 0: the session state — an unacknowledged QoS 1 PUBLISH, a QoS 2 PUBLISH whose PUBREC arrived,
     * an incoming QoS 2 PUBLISH not yet released — outlives a lost connection. With the session resumed the client
     * re-sends PUBLISH with DUP=1 and PUBREL under the same ids, and does not deliver the server's re-sent incoming
     * QoS 2 message a second time.
     */
    @Test
    @Covers({"MQTT-4.1.0-1", "MQTT-2.3.1-3"})
    void sessionStateSurvivesALostConnectionAndIsResentUnderTheSameIds() throws Exception {
        ScriptedTransport first = accepted(false, false)
                .expect(publish("a", "p", 1, false, false, 1))
                .expect(publish("b", "p", 2, false, false, 2)).send(pubrec(2)).expect(pubrel(2))
                .send(publish("in", "x", 2, false, false, 9)).expect(pubrec(9))
                .failRead();
        ScriptedTransport second = accepted(false, true)
                .expect(publish("a", "p", 1, false, true, 1))
                .expect(pubrel(2))
                .send(publish("in", "x", 2, false, true, 9)).expect(pubrec(9))
                .send(pubrel(9)).expect(pubcomp(9))
                .send(puback(1)).send(pubcomp(2));
        MqttClient client = new MqttClient(config(false).build());
        client.connect();
        client.setDefaultHandler(this::record);
        client.publish("a", P, 0, 1, 1, false);
        client.publish("b", P, 0, 1, 2, false);
        MqttException lost = assertThrows(MqttException.class, () -> {
            while (true) {
                client.poll(100);
            }
        });
        first.assertFinished();
        assertEquals(Reason.CONNECTION_LOST, lost.reason());
        assertEquals(2, client.inflightCount(), "both outgoing messages kept");

        assertTrue(client.connect(), "session present");
        pollUntilFinished(client, second);
        assertTrue(client.awaitInflight(1000));
        assertEquals(List.of("in=x q2"), received, "the re-sent incoming QoS 2 message is not delivered again");
        assertEquals(List.of("connected false", "lost CONNECTION_LOST", "connected true", "complete 1", "complete 2"),
                events.events);
    }

    /**
     * What the client does with CleanSession=1 (documented in {@link MqttClient}, "Delivery"): the CONNACK never has
     * a session present, so the client discards its protocol state of the previous session — the PUBREC it had
     * received (the QoS 2 message starts over from PUBLISH, DUP=0, not PUBREL) and the incoming QoS 2 ids awaiting
     * PUBREL (the same id is then a new message and is delivered). The unacknowledged messages themselves are kept
     * as the application's outgoing queue and published again as new messages.
     */
    @Test
    @Covers({"MQTT-3.1.2-6"})
    void cleanSessionDiscardsThePreviousSessionsProtocolState() throws Exception {
        ScriptedTransport first = accepted(true, false)
                .expect(publish("b", "p", 2, false, false, 1)).send(pubrec(1)).expect(pubrel(1))
                .send(publish("in", "x", 2, false, false, 9)).expect(pubrec(9))
                .failRead();
        ScriptedTransport second = accepted(true, false)
                .expect(publish("b", "p", 2, false, false, 1)) // PUBLISH again, not PUBREL, and without DUP
                .send(publish("in", "y", 2, false, false, 9)).expect(pubrec(9)) // id 9 is free: a new message
                .send(pubrec(1)).expect(pubrel(1)).send(pubcomp(1))
                .send(pubrel(9)).expect(pubcomp(9));
        MqttClient client = new MqttClient(config(true).build());
        client.connect();
        client.setDefaultHandler(this::record);
        client.publish("b", P, 0, 1, 2, false);
        assertEquals(Reason.CONNECTION_LOST, assertThrows(MqttException.class, () -> {
            while (true) {
                client.poll(100);
            }
        }).reason());
        first.assertFinished();

        assertFalse(client.connect());
        pollUntilFinished(client, second);
        assertTrue(client.awaitInflight(1000));
        assertEquals(List.of("in=x q2", "in=y q2"), received);
    }

    /**
     * With automatic reconnect and a message queued before the first connect, each new connection starts with
     * CONNECT: the queued message, the re-sent window and the resubscription all follow it.
     */
    @Test
    @Covers({"MQTT-3.1.0-1"})
    void theFirstPacketOnEveryConnectionIsConnect() throws Exception {
        ScriptedTransport first = accepted(false, false)
                .expect(publish("q", "p", 1, false, false, 1))
                .expect(subscribe(2, "s", 1)).send(suback(2, 1))
                .expect(publish("z", "p", 0, false, false, 0))
                .endOfStream();
        ScriptedTransport second = accepted(false, false)
                .expect(publish("q", "p", 1, false, false, 1))
                .expect(subscribe(3, "s", 1)).send(suback(3, 1))
                .send(puback(1));
        MqttClient client = new MqttClient(config(false).automaticReconnect(true).reconnectBackoff(1, 1, 1.0, 0.0).build());
        client.publish("q", P, 0, 1, 1, false); // queued: not connected yet
        assertEquals(0, factory.openedCount());
        client.poll(0); // the first attempt
        assertTrue(client.isConnected());
        client.subscribe("s", 1, this::record);
        client.publish("z", P, 0, 1, 0, false);
        client.poll(0); // end of stream: lost, the next attempt is 1 ms away
        assertFalse(client.isConnected());
        clock.advanceMillis(1);
        client.poll(0); // reconnects
        assertTrue(client.isConnected());
        assertTrue(client.awaitInflight(1000));

        assertEquals(2, factory.openedCount());
        for (ScriptedTransport t : List.of(first, second)) {
            t.assertFinished();
            assertTrue(startsWith(t.written(), connect("c", false, 10)), Bytes.toHex(t.written()));
        }
    }

    /**
     * Table 3.4: QoS 0 gets no answer, QoS 1 PUBACK, QoS 2 PUBREC (then PUBCOMP for PUBREL) — also when no handler
     * takes the message or its handler throws.
     */
    @ParameterizedTest
    @ValueSource(strings = {"no handler at all", "a handler for another filter", "the handler throws",
            "the default handler throws"})
    @Covers({"MQTT-3.3.4-1", "MQTT-4.5.0-2"})
    void everyIncomingPublishIsAnsweredByItsQosWhateverTheHandlers(String handlers) throws Exception {
        ScriptedTransport t = accepted(false, false);
        boolean subscribes = !handlers.equals("no handler at all") && !handlers.equals("the default handler throws");
        String filter = handlers.equals("the handler throws") ? "t/#" : "other/#";
        byte[] subscribePacket = subscribes ? subscribe(1, filter, 1) : new byte[0];
        if (subscribes) {
            t.expect(subscribePacket).send(suback(1, 1));
        }
        t.send(Bytes.of(publish("t/0", "a", 0, false, false, 0), publish("t/1", "b", 1, false, false, 5),
                        publish("t/2", "c", 2, false, false, 6)))
                .expect(puback(5)).expect(pubrec(6))
                .send(pubrel(6)).expect(pubcomp(6));
        MqttClient client = new MqttClient(config(false).build());
        client.connect();
        MessageHandler throwing = m -> {
            throw new IllegalStateException("refused " + m.payloadAsString());
        };
        if (subscribes) {
            client.subscribe(filter, 1, throwing);
        }
        if (handlers.equals("the default handler throws")) {
            client.setDefaultHandler(throwing);
        }
        pollUntilFinished(client, t);
        client.poll(0);
        byte[] expected = Bytes.of(connect("c", false, 10), subscribePacket, puback(5), pubrec(6), pubcomp(6));
        assertArrayEquals(expected, t.written(), "nothing for QoS 0; one answer each for QoS 1 and 2");
        boolean thrown = handlers.endsWith("throws");
        assertEquals(thrown ? 0 : 3, client.unhandledMessageCount());
        long errors = events.events.stream().filter(e -> e.startsWith("handler error")).count();
        assertEquals(thrown ? 3 : 0, errors, events.events.toString());
        assertTrue(client.isConnected());
    }

    /**
     * A transient shortage while handling an inbound PUBLISH — no room left to remember one more unreleased
     * incoming QoS 2 id — closes the connection without acknowledging or delivering it (the server re-sends it).
     */
    @Test
    @Covers({"MQTT-4.8.0-2"})
    void runningOutOfIncomingQos2RoomClosesTheConnection() throws Exception {
        ScriptedTransport t = accepted(false, false)
                .send(publish("t", "1", 2, false, false, 1)).expect(pubrec(1))
                .send(publish("t", "2", 2, false, false, 2));
        MqttClient client = new MqttClient(config(false).maxIncomingQos2(1).build());
        client.connect();
        client.setDefaultHandler(this::record);
        MqttException e = assertThrows(MqttException.class, () -> {
            while (true) {
                client.poll(100);
            }
        });
        assertEquals(Reason.INCOMING_QOS2_TABLE_FULL, e.reason());
        assertTrue(e.getMessage().contains("id 2") && e.getMessage().contains("maxIncomingQos2 1"), e.getMessage());
        assertTrue(t.isClosed(), "connection closed");
        assertFalse(client.isConnected());
        assertEquals(List.of("t=1 q2"), received);
        assertArrayEquals(Bytes.of(connect("c", false, 10), pubrec(1)), t.written(), "no PUBREC for id 2");
        assertEquals(List.of(e), events.lost);
    }

    /** A write failure while acknowledging an inbound PUBLISH closes the connection it arrived on. */
    @Test
    @Covers({"MQTT-4.8.0-2"})
    void aFailedAckWriteClosesTheConnection() throws Exception {
        ScriptedTransport t = accepted(false, false).send(publish("t", "1", 1, false, false, 4)).failWrite();
        MqttClient client = new MqttClient(config(false).build());
        client.connect();
        client.setDefaultHandler(this::record);
        MqttException e = assertThrows(MqttException.class, () -> client.poll(100));
        assertEquals(Reason.CONNECTION_LOST, e.reason());
        assertTrue(e.getCause() instanceof IOException, String.valueOf(e.getCause()));
        assertTrue(t.isClosed());
        assertFalse(client.isConnected());
        assertEquals(List.of("t=1 q1"), received);
    }

    /**
     * A zero-byte client id with CleanSession=0 would make the server answer 0x02: the configuration refuses it
     * before any connection; a server's 0x02 refusal (of any id) surfaces as {@code REFUSED_IDENTIFIER_REJECTED}.
     */
    @Test
    @Covers({"MQTT-3.1.3-8"})
    void anEmptyClientIdWithAPersistentSessionIsRefusedBeforeConnecting() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> config(false).clientId("").build());
        assertTrue(e.getMessage().contains("cleanSession(true)"), e.getMessage());
        assertEquals(0, factory.openedCount());

        ScriptedTransport t = new ScriptedTransport(clock).expect(connect("c", false, 10)).send(connack(false, 0x02));
        factory.then(t);
        MqttException refused = assertThrows(MqttException.class, new MqttClient(config(false).build())::connect);
        assertEquals(Reason.REFUSED_IDENTIFIER_REJECTED, refused.reason());
        assertTrue(t.isClosed());
    }
}
