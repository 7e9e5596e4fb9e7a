package dev.wren.mqtt;

import dev.wren.mqtt.MqttException.Reason;
import dev.wren.mqtt.testing.Covers;
import dev.wren.mqtt.testing.MosquittoExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * mosquitto with a password file and an ACL. mosquitto 2.0 answers every MQTT 3.1.1 credential failure with
 * return code 5 (not authorized); return code 4 is covered against Moquette in {@link BrokerIntegrationTest}.
 */
@Timeout(30)
class MosquittoAuthTest {

    @RegisterExtension
    static final MosquittoExtension broker = MosquittoExtension.builder()
            .user("alice", "secret")
            .acl("user alice\ntopic readwrite a/#\n")
            .build();

    private MqttConfig.Builder config() {
        return MqttConfig.builder().host(broker.host()).port(broker.port()).clientId("auth").operationTimeoutMillis(3000);
    }

    @Test
    @Covers({"MQTT-3.2.2-5"})
    void wrongPasswordAndAnonymousAreRefusedAsNotAuthorized() throws Exception {
        try (MqttClient wrong = new MqttClient(config().userName("alice").password("nope".toCharArray()).build())) {
            MqttException e = assertThrows(MqttException.class, wrong::connect);
            assertEquals(Reason.REFUSED_NOT_AUTHORIZED, e.reason());
            assertTrue(e.getMessage().contains("return code 5"), e.getMessage());
        }
        try (MqttClient anonymous = new MqttClient(config().build())) {
            assertEquals(Reason.REFUSED_NOT_AUTHORIZED, assertThrows(MqttException.class, anonymous::connect).reason());
        }
    }

    @Test
    void aclLimitsWhatAnAuthorizedUserReceives() throws Exception {
        try (MqttClient alice = new MqttClient(config().userName("alice").password("secret".toCharArray()).build())) {
            alice.connect();
            List<String> got = new ArrayList<>();
            alice.subscribe("a/#", 1, m -> got.add(m.topicAsString()));
            alice.subscribe("b/#", 1, m -> got.add(m.topicAsString()));
            byte[] p = "x".getBytes(StandardCharsets.US_ASCII);
            alice.publish("b/denied", p, 0, 1, 1, false);
            alice.publish("a/allowed", p, 0, 1, 1, false);
            assertTrue(alice.awaitInflight(3000), "mosquitto acknowledges a denied publish too [MQTT-3.3.5-2]");
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (!got.contains("a/allowed") && System.nanoTime() - deadline < 0) {
                alice.poll(20);
            }
            alice.poll(200);
            assertEquals(List.of("a/allowed"), got);
        }
    }
}
