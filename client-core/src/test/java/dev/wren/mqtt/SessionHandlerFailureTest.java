package dev.wren.mqtt;

import dev.wren.mqtt.testing.Bytes;
import dev.wren.mqtt.testing.Covers;
import dev.wren.mqtt.testing.ScriptedTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static dev.wren.mqtt.testing.Packets.connect;
import static dev.wren.mqtt.testing.Packets.puback;
import static dev.wren.mqtt.testing.Packets.pubcomp;
import static dev.wren.mqtt.testing.Packets.publish;
import static dev.wren.mqtt.testing.Packets.pubrec;
import static dev.wren.mqtt.testing.Packets.pubrel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link java.lang.Error} from a message handler, or an exception from the listener it is reported to, escapes
 * {@code poll}: the packet is consumed, a QoS 1/2 message is not acknowledged (the server re-sends it), and the next
 * poll goes on with the next packet.
 */
@Timeout(10)
class SessionHandlerFailureTest extends ScriptedSessionTest {

    /** Stands for an OutOfMemoryError or an AssertionError raised by application code. */
    private static final class HandlerError extends Error {
        HandlerError(String message) {
            super(message);
        }
    }

    private final List<String> received = new ArrayList<>();

    /** Records every message; throws {@link HandlerError} for payload "boom" the first time it sees it. */
    private void handlerFailingOnceOnBoom(MqttClient client) {
        client.setDefaultHandler(m -> {
            String text = m.topicAsString() + "=" + m.payloadAsString() + (m.dup() ? " dup" : "");
            received.add(text);
            if (m.payloadAsString().equals("boom") && received.size() == 1) {
                throw new HandlerError("handler failed on " + text);
            }
        });
    }

    @Test
    @Covers({"MQTT-4.3.2-2"})
    void anErrorFromAQos1HandlerEscapesPollWithoutPubackAndTheNextPollHandlesTheNextPacket() throws Exception {
        // Both packets arrive in one read: the second must not be parsed from a wrong offset, nor the first re-read.
        ScriptedTransport t = accepted(false)
                .send(Bytes.of(publish("t", "boom", 1, false, false, 5), publish("t", "next", 1, false, false, 6)))
                .expect(puback(6));
        MqttClient client = new MqttClient(config().build());
        client.connect();
        handlerFailingOnceOnBoom(client);
        HandlerError e = assertThrows(HandlerError.class, () -> client.poll(1000));
        assertTrue(e.getMessage().contains("t=boom"), e.getMessage());
        assertEquals(List.of("t=boom"), received);
        assertEquals(1, client.poll(1000), "the next packet, not the failed one again");
        assertEquals(List.of("t=boom", "t=next"), received);
        assertTrue(client.isConnected());
        t.assertFinished(); // PUBACK 6 only: a write of PUBACK 5 would have failed the script
    }

    @Test
    @Covers({"MQTT-4.3.3-2", "MQTT-4.4.0-1"})
    void anErrorFromAQos2HandlerLeavesTheIdFreeSoTheResentMessageIsDelivered() throws Exception {
        ScriptedTransport first = accepted(false)
                .send(publish("t", "boom", 2, false, false, 7))
                .endOfStream();
        ScriptedTransport second = accepted(true)
                .send(publish("t", "boom", 2, false, true, 7)).expect(pubrec(7)) // the server re-sends: no PUBREC came
                .send(pubrel(7)).expect(pubcomp(7));
        MqttClient client = new MqttClient(config().build());
        client.connect();
        handlerFailingOnceOnBoom(client);
        assertThrows(HandlerError.class, () -> client.poll(1000));
        assertThrows(MqttException.class, () -> client.poll(1000), "end of stream");
        assertTrue(client.connect());
        while (!second.isFinished()) {
            client.poll(100);
        }
        assertEquals(List.of("t=boom", "t=boom dup"), received, "delivered again: the first delivery failed");
        first.assertFinished();
        second.assertFinished();
    }

    @Test
    void anExceptionFromTheHandlerErrorListenerEscapesPollLikeAnError() throws Exception {
        ScriptedTransport t = accepted(false)
                .send(Bytes.of(publish("t", "bad", 1, false, false, 5), publish("t", "next", 0, false, false, 0)));
        MqttClient client = new MqttClient(config().listener(new MqttListener() {
            @Override
            public void onHandlerError(CharSequence topic, Exception e) {
                throw new IllegalStateException("listener failed on " + topic + ": " + e.getMessage());
            }
        }).build());
        client.connect();
        client.setDefaultHandler(m -> {
            received.add(m.payloadAsString());
            if (m.payloadAsString().equals("bad")) {
                throw new Exception("handler exception");
            }
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> client.poll(1000));
        assertTrue(e.getMessage().contains("listener failed on t: handler exception"), e.getMessage());
        assertEquals(1, client.poll(1000));
        assertEquals(List.of("bad", "next"), received);
        t.assertFinished(); // no PUBACK 5
    }
}
