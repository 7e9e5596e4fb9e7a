package dev.wren.mqtt.it5;

import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttConfig;
import dev.wren.mqtt.MqttMessage;
import dev.wren.mqtt.codec.v5.PropertiesView;
import dev.wren.mqtt.codec.v5.Property;
import dev.wren.mqtt.testing.Covers5;
import dev.wren.mqtt.testing.HiveMqBroker;
import dev.wren.mqtt.testing.MosquittoExtension;
import dev.wren.mqtt.testing.RecordingTransport;
import dev.wren.mqtt.transport.TcpTransportFactory;
import dev.wren.mqtt.transport.TransportFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The MQTT 5.0 features beyond the basics end to end against mosquitto 2.0.11 and HiveMQ CE: automatic outgoing
 * topic aliases, subscription identifiers, shared subscriptions.
 */
@Timeout(180)
class Features5BrokerTest {

    @RegisterExtension
    static final MosquittoExtension MOSQUITTO = MosquittoExtension.builder().configLine("max_queued_messages 0").build();
    @RegisterExtension
    static final HiveMqBroker HIVEMQ = HiveMqBroker.perClass();

    /** Generous: the machine is shared. */
    private static final long WAIT_MILLIS = 30_000;

    private static MqttConfig.Builder config(String broker, String clientId) {
        return MqttConfig.builder().protocolVersion(MqttConfig.MQTT_5).host("127.0.0.1")
                .port(broker.equals("mosquitto") ? MOSQUITTO.port() : HIVEMQ.port()).clientId(clientId)
                .operationTimeoutMillis((int) WAIT_MILLIS);
    }

    private static void pollUntil(BooleanSupplier done, String what, MqttClient... clients) throws Exception {
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within " + WAIT_MILLIS + " ms: " + what);
            }
            for (MqttClient c : clients) {
                c.poll(10);
            }
        }
    }

    /** TCP transports that record what the client writes into {@code writes}, one hex string per write. */
    private static TransportFactory recording(List<String> writes) {
        return (host, port, timeoutMillis) -> new RecordingTransport(TcpTransportFactory.INSTANCE.open(host, port,
                timeoutMillis), writes);
    }

    /** Bytes recorded since entry {@code from}: {@link RecordingTransport} writes "hh hh hh". */
    private static long bytes(List<String> writes, int from) {
        long n = 0;
        for (String w : writes.subList(from, writes.size())) {
            n += (w.length() + 1) / 3;
        }
        return n;
    }

    /**
     * A publisher with automatic aliases sends three readings to three topics three times; a subscriber gets every
     * message under its full topic, and the publisher wrote fewer bytes than one without aliases.
     */
    @ParameterizedTest
    @ValueSource(strings = {"mosquitto", "hivemq"})
    @Covers5({"MQTT-3.3.2-9", "MQTT-3.3.2-12"})
    void aSubscriberGetsEveryTopicWholeFromAPublisherUsingTopicAliases(String broker) throws Exception {
        String prefix = "wren5/alias/" + broker + "/";
        String[] topics = {prefix + "temperature", prefix + "humidity", prefix + "pressure"};
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        List<String> aliased = Collections.synchronizedList(new ArrayList<>());
        List<String> whole = Collections.synchronizedList(new ArrayList<>());
        try (MqttClient sub = new MqttClient(config(broker, "alias-sub").build());
             MqttClient a = new MqttClient(config(broker, "alias-pub-a").topicAliases(4)
                     .transportFactory(recording(aliased)).build());
             MqttClient w = new MqttClient(config(broker, "alias-pub-w").transportFactory(recording(whole)).build())) {
            sub.connect();
            sub.subscribe(prefix + "#", 1, m -> got.add(m.topicAsString() + " " + m.payloadAsString()));
            a.connect();
            w.connect();
            int aliasedFrom = aliased.size();
            int wholeFrom = whole.size();
            List<String> expected = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (String topic : topics) {
                    byte[] payload = ("r" + round).getBytes(StandardCharsets.UTF_8);
                    a.publish(topic, payload, 1, false);
                    w.publish(topic, payload, 1, false);
                    expected.add(topic + " r" + round);
                    expected.add(topic + " r" + round);
                }
            }
            pollUntil(() -> got.size() == expected.size() && a.inflightCount() == 0 && w.inflightCount() == 0,
                    expected.size() + " messages, all acknowledged", sub, a, w);
            Collections.sort(expected);
            List<String> sorted = new ArrayList<>(got);
            Collections.sort(sorted);
            assertEquals(expected, sorted);
            long withAliases = bytes(aliased, aliasedFrom);
            long without = bytes(whole, wholeFrom);
            // 6 of the 9 PUBLISH carry no topic (-24 bytes or more each), 3 carry topic and alias (+3 each)
            assertTrue(withAliases < without - 6 * 20, "bytes with aliases " + withAliases + ", without " + without);
            a.disconnect();
            w.disconnect();
            sub.disconnect();
        }
    }

    /** The Subscription Identifiers a message carries, as "[3, 9]", sorted (their order is not significant). */
    private static String ids(MqttMessage m) {
        List<Integer> ids = new ArrayList<>();
        PropertiesView p = m.properties();
        for (p.reset(); p.next(); ) {
            if (p.id() == Property.SUBSCRIPTION_IDENTIFIER) {
                ids.add(p.intValue());
            }
        }
        Collections.sort(ids);
        return ids.toString();
    }

    /**
     * Two overlapping subscriptions with identifiers 3 and 9: whether the broker sends one copy naming both or a copy
     * per subscription, each handler gets each of its messages once, carrying its identifier.
     */
    @ParameterizedTest
    @ValueSource(strings = {"mosquitto", "hivemq"})
    @Covers5({"MQTT-3.3.4-3"})
    void eachSubscriptionsHandlerGetsItsMessagesOnceWithItsIdentifier(String broker) throws Exception {
        String prefix = "wren5/sid/" + broker + "/";
        List<String> got = new ArrayList<>();
        try (MqttClient client = new MqttClient(config(broker, "sid").build())) {
            client.connect();
            client.subscribe(prefix + "#", 1, 3, m -> got.add("A " + m.payloadAsString() + " " + ids(m)));
            client.subscribe(prefix + "x", 1, 9, m -> got.add("B " + m.payloadAsString() + " " + ids(m)));
            client.publish(prefix + "x", "x".getBytes(StandardCharsets.UTF_8), 1, false);
            client.publish(prefix + "y", "y".getBytes(StandardCharsets.UTF_8), 1, false);
            pollUntil(() -> got.size() >= 3 && client.inflightCount() == 0, "3 deliveries", client);
            for (int i = 0; i < 20; i++) {
                client.poll(10); // a fourth delivery would be a duplicate: give it a chance to show
            }
            List<String> sorted = new ArrayList<>(got);
            Collections.sort(sorted);
            assertEquals(3, sorted.size(), "A x, A y, B x once each: " + sorted);
            assertTrue(sorted.get(0).startsWith("A x [") && sorted.get(0).contains("3"), sorted.toString());
            assertEquals("A y [3]", sorted.get(1));
            assertTrue(sorted.get(2).startsWith("B x [") && sorted.get(2).contains("9"), sorted.toString());
            client.disconnect();
        }
    }

    /**
     * Two clients share {@code $share/workers/<filter>}: each of 40 messages reaches exactly one of them, under its
     * own topic (the filter after the ShareName matched it); mosquitto hands them out in turn, so both get some.
     */
    @ParameterizedTest
    @ValueSource(strings = {"mosquitto", "hivemq"})
    @Covers5({"MQTT-4.8.2-1", "MQTT-4.8.2-2"})
    void twoClientsSharingASubscriptionGetEachMessageExactlyOnceBetweenThem(String broker) throws Exception {
        String prefix = "wren5/share/" + broker + "/";
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        try (MqttClient s1 = new MqttClient(config(broker, "share-1").build());
             MqttClient s2 = new MqttClient(config(broker, "share-2").build());
             MqttClient pub = new MqttClient(config(broker, "share-pub").build())) {
            s1.connect();
            s2.connect();
            pub.connect();
            s1.subscribe("$share/workers/" + prefix + "#", 1, m -> first.add(m.topicAsString()));
            s2.subscribe("$share/workers/" + prefix + "#", 1, m -> second.add(m.topicAsString()));
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                pub.publish(prefix + "job" + i, new byte[] {(byte) i}, 1, false);
                expected.add(prefix + "job" + i);
            }
            pollUntil(() -> first.size() + second.size() >= 40 && pub.inflightCount() == 0, "40 deliveries",
                    s1, s2, pub);
            for (int i = 0; i < 20; i++) {
                s1.poll(5); // a duplicate would be a 41st delivery: give it a chance to show
                s2.poll(5);
            }
            List<String> all = new ArrayList<>(first);
            all.addAll(second);
            Collections.sort(all);
            Collections.sort(expected);
            assertEquals(expected, all, "each message once, to one of the two");
            if (broker.equals("mosquitto")) {
                assertTrue(!first.isEmpty() && !second.isEmpty(), "mosquitto shares in turn: " + first.size()
                        + " and " + second.size());
            }
            s1.disconnect();
            s2.disconnect();
            pub.disconnect();
        }
    }
}
