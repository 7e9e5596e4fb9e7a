package dev.wren.mqtt;

import dev.wren.mqtt.testing.Bytes;
import dev.wren.mqtt.testing.FakeClock;
import dev.wren.mqtt.testing.RecordingTransport;
import dev.wren.mqtt.testing.ScriptedTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

import static dev.wren.mqtt.testing.Packets.connack;
import static dev.wren.mqtt.testing.Packets.connect;
import static dev.wren.mqtt.testing.Packets.disconnect;
import static dev.wren.mqtt.testing.Packets.puback;
import static dev.wren.mqtt.testing.Packets.publish;
import static dev.wren.mqtt.testing.Packets.suback;
import static dev.wren.mqtt.testing.Packets.subscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Write coalescing ({@link MqttConfig.Builder#coalesceWrites}): publishes wait in one batch with the acks of the
 * receive path, in the order produced, and go out in one transport write when the batch is full, when a round of the
 * receive loop starts, before other control packets, and on flush, disconnect and close.
 */
@Timeout(10)
class SessionWriteCoalescingTest {

    private static final int BATCH = 1024;

    private final FakeClock clock = new FakeClock();
    private final RecordingListener listener = new RecordingListener();
    /** Every transport write, as hex, in order. */
    private final List<String> writes = new ArrayList<>();
    /** The connections the client opens, in order. */
    private final Deque<ScriptedTransport> connections = new ArrayDeque<>();

    private MqttClient client(int coalesceBytes, ScriptedTransport... scripts) {
        return client(MqttConfig.builder().coalesceWrites(coalesceBytes), scripts);
    }

    /** A client over {@code scripts}, one per connection, each of whose writes is recorded in {@link #writes}. */
    private MqttClient client(MqttConfig.Builder builder, ScriptedTransport... scripts) {
        connections.addAll(Arrays.asList(scripts));
        return new MqttClient(builder.host("broker.test").clientId("c").cleanSession(false).keepAliveSeconds(10)
                .operationTimeoutMillis(5000).transmitBufferBytes(4096).clock(clock).listener(listener)
                .transportFactory((host, port, timeout) -> new RecordingTransport(connections.remove(), writes)).build());
    }

    private ScriptedTransport accepted(boolean sessionPresent) {
        return new ScriptedTransport(clock).expect(connect("c", false, 10)).send(connack(sessionPresent, 0));
    }

    private static String hex(Object... packets) {
        return Bytes.toHex(Bytes.of(packets));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String repeat(char c, int n) {
        char[] chars = new char[n];
        Arrays.fill(chars, c);
        return new String(chars);
    }

    private static void publish0(MqttClient client, String topic, String payload) throws IOException, MqttException {
        byte[] p = bytes(payload);
        client.publish(topic, p, 0, p.length, 0, false);
    }

    @Test
    void severalQos0PublishesThenPollGoOutInOneWriteInOrder() throws Exception {
        ScriptedTransport t = accepted(false)
                .expect(Bytes.of(publish("t", "a", 0, false, false, 0), publish("t", "b", 0, false, false, 0),
                        publish("u", "c", 0, false, false, 0)));
        MqttClient client = client(BATCH, t);
        client.connect();
        writes.clear();
        publish0(client, "t", "a");
        client.publish(MqttTopic.of("t"), bytes("b"), 0, 1, 0, false);
        publish0(client, "u", "c");
        assertEquals(List.of(), writes, "nothing written before poll");
        assertEquals(0, client.poll(0));
        assertEquals(List.of(hex(publish("t", "a", 0, false, false, 0), publish("t", "b", 0, false, false, 0),
                publish("u", "c", 0, false, false, 0))), writes);
        t.assertFinished();
    }

    @Test
    void aFrameThatDoesNotFitFlushesTheBatchFirstAndOneLargerThanTheBatchGoesOutAlone() throws Exception {
        String p400 = repeat('x', 400); // PUBLISH "t": 1 + 2 (remaining length 404) + 3 + 400 = 406 bytes
        String p2000 = repeat('y', 2000);
        byte[] first = publish("t", p400, 0, false, false, 0);
        assertEquals(406, first.length);
        byte[] third = publish("t", "3" + p400.substring(1), 0, false, false, 0);
        byte[] large = publish("t", p2000, 0, false, false, 0);
        ScriptedTransport t = accepted(false).expect(Bytes.of(first, first)).expect(third).expect(large)
                .expect(publish("t", "z", 0, false, false, 0));
        MqttClient client = client(BATCH, t);
        client.connect();
        writes.clear();
        publish0(client, "t", p400);
        publish0(client, "t", p400);
        assertEquals(List.of(), writes, "812 of 1024 bytes batched");
        publish0(client, "t", "3" + p400.substring(1));
        assertEquals(List.of(hex(first, first)), writes, "the third does not fit: the first two went out first");
        publish0(client, "t", p2000);
        assertEquals(List.of(hex(first, first), hex(third), hex(large)), writes,
                "larger than the batch: the batch first, then the frame on its own");
        publish0(client, "t", "z");
        client.flush();
        assertEquals(hex(publish("t", "z", 0, false, false, 0)), writes.get(3));
        assertEquals(4, writes.size());
        client.flush();
        assertEquals(4, writes.size(), "an empty batch writes nothing");
        t.assertFinished();
    }

    @Test
    void acksAndPublishesOfOnePassLeaveInTheOrderTheyWereProduced() throws Exception {
        ScriptedTransport t = accepted(false)
                .expect(publish("t", "before", 0, false, false, 0))
                .send(Bytes.of(publish("t", "a", 1, false, false, 5), publish("t", "reply", 1, false, false, 6),
                        publish("t", "c", 1, false, false, 7)))
                .expect(Bytes.of(puback(5), publish("r", "p", 0, false, false, 0), publish("r", "q", 1, false, false, 1),
                        puback(6), puback(7)));
        MqttClient client = client(BATCH, t);
        client.connect();
        client.setDefaultHandler(m -> {
            if (m.payloadAsString().equals("reply")) {
                publish0(client, "r", "p");
                client.publish("r", bytes("q"), 0, 1, 1, false);
            }
        });
        writes.clear();
        publish0(client, "t", "before");
        assertEquals(3, client.poll(100));
        assertEquals(List.of(hex(publish("t", "before", 0, false, false, 0)),
                hex(puback(5), publish("r", "p", 0, false, false, 0), publish("r", "q", 1, false, false, 1),
                        puback(6), puback(7))), writes,
                "the publish batched before poll goes out first, then the pass's acks and replies in order, in one write");
        t.assertFinished();
    }

    @Test
    void controlPacketsGoOutAfterTheBatch() throws Exception {
        ScriptedTransport t = accepted(false)
                .expect(publish("t", "a", 0, false, false, 0)).expect(subscribe(1, "s", 1)).send(suback(1, 1))
                .expect(publish("t", "b", 0, false, false, 0));
        MqttClient client = client(BATCH, t);
        client.connect();
        writes.clear();
        publish0(client, "t", "a");
        assertEquals(1, client.subscribe("s", 1, m -> { }));
        publish0(client, "t", "b");
        assertEquals(List.of(hex(publish("t", "a", 0, false, false, 0)), hex(subscribe(1, "s", 1))), writes);
        client.poll(0);
        assertEquals(List.of(hex(publish("t", "a", 0, false, false, 0)), hex(subscribe(1, "s", 1)),
                hex(publish("t", "b", 0, false, false, 0))), writes);
        t.assertFinished();
    }

    @Test
    void disconnectWritesTheBatchThenDisconnect() throws Exception {
        ScriptedTransport t = accepted(false)
                .expect(Bytes.of(publish("t", "a", 0, false, false, 0), publish("t", "b", 1, false, false, 1)))
                .expect(disconnect()).endOfStream();
        MqttClient client = client(BATCH, t);
        client.connect();
        writes.clear();
        publish0(client, "t", "a");
        client.publish("t", bytes("b"), 0, 1, 1, false);
        client.disconnect();
        assertEquals(List.of(hex(publish("t", "a", 0, false, false, 0), publish("t", "b", 1, false, false, 1)),
                hex(disconnect())), writes);
        t.assertFinished();
    }

    @Test
    void closeWritesTheBatchBeforeClosing() throws Exception {
        ScriptedTransport t = accepted(false).expect(publish("t", "a", 0, false, false, 0));
        MqttClient client = client(BATCH, t);
        client.connect();
        publish0(client, "t", "a");
        client.close();
        assertTrue(t.isClosed());
        t.assertFinished();
    }

    @Test
    void aFullWindowFlushesTheBatchBeforeWaitingForAcks() throws Exception {
        ScriptedTransport t = accepted(false)
                .expect(Bytes.of(publish("t", "a", 1, false, false, 1), publish("t", "b", 1, false, false, 2)))
                .send(puback(1))
                .expect(publish("t", "c", 1, false, false, 3));
        MqttClient client = client(MqttConfig.builder().coalesceWrites(BATCH).maxInflight(2), t);
        client.connect();
        writes.clear();
        client.publish("t", bytes("a"), 0, 1, 1, false);
        client.publish("t", bytes("b"), 0, 1, 1, false);
        assertEquals(List.of(), writes);
        assertEquals(3, client.publish("t", bytes("c"), 0, 1, 1, false), "waits for PUBACK 1, which needs the batch out");
        client.flush();
        assertEquals(List.of(hex(publish("t", "a", 1, false, false, 1), publish("t", "b", 1, false, false, 2)),
                hex(publish("t", "c", 1, false, false, 3))), writes);
        t.assertFinished();
    }

    @Test
    void aFailedFlushIsALostConnectionAndTheQos1MessagesAreResentAfterReconnect() throws Exception {
        ScriptedTransport first = accepted(false).failWrite();
        ScriptedTransport second = accepted(true)
                .expect(publish("t", "b", 1, false, true, 1)).send(puback(1));
        MqttClient client = client(BATCH, first, second);
        client.connect();
        publish0(client, "t", "a");
        assertEquals(1, client.publish("t", bytes("b"), 0, 1, 1, false));
        publish0(client, "t", "c");
        MqttException lost = assertThrows(MqttException.class, client::flush);
        assertEquals(MqttException.Reason.CONNECTION_LOST, lost.reason());
        assertFalse(client.isConnected());
        assertEquals(List.of("connected false", "lost CONNECTION_LOST"), listener.events);
        assertEquals(1, client.inflightCount(), "the QoS 1 message stays in the window; QoS 0 ones are gone");
        client.flush(); // disconnected: nothing batched, nothing to do

        assertTrue(client.connect());
        assertTrue(client.awaitInflight(1000));
        assertEquals(List.of("connected false", "lost CONNECTION_LOST", "connected true", "complete 1"), listener.events);
        first.assertFinished();
        second.assertFinished();
    }

    @Test
    void withoutCoalescingEveryPublishIsWrittenAtOnceAndFlushDoesNothing() throws Exception {
        ScriptedTransport t = accepted(false)
                .expect(publish("t", "a", 0, false, false, 0)).expect(publish("t", "b", 1, false, false, 1));
        MqttClient client = client(MqttConfig.builder(), t);
        assertEquals(0, client.config().coalesceBatchBytes());
        client.connect();
        writes.clear();
        publish0(client, "t", "a");
        client.publish("t", bytes("b"), 0, 1, 1, false);
        assertEquals(List.of(hex(publish("t", "a", 0, false, false, 0)), hex(publish("t", "b", 1, false, false, 1))),
                writes);
        client.flush();
        assertEquals(2, writes.size());
        t.assertFinished();
    }

    @Test
    void coalesceWritesAcceptsZeroOrASizeInRangeAndNamesAnyOtherValue() {
        assertEquals(0, MqttConfig.builder().host("h").coalesceWrites(0).build().coalesceBatchBytes());
        assertEquals(1024, MqttConfig.builder().host("h").coalesceWrites(1024).build().coalesceBatchBytes());
        assertEquals(1 << 20, MqttConfig.builder().host("h").coalesceWrites(1 << 20).build().coalesceBatchBytes());
        for (int bad : new int[] {-1, 1, 1023, (1 << 20) + 1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> MqttConfig.builder().coalesceWrites(bad));
            assertEquals("coalesceWrites batchBytes " + bad + " not 0 (off) and not in 1024..1048576", e.getMessage());
        }
    }
}
