package dev.wren.mqtt;

import dev.wren.mqtt.MqttException.Reason;
import dev.wren.mqtt.testing.Covers;
import dev.wren.mqtt.testing.ScriptedTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;

import static dev.wren.mqtt.testing.Packets.connect;
import static dev.wren.mqtt.testing.Packets.puback;
import static dev.wren.mqtt.testing.Packets.pubcomp;
import static dev.wren.mqtt.testing.Packets.publish;
import static dev.wren.mqtt.testing.Packets.pubrec;
import static dev.wren.mqtt.testing.Packets.pubrel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a resumed session re-sends, and in which order, when acks arrived in another order than the publishes. */
@Timeout(10)
class SessionResumeOrderTest extends ScriptedSessionTest {

    private static final byte[] P = "p".getBytes(StandardCharsets.US_ASCII);

    /**
     * a (QoS 2, id 1), b (QoS 2, id 2), c (QoS 1, id 3), d (QoS 2, id 4); PUBREC 4 arrives before PUBREC 1, then the
     * connection drops. On resume the PUBRELs go out 4 then 1 (PUBREC order), the PUBLISHes b then c (publish order).
     * Also run over a journal (client-journal's JournalSessionScriptTest).
     */
    void pubrecsOutOfPublishOrderThenResume(MqttConfig.Builder b) throws Exception {
        ScriptedTransport first = accepted(false)
                .expect(publish("a", "p", 2, false, false, 1))
                .expect(publish("b", "p", 2, false, false, 2))
                .expect(publish("c", "p", 1, false, false, 3))
                .expect(publish("d", "p", 2, false, false, 4))
                .send(pubrec(4)).expect(pubrel(4))
                .send(pubrec(1)).expect(pubrel(1))
                .send(pubrec(4)).expect(pubrel(4)) // a repeated PUBREC keeps the place the first one gave
                .endOfStream();
        ScriptedTransport second = accepted(true)
                .expect(pubrel(4))
                .expect(publish("b", "p", 2, false, true, 2))
                .expect(publish("c", "p", 1, false, true, 3))
                .expect(pubrel(1))
                .send(pubcomp(4)).send(pubcomp(1)).send(pubrec(2)).expect(pubrel(2)).send(pubcomp(2)).send(puback(3));
        MqttClient client = new MqttClient(b.build());
        client.connect();
        client.publish("a", P, 0, 1, 2, false);
        client.publish("b", P, 0, 1, 2, false);
        client.publish("c", P, 0, 1, 1, false);
        client.publish("d", P, 0, 1, 2, false);
        MqttException lost = assertThrows(MqttException.class, () -> client.awaitInflight(1000));
        assertEquals(Reason.CONNECTION_LOST, lost.reason(), lost.getMessage());
        assertEquals(4, client.inflightCount());
        assertTrue(client.connect());
        assertTrue(client.awaitInflight(1000));
        first.assertFinished();
        second.assertFinished();
        client.close();
    }

    @Test
    @Covers({"MQTT-4.6.0-4", "MQTT-4.6.0-1", "MQTT-4.4.0-1", "MQTT-3.3.1-1"})
    void resumeSendsPubrelsInPubrecOrderAndPublishesInPublishOrder() throws Exception {
        pubrecsOutOfPublishOrderThenResume(config());
    }
}
