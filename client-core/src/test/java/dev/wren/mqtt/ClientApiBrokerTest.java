package dev.wren.mqtt;

import dev.wren.mqtt.testing.MosquittoExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Several filters in one SUBSCRIBE / UNSUBSCRIBE and subscribe before connect, against a real mosquitto. */
@Timeout(30)
class ClientApiBrokerTest {

    @RegisterExtension
    static final MosquittoExtension mosquitto = new MosquittoExtension();

    private static final byte[] P = "x".getBytes(StandardCharsets.US_ASCII);

    private final List<String> events = new ArrayList<>();
    private final List<String> got = new ArrayList<>();

    private MqttConfig.Builder config(String clientId) {
        return MqttConfig.builder().host(mosquitto.host()).port(mosquitto.port()).clientId(clientId)
                .operationTimeoutMillis(5000).listener(new MqttListener() {
                    @Override
                    public void onSubscribeAcknowledged(CharSequence filter, int returnCode) {
                        events.add(filter + " " + returnCode);
                    }
                });
    }

    /** Polls until {@code count} messages arrived (generous deadline), then a little more for strays. */
    private void receive(MqttClient client, int count) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (got.size() < count && System.nanoTime() - deadline < 0) {
            client.poll(20);
        }
        client.poll(100);
    }

    @Test
    void severalFiltersInOneSubscribeAreGrantedEachAtItsQosAndUnsubscribedTogether() throws Exception {
        try (MqttClient client = new MqttClient(config("api-multi").build())) {
            client.connect();
            int[] codes = new int[3];
            assertEquals(3, client.subscribe(new String[] {"multi/a", "multi/b/+", "multi/c/#"}, new int[] {0, 1, 2},
                    m -> got.add(m.topicAsString() + " q" + m.qos()), codes));
            assertArrayEquals(new int[] {0, 1, 2}, codes, "mosquitto grants what was asked");
            client.publish("multi/a", P, 2, false);
            client.publish("multi/b/1", P, 2, false);
            client.publish("multi/c/1/2", P, 2, false);
            receive(client, 3);
            assertEquals(List.of("multi/a q0", "multi/b/1 q1", "multi/c/1/2 q2"), got,
                    "each delivered at the QoS granted to its filter");
            client.unsubscribe(new String[] {"multi/a", "multi/c/#"});
            got.clear();
            client.publish("multi/a", P, 1, false);
            client.publish("multi/c/1", P, 1, false);
            client.publish("multi/b/2", P, 1, false);
            receive(client, 1);
            assertEquals(List.of("multi/b/2 q1"), got, "the two unsubscribed filters deliver nothing");
            client.disconnect();
        }
    }

    @Test
    void subscribeBeforeConnectIsMadeAfterConnackAndDelivers() throws Exception {
        try (MqttClient client = new MqttClient(config("api-early").build())) {
            assertEquals(MqttClient.SUBACK_PENDING, client.subscribe("early/#", 1,
                    m -> got.add(m.topicAsString() + " q" + m.qos())));
            client.connect();
            assertEquals(List.of("early/# 1"), events, "the outcome reached the listener inside connect");
            client.publish("early/t", P, 1, false);
            receive(client, 1);
            assertEquals(List.of("early/t q1"), got);
            assertTrue(client.awaitInflight(5000));
            client.disconnect();
        }
    }
}
