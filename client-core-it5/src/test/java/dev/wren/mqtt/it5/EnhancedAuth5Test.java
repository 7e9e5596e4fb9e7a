package dev.wren.mqtt.it5;

import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttConfig;
import dev.wren.mqtt.MqttException;
import dev.wren.mqtt.MqttException.Reason;
import dev.wren.mqtt.MqttListener;
import dev.wren.mqtt.auth.ScramSha256Authenticator;
import dev.wren.mqtt.testing.HiveMqBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.wren.mqtt.it5.Client5BrokerTest.pollUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MQTT 5.0 enhanced authentication end to end: {@link ScramSha256Authenticator} against HiveMQ CE with a
 * SCRAM-SHA-256 {@code EnhancedAuthenticator} extension ({@link ScramServerExtension}). mosquitto 2.0.11 supports
 * enhanced authentication only through plugins, none of which is installed here.
 */
@Timeout(180)
class EnhancedAuth5Test {

    private static final ScramServerExtension SCRAM = new ScramServerExtension();
    @RegisterExtension
    static final HiveMqBroker HIVEMQ = HiveMqBroker.perClass(SCRAM);

    /** Generous: the machine is shared. */
    private static final long WAIT_MILLIS = 30_000;

    private final List<String> events = new ArrayList<>();

    private MqttConfig.Builder config(String clientId, String user, String password) {
        return MqttConfig.builder().protocolVersion(MqttConfig.MQTT_5).host(HIVEMQ.host()).port(HIVEMQ.port())
                .clientId(clientId).connectTimeoutMillis((int) WAIT_MILLIS).operationTimeoutMillis((int) WAIT_MILLIS)
                .authenticator(new ScramSha256Authenticator(user, password.toCharArray()))
                .listener(new MqttListener() {
                    @Override
                    public void onReauthenticated() {
                        events.add("reauthenticated");
                    }

                    @Override
                    public void onConnectionLost(MqttException cause) {
                        events.add("lost " + cause.reason());
                    }
                });
    }

    @Test
    void scramConnectsPublishesAndReauthenticatesWithHiveMq() throws Exception {
        try (MqttClient client = new MqttClient(config("wren-scram", "user", "pencil").build())) {
            assertFalse(client.connect());
            assertEquals("success", SCRAM.outcomes.get("wren-scram"), "the server checked the client's proof");
            List<String> got = new ArrayList<>();
            client.subscribe("wren/auth/#", 1, m -> got.add(m.topicAsString() + " " + m.payloadAsString()));
            client.publish("wren/auth/1", "hello".getBytes(StandardCharsets.UTF_8), 1, false);
            pollUntil(client, () -> got.size() == 1, "the message back");
            assertEquals(List.of("wren/auth/1 hello"), got);

            SCRAM.outcomes.remove("wren-scram");
            client.reauthenticate();
            pollUntil(client, () -> events.contains("reauthenticated"), "re-authentication");
            assertEquals("success", SCRAM.outcomes.get("wren-scram"));
            client.publish("wren/auth/2", "again".getBytes(StandardCharsets.UTF_8), 1, false);
            pollUntil(client, () -> got.size() == 2, "a message after the re-authentication");
            assertTrue(client.isConnected());
            client.disconnect();
        }
        assertEquals(List.of("reauthenticated"), events);
    }

    @Test
    void aWrongPasswordIsRefusedByTheServerWithNotAuthorized() {
        try (MqttClient client = new MqttClient(config("wren-scram-wrong", "user", "crayon").build())) {
            MqttException e = assertThrows(MqttException.class, client::connect);
            assertEquals(Reason.NOT_AUTHORIZED, e.reason(), e.getMessage());
            assertTrue(SCRAM.outcomes.get("wren-scram-wrong").startsWith("refused proof"),
                    SCRAM.outcomes.get("wren-scram-wrong"));
        }
    }

    @Test
    void aServerThatCannotProveItKnowsThePasswordIsRefusedByTheClient() {
        try (MqttClient client = new MqttClient(config("wren-scram-forged", "forged", "pencil").build())) {
            MqttException e = assertThrows(MqttException.class, client::connect);
            assertEquals(Reason.AUTHENTICATION_FAILED, e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains("expected server signature"), e.getMessage());
            assertEquals("success", SCRAM.outcomes.get("wren-scram-forged"), "the server accepted the client");
        }
    }
}
