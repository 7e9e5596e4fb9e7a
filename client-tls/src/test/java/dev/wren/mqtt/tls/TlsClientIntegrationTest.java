package dev.wren.mqtt.tls;

import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttConfig;
import dev.wren.mqtt.testing.MosquittoExtension;
import dev.wren.mqtt.testing.StreamCheck;
import dev.wren.mqtt.testing.TcpRelay;
import dev.wren.mqtt.testing.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link MqttClient} over TLS against a real mosquitto: messaging, the will, and the URI schemes found by ServiceLoader. */
@Timeout(60)
class TlsClientIntegrationTest {

    private static final TestCertificates PKI = TestCertificates.get();

    @RegisterExtension
    static final MosquittoExtension broker = MosquittoExtension.builder()
            .extraListener("tls", PKI.listenerLines(PKI.serverPem, PKI.serverKey))
            .extraListener("mtls", PKI.listenerLines(PKI.serverPem, PKI.serverKey, "require_certificate true"))
            .build();

    private final List<MqttClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(MqttClient::close);
    }

    private MqttClient client(MqttConfig config) {
        MqttClient c = new MqttClient(config);
        clients.add(c);
        return c;
    }

    private static TlsTransportFactory mutualTls() throws IOException {
        return TlsTransportFactory.create(TlsConfig.builder().trustPemFile(PKI.caPem)
                .clientCertificatePem(PKI.clientEcPem, PKI.clientEcKey).build());
    }

    private static MqttConfig.Builder config(String clientId, int port, TlsTransportFactory tls) {
        return MqttConfig.builder().host("localhost").port(port).clientId(clientId).transportFactory(tls)
                .keepAliveSeconds(30).operationTimeoutMillis(5000).connectTimeoutMillis(5000);
    }

    @Test
    void publishAndSubscribeAtQos1OverMutualTls() throws Exception {
        TlsTransportFactory tls = mutualTls();
        MqttClient sub = client(config("tls-sub", broker.port("mtls"), tls).build());
        MqttClient pub = client(config("tls-pub", broker.port("mtls"), tls).build());
        sub.connect();
        pub.connect();
        List<String> got = new ArrayList<>();
        List<Integer> qos = new ArrayList<>();
        assertEquals(1, sub.subscribe("tls/q1", 1, m -> {
            got.add(m.payloadAsString());
            qos.add(m.qos());
        }));
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] payload = ("m" + i).getBytes(StandardCharsets.UTF_8);
            sent.add("m" + i);
            assertTrue(pub.publish("tls/q1", payload, 0, payload.length, 1, false) > 0, "QoS 1 gets a packet id");
        }
        StreamCheck.pumpUntil(() -> got.size() == sent.size() && pub.inflightCount() == 0,
                "40 QoS 1 messages over TLS", sub, pub);
        assertEquals(sent, got);
        assertTrue(qos.stream().allMatch(q -> q == 1), qos.toString());
        pub.disconnect();
        sub.disconnect();
    }

    @Test
    void willIsDeliveredOverTlsWhenTheSocketDies() throws Exception {
        TlsTransportFactory tls = mutualTls();
        MqttClient watcher = client(config("tls-will-watch", broker.port("tls"), tls).build());
        watcher.connect();
        List<String> wills = new ArrayList<>();
        watcher.subscribe("tls/will", 1, m -> wills.add(m.payloadAsString()));
        try (TcpRelay network = new TcpRelay(broker.port("tls"))) {
            byte[] died = "died".getBytes(StandardCharsets.UTF_8);
            MqttClient dying = client(config("tls-will-dying", network.port(), tls)
                    .will("tls/will", died, 1, false).build());
            dying.connect();
            assertTrue(dying.isConnected());
            network.cut(); // the network dies: no close_notify, no DISCONNECT
            StreamCheck.pumpUntil(() -> wills.contains("died"), "the will over TLS", watcher);
            assertEquals(List.of("died"), wills);
        }
    }

    @Test
    void sslUriUsesTlsWithJvmDefaultTrustAndVerifiesTheServer() {
        MqttConfig config = MqttConfig.builder().serverUri("ssl://localhost:" + broker.port("tls")).clientId("ssl-uri")
                .connectTimeoutMillis(5000).build();
        assertTrue(config.secure());
        assertTrue(config.transportFactory() instanceof TlsTransportFactory, config.transportFactory().toString());
        IOException e = assertThrows(IOException.class, () -> client(config).connect());
        assertTrue(e.getMessage().contains("not signed by a trusted certificate authority")
                && e.getMessage().contains("JVM default trust store"), e.getMessage());
        assertEquals(8883, MqttConfig.builder().serverUri("mqtts://broker.example").build().port());
    }

    /** TLS carries every byte in order, over the check client-core's TCP test uses (MQTT-7.1.2-1). */
    @Test
    void tlsCarriesEveryByteInOrder() throws Exception {
        TlsTransportFactory tls = TlsTransportFactory.create(TlsConfig.builder().trustPemFile(PKI.caPem).build());
        MqttClient sub = client(config("norm-stream-sub-tls", broker.port("tls"), tls).build());
        MqttClient pub = client(config("norm-stream-pub-tls", broker.port("tls"), tls).build());
        sub.connect();
        pub.connect();
        StreamCheck.everyByteArrivesInOrder(sub, pub, "norm/stream/tls");
    }
}
