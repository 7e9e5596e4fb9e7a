package dev.wren.mqtt;

import dev.wren.mqtt.MqttException.Reason;
import dev.wren.mqtt.testing.FakeClock;
import dev.wren.mqtt.testing.ScriptedTransport;
import dev.wren.mqtt.testing.ScriptedTransportFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
 * Handlers and listener callbacks that call back into the client while the caller's thread is inside a loop that
 * drives the receive path. A separate thread enforces the timeout: a loop that spins must fail the test, not hang it.
 */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SessionReentryTest {

    private static final byte[] P = "p".getBytes(StandardCharsets.US_ASCII);

    private final FakeClock clock = new FakeClock();
    private final ScriptedTransportFactory factory = new ScriptedTransportFactory();
    private final RecordingListener events = new RecordingListener();

    private MqttConfig.Builder config() {
        return MqttConfig.builder().host("broker.test").clientId("c").cleanSession(false).keepAliveSeconds(10)
                .operationTimeoutMillis(5000).transportFactory(factory).clock(clock).listener(events);
    }

    private ScriptedTransport accepted() {
        ScriptedTransport t = new ScriptedTransport(clock).expect(connect("c", false, 10)).send(connack(false, 0));
        factory.then(t);
        return t;
    }

    @Test
    void closeFromAHandlerWhilePublishWaitsForAWindowSlotStopsTheWaitAtOnce() throws Exception {
        accepted().expect(publish("x", "p", 1, false, false, 1)).send(publish("in", "m", 0, false, false, 0));
        MqttClient client = new MqttClient(config().maxInflight(1).build());
        client.connect();
        client.publish("x", P, 0, 1, 1, false);
        client.setDefaultHandler(m -> client.close());
        long start = clock.nanoTime();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> client.publish("y", P, 0, 1, 1, false));
        assertTrue(e.getMessage().contains("closed") && e.getMessage().contains("window slot"), e.getMessage());
        assertEquals(0, clock.millisSince(start), "no wait after the close");
    }

    @Test
    void disconnectFromAHandlerWhilePublishWaitsForAWindowSlotStopsTheWaitAtOnce() throws Exception {
        accepted().expect(publish("x", "p", 1, false, false, 1)).send(publish("in", "m", 0, false, false, 0))
                .expect(disconnect());
        MqttClient client = new MqttClient(config().maxInflight(1).build());
        client.connect();
        client.publish("x", P, 0, 1, 1, false);
        client.setDefaultHandler(m -> client.disconnect());
        MqttException e = assertThrows(MqttException.class, () -> client.publish("y", P, 0, 1, 1, false));
        assertEquals(Reason.NOT_CONNECTED, e.reason());
        assertTrue(e.getMessage().contains("disconnect()"), e.getMessage());
        assertEquals(1, client.inflightCount(), "the first message stays in the window; the second was not taken");
    }

    @Test
    void closeFromAPublishCompleteListenerWhilePublishWaitsDoesNotSendIntoAClosedClient() throws Exception {
        accepted().expect(publish("x", "p", 1, false, false, 1)).send(puback(1));
        MqttClient[] holder = new MqttClient[1];
        MqttClient client = new MqttClient(config().maxInflight(1).listener(new MqttListener() {
            @Override
            public void onPublishComplete(int packetId) {
                holder[0].close();
            }
        }).build());
        holder[0] = client;
        client.connect();
        client.publish("x", P, 0, 1, 1, false);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> client.publish("y", P, 0, 1, 1, false));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertEquals(0, client.inflightCount());
    }

    @Test
    void closeFromAHandlerDuringAwaitInflightStopsTheWait() throws Exception {
        accepted().expect(publish("x", "p", 1, false, false, 1)).send(publish("in", "m", 0, false, false, 0));
        MqttClient client = new MqttClient(config().build());
        client.connect();
        client.publish("x", P, 0, 1, 1, false);
        client.setDefaultHandler(m -> client.close());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> client.awaitInflight(60_000));
        assertTrue(e.getMessage().contains("awaitInflight") && e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void disconnectFromAHandlerWhileSubscribeWaitsForSubackStopsTheWait() throws Exception {
        accepted().expect(subscribe(1, "s", 1)).send(publish("in", "m", 0, false, false, 0)).expect(disconnect());
        MqttClient client = new MqttClient(config().build());
        client.connect();
        client.setDefaultHandler(m -> client.disconnect());
        long start = clock.nanoTime();
        MqttException e = assertThrows(MqttException.class, () -> client.subscribe("s", 1, m -> { }));
        assertEquals(Reason.NOT_CONNECTED, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("SUBACK") && e.getMessage().contains("disconnect()"), e.getMessage());
        // disconnect itself waits for the server to close (the script never does): at most operationTimeoutMillis.
        assertTrue(clock.millisSince(start) <= 5000, clock.millisSince(start) + " ms");
    }

    @Test
    void withAutomaticReconnectADisconnectFromAHandlerIsNotUndoneByAwaitInflight() throws Exception {
        accepted().expect(publish("x", "p", 1, false, false, 1)).send(publish("in", "m", 0, false, false, 0))
                .expect(disconnect());
        MqttClient client = new MqttClient(config().automaticReconnect(true).build());
        client.connect();
        client.publish("x", P, 0, 1, 1, false);
        client.setDefaultHandler(m -> client.disconnect());
        MqttException e = assertThrows(MqttException.class, () -> client.awaitInflight(60_000));
        assertEquals(Reason.NOT_CONNECTED, e.reason());
        assertEquals(1, factory.openedCount(), "no reconnect attempt after disconnect()");
        assertFalse(client.isConnected());
        assertEquals(Reason.NOT_CONNECTED, assertThrows(MqttException.class, () -> client.poll(10)).reason());
    }

    @Test
    void aHandlerThatSwallowsAWriteFailureDoesNotLeaveAwaitInflightSpinning() throws Exception {
        accepted().expect(publish("x", "p", 1, false, false, 1)).send(publish("in", "m", 0, false, false, 0))
                .failWrite();
        MqttClient client = new MqttClient(config().build());
        client.connect();
        client.publish("x", P, 0, 1, 1, false);
        List<MqttException> swallowed = new ArrayList<>();
        client.setDefaultHandler(m -> {
            try {
                client.publish("out", P, 0, 1, 0, false);
            } catch (MqttException lost) {
                swallowed.add(lost);
            }
        });
        MqttException e = assertThrows(MqttException.class, () -> client.awaitInflight(60_000));
        assertEquals(Reason.CONNECTION_LOST, e.reason());
        assertEquals(1, swallowed.size());
        assertTrue(e.getCause() == swallowed.get(0), "the failure the handler caught is the cause");
    }

    @Test
    void disconnectFromAHandlerLeavesItsMessageAndTheBufferedFramesIntact() throws Exception {
        String late = "L".repeat(40);
        accepted().send(dev.wren.mqtt.testing.Bytes.of(publish("in", "first", 1, false, false, 5),
                        publish("next", "second", 0, false, false, 0)))
                .expect(disconnect()).send(publish("late", late, 0, false, false, 0)).endOfStream();
        MqttClient client = new MqttClient(config().build());
        client.connect();
        List<String> seen = new ArrayList<>();
        client.setDefaultHandler(m -> {
            client.disconnect();
            seen.add(m.topicAsString() + "=" + m.payloadAsString() + " q" + m.qos());
        });
        assertEquals(1, client.poll(100));
        assertEquals(List.of("in=first q1"), seen, "the view still shows the message after disconnect read on");
        assertFalse(client.isConnected());
        assertEquals(Reason.NOT_CONNECTED, assertThrows(MqttException.class, () -> client.poll(10)).reason());

        // The next connection starts from a clean buffer: the message the server re-sends arrives whole.
        ScriptedTransport again = new ScriptedTransport(clock).expect(connect("c", false, 10)).send(connack(true, 0))
                .send(publish("in", "first", 1, false, true, 5)).expect(puback(5));
        factory.then(again);
        client.setDefaultHandler(m -> seen.add(m.topicAsString() + "=" + m.payloadAsString() + " q" + m.qos()));
        client.connect();
        assertEquals(1, client.poll(100));
        assertEquals(List.of("in=first q1", "in=first q1"), seen);
        again.assertFinished();
    }

    @Test
    void pollFromAPublishCompleteListenerIsRejectedAndNoMessageBehindTheAckIsLost() throws Exception {
        ScriptedTransport t = accepted().expect(publish("x", "p", 1, false, false, 1))
                .send(dev.wren.mqtt.testing.Bytes.of(puback(1), publish("a", "1", 0, false, false, 0),
                        publish("b", "2", 1, false, false, 7)))
                .expect(publish("again", "p", 1, false, false, 2)).expect(puback(7));
        List<String> seen = new ArrayList<>();
        List<RuntimeException> rejected = new ArrayList<>();
        MqttClient[] holder = new MqttClient[1];
        MqttClient client = new MqttClient(config().listener(new MqttListener() {
            @Override
            public void onPublishComplete(int packetId) {
                try {
                    holder[0].poll(0);
                } catch (IllegalStateException e) {
                    rejected.add(e);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                try {
                    holder[0].publish("again", P, 0, 1, 1, false); // publishing from a listener stays safe
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        }).build());
        holder[0] = client;
        client.connect();
        client.setDefaultHandler(m -> seen.add(m.topicAsString() + "=" + m.payloadAsString()));
        client.publish("x", P, 0, 1, 1, false);
        assertEquals(3, client.poll(100));
        assertEquals(1, rejected.size());
        assertTrue(rejected.get(0).getMessage().contains("listener"), rejected.get(0).getMessage());
        assertEquals(List.of("a=1", "b=2"), seen);
        t.assertFinished();
        assertTrue(client.isConnected());
    }

    @Test
    void pollFromAnOversizeListenerIsRejectedAndTheDrainStaysInStep() throws Exception {
        String big = "x".repeat(200);
        ScriptedTransport t = accepted()
                .send(dev.wren.mqtt.testing.Bytes.of(publish("big", big, 1, false, false, 3),
                        publish("after", "a", 0, false, false, 0)))
                .expect(puback(3));
        List<String> seen = new ArrayList<>();
        MqttClient[] holder = new MqttClient[1];
        MqttClient client = new MqttClient(config().receiveBufferBytes(64).listener(new MqttListener() {
            @Override
            public void onOversizeMessage(CharSequence topic, int byteCount, int qos) {
                seen.add("oversize " + topic);
                try {
                    holder[0].poll(0);
                } catch (IOException | MqttException e) {
                    throw new AssertionError(e);
                }
            }
        }).build());
        holder[0] = client;
        client.connect();
        client.setDefaultHandler(m -> seen.add(m.topicAsString() + "=" + m.payloadAsString()));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> client.poll(100),
                "the listener's own exception reaches the caller");
        assertTrue(e.getMessage().contains("poll from a message handler or listener"), e.getMessage());
        assertTrue(client.isConnected());
        assertEquals(1, client.poll(100));
        assertEquals(List.of("oversize big", "after=a"), seen);
        t.assertFinished();
    }

    @Test
    void connectFromAConnectionLostListenerIsRejected() throws Exception {
        accepted().endOfStream();
        accepted();
        List<RuntimeException> rejected = new ArrayList<>();
        MqttClient[] holder = new MqttClient[1];
        MqttClient client = new MqttClient(config().listener(new MqttListener() {
            @Override
            public void onConnectionLost(MqttException cause) {
                try {
                    holder[0].connect();
                } catch (IllegalStateException e) {
                    rejected.add(e);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        }).build());
        holder[0] = client;
        client.connect();
        MqttException lost = assertThrows(MqttException.class, () -> client.poll(100));
        assertEquals(Reason.CONNECTION_LOST, lost.reason());
        assertEquals(1, rejected.size());
        assertEquals(1, factory.openedCount(), "no connection opened inside the listener");
        assertFalse(client.isConnected());
        client.connect(); // from the caller's own thread, outside the callback: fine
        assertTrue(client.isConnected());
    }

    @Test
    void aRefusedResubscribeKeepsThePreviousHandler() throws Exception {
        ScriptedTransport t = accepted()
                .expect(subscribe(1, "s/#", 1)).send(suback(1, 1))
                .expect(subscribe(2, "s/#", 2)).send(suback(2, 0x80))
                .send(publish("s/a", "m", 1, false, false, 9)).expect(puback(9));
        MqttClient client = new MqttClient(config().build());
        client.connect();
        List<String> first = new ArrayList<>();
        List<String> unhandled = new ArrayList<>();
        client.setDefaultHandler(m -> unhandled.add(m.topicAsString()));
        assertEquals(1, client.subscribe("s/#", 1, m -> first.add(m.payloadAsString())));
        MqttException refused = assertThrows(MqttException.class, () -> client.subscribe("s/#", 2, m -> {
            throw new AssertionError("the refused subscription's handler must not be called");
        }));
        assertEquals(Reason.SUBSCRIBE_REFUSED, refused.reason());
        client.poll(10);
        assertEquals(List.of("m"), first, "the message right behind the refusing SUBACK goes to the old handler");
        assertEquals(List.of(), unhandled);
        t.assertFinished();
    }
}
