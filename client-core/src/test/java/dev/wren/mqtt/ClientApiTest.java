package dev.wren.mqtt;

import dev.wren.mqtt.testing.ScriptedTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.wren.mqtt.testing.Packets.puback;
import static dev.wren.mqtt.testing.Packets.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API a user expects (issue 14): publish without offsets, several filters in one SUBSCRIBE / UNSUBSCRIBE,
 * subscribe before connect and while offline. Over a scripted transport and the fake clock.
 */
@Timeout(10)
class ClientApiTest extends ScriptedSessionTest {

    private static final byte[] PAYLOAD = "hello".getBytes(StandardCharsets.US_ASCII);

    @Test
    void publishWithoutOffsetsSendsTheWholePayload() throws Exception {
        ScriptedTransport t = accepted(false)
                .expect(publish("a/b", "hello", 0, true, false, 0))
                .expect(publish("a/b", "hello", 1, false, false, 1)).send(puback(1));
        MqttClient client = new MqttClient(config().build());
        client.connect();
        assertEquals(0, client.publish("a/b", PAYLOAD, 0, true));
        assertEquals(1, client.publish(MqttTopic.of("a/b"), PAYLOAD, 1, false));
        assertTrue(client.awaitInflight(1000));
        assertEquals(List.of("connected false", "complete 1"), events.events);
        t.assertFinished();
    }

    @Test
    void publishWithoutOffsetsRejectsANullPayloadOrTopicNamingIt() throws Exception {
        accepted(false);
        MqttClient client = new MqttClient(config().build());
        client.connect();
        assertEquals("payload is null", assertThrows(IllegalArgumentException.class,
                () -> client.publish(MqttTopic.of("t"), null, 0, false)).getMessage());
        assertEquals("payload is null", assertThrows(IllegalArgumentException.class,
                () -> client.publish("t", null, 0, false)).getMessage());
        assertEquals("topic is null", assertThrows(IllegalArgumentException.class,
                () -> client.publish((MqttTopic) null, PAYLOAD, 0, false)).getMessage());
    }
}
