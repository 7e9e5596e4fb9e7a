package dev.wren.mqtt;

import dev.wren.mqtt.testing.ScriptedTransport;
import dev.wren.mqtt.testing.Covers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.wren.mqtt.testing.Packets.connack;
import static dev.wren.mqtt.testing.Packets.connect;
import static dev.wren.mqtt.testing.Packets.puback;
import static dev.wren.mqtt.testing.Packets.publish;
import static dev.wren.mqtt.testing.Packets.suback;
import static dev.wren.mqtt.testing.Packets.subscribe;
import static dev.wren.mqtt.testing.Packets.unsuback;
import static dev.wren.mqtt.testing.Packets.unsubscribe;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    @Test
    @Covers({"MQTT-3.8.4-5", "MQTT-3.9.3-1"})
    void severalFiltersGoInOneSubscribeAndEachGetsItsReturnCode() throws Exception {
        List<String> got = new ArrayList<>();
        ScriptedTransport t = accepted(false)
                .expect(subscribe(1, "a/+", 1, "b/#", 2, "c", 0)).send(suback(1, 1, 0x80, 0))
                .send(publish("a/x", "1", 0, false, false, 0))
                .send(publish("b/y", "2", 0, false, false, 0))
                .send(publish("c", "3", 0, false, false, 0));
        MqttClient client = new MqttClient(config().build());
        client.connect();
        client.setDefaultHandler(m -> got.add("default " + m.topicAsString()));
        int[] codes = new int[3];
        int granted = client.subscribe(new String[] {"a/+", "b/#", "c"}, new int[] {1, 2, 0},
                m -> got.add("handler " + m.topicAsString()), codes);
        assertEquals(2, granted, "two of three granted; the refused one is not an exception");
        assertArrayEquals(new int[] {1, MqttClient.SUBACK_FAILURE, 0}, codes, "one return code per filter, in order");
        while (got.size() < 3) {
            client.poll(100);
        }
        assertEquals(List.of("handler a/x", "default b/y", "handler c"), got,
                "the refused filter was undone before the packets behind the SUBACK");
        t.assertFinished();
    }

    @Test
    void aRefusedFilterAmongSeveralKeepsItsEarlierHandler() throws Exception {
        List<String> got = new ArrayList<>();
        accepted(false)
                .expect(subscribe(1, "b/#", 1)).send(suback(1, 1))
                .expect(subscribe(2, "a", 0, "b/#", 2)).send(suback(2, 0, 0x80))
                .send(publish("b/y", "2", 0, false, false, 0));
        MqttClient client = new MqttClient(config().build());
        client.connect();
        client.subscribe("b/#", 1, m -> got.add("old " + m.topicAsString()));
        int[] codes = new int[2];
        assertEquals(1, client.subscribe(new String[] {"a", "b/#"}, new int[] {0, 2},
                m -> got.add("new " + m.topicAsString()), codes));
        while (got.isEmpty()) {
            client.poll(100);
        }
        assertEquals(List.of("old b/y"), got);
    }

    @Test
    void aSubackWithTheWrongNumberOfReturnCodesIsAViolation() throws Exception {
        accepted(false).expect(subscribe(1, "a", 0, "b", 0)).send(suback(1, 0));
        MqttClient client = new MqttClient(config().build());
        client.connect();
        MqttException e = assertThrows(MqttException.class,
                () -> client.subscribe(new String[] {"a", "b"}, new int[] {0, 0}, m -> { }, new int[2]));
        assertEquals(MqttException.Reason.PROTOCOL_VIOLATION, e.reason());
        assertTrue(e.getMessage().contains("SUBACK with 1 return codes for a SUBSCRIBE of 2 filters [MQTT-3.8.4-5]"),
                e.getMessage());
    }

    @Test
    void severalFiltersGoInOneUnsubscribeAndTheirHandlersGoAfterUnsuback() throws Exception {
        List<String> got = new ArrayList<>();
        ScriptedTransport t = accepted(false)
                .expect(subscribe(1, "a", 0, "b", 0, "c", 0)).send(suback(1, 0, 0, 0))
                .expect(unsubscribe(2, "a", "c")).send(unsuback(2))
                .send(publish("a", "1", 0, false, false, 0))
                .send(publish("b", "2", 0, false, false, 0))
                .send(publish("c", "3", 0, false, false, 0));
        MqttClient client = new MqttClient(config().build());
        client.connect();
        client.setDefaultHandler(m -> got.add("default " + m.topicAsString()));
        assertEquals(3, client.subscribe(new String[] {"a", "b", "c"}, new int[] {0, 0, 0},
                m -> got.add("handler " + m.topicAsString()), new int[3]));
        client.unsubscribe(new String[] {"a", "c"});
        while (got.size() < 3) {
            client.poll(100);
        }
        assertEquals(List.of("default a", "handler b", "default c"), got);
        t.assertFinished();
    }

    @Test
    void severalFiltersAreCheckedBeforeAnythingIsSent() throws Exception {
        accepted(false); // expects nothing after CONNECT: any SUBSCRIBE would fail the script
        MqttClient client = new MqttClient(config().maxSubscriptions(2).build());
        client.connect();
        MessageHandler h = m -> { };
        assertEquals("3 filters > maxSubscriptions 2", assertThrows(IllegalArgumentException.class,
                () -> client.subscribe(new String[] {"a", "b", "c"}, new int[] {0, 0, 0}, h, new int[3])).getMessage());
        assertEquals("qos has 1 entries for 2 filters", assertThrows(IllegalArgumentException.class,
                () -> client.subscribe(new String[] {"a", "b"}, new int[] {0}, h, new int[2])).getMessage());
        assertEquals("returnCodes has 1 entries for 2 filters", assertThrows(IllegalArgumentException.class,
                () -> client.subscribe(new String[] {"a", "b"}, new int[] {0, 0}, h, new int[1])).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> client.unsubscribe(new String[0])).getMessage().contains("MQTT-3.10.3-2"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> client.unsubscribe(new String[] {"a", "b/#/c"})).getMessage().contains("b/#/c"));
        assertEquals("topic filter \"b\" twice, at 0 and 1", assertThrows(IllegalArgumentException.class,
                () -> client.subscribe(new String[] {"b", "b"}, new int[] {0, 0}, h, new int[2])).getMessage());
    }

    @Test
    void severalFiltersThatDoNotAllFitTheTableAreNeitherRegisteredNorSent() throws Exception {
        ScriptedTransport t = accepted(false).expect(subscribe(1, "a", 0)).send(suback(1, 0))
                .expect(subscribe(2, "a", 1, "b", 1)).send(suback(2, 1, 1));
        MqttClient client = new MqttClient(config().maxSubscriptions(2).build());
        client.connect();
        client.subscribe("a", 0, m -> { });
        MqttException full = assertThrows(MqttException.class,
                () -> client.subscribe(new String[] {"b", "c"}, new int[] {0, 0}, m -> { }, new int[2]));
        assertEquals(MqttException.Reason.SUBSCRIPTION_TABLE_FULL, full.reason());
        assertEquals("SUBSCRIPTION_TABLE_FULL: cannot subscribe 2 filters (2 new, first \"b\"): maxSubscriptions 2,"
                + " 1 filters already subscribed", full.getMessage());
        assertEquals(2, client.subscribe(new String[] {"a", "b"}, new int[] {1, 1}, m -> { }, new int[2]),
                "\"a\" is replaced, \"b\" fits: the failed call registered nothing");
        t.assertFinished();
    }

    @Test
    void subscribeBeforeConnectIsSentAfterConnackAndItsOutcomeReachesTheListener() throws Exception {
        List<String> got = new ArrayList<>();
        ScriptedTransport t = accepted(true) // the server kept a session: only what was subscribed offline is sent
                .expect(subscribe(1, "a", 1)).send(suback(1, 1))
                .expect(subscribe(2, "b", 0)).send(suback(2, 0x80))
                .expect(subscribe(3, "c", 2)).send(suback(3, 2))
                .send(publish("b", "1", 0, false, false, 0))
                .send(publish("a", "2", 0, false, false, 0))
                .send(publish("c", "3", 0, false, false, 0));
        MqttClient client = new MqttClient(config().build());
        client.setDefaultHandler(m -> got.add("default " + m.topicAsString()));
        assertEquals(MqttClient.SUBACK_PENDING, client.subscribe("a", 1, m -> got.add("a " + m.topicAsString())));
        int[] codes = new int[2];
        assertEquals(0, client.subscribe(new String[] {"b", "c"}, new int[] {0, 2},
                m -> got.add("bc " + m.topicAsString()), codes), "nothing granted yet");
        assertArrayEquals(new int[] {MqttClient.SUBACK_PENDING, MqttClient.SUBACK_PENDING}, codes);
        assertEquals(List.of(), events.events, "nothing reported before connect");
        assertTrue(client.connect());
        assertEquals(List.of("connected true", "subscribed a 0x1", "subscribed b 0x80", "subscribed c 0x2"),
                events.events);
        while (got.size() < 3) {
            client.poll(100);
        }
        assertEquals(List.of("default b", "a a", "bc c"), got, "the refused filter was removed");
        t.assertFinished();
    }

    @Test
    void aSubscriptionMadeOfflineStaysPendingUntilASubackAnswersIt() throws Exception {
        accepted(true).expect(subscribe(1, "a", 0)).endOfStream();
        ScriptedTransport second = accepted(true).expect(subscribe(2, "a", 0)).send(suback(2, 0));
        MqttClient client = new MqttClient(config().build());
        client.subscribe("a", 0, m -> { });
        assertEquals(MqttException.Reason.CONNECTION_LOST, assertThrows(MqttException.class, client::connect).reason());
        client.connect();
        second.assertFinished();
        assertEquals(List.of("connected true", "lost CONNECTION_LOST", "connected true", "subscribed a 0x0"),
                events.events);
    }

    @Test
    void subscribeWhileOfflineUnderAutomaticReconnectIsSentAfterTheNextConnack() throws Exception {
        accepted(false).expect(subscribe(1, "x", 1)).send(suback(1, 1))
                .expect(publish("t", "hello", 0, false, false, 0)).endOfStream();
        ScriptedTransport second = accepted(true).expect(subscribe(2, "y", 2)).send(suback(2, 2));
        MqttClient client = new MqttClient(config().automaticReconnect(true).reconnectBackoff(100, 1_600, 2.0, 0.0)
                .build());
        client.connect();
        assertEquals(1, client.subscribe("x", 1, m -> { }));
        client.publish("t", PAYLOAD, 0, false); // then the server closes
        client.poll(0); // the end of stream: lost, a reconnect scheduled in 100 ms (fake clock)
        assertFalse(client.isConnected(), events.events.toString());
        assertEquals(MqttClient.SUBACK_PENDING, client.subscribe("y", 2, m -> { }));
        while (!second.isFinished()) {
            clock.advanceMillis(50);
            client.poll(0);
        }
        assertTrue(client.isConnected());
        assertEquals(List.of("connected false", "lost CONNECTION_LOST", "connected true", "subscribed y 0x2"),
                events.events, "x is held by the server's session: only y is sent");
    }

    @Test
    void subscribeWhileDisconnectedWithoutAutomaticReconnectStillSaysNotConnected() throws Exception {
        accepted(false).endOfStream();
        MqttClient client = new MqttClient(config().build());
        client.connect();
        assertThrows(MqttException.class, () -> client.poll(100));
        MqttException e = assertThrows(MqttException.class, () -> client.subscribe("a", 0, m -> { }));
        assertEquals(MqttException.Reason.NOT_CONNECTED, e.reason());
        client.close();
        assertThrows(IllegalStateException.class, () -> client.subscribe("a", 0, m -> { }));
    }
}
