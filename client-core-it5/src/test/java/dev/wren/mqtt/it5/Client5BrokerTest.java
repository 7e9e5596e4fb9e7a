package dev.wren.mqtt.it5;

import dev.wren.mqtt.MessageHandler;
import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttConfig;
import dev.wren.mqtt.MqttException;
import dev.wren.mqtt.MqttException.Reason;
import dev.wren.mqtt.MqttListener;
import dev.wren.mqtt.MqttMessage;
import dev.wren.mqtt.MqttTopic;
import dev.wren.mqtt.PublishProperties;
import dev.wren.mqtt.codec.v5.Property;
import dev.wren.mqtt.testing.AllocationMeter;
import dev.wren.mqtt.testing.Covers5;
import dev.wren.mqtt.testing.HiveMqBroker;
import dev.wren.mqtt.testing.MosquittoExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link MqttClient} at {@code protocolVersion(MQTT_5)} end to end against two real 5.0 brokers, mosquitto 2.0.11
 * (a process) and HiveMQ CE (embedded): connect, subscribe, publish and receive at each QoS, unsubscribe,
 * disconnect; a refused CONNECT; a session taken over; 0 bytes allocated per QoS 1 message.
 */
@Timeout(180)
class Client5BrokerTest {

    @RegisterExtension
    static final MosquittoExtension MOSQUITTO = MosquittoExtension.builder().user("alice", "secret")
            .configLine("max_queued_messages 0").build();
    @RegisterExtension
    static final HiveMqBroker HIVEMQ = HiveMqBroker.perClass();

    /** Generous: the machine is shared. */
    private static final long WAIT_MILLIS = 30_000;

    /** A 5.0 client of {@code broker} ("mosquitto" or "hivemq"); credentials mosquitto checks, HiveMQ CE ignores. */
    private static MqttConfig.Builder config(String broker, String clientId) {
        boolean mosquitto = broker.equals("mosquitto");
        return MqttConfig.builder().protocolVersion(MqttConfig.MQTT_5).host("127.0.0.1")
                .port(mosquitto ? MOSQUITTO.port() : HIVEMQ.port()).clientId(clientId)
                .userName("alice").password("secret".getBytes(StandardCharsets.UTF_8))
                .operationTimeoutMillis((int) WAIT_MILLIS);
    }

    /** Polls until {@code done} holds, failing after {@link #WAIT_MILLIS}. */
    static void pollUntil(MqttClient client, java.util.function.BooleanSupplier done, String what)
            throws Exception {
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within " + WAIT_MILLIS + " ms: " + what);
            }
            client.poll(50);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mosquitto", "hivemq"})
    void connectSubscribePublishAndReceiveAtEachQosUnsubscribeAndDisconnect(String broker) throws Exception {
        String prefix = "wren5/" + broker + "/";
        try (MqttClient client = new MqttClient(config(broker, "wren5-e2e").build())) {
            assertFalse(client.connect(), "clean start: no session present");
            List<String> got = new ArrayList<>();
            MessageHandler handler = m -> got.add(m.topicAsString() + " " + m.payloadAsString() + " qos" + m.qos());
            assertEquals(2, client.subscribe(prefix + "data/#", 2, handler), "granted QoS 2");
            assertEquals(0, client.subscribe(prefix + "marker", 0, handler));
            for (int qos = 0; qos <= 2; qos++) {
                byte[] payload = ("m" + qos).getBytes(StandardCharsets.UTF_8);
                client.publish(prefix + "data/q" + qos, payload, 0, payload.length, qos, false);
            }
            pollUntil(client, () -> got.size() == 3 && client.inflightCount() == 0, "3 messages back, all acknowledged");
            // in any order: a broker need not keep the order of messages published at different QoS (HiveMQ does not)
            assertEquals(List.of(prefix + "data/q0 m0 qos0", prefix + "data/q1 m1 qos1", prefix + "data/q2 m2 qos2"),
                    got.stream().sorted().collect(java.util.stream.Collectors.toList()));

            client.unsubscribe(prefix + "data/#");
            byte[] late = "late".getBytes(StandardCharsets.UTF_8);
            client.publish(prefix + "data/q1", late, 0, late.length, 1, false);
            client.publish(prefix + "marker", late, 0, late.length, 1, false);
            pollUntil(client, () -> got.size() == 4 && client.inflightCount() == 0, "the marker");
            assertEquals(prefix + "marker late qos0", got.get(3), "nothing from the unsubscribed filter: " + got);
            client.disconnect();
            assertFalse(client.isConnected());
        }
    }

    /**
     * The properties of a received message as text: the others sorted (a broker may reorder them), then the user
     * properties as "user name=value" in the order received (which a broker must keep [MQTT-3.3.2-18]).
     */
    private static String describe(dev.wren.mqtt.codec.v5.PropertiesView p) {
        List<String> parts = new ArrayList<>();
        List<String> users = new ArrayList<>();
        for (p.reset(); p.next(); ) {
            switch (p.id()) {
                case Property.MESSAGE_EXPIRY_INTERVAL:
                    int left = p.intValue(); // the time remaining [MQTT-3.3.2-6]: 60 or a little less
                    parts.add("expiry " + (left > 50 && left <= 60 ? "50..60" : String.valueOf(left)));
                    break;
                case Property.USER_PROPERTY:
                    users.add("user " + new String(p.buffer(), p.keyOffset(), p.keyLength(), StandardCharsets.UTF_8)
                            + "=" + p.valueText());
                    break;
                case Property.CORRELATION_DATA:
                    parts.add("correlation " + p.valueLength() + " bytes");
                    break;
                case Property.PAYLOAD_FORMAT_INDICATOR:
                    parts.add("format " + p.intValue());
                    break;
                default:
                    parts.add(Property.name(p.id()) + " " + p.valueText());
                    break;
            }
        }
        parts.sort(null);
        parts.addAll(users);
        return String.join(", ", parts);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mosquitto", "hivemq"})
    @Covers5({"MQTT-3.3.2-4", "MQTT-3.3.2-6", "MQTT-3.3.2-15", "MQTT-3.3.2-16", "MQTT-3.3.2-17", "MQTT-3.3.2-18",
            "MQTT-3.3.2-20"})
    void publishPropertiesReachTheSubscriberThroughTheBroker(String broker) throws Exception {
        String topic = "wren5/" + broker + "/props";
        try (MqttClient sub = new MqttClient(config(broker, "wren5-props-sub").build());
             MqttClient pub = new MqttClient(config(broker, "wren5-props-pub").build())) {
            sub.connect();
            pub.connect();
            List<String> got = new ArrayList<>();
            sub.subscribe(topic, 1, m -> got.add(m.qos() + ": " + describe(m.properties())));
            PublishProperties props = new PublishProperties(128);
            for (int qos = 0; qos <= 1; qos++) {
                props.clear().messageExpiryIntervalSeconds(60).payloadFormatUtf8(true).contentType("text/plain")
                        .responseTopic("wren5/reply").correlationData(new byte[]{1, 2, 3}, 0, 3)
                        .userProperty("node", "n1").userProperty("node", "n2");
                pub.publish(topic, "x".getBytes(StandardCharsets.UTF_8), 0, 1, qos, false, props);
            }
            pub.awaitInflight(WAIT_MILLIS);
            pollUntil(sub, () -> got.size() == 2, "both messages");
            got.sort(null);
            String expected = "Content Type text/plain, Response Topic wren5/reply, correlation 3 bytes,"
                    + " expiry 50..60, format 1, user node=n1, user node=n2";
            assertEquals(List.of("0: " + expected, "1: " + expected), got);
            sub.disconnect();
            pub.disconnect();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mosquitto", "hivemq"})
    @Covers5({"MQTT-3.3.1-9", "MQTT-3.3.1-11"})
    void retainHandling2GetsNoRetainedMessageWhereRetainHandling0Does(String broker) throws Exception {
        String topic = "wren5/" + broker + "/rh";
        byte[] retained = "kept".getBytes(StandardCharsets.UTF_8);
        try (MqttClient client = new MqttClient(config(broker, "wren5-rh").build())) {
            client.connect();
            client.publish(topic, retained, 0, retained.length, 1, true);
            client.awaitInflight(WAIT_MILLIS);
            List<String> never = new ArrayList<>();
            List<String> always = new ArrayList<>();
            client.subscribe(topic, 1 | MqttClient.RETAIN_HANDLING_NEVER, m -> never.add(m.payloadAsString()));
            client.subscribe(topic + "/marker", 0, m -> never.add("marker"));
            client.publish(topic + "/marker", retained, 0, 1, 0, false);
            pollUntil(client, () -> never.contains("marker"), "the marker after the subscription");
            assertEquals(List.of("marker"), never, "no retained message with Retain Handling 2");
            // the control: the same retained message comes to a subscription with Retain Handling 0
            client.unsubscribe(topic);
            client.subscribe(topic, 1, m -> always.add(m.payloadAsString() + " retain=" + m.retain()));
            pollUntil(client, () -> !always.isEmpty(), "the retained message with Retain Handling 0");
            assertEquals(List.of("kept retain=true"), always);
            client.publish(topic, retained, 0, 0, 1, true); // clears the retained message
            client.awaitInflight(WAIT_MILLIS);
            client.disconnect();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mosquitto", "hivemq"})
    @Covers5({"MQTT-3.8.3-3"})
    void noLocalDoesNotEchoTheClientsOwnPublishes(String broker) throws Exception {
        String topic = "wren5/" + broker + "/nolocal";
        try (MqttClient client = new MqttClient(config(broker, "wren5-nolocal").build());
             MqttClient other = new MqttClient(config(broker, "wren5-nolocal-other").build())) {
            client.connect();
            other.connect();
            List<String> got = new ArrayList<>();
            client.subscribe(topic, 1 | MqttClient.NO_LOCAL, m -> got.add(m.payloadAsString()));
            byte[] own = "own".getBytes(StandardCharsets.UTF_8);
            byte[] theirs = "theirs".getBytes(StandardCharsets.UTF_8);
            client.publish(topic, own, 0, own.length, 1, false);
            client.awaitInflight(WAIT_MILLIS); // acknowledged: the broker has routed it before "theirs" arrives
            other.publish(topic, theirs, 0, theirs.length, 1, false);
            other.awaitInflight(WAIT_MILLIS);
            pollUntil(client, () -> got.contains("theirs"), "the other client's message");
            assertEquals(List.of("theirs"), got, "own publish not echoed with No Local");
            client.disconnect();
            other.disconnect();
        }
    }

    /**
     * DISCONNECT 0x04 has the broker publish the will; a normal DISCONNECT before it (same will) does not. With a
     * Will Delay Interval of 3 s and a session kept 60 s, the will comes after the delay, not at once: a lower bound
     * of 1.5 s (the brokers count whole seconds) proves the wait; the upper bound is the generous deadline. A will
     * wrongly published at the normal DISCONNECT would arrive before the marker, which is awaited before 0x04.
     */
    @ParameterizedTest
    @CsvSource({"mosquitto, 0", "mosquitto, 3", "hivemq, 0", "hivemq, 3"})
    @Covers5({"MQTT-3.1.2-8", "MQTT-3.1.2-10"})
    void disconnectWithWillMessageHasTheBrokerPublishTheWillAfterItsDelay(String broker, int delaySeconds)
            throws Exception {
        String willTopic = "wren5/" + broker + "/will" + delaySeconds;
        byte[] gone = "gone".getBytes(StandardCharsets.UTF_8);
        MqttConfig.Builder leaving = config(broker, "wren5-will" + delaySeconds).will(willTopic, gone, 1, false)
                .willProperties(delaySeconds, -1, true, null, null, null)
                .sessionExpiryIntervalSeconds(delaySeconds == 0 ? 0 : 60);
        try (MqttClient watcher = new MqttClient(config(broker, "wren5-will-watcher" + delaySeconds).build())) {
            watcher.connect();
            List<String> got = new ArrayList<>();
            long[] arrivedNanos = new long[1];
            watcher.subscribe(willTopic, 1, m -> {
                got.add(m.payloadAsString());
                arrivedNanos[0] = System.nanoTime();
            });
            watcher.subscribe(willTopic + "/marker", 0, m -> got.add("marker"));
            try (MqttClient client = new MqttClient(leaving.build())) {
                client.connect();
                client.disconnect(0x00, 0); // normal: the will is discarded
                client.connect();
                client.publish(willTopic + "/marker", gone, 0, 1, 1, false);
                client.awaitInflight(WAIT_MILLIS);
                // The marker first: a broker orders messages per topic only (MQTT 5.0 §4.6), and HiveMQ under load
                // delivered the will of 0x04 (another topic) before a marker published just ahead of it.
                pollUntil(watcher, () -> got.contains("marker"), "the marker");
                long start = System.nanoTime();
                client.disconnect(0x04, -1);
                pollUntil(watcher, () -> got.contains("gone"), "the will after DISCONNECT 0x04");
                assertEquals(List.of("marker", "gone"), got, "no will after the normal DISCONNECT, one after 0x04");
                long waitedMillis = (arrivedNanos[0] - start) / 1_000_000;
                System.out.println(broker + " will delay " + delaySeconds + " s: will arrived after " + waitedMillis
                        + " ms");
                if (delaySeconds > 0) {
                    assertTrue(waitedMillis >= 1_500, "will delayed by " + delaySeconds + " s, came after "
                            + waitedMillis + " ms");
                }
            }
            watcher.disconnect();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mosquitto", "hivemq"})
    void unsubackReasonCodesArriveOnePerFilter(String broker) throws Exception {
        String prefix = "wren5/" + broker + "/unsub/";
        try (MqttClient client = new MqttClient(config(broker, "wren5-unsub").build())) {
            client.connect();
            client.subscribe(prefix + "held", 1, m -> { });
            int[] codes = {-1, -1};
            int removed = client.unsubscribe(new CharSequence[]{prefix + "held", prefix + "never"}, codes);
            System.out.println(broker + " UNSUBACK codes 0x" + Integer.toHexString(codes[0]) + " 0x"
                    + Integer.toHexString(codes[1]));
            assertEquals(2, removed);
            assertEquals(0x00, codes[0], "Success for the filter held");
            // 0x11 No subscription existed: mosquitto 2.0.11 says so, in the second slot; HiveMQ CE answers 0x00
            if (broker.equals("mosquitto")) {
                assertEquals(0x11, codes[1], "No subscription existed for the filter never subscribed");
            } else {
                assertTrue(codes[1] == 0x11 || codes[1] == 0x00, "code for a filter never subscribed: " + codes[1]);
            }
            client.disconnect();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mosquitto", "hivemq"})
    void anEmptyClientIdGetsTheServersAssignedClientIdentifier(String broker) throws Exception {
        try (MqttClient client = new MqttClient(config(broker, "").cleanSession(true).build())) {
            client.connect();
            assertNotNull(client.assignedClientId(), "CONNACK Assigned Client Identifier (MQTT 5.0 §3.2.2.3.7)");
            System.out.println(broker + " assigned client id " + client.assignedClientId());
            client.disconnect();
        }
    }

    @Test
    void aWrongPasswordIsRefusedByMosquittoWithNotAuthorized() {
        MqttClient client = new MqttClient(config("mosquitto", "wren5-refused")
                .password("wrong".getBytes(StandardCharsets.UTF_8)).build());
        MqttException e = assertThrows(MqttException.class, client::connect);
        client.close();
        // mosquitto 2.0.11 answers a wrong password with 0x87, not 0x86 (see ConnackRefusal5Test)
        assertEquals(Reason.NOT_AUTHORIZED, e.reason());
        assertTrue(e.getMessage().contains("CONNACK reason code 0x87 Not authorized"), e.getMessage());
    }

    /**
     * HiveMQ sends the first client DISCONNECT 0x8E with a Reason String; mosquitto 2.0.11 closes the old connection
     * without a DISCONNECT (its log: "Client ... already connected, closing old connection"; checked with a raw
     * socket too), which the client reports as the end of stream it is.
     */
    @ParameterizedTest
    @CsvSource({"mosquitto, CONNECTION_LOST, server closed the connection (end of stream)",
            "hivemq, SESSION_TAKEN_OVER, DISCONNECT with reason code 0x8e Session taken over (server: \"Another client"})
    void aSecondClientWithTheSameIdTakesOverAndTheFirstLearnsWhy(String broker, Reason reason, String text)
            throws Exception {
        List<MqttException> lost = new ArrayList<>();
        MqttListener listener = new MqttListener() {
            @Override
            public void onConnectionLost(MqttException cause) {
                lost.add(cause);
            }
        };
        try (MqttClient first = new MqttClient(config(broker, "wren5-twin").listener(listener).build());
             MqttClient second = new MqttClient(config(broker, "wren5-twin").build())) {
            first.connect();
            second.connect();
            long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
            MqttException e = null;
            while (e == null && System.nanoTime() - deadline < 0) {
                try {
                    first.poll(50);
                } catch (MqttException thrown) {
                    e = thrown;
                }
            }
            assertNotNull(e, "the first client's connection did not end");
            System.out.println(broker + ": " + e.getMessage());
            assertEquals(reason, e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains(text), e.getMessage());
            assertEquals(List.of(e), lost);
            assertTrue(second.isConnected());
            second.disconnect();
        }
    }

    /** Counts deliveries without allocating. */
    static final class Counter implements MessageHandler {
        int received;

        @Override
        public void onMessage(MqttMessage message) {
            received++;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mosquitto", "hivemq"})
    void publishingAndReceivingAtQos1AllocatesNothingPerMessage(String broker) throws Exception {
        try (MqttClient client = new MqttClient(config(broker, "wren5-alloc").keepAliveSeconds(60).build())) {
            client.connect();
            Counter counter = new Counter();
            String t = "wren5/" + broker + "/alloc";
            MqttTopic topic = MqttTopic.of(t);
            client.subscribe(t, 1, counter);
            byte[] payload = new byte[16];
            AllocationMeter.SteadyState s = AllocationMeter.assertSteadyStateAllocatesNothing("wren 5.0 qos 1 messages"
                    + " published to and received from " + broker + " on the calling thread", 5_000,
                    n -> run(client, topic, payload, counter, n));
            assertEquals(s.operations(), counter.received, "every message came back once");
            client.disconnect();
        }
    }

    /** Publishes {@code count} QoS 1 messages, polling after each, then polls until all came back and were acked. */
    private static void run(MqttClient client, MqttTopic topic, byte[] payload, Counter counter, int count)
            throws Exception {
        int target = counter.received + count;
        for (int i = 0; i < count; i++) {
            payload[0] = (byte) i;
            client.publish(topic, payload, 1, false);
            client.poll(0);
        }
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        while ((counter.received < target || client.inflightCount() > 0) && System.nanoTime() - deadline < 0) {
            client.poll(10);
        }
        if (counter.received < target) { // no assertion message built on the measured path
            throw new AssertionError("received " + counter.received + " of " + target);
        }
    }
}
