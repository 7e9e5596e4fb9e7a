package dev.wren.mqtt;

import dev.wren.mqtt.testing.Bytes;
import dev.wren.mqtt.testing.FakeClock;
import dev.wren.mqtt.testing.RecordingTransport;
import dev.wren.mqtt.testing.ScriptedTransport;
import dev.wren.mqtt.transport.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.wren.mqtt.testing.Packets.connack;
import static dev.wren.mqtt.testing.Packets.connect;
import static dev.wren.mqtt.testing.Packets.disconnect;
import static dev.wren.mqtt.testing.Packets.puback;
import static dev.wren.mqtt.testing.Packets.pubcomp;
import static dev.wren.mqtt.testing.Packets.publish;
import static dev.wren.mqtt.testing.Packets.pubrec;
import static dev.wren.mqtt.testing.Packets.pubrel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Acks produced while one poll pass handles several packets go out in one transport write at the end of the pass
 * (one TLS record instead of one each), but never after a later packet and never across a wait.
 */
@Timeout(10)
class SessionAckBatchingTest {

    private static final byte[] P = "p".getBytes(StandardCharsets.US_ASCII);

    private final FakeClock clock = new FakeClock();
    /** Every transport write, as hex, in order. */
    private final List<String> writes = new ArrayList<>();

    /** A client over {@code script}, each of whose writes is recorded in {@link #writes}. */
    private MqttClient client(ScriptedTransport script) {
        Transport recording = new RecordingTransport(script, writes);
        return new MqttClient(MqttConfig.builder().host("broker.test").clientId("c").cleanSession(false)
                .keepAliveSeconds(10).operationTimeoutMillis(5000).clock(clock)
                .transportFactory((host, port, timeout) -> recording).build());
    }

    private ScriptedTransport accepted() {
        return new ScriptedTransport(clock).expect(connect("c", false, 10)).send(connack(false, 0));
    }

    @Test
    void theAcksOfPacketsHandledInOnePassGoOutInOneWrite() throws Exception {
        ScriptedTransport t = accepted()
                .send(Bytes.of(publish("t", "a", 1, false, false, 5), publish("t", "b", 2, false, false, 6),
                        pubrel(7), publish("t", "c", 0, false, false, 0)))
                .expect(Bytes.of(puback(5), pubrec(6), pubcomp(7)));
        MqttClient client = client(t);
        client.connect();
        client.setDefaultHandler(m -> { });
        writes.clear();
        assertEquals(4, client.poll(100));
        assertEquals(List.of(Bytes.toHex(Bytes.of(puback(5), pubrec(6), pubcomp(7)))), writes);
        t.assertFinished();
    }

    @Test
    void aPublishFromAHandlerGoesOutAfterTheAcksBeforeItAndBeforeTheAcksAfterIt() throws Exception {
        ScriptedTransport t = accepted()
                .send(Bytes.of(publish("t", "a", 1, false, false, 5), publish("t", "reply", 1, false, false, 6),
                        publish("t", "c", 1, false, false, 7)))
                .expect(puback(5)).expect(publish("r", "p", 0, false, false, 0)).expect(Bytes.of(puback(6), puback(7)));
        MqttClient client = client(t);
        client.connect();
        client.setDefaultHandler(m -> {
            if (m.payloadAsString().equals("reply")) {
                client.publish("r", P, 0, 1, 0, false);
            }
        });
        writes.clear();
        assertEquals(3, client.poll(100));
        assertEquals(List.of(Bytes.toHex(puback(5)), Bytes.toHex(publish("r", "p", 0, false, false, 0)),
                Bytes.toHex(Bytes.of(puback(6), puback(7)))), writes);
        t.assertFinished();
    }

    @Test
    void disconnectFromAHandlerSendsTheAcksBeforeItThenDisconnect() throws Exception {
        ScriptedTransport t = accepted()
                .send(Bytes.of(publish("t", "a", 1, false, false, 5), publish("t", "bye", 0, false, false, 0)))
                .expect(puback(5)).expect(disconnect());
        MqttClient client = client(t);
        client.connect();
        client.setDefaultHandler(m -> {
            if (m.payloadAsString().equals("bye")) {
                client.disconnect();
            }
        });
        client.poll(100);
        t.assertFinished();
    }

    @Test
    void anErrorFromAHandlerStillSendsTheAcksOfThePacketsBeforeIt() throws Exception {
        ScriptedTransport t = accepted()
                .send(Bytes.of(publish("t", "a", 1, false, false, 5), publish("t", "boom", 1, false, false, 6)))
                .expect(puback(5));
        MqttClient client = client(t);
        client.connect();
        client.setDefaultHandler(m -> {
            if (m.payloadAsString().equals("boom")) {
                throw new StackOverflowError("handler");
            }
        });
        assertThrows(StackOverflowError.class, () -> client.poll(100));
        t.assertFinished();
    }
}
