package dev.wren.mqtt;

import dev.wren.mqtt.testing.Covers5;
import dev.wren.mqtt.testing.ScriptedTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static dev.wren.mqtt.testing.Packets.puback;
import static dev.wren.mqtt.testing.Packets.pubcomp;
import static dev.wren.mqtt.testing.Packets.pubrec;
import static dev.wren.mqtt.testing.Packets.pubrel;
import static dev.wren.mqtt.testing.Packets5.publish;
import static dev.wren.mqtt.testing.Packets5.suback;
import static dev.wren.mqtt.testing.Packets5.subscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The QoS 1 and 2 delivery protocols at MQTT 5.0 (§4.3, §4.6) both ways, over a scripted transport: packet ids,
 * DUP, what stays unacknowledged until when, the acknowledgements and their order. A success acknowledgement at 5.0
 * is the 3.1.1 bytes (remaining length 2, §3.4.2.1), which is what the client sends.
 */
@Timeout(10)
class Qos5FlowTest extends ScriptedSessionTest {

    private final List<String> got = new ArrayList<>();

    private MqttClient connected() throws Exception {
        MqttClient client = new MqttClient(config().protocolVersion(MqttConfig.MQTT_5).build());
        client.connect();
        return client;
    }

    /** Incoming QoS 1 and 2, with no handler taking them: each acknowledged with its id, in arrival order. */
    @Test
    @Covers5({"MQTT-3.3.4-1", "MQTT-2.2.1-5", "MQTT-4.3.2-4", "MQTT-4.3.3-8", "MQTT-4.3.3-11", "MQTT-4.6.0-2",
            "MQTT-4.6.0-3", "MQTT-4.5.0-2"})
    void incomingMessagesAreAcknowledgedWithTheirIdsInArrivalOrderHandledOrNot() throws Exception {
        ScriptedTransport t = accepted5(false, new byte[0])
                .send(publish("q", "1", 1, false, false, 5)).send(publish("q", "2", 2, false, false, 6))
                .send(publish("q", "3", 1, false, false, 7)).send(publish("q", "4", 2, false, false, 8))
                .expect(puback(5)).expect(pubrec(6)).expect(puback(7)).expect(pubrec(8));
        MqttClient client = connected(); // no handler, no default handler: counted as unhandled, still acknowledged
        client.poll(100);
        t.assertFinished();
        assertEquals(4, client.unhandledMessageCount());
        t.send(pubrel(8)).send(pubrel(6)).expect(pubcomp(8)).expect(pubcomp(6));
        client.poll(100);
        t.assertFinished();
    }

    /**
     * A QoS 2 message again before its PUBREL is acknowledged again and not delivered twice; after PUBCOMP the same
     * id is a new message. After a PUBACK a QoS 1 id is a new message too, whatever its DUP flag.
     */
    @Test
    @Covers5({"MQTT-4.3.3-10", "MQTT-4.3.3-12", "MQTT-4.3.2-5"})
    void theSameIdIsADuplicateOnlyUntilItsExchangeEnds() throws Exception {
        ScriptedTransport t = accepted5(false, new byte[0])
                .send(publish("q", "x", 2, false, false, 9)).send(publish("q", "x", 2, false, true, 9))
                .expect(pubrec(9)).expect(pubrec(9));
        MqttClient client = connected();
        client.setDefaultHandler(m -> got.add(m.payloadAsString()));
        client.poll(100);
        t.assertFinished();
        assertEquals(List.of("x"), got, "delivered once");
        t.send(pubrel(9)).send(publish("q", "y", 2, false, false, 9)).expect(pubcomp(9)).expect(pubrec(9))
                .send(publish("q", "a", 1, false, false, 3)).send(publish("q", "b", 1, false, true, 3))
                .expect(puback(3)).expect(puback(3));
        client.poll(100);
        client.poll(100);
        t.assertFinished();
        assertEquals(List.of("x", "y", "a", "b"), got);
    }

    /**
     * Outgoing: each new message gets an unused non-zero id and DUP 0; it stays in flight until PUBACK (QoS 1) or
     * PUBCOMP (QoS 2, PUBREL sent on PUBREC); a SUBSCRIBE takes an id no message in flight holds. A message the
     * client re-publishes from a handler goes with DUP 0 although it arrived with DUP 1.
     */
    @Test
    @Covers5({"MQTT-2.2.1-3", "MQTT-4.3.2-1", "MQTT-4.3.2-2", "MQTT-4.3.2-3", "MQTT-4.3.3-1", "MQTT-4.3.3-2",
            "MQTT-4.3.3-3", "MQTT-4.3.3-4", "MQTT-4.3.3-5", "MQTT-3.3.1-3"})
    void outgoingMessagesTakeUnusedIdsAndStayInFlightUntilTheirLastAck() throws Exception {
        ScriptedTransport t = accepted5(false, new byte[0])
                .expect(publish("a", "1", 1, false, false, 1)).expect(publish("b", "2", 2, false, false, 2));
        MqttClient client = connected();
        assertEquals(1, client.publish("a", "1".getBytes(), 0, 1, 1, false));
        assertEquals(2, client.publish("b", "2".getBytes(), 0, 1, 2, false));
        t.expect(subscribe(3, "echo/in", 1)).send(suback(3, 1));
        client.subscribe("echo/in", 1, m -> {
            try {
                client.publish("echo/out", m.payloadAsString().getBytes(), 0, m.payloadLength(), 1, false);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        t.assertFinished();
        assertEquals(2, client.inflightCount());
        t.send(pubrec(2)).expect(pubrel(2));
        client.poll(100);
        assertEquals(2, client.inflightCount(), "PUBREL sent, PUBCOMP awaited");
        t.send(puback(1)).send(pubcomp(2));
        client.poll(100);
        assertEquals(0, client.inflightCount());
        t.assertFinished();
        t.send(publish("echo/in", "e", 1, false, true, 40))
                .expect(publish("echo/out", "e", 1, false, false, 4)).expect(puback(40));
        client.poll(100);
        t.assertFinished();
        assertTrue(client.isConnected());
    }
}
