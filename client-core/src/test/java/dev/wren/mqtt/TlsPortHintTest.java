package dev.wren.mqtt;

import dev.wren.mqtt.testing.Bytes;
import dev.wren.mqtt.testing.FakeClock;
import dev.wren.mqtt.testing.MosquittoExtension;
import dev.wren.mqtt.testing.Packets;
import dev.wren.mqtt.testing.ScriptedTransport;
import dev.wren.mqtt.testing.ScriptedTransportFactory;
import dev.wren.mqtt.testing.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A plain-TCP client that meets TLS where CONNACK should be is told to use ssl:// (no TLS layer needed for that). */
@Timeout(60)
class TlsPortHintTest {

    private static final TestCertificates PKI = TestCertificates.get();

    @RegisterExtension
    static final MosquittoExtension broker = MosquittoExtension.builder()
            .extraListener("tls", PKI.listenerLines(PKI.serverPem, PKI.serverKey))
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

    @Test
    void plainTcpClientAtATlsListenerIsToldToUseTls() {
        MqttClient c = client(MqttConfig.builder().serverUri("tcp://localhost:" + broker.port("tls")).clientId("plain")
                .connectTimeoutMillis(3000).build());
        Exception e = assertThrows(Exception.class, c::connect);
        assertTrue(e instanceof MqttException || e instanceof IOException, e.toString());
        assertTrue(e.getMessage().contains("localhost:" + broker.port("tls")) && e.getMessage().contains("ssl://"),
                e.getMessage());
        assertFalse(c.isConnected());
    }

    /** When the TLS alert arrives before the reset, the first byte (0x15) is named as TLS, not as a bad MQTT header. */
    @Test
    void tlsAlertRecordInsteadOfConnackIsNamedAsTls() {
        FakeClock clock = new FakeClock();
        ScriptedTransport t = new ScriptedTransport(clock).expect(Packets.connect("c", true, 30))
                .send(Bytes.hex("15 03 03 00 02 02 32")); // TLS 1.2 record: fatal alert decode_error
        MqttClient c = client(MqttConfig.builder().host("broker.test").port(8883).clientId("c").keepAliveSeconds(30)
                .transportFactory(new ScriptedTransportFactory().then(t)).clock(clock).build());
        MqttException e = assertThrows(MqttException.class, c::connect);
        assertEquals(MqttException.Reason.CONNECTION_LOST, e.reason());
        assertEquals("CONNECTION_LOST: server answered CONNECT with a TLS alert record, not MQTT (before CONNACK: if broker.test:8883 is a"
                + " TLS port, usually 8883, use ssl://broker.test:8883)", e.getMessage());
        assertTrue(t.isClosed());
    }
}
