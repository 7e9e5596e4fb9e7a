package dev.wren.mqtt;

import dev.wren.mqtt.MqttException.Reason;
import dev.wren.mqtt.testing.Covers;
import dev.wren.mqtt.testing.MosquittoExtension;
import dev.wren.mqtt.testing.StreamCheck;
import dev.wren.mqtt.transport.TcpTransportFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MQTT 3.1.1 normative statements that involve the server, proven with the client against a real mosquitto. */
@Timeout(60)
class NormativeBrokerRulesTest {

    @RegisterExtension
    static final MosquittoExtension broker = MosquittoExtension.builder().build();

    private final List<MqttClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(MqttClient::close);
    }

    private static MqttConfig.Builder config(String clientId) {
        return MqttConfig.builder().host(broker.host()).port(broker.port()).clientId(clientId).keepAliveSeconds(30)
                .operationTimeoutMillis(5000);
    }

    private MqttClient client(MqttConfig config) {
        MqttClient c = new MqttClient(config);
        clients.add(c);
        return c;
    }

    private MqttClient connected(String clientId) throws Exception {
        MqttClient c = client(config(clientId).build());
        c.connect();
        return c;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A persistent session is found again by its client id, and only by it. */
    @Test
    @Covers({"MQTT-3.1.3-2"})
    void aPersistentSessionIsFoundAgainByItsClientIdOnly() throws Exception {
        MqttConfig owner = config("norm-sess-owner").cleanSession(false).build();
        MqttClient first = client(owner);
        assertFalse(first.connect(), "a new session");
        first.subscribe("norm/sess", 1, m -> { });
        first.disconnect();

        MqttClient other = client(config("norm-sess-other").cleanSession(false).build());
        assertFalse(other.connect(), "another id does not find the owner's session");
        other.disconnect();

        MqttClient pub = connected("norm-sess-pub");
        pub.publish("norm/sess", bytes("while away"), 0, 10, 1, false);
        assertTrue(pub.awaitInflight(5000));

        MqttClient again = client(owner);
        List<String> got = new ArrayList<>();
        again.setDefaultHandler(m -> got.add(m.payloadAsString()));
        assertTrue(again.connect(), "the same id resumes its session");
        BrokerIntegrationTest.pumpUntil(() -> got.size() == 1, "the message queued in the session", again);
        assertEquals(List.of("while away"), got, "delivered through the resumed subscription");
        again.unsubscribe("norm/sess");
        again.disconnect();
    }

    /**
     * Broker side of clean session: connecting with CleanSession=1 under an id that had a persistent session ends
     * it; the queued message is not delivered and the subscription is gone.
     */
    @Test
    @Covers({"MQTT-3.1.2-6"})
    void aCleanSessionConnectDiscardsTheServersSessionForThatId() throws Exception {
        MqttClient persistent = client(config("norm-clean").cleanSession(false).build());
        persistent.connect();
        persistent.subscribe("norm/clean", 1, m -> { });
        persistent.disconnect();
        MqttClient pub = connected("norm-clean-pub");
        pub.publish("norm/clean", bytes("queued"), 0, 6, 1, false);
        assertTrue(pub.awaitInflight(5000));

        MqttClient clean = client(config("norm-clean").cleanSession(true).build());
        List<String> got = new ArrayList<>();
        clean.setDefaultHandler(m -> got.add(m.payloadAsString()));
        assertFalse(clean.connect(), "no session present");
        pub.publish("norm/clean", bytes("live"), 0, 4, 1, false);
        assertTrue(pub.awaitInflight(5000));
        BrokerIntegrationTest.pumpFor(300, clean, pub);
        assertEquals(List.of(), got, "neither the queued message nor a live one: the subscription went with the session");
        clean.disconnect();
        MqttClient later = client(config("norm-clean").cleanSession(false).build());
        assertFalse(later.connect(), "the clean session was not kept either");
        later.disconnect();
    }

    /** A second client with the same id takes over: the first sees its connection closed as CONNECTION_LOST. */
    @Test
    @Covers({"MQTT-3.1.4-2"})
    void aSecondClientWithTheSameIdTakesOverAndTheFirstSeesItsConnectionLost() throws Exception {
        RecordingListener firstEvents = new RecordingListener();
        MqttClient first = client(config("norm-twin").listener(firstEvents).build());
        first.connect();
        MqttClient second = client(config("norm-twin").build());
        second.connect();

        MqttException lost = null;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (lost == null && System.nanoTime() - deadline < 0) {
            try {
                first.poll(50);
            } catch (MqttException e) {
                lost = e;
            }
        }
        assertTrue(lost != null, "the first client never saw its connection closed");
        assertEquals(Reason.CONNECTION_LOST, lost.reason(), lost.getMessage());
        assertFalse(first.isConnected());
        assertEquals(List.of(lost), firstEvents.lost);
        assertTrue(second.isConnected());
        second.publish("norm/twin", bytes("x"), 0, 1, 1, false);
        assertTrue(second.awaitInflight(5000), "the second connection works");
    }

    /** A PUBLISH with RETAIN=0 is not stored and leaves the retained message in place. */
    @Test
    @Covers({"MQTT-3.3.1-12"})
    void aPublishWithRetainZeroLeavesTheRetainedMessage() throws Exception {
        MqttClient pub = connected("norm-ret-pub");
        String topic = "norm/retained";
        pub.publish(topic, bytes("kept"), 0, 4, 1, true);
        pub.publish(topic, bytes("not kept"), 0, 8, 1, false);
        assertTrue(pub.awaitInflight(5000));

        MqttClient sub = connected("norm-ret-sub");
        List<String> got = new ArrayList<>();
        sub.subscribe(topic, 1, m -> got.add(m.payloadAsString() + (m.retain() ? " retained" : " live")));
        pub.publish(topic, bytes("marker"), 0, 6, 1, false);
        BrokerIntegrationTest.pumpUntil(() -> got.contains("marker live"), "the marker", sub, pub);
        assertEquals(List.of("kept retained", "marker live"), got);

        pub.publish(topic, new byte[0], 0, 0, 1, true); // clears it for later runs on the same broker
        assertTrue(pub.awaitInflight(5000));
    }

    /**
     * TCP carries every byte in order: payloads of 1 to 15,000 bytes (many socket reads), each filled with a pattern
     * of its index, arrive whole and in publish order (TLS: client-tls's TlsStreamTest, over the same check).
     */
    @Test
    @Covers({"MQTT-7.1.2-1"})
    void tcpCarriesEveryByteInOrder() throws Exception {
        MqttClient sub = client(config("norm-stream-sub-tcp").transportFactory(TcpTransportFactory.INSTANCE).build());
        MqttClient pub = client(config("norm-stream-pub-tcp").transportFactory(TcpTransportFactory.INSTANCE).build());
        sub.connect();
        pub.connect();
        StreamCheck.everyByteArrivesInOrder(sub, pub, "norm/stream/tcp");
    }
}
