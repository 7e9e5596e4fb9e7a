package dev.wren.mqtt;

import dev.wren.mqtt.MqttException.Reason;
import dev.wren.mqtt.testing.Covers;
import dev.wren.mqtt.testing.MoquetteBroker;
import dev.wren.mqtt.testing.MosquittoExtension;
import dev.wren.mqtt.testing.StreamCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The client against real brokers: mosquitto (a process) and Moquette (embedded), the same scenarios on both. */
@Timeout(60)
class BrokerIntegrationTest {

    @RegisterExtension
    static final MosquittoExtension mosquitto = new MosquittoExtension();
    private static MoquetteBroker moquette;

    /** A broker under test: a name for the report and where to connect. */
    record Broker(String name, String host, int port) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void startMoquette() {
        moquette = MoquetteBroker.start();
    }

    @AfterAll
    static void stopMoquette() {
        moquette.close();
    }

    static Stream<Broker> brokers() {
        return Stream.of(new Broker("mosquitto", mosquitto.host(), mosquitto.port()),
                new Broker("moquette", moquette.host(), moquette.port()));
    }

    /**
     * The will scenario runs against mosquitto only: Moquette 0.17 at times closes a connection it has just
     * acknowledged, or publishes the will of a client that disconnected cleanly (seen in about one full run in
     * three), which tests Moquette's races rather than the client.
     */
    static Stream<Broker> mosquittoOnly() {
        return brokers().filter(b -> b.name().equals("mosquitto"));
    }

    private final List<MqttClient> clients = new ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void closeClients() {
        clients.forEach(MqttClient::close);
    }

    private MqttConfig.Builder config(Broker b, String clientId) {
        return MqttConfig.builder().host(b.host()).port(b.port()).clientId(clientId + "-" + b.name()).keepAliveSeconds(30)
                .operationTimeoutMillis(5000);
    }

    private MqttClient client(MqttConfig config) {
        MqttClient c = new MqttClient(config);
        clients.add(c);
        return c;
    }

    /**
     * Connects {@code c}; against Moquette, then waits 100 ms before the test sends anything. Moquette 0.17 writes
     * CONNACK before it marks the connection connected, and closes a connection whose first packet arrives in
     * between ("SUBSCRIBE received on already closed connection"; the same race is reported in
     * FraunhoferIOSB/FROST-Server#2433). Reproduced here in about 1 connect in 100 under load; mosquitto runs
     * without the pause.
     */
    private static boolean connect(Broker b, MqttClient c) throws Exception {
        boolean sessionPresent = c.connect();
        if (b.name().equals("moquette")) {
            pumpFor(100, c);
        }
        return sessionPresent;
    }

    private MqttClient connected(Broker b, String clientId) throws Exception {
        MqttClient c = client(config(b, clientId).build());
        connect(b, c);
        return c;
    }

    /** Polls every client until {@code done} or 10 s pass. */
    static void pumpUntil(BooleanSupplier done, String what, MqttClient... cs) throws Exception {
        StreamCheck.pumpUntil(done, what, cs);
    }

    /** Polls the clients for {@code millis}, handling whatever arrives (to show that nothing more does). */
    static void pumpFor(long millis, MqttClient... cs) throws Exception {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() - deadline < 0) {
            for (MqttClient c : cs) {
                c.poll(10);
            }
        }
    }

    /**
     * {@code MQTT_AUTO} on Moquette 0.17, a 3.1.1 broker: it refuses the 5.0 CONNECT with return code 1 written in a
     * 5.0 CONNACK's layout; the client falls back to 3.1.1 within the same connect, once, and works at 3.1.1.
     */
    @Test
    void autoFallsBackTo311OnceOnMoquette() throws Exception {
        Broker b = brokers().filter(x -> x.name().equals("moquette")).findFirst().get();
        List<String> fallbacks = new ArrayList<>();
        MqttClient c = client(config(b, "auto").protocolVersion(MqttConfig.MQTT_AUTO).listener(new MqttListener() {
            @Override
            public void onProtocolFallback(String why) {
                fallbacks.add(why);
            }
        }).build());
        connect(b, c);
        assertTrue(c.isConnected());
        assertEquals(1, fallbacks.size(), fallbacks.toString());
        assertTrue(fallbacks.get(0).contains("return code 1"), fallbacks.get(0));
        List<String> got = new ArrayList<>();
        c.subscribe("auto/t", 1, m -> got.add(m.payloadAsString()));
        c.publish("auto/t", bytes("x"), 1, false);
        pumpUntil(() -> got.size() == 1, "the message back at 3.1.1", c);
        assertEquals("x", got.get(0));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokers")
    void connectsAndDisconnects(Broker b) throws Exception {
        MqttClient c = client(config(b, "plain").build());
        assertFalse(connect(b, c));
        assertTrue(c.isConnected());
        c.disconnect();
        assertFalse(c.isConnected());
        assertFalse(connect(b, c), "reconnects after a clean disconnect");
        c.disconnect();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokers")
    @Covers({"MQTT-4.3.1-1", "MQTT-4.3.2-1", "MQTT-4.3.2-2", "MQTT-4.3.3-1", "MQTT-4.3.3-2"})
    void deliversAtQos0And1And2BothWays(Broker b) throws Exception {
        MqttClient sub = connected(b, "qos-sub");
        MqttClient pub = connected(b, "qos-pub");
        List<String> got = new ArrayList<>();
        sub.subscribe("qos/+", 2, m -> got.add(m.topicAsString() + ":" + m.payloadAsString() + ":q" + m.qos()));
        List<String> sent = new ArrayList<>();
        for (int qos = 0; qos <= 2; qos++) {
            for (int i = 0; i < 20; i++) {
                String payload = "m" + i;
                int id = pub.publish("qos/" + qos, bytes(payload), 0, payload.length(), qos, false);
                assertEquals(qos == 0, id == 0, "packet id " + id + " at qos " + qos);
                sent.add("qos/" + qos + ":" + payload + ":q" + qos);
            }
        }
        pumpUntil(() -> got.size() == sent.size() && pub.inflightCount() == 0, "60 messages", sub, pub);
        assertEquals(sent, got, "every message once, in order, at its QoS");
        pumpFor(200, sub, pub);
        assertEquals(60, got.size(), "no duplicates");
        assertTrue(pub.awaitInflight(1000));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokers")
    @Covers({"MQTT-3.3.1-5", "MQTT-3.3.1-6", "MQTT-3.3.1-8", "MQTT-3.3.1-9", "MQTT-3.3.1-10", "MQTT-3.3.1-11"})
    void retainedMessageIsDeliveredToNewSubscribersAndClearedByAnEmptyOne(Broker b) throws Exception {
        MqttClient pub = connected(b, "ret-pub");
        String topic = "retained/" + b.name();
        pub.publish(topic, bytes("kept"), 0, 4, 1, true);
        assertTrue(pub.awaitInflight(5000));
        MqttClient sub = connected(b, "ret-sub");
        List<String> got = new ArrayList<>();
        sub.subscribe(topic, 1, m -> got.add(m.payloadAsString() + (m.retain() ? " retained" : " live")));
        pumpUntil(() -> got.size() == 1, "the retained message", sub);
        pub.publish(topic, bytes("now"), 0, 3, 1, false);
        pumpUntil(() -> got.size() == 2, "a live message", sub, pub);
        // Moquette 0.17 delivers the stored message with RETAIN=0, against [MQTT-3.3.1-8]; the client shows the flag as received.
        String flag = b.name().equals("moquette") ? " live" : " retained";
        assertEquals(List.of("kept" + flag, "now live"), got);

        pub.publish(topic, new byte[0], 0, 0, 1, true); // clears the retained message
        assertTrue(pub.awaitInflight(5000));
        MqttClient late = connected(b, "ret-late");
        List<String> lateGot = new ArrayList<>();
        late.subscribe(topic, 1, m -> lateGot.add(m.payloadAsString()));
        pub.publish(topic, bytes("marker"), 0, 6, 1, false);
        pumpUntil(() -> lateGot.contains("marker"), "the marker", late, pub);
        assertEquals(List.of("marker"), lateGot, "no retained message after the zero-length retained publish");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mosquittoOnly")
    @Covers({"MQTT-3.1.2-8", "MQTT-3.14.4-3"})
    void willIsPublishedWhenTheSocketDiesButNotAfterDisconnect(Broker b) throws Exception {
        MqttClient watcher = connected(b, "will-watch");
        List<String> wills = new ArrayList<>();
        String topic = "will/" + b.name();
        watcher.subscribe(topic, 1, m -> wills.add(m.payloadAsString()));

        MqttClient clean = client(config(b, "will-clean").will(topic, bytes("clean"), 1, false).build());
        connect(b, clean);
        clean.disconnect();
        MqttClient dying = client(config(b, "will-dying").will(topic, bytes("died"), 1, false).build());
        connect(b, dying);
        dying.close(); // socket closed without DISCONNECT
        pumpUntil(() -> wills.contains("died"), "the will", watcher);
        pumpFor(300, watcher);
        assertEquals(List.of("died"), wills);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokers")
    @Covers({"MQTT-3.1.2-4", "MQTT-3.1.2-5", "MQTT-3.2.2-2"})
    void persistentSessionReceivesQos1QueuedWhileOffline(Broker b) throws Exception {
        MqttConfig persistent = config(b, "persist").cleanSession(false).build();
        MqttClient sub = client(persistent);
        connect(b, sub);
        sub.subscribe("persist/#", 1, m -> { });
        sub.disconnect();
        MqttClient pub = connected(b, "persist-pub");
        for (int i = 0; i < 5; i++) {
            pub.publish("persist/x", bytes("q" + i), 0, 2, 1, false);
        }
        assertTrue(pub.awaitInflight(5000));
        MqttClient again = client(persistent);
        List<String> got = new ArrayList<>();
        again.setDefaultHandler(m -> got.add(m.payloadAsString()));
        assertTrue(connect(b, again), "session present");
        pumpUntil(() -> got.size() == 5, "5 queued messages", again);
        assertEquals(List.of("q0", "q1", "q2", "q3", "q4"), got);
        again.unsubscribe("persist/#");
        again.disconnect();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokers")
    @Covers({"MQTT-3.8.4-1", "MQTT-3.10.4-4", "MQTT-3.10.4-2"})
    void wildcardSubscriptionsRouteAndUnsubscribeStopsDelivery(Broker b) throws Exception {
        MqttClient sub = connected(b, "wild-sub");
        MqttClient pub = connected(b, "wild-pub");
        List<String> plus = new ArrayList<>();
        List<String> hash = new ArrayList<>();
        sub.subscribe("w/+/temp", 1, m -> plus.add(m.topicAsString()));
        sub.subscribe("w/#", 1, m -> hash.add(m.topicAsString()));
        for (String t : new String[] {"w/a/temp", "w/b/temp", "w/a/hum", "w/a/temp/x", "x/a/temp"}) {
            pub.publish(t, bytes("v"), 0, 1, 1, false);
        }
        pumpUntil(() -> hash.size() == 4, "4 messages under w/#", sub, pub);
        assertEquals(List.of("w/a/temp", "w/b/temp"), plus);
        assertEquals(List.of("w/a/temp", "w/b/temp", "w/a/hum", "w/a/temp/x"), hash);

        sub.unsubscribe("w/+/temp");
        sub.unsubscribe("w/#");
        AtomicInteger other = new AtomicInteger();
        sub.setDefaultHandler(m -> other.incrementAndGet());
        pub.publish("w/c/temp", bytes("v"), 0, 1, 1, false);
        assertTrue(pub.awaitInflight(5000));
        pumpFor(300, sub, pub);
        assertEquals(2, plus.size());
        assertEquals(4, hash.size());
        assertEquals(0, other.get(), "nothing delivered after UNSUBACK");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokers")
    @Covers({"MQTT-3.1.2-23", "MQTT-3.12.4-1"})
    void anIdleConnectionIsKeptAliveByPings(Broker b) throws Exception {
        AtomicInteger pings = new AtomicInteger();
        dev.wren.mqtt.transport.TransportFactory counting = (host, port, timeout) -> {
            dev.wren.mqtt.transport.Transport t = dev.wren.mqtt.transport.TcpTransportFactory.INSTANCE.open(host, port, timeout);
            return new dev.wren.mqtt.transport.Transport() {
                @Override
                public int read(byte[] dst, int off, int len, int timeoutMillis) throws java.io.IOException {
                    return t.read(dst, off, len, timeoutMillis);
                }

                @Override
                public void write(byte[] src, int off, int len) throws java.io.IOException {
                    if (len == 2 && src[off] == (byte) 0xC0) {
                        pings.incrementAndGet();
                    }
                    t.write(src, off, len);
                }

                @Override
                public void close() {
                    t.close();
                }
            };
        };
        MqttClient c = client(config(b, "idle").keepAliveSeconds(1).operationTimeoutMillis(2000).transportFactory(counting).build());
        connect(b, c);
        pumpFor(3500, c);
        assertTrue(c.isConnected(), "PINGRESP answered every PINGREQ");
        assertTrue(pings.get() >= 3 && pings.get() <= 4, "PINGREQs in 3.5 s at 1 s keep-alive: " + pings.get());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokers")
    void aSmallWindowPublishesManyMessagesByDrivingTheReceiveLoop(Broker b) throws Exception {
        AtomicInteger completed = new AtomicInteger();
        MqttClient pub = client(config(b, "window").maxInflight(4).listener(new MqttListener() {
            @Override
            public void onPublishComplete(int packetId) {
                completed.incrementAndGet();
            }
        }).build());
        connect(b, pub);
        for (int i = 0; i < 500; i++) {
            pub.publish("window/x", bytes("m"), 0, 1, 1 + (i & 1), false);
            assertTrue(pub.inflightCount() <= 4);
        }
        assertTrue(pub.awaitInflight(5000));
        assertEquals(500, completed.get());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokers")
    void aMessageLargerThanTheReceiveBufferIsDrainedAndTheConnectionKept(Broker b) throws Exception {
        List<String> oversize = new ArrayList<>();
        MqttClient sub = client(config(b, "big-sub").receiveBufferBytes(256).listener(new MqttListener() {
            @Override
            public void onOversizeMessage(CharSequence topic, int byteCount, int qos) {
                oversize.add(topic + " " + byteCount + " q" + qos);
            }
        }).build());
        connect(b, sub);
        List<String> got = new ArrayList<>();
        sub.subscribe("big/#", 1, m -> got.add(m.payloadAsString()));
        MqttClient pub = connected(b, "big-pub");
        pub.publish("big/one", new byte[1000], 0, 1000, 1, false);
        pub.publish("big/two", bytes("small"), 0, 5, 1, false);
        pumpUntil(() -> got.size() == 1, "the small message", sub, pub);
        assertEquals(List.of("big/one 1014 q1"), oversize);
        assertEquals(List.of("small"), got);
        assertTrue(sub.isConnected());
        assertEquals(1, sub.oversizeMessageCount());
    }

    @Test
    @Covers({"MQTT-3.2.2-5"})
    void moquetteRefusesABadPasswordWithReturnCode4() throws Exception {
        try (MoquetteBroker secured = MoquetteBroker.start(Map.of("alice", "secret"))) {
            MqttConfig.Builder base = MqttConfig.builder().host(secured.host()).port(secured.port()).clientId("auth");
            MqttClient bad = client(base.userName("alice").password(bytes("wrong")).build());
            MqttException e = assertThrows(MqttException.class, bad::connect);
            assertEquals(Reason.REFUSED_BAD_USER_NAME_OR_PASSWORD, e.reason());
            MqttClient good = client(base.userName("alice").password(bytes("secret")).build());
            assertFalse(good.connect());
            good.disconnect();
        }
    }
}
