package dev.wren.tools.demo;

import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EmbeddedBrokerTest {

    @Test
    void carriesRetainedMessagesOnLoopbackAndDeletesItsFolderWhenClosed() throws Exception {
        Path dir;
        try (EmbeddedBroker broker = EmbeddedBroker.start()) {
            dir = broker.dataDir();
            assertEquals("127.0.0.1", broker.host());
            assertTrue(broker.port() > 0);
            byte[] kept = "kept".getBytes(StandardCharsets.US_ASCII);
            try (MqttClient pub = connected(broker, "embedded-pub")) {
                pub.publish("demo/t", kept, 0, kept.length, 1, true);
                assertTrue(pub.awaitInflight(10_000), "PUBACK for the retained message");
                pub.disconnect();
            }
            List<String> received = new ArrayList<>();
            try (MqttClient sub = connected(broker, "embedded-sub")) {
                // Published before this client subscribed: only the broker's retained copy can bring it.
                sub.subscribe("demo/#", 1, m -> received.add(m.topicAsString() + " " + m.payloadAsString()));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (received.isEmpty() && System.nanoTime() - deadline < 0) {
                    sub.poll(50);
                }
                sub.disconnect();
            }
            assertEquals(List.of("demo/t kept"), received);
        }
        assertFalse(Files.exists(dir), dir + " deleted");
    }

    /**
     * Connects, then polls 100 ms before the first packet: Moquette 0.17 closes a connection whose first packet
     * arrives between its CONNACK and marking the connection connected (see DemoCommand's viewer).
     */
    private static MqttClient connected(EmbeddedBroker broker, String clientId) throws Exception {
        MqttClient client = new MqttClient(MqttConfig.builder().host(broker.host()).port(broker.port())
                .clientId(clientId).build());
        client.connect();
        long settled = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        while (System.nanoTime() - settled < 0) {
            client.poll(20);
        }
        return client;
    }
}
