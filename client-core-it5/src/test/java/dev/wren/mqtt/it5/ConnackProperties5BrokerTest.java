package dev.wren.mqtt.it5;

import dev.wren.mqtt.ConnackProperties;
import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttConfig;
import dev.wren.mqtt.MqttException;
import dev.wren.mqtt.MqttException.Reason;
import dev.wren.mqtt.testing.Covers5;
import dev.wren.mqtt.testing.HiveMqBroker;
import dev.wren.mqtt.testing.MosquittoExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link MqttClient#connackProperties()} against real 5.0 brokers: mosquitto 2.0.11 configured to send its limits
 * (Retain Available, Maximum Packet Size, Server Keep Alive), which the client then keeps to, and HiveMQ CE with its
 * defaults (Receive Maximum 10, Topic Alias Maximum 5, an Assigned Client Identifier). mosquitto 2.0.11 sends no
 * Maximum QoS for {@code max_qos 1} (seen here: the CONNACK had none), so that one is proven on a scripted transport
 * only ({@code Session5ScriptTest}).
 */
@Timeout(180)
class ConnackProperties5BrokerTest {

    @RegisterExtension
    static final MosquittoExtension MOSQUITTO = MosquittoExtension.builder()
            .configLine("retain_available false").configLine("max_packet_size 2000").configLine("max_keepalive 30")
            .build();
    @RegisterExtension
    static final HiveMqBroker HIVEMQ = HiveMqBroker.perClass();

    private static MqttConfig.Builder config(int port, String clientId) {
        return MqttConfig.builder().protocolVersion(MqttConfig.MQTT_5).host("127.0.0.1").port(port).clientId(clientId)
                .keepAliveSeconds(60).operationTimeoutMillis(30_000);
    }

    private static String describe(ConnackProperties p) {
        return "reason 0x" + Integer.toHexString(p.reasonCode()) + ", session present " + p.sessionPresent()
                + ", session expiry " + p.sessionExpiryIntervalSeconds() + ", receive maximum " + p.receiveMaximum()
                + ", maximum QoS " + p.maximumQos() + ", retain " + p.retainAvailable() + ", maximum packet size "
                + p.maximumPacketSize() + ", assigned id " + p.assignedClientIdentifier() + ", topic alias maximum "
                + p.topicAliasMaximum() + ", wildcard " + p.wildcardSubscriptionAvailable() + ", subscription ids "
                + p.subscriptionIdentifiersAvailable() + ", shared " + p.sharedSubscriptionAvailable()
                + ", server keep alive " + p.serverKeepAliveSeconds() + ", response information "
                + p.responseInformation() + ", server reference " + p.serverReference() + ", reason string "
                + p.reasonString();
    }

    @Test
    @Covers5({"MQTT-3.2.2-14", "MQTT-3.2.2-15", "MQTT-3.2.2-21"})
    void mosquittosConfiguredLimitsAreReportedAndKeptTo() throws Exception {
        try (MqttClient client = new MqttClient(config(MOSQUITTO.port(), "wren5-limits").build())) {
            client.connect();
            ConnackProperties p = client.connackProperties();
            System.out.println("mosquitto CONNACK: " + describe(p));
            assertEquals(0, p.reasonCode());
            assertFalse(p.retainAvailable());
            assertEquals(2000, p.maximumPacketSize());
            assertEquals(30, p.serverKeepAliveSeconds());
            assertEquals(30, p.keepAliveSeconds(), "the server's instead of the 60 sent [MQTT-3.2.2-21]");

            MqttException retained = assertThrows(MqttException.class,
                    () -> client.publish("wren5/limits", new byte[1], 0, 1, 1, true));
            assertEquals(Reason.RETAIN_NOT_SUPPORTED, retained.reason());
            MqttException large = assertThrows(MqttException.class,
                    () -> client.publish("wren5/limits", new byte[2000], 0, 2000, 1, false));
            assertEquals(Reason.PACKET_TOO_LARGE, large.reason());
            // What the limits allow goes through, and mosquitto keeps the connection (it closes on a breach).
            client.publish("wren5/limits", new byte[1000], 0, 1000, 1, false);
            assertTrue(client.awaitInflight(30_000));
            assertTrue(client.isConnected());
            client.disconnect();
        }
        String log = MOSQUITTO.log();
        assertFalse(log.contains("wren5-limits") && log.contains("protocol error"), log);
    }

    @Test
    void hivemqsConnackPropertiesAreReported() throws Exception {
        try (MqttClient client = new MqttClient(config(HIVEMQ.port(), "").cleanSession(true)
                .sessionExpiryIntervalSeconds(60).build())) {
            client.connect();
            ConnackProperties p = client.connackProperties();
            System.out.println("HiveMQ CE CONNACK: " + describe(p));
            assertEquals(0, p.reasonCode());
            assertFalse(p.sessionPresent());
            assertNotNull(p.assignedClientIdentifier());
            assertEquals(p.assignedClientIdentifier(), client.assignedClientId());
            assertEquals(60, p.sessionExpiryIntervalSeconds());
            assertEquals(10, p.receiveMaximum());
            assertEquals(5, p.topicAliasMaximum());
            assertTrue(p.wildcardSubscriptionAvailable() && p.sharedSubscriptionAvailable()
                    && p.subscriptionIdentifiersAvailable());
            client.disconnect();
        }
    }
}
