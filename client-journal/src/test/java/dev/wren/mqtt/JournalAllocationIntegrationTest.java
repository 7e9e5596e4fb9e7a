package dev.wren.mqtt;

import dev.wren.mqtt.journal.JournalStore;
import dev.wren.mqtt.testing.AllocationMeter;
import dev.wren.mqtt.testing.MosquittoExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Zero allocation per message with the journal on: every QoS 1/2 message is appended to the file, read back into
 * the window, marked acknowledged, through a real mosquitto; measured as {@link AllocationIntegrationTest} does.
 */
@Timeout(120)
class JournalAllocationIntegrationTest {

    /** Messages per measured round. */
    static final int MESSAGES = 5_000;

    @RegisterExtension
    static final MosquittoExtension broker = MosquittoExtension.builder().configLine("max_queued_messages 0").build();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "qos {0}")
    @ValueSource(ints = {1, 2})
    void publishThroughTheJournalAllocatesNothingAfterWarmUp(int qos) throws Exception {
        MqttConfig config = MqttConfig.builder().host(broker.host()).port(broker.port()).clientId("jalloc-" + qos)
                .inflightStore(JournalStore.builder(dir.resolve("alloc.journal")).capacityBytes(1024 * 1024).sync(0, 0).build()).build();
        try (MqttClient client = new MqttClient(config)) {
            client.connect();
            AllocationIntegrationTest.Counter counter = new AllocationIntegrationTest.Counter();
            MqttTopic topic = MqttTopic.of("jalloc/q" + qos);
            client.subscribe("jalloc/q" + qos, qos, counter);
            byte[] payload = new byte[16];

            AllocationMeter.SteadyState s = AllocationMeter.assertSteadyStateAllocatesNothing("wren with journal: qos "
                    + qos + " messages journaled, published and received on the calling thread", MESSAGES,
                    n -> AllocationIntegrationTest.run(client, topic, payload, qos, counter, n));
            assertEquals(s.operations(), counter.received, "every message came back once");
            assertEquals(0, client.queuedCount());
            client.disconnect();
        }
    }
}
