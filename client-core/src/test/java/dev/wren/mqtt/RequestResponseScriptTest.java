package dev.wren.mqtt;

import dev.wren.mqtt.testing.Covers5;
import dev.wren.mqtt.testing.ScriptedTransport;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.wren.mqtt.testing.Bytes.str;
import static dev.wren.mqtt.testing.Packets.puback;
import static dev.wren.mqtt.testing.Packets5.connack;
import static dev.wren.mqtt.testing.Packets5.connect;
import static dev.wren.mqtt.testing.Packets5.props;
import static dev.wren.mqtt.testing.Packets5.publish;
import static dev.wren.mqtt.testing.Packets5.suback;
import static dev.wren.mqtt.testing.Packets5.subscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link MqttClient#request} and {@link MqttClient#responseInformation} (MQTT 5.0 §4.10) over scripted transports. */
class RequestResponseScriptTest extends ScriptedSessionTest {

    private static final byte[] CORRELATION_A1 = "a1".getBytes();

    private final List<String> responses = new ArrayList<>();
    private final MessageHandler sink = m -> responses.add(m.topicAsString() + " " + m.payloadAsString());

    /** Connected at 5.0 with Request Response Information 1; the CONNACK gives {@code connackProps}. */
    private MqttClient connected(ScriptedTransport[] t, byte[] connackProps) throws Exception {
        t[0] = new ScriptedTransport(clock).expect(connect("c", false, 10, props(0x21, 0, 64, 0x19, 1)))
                .send(connack(false, 0, connackProps));
        factory.then(t[0]);
        MqttClient client = new MqttClient(config().protocolVersion(MqttConfig.MQTT_5)
                .requestResponseInformation(true).build());
        client.connect();
        return client;
    }

    /** Response Topic (0x08) and Correlation Data (0x09) as a PUBLISH carries them. */
    private static byte[] requestProps(String responseTopic, String correlation) {
        return props(0x08, str(responseTopic), 0x09, str(correlation));
    }

    @Test
    @Covers5({"MQTT-3.3.2-14"})
    void aRequestSubscribesOnceSendsResponseTopicAndCorrelationAndGetsOnlyTheMatchingResponse() throws Exception {
        ScriptedTransport[] t = new ScriptedTransport[1];
        MqttClient client = connected(t, props(0x1A, str("resp/c/")));
        assertEquals("resp/c/", client.connackProperties().responseInformation());
        String responseTopic = client.connackProperties().responseInformation() + "answers";
        t[0].expect(subscribe(1, "resp/c/answers", 1)).send(suback(1, 1))
                .expect(publish("svc/q", "q1", 1, false, false, 2, requestProps("resp/c/answers", "a1")))
                .send(puback(2))
                .send(publish("resp/c/answers", "late", 0, false, false, 0, props(0x09, str("zz"))))
                .send(publish("resp/c/answers", "none", 0, false, false, 0, props()))
                .send(publish("resp/c/answers", "r1", 0, false, false, 0, props(0x09, str("a1"))));
        assertTrue(client.request("svc/q", "q1".getBytes(), 0, 2, 1, responseTopic, CORRELATION_A1, 0, 2, 5_000, sink));
        assertEquals(List.of("resp/c/answers r1"), responses, "only the response carrying a1");

        // The second request: no SUBSCRIBE, and the correlation data of this call
        t[0].expect(publish("svc/q", "q2", 1, false, false, 3, requestProps("resp/c/answers", "a2")))
                .send(puback(3))
                .send(publish("resp/c/answers", "r2", 1, false, false, 7, props(0x09, str("a2"))))
                .expect(dev.wren.mqtt.testing.Packets.puback(7));
        byte[] correlation = "xa2x".getBytes();
        assertTrue(client.request("svc/q", "q2".getBytes(), 0, 2, 1, responseTopic, correlation, 1, 2, 5_000, sink));
        assertEquals(List.of("resp/c/answers r1", "resp/c/answers r2"), responses);
        t[0].assertFinished();
    }

    @Test
    void aRequestWithoutAnswerReturnsFalseByItsTimeoutOnTheConfiguredClock() throws Exception {
        ScriptedTransport[] t = new ScriptedTransport[1];
        MqttClient client = connected(t, props());
        assertNull(client.connackProperties().responseInformation(), "the server sent no Response Information");
        t[0].expect(subscribe(1, "my/answers", 0)).send(suback(1, 0))
                .expect(publish("svc/q", "q", 0, false, false, 0, requestProps("my/answers", "a1")));
        long start = clock.nanoTime();
        assertFalse(client.request("svc/q", "q".getBytes(), 0, 1, 0, "my/answers", CORRELATION_A1, 0, 2, 2_000, sink));
        long waited = clock.millisSince(start);
        assertTrue(waited >= 2_000 && waited <= 2_100, "returned after " + waited + " ms of a 2000 ms timeout");
        assertEquals(List.of(), responses);
        t[0].assertFinished();
    }

    @Test
    void aRequestAtProtocol4IsRefusedBeforeAnythingIsSent() throws Exception {
        ScriptedTransport t = accepted(false);
        MqttClient client = new MqttClient(config().build());
        client.connect();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> client.request("svc/q",
                "q".getBytes(), 0, 1, 0, "my/answers", CORRELATION_A1, 0, 2, 2_000, sink));
        assertTrue(e.getMessage().contains("request needs MQTT 5.0"), e.getMessage());
        t.assertFinished(); // nothing sent: not even the SUBSCRIBE
    }
}
