package dev.wren.mqtt;

import dev.wren.mqtt.AllocationIntegrationTest.Counter;
import dev.wren.mqtt.testing.AllocationMeter;
import dev.wren.mqtt.testing.MosquittoExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.wren.mqtt.AllocationIntegrationTest.MESSAGES;
import static dev.wren.mqtt.AllocationIntegrationTest.WARMUP;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * As {@link AllocationIntegrationTest}, with write coalescing on ({@link MqttConfig.Builder#coalesceWrites}): the
 * client publishes bursts of {@value #BURST} messages between polls, so publishes fill the batch, flush when it is
 * full, at the start of a poll and when the window is full; still 0 bytes per message after warm-up at QoS 0, 1, 2.
 */
@Timeout(120)
class CoalescingAllocationIntegrationTest {

    static final int BATCH_BYTES = 4 * 1024;
    static final int BURST = 16;

    @RegisterExtension
    static final MosquittoExtension broker = MosquittoExtension.builder()
            .configLine("max_queued_messages 0") // no cap on queued messages: a burst is never dropped
            // While the client waits for its QoS 0 messages to come back it writes nothing, so no ACK rides on its
            // data; with Nagle on mosquitto's side (its default) each small forwarded PUBLISH then waits for the
            // delayed ACK: 20,000 messages took 11 s instead of 0.35 s.
            .configLine("set_tcp_nodelay true")
            .build();

    private static MqttConfig config(String clientId) {
        return MqttConfig.builder().host(broker.host()).port(broker.port()).clientId(clientId).keepAliveSeconds(60)
                .coalesceWrites(BATCH_BYTES).build();
    }

    /** Warms the JIT over every QoS path with coalescing on, as {@link AllocationIntegrationTest} does. */
    @BeforeAll
    static void warmUpEveryPath() throws Exception {
        try (MqttClient client = new MqttClient(config("coalesce-warmup"))) {
            client.connect();
            Counter counter = new Counter();
            client.subscribe("coalesce/warmup", 2, counter);
            MqttTopic topic = MqttTopic.of("coalesce/warmup");
            byte[] payload = new byte[16];
            for (int round = 0; round < 2; round++) {
                for (int qos = 0; qos <= 2; qos++) {
                    run(client, topic, payload, qos, counter, WARMUP);
                }
            }
            for (int i = 0; i < 300; i++) {
                client.poll(1);
            }
            client.disconnect();
        }
    }

    @ParameterizedTest(name = "qos {0}")
    @ValueSource(ints = {0, 1, 2})
    void coalescedPublishAndReceiveAllocateNothingAfterWarmUp(int qos) throws Exception {
        try (MqttClient client = new MqttClient(config("coalesce-" + qos))) {
            client.connect();
            Counter counter = new Counter();
            MqttTopic topic = MqttTopic.of("coalesce/q" + qos);
            client.subscribe("coalesce/q" + qos, qos, counter);
            byte[] payload = new byte[16];

            AllocationMeter.SteadyState s = AllocationMeter.assertSteadyStateAllocatesNothing("wren (coalesceWrites "
                    + BATCH_BYTES + ") qos " + qos + " messages published and received on the calling thread",
                    MESSAGES, n -> run(client, topic, payload, qos, counter, n));
            assertEquals(s.operations(), counter.received, "every message came back once");
            assertEquals(0, counter.wrongLength);
            client.disconnect();
        }
    }

    private static void run(MqttClient client, MqttTopic topic, byte[] payload, int qos, Counter counter, int count)
            throws Exception {
        AllocationIntegrationTest.run(client, topic, payload, qos, counter, count, BURST);
    }
}
