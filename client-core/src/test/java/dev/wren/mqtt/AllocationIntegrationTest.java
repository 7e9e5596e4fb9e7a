package dev.wren.mqtt;

import dev.wren.mqtt.codec.v5.PropertiesView;
import dev.wren.mqtt.codec.v5.Property;
import dev.wren.mqtt.testing.AllocationMeter;
import dev.wren.mqtt.testing.MosquittoExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Zero allocation per message once connected: one client publishes {@value #MESSAGES} messages to a topic it is
 * subscribed to through a real mosquitto, at each QoS, so the calling thread encodes, sends, receives, decodes,
 * dispatches and acknowledges every one (QoS 2: PUBLISH, PUBREC, PUBREL, PUBCOMP in both directions). The steady
 * state allocates 0 bytes per message on that thread ({@link AllocationMeter#assertSteadyStateAllocatesNothing} over
 * rounds of {@value #MESSAGES} messages).
 */
@Timeout(120)
class AllocationIntegrationTest {

    static final int WARMUP = 20_000;
    /** Messages per measured round. */
    static final int MESSAGES = 10_000;
    static final int MAX_AHEAD = 64;

    @RegisterExtension
    static final MosquittoExtension broker = MosquittoExtension.builder()
            .configLine("max_queued_messages 0") // no cap on queued messages: a burst is never dropped
            .build();

    /** Counts deliveries, and at 5.0 those missing the properties {@link #run} publishes, without allocating. */
    static final class Counter implements MessageHandler {
        int received;
        int wrongLength;
        int withoutProperties;

        @Override
        public void onMessage(MqttMessage message) {
            received++;
            if (message.payloadLength() != 16) {
                wrongLength++;
            }
            PropertiesView p = message.properties();
            if (p != null && (p.intValue(Property.MESSAGE_EXPIRY_INTERVAL, -1) <= 0
                    || !p.has(Property.CONTENT_TYPE) || !p.has(Property.USER_PROPERTY))) {
                withoutProperties++;
            }
        }
    }

    /**
     * Warms the JIT over every QoS path before any measurement: the first run in a JVM otherwise shows a few
     * hundred bytes in total (not per message) from tiered recompilation and deoptimization.
     */
    @BeforeAll
    static void warmUpEveryPath() throws Exception {
        MqttConfig config = MqttConfig.builder().host(broker.host()).port(broker.port()).clientId("alloc-warmup").build();
        try (MqttClient client = new MqttClient(config)) {
            client.connect();
            Counter counter = new Counter();
            client.subscribe("alloc/warmup", 2, counter);
            MqttTopic topic = MqttTopic.of("alloc/warmup");
            byte[] payload = new byte[16];
            for (int round = 0; round < 2; round++) {
                for (int qos = 0; qos <= 2; qos++) {
                    run(client, topic, payload, qos, counter, WARMUP);
                }
            }
            for (int i = 0; i < 300; i++) {
                client.poll(1); // the idle wait too
            }
            client.disconnect();
        }
    }

    @ParameterizedTest(name = "qos {0}")
    @ValueSource(ints = {0, 1, 2})
    void publishAndReceiveAllocateNothingAfterWarmUp(int qos) throws Exception {
        MqttConfig config = MqttConfig.builder().host(broker.host()).port(broker.port()).clientId("alloc-" + qos)
                .keepAliveSeconds(60).build();
        try (MqttClient client = new MqttClient(config)) {
            client.connect();
            Counter counter = new Counter();
            MqttTopic topic = MqttTopic.of("alloc/q" + qos);
            client.subscribe("alloc/q" + qos, qos, counter);
            byte[] payload = new byte[16];

            AllocationMeter.SteadyState s = AllocationMeter.assertSteadyStateAllocatesNothing("wren qos " + qos
                    + " messages published and received on the calling thread", MESSAGES,
                    n -> run(client, topic, payload, qos, counter, n));
            assertEquals(s.operations(), counter.received, "every message came back once");
            assertEquals(0, counter.wrongLength);
            client.disconnect();
        }
    }

    /**
     * The same at MQTT 5.0 with a message expiry, a content type and a user property put afresh on every message
     * into one reused {@link PublishProperties}, and the subscriber reading them back through
     * {@link MqttMessage#properties()}: still 0 bytes per message.
     */
    @ParameterizedTest(name = "qos {0}")
    @ValueSource(ints = {0, 1})
    void publishWithPropertiesAtProtocol5AllocatesNothingAfterWarmUp(int qos) throws Exception {
        MqttConfig config = MqttConfig.builder().host(broker.host()).port(broker.port()).clientId("alloc5-" + qos)
                .protocolVersion(MqttConfig.MQTT_5).keepAliveSeconds(60).build();
        try (MqttClient client = new MqttClient(config)) {
            client.connect();
            Counter counter = new Counter();
            MqttTopic topic = MqttTopic.of("alloc5/q" + qos);
            client.subscribe("alloc5/q" + qos, qos, counter);
            byte[] payload = new byte[16];
            PublishProperties props = new PublishProperties(64);
            AllocationMeter.SteadyState s = AllocationMeter.assertSteadyStateAllocatesNothing("wren 5.0 qos " + qos
                    + " messages with expiry, content type and a user property, published and received",
                    MESSAGES, n -> run(client, topic, payload, qos, props, counter, n, 1));
            assertEquals(s.operations(), counter.received, "every message came back once");
            assertEquals(0, counter.wrongLength);
            assertEquals(0, counter.withoutProperties, "messages without expiry, content type or user property");
            client.disconnect();
        }
    }

    /** {@link #run(MqttClient, MqttTopic, byte[], int, Counter, int, int)} polling after every message. */
    static void run(MqttClient client, MqttTopic topic, byte[] payload, int qos, Counter counter, int count)
            throws Exception {
        run(client, topic, payload, qos, null, counter, count, 1);
    }

    /** {@link #run(MqttClient, MqttTopic, byte[], int, PublishProperties, Counter, int, int)} without properties. */
    static void run(MqttClient client, MqttTopic topic, byte[] payload, int qos, Counter counter, int count, int burst)
            throws Exception {
        run(client, topic, payload, qos, null, counter, count, burst);
    }

    /**
     * Publishes {@code count} messages (at 5.0 with {@code props} refilled for each, unless null), polling after every {@code burst} of them, then flushes (a no-op without
     * write coalescing) and polls until all came back (and, at QoS 1/2, were acknowledged).
     */
    static void run(MqttClient client, MqttTopic topic, byte[] payload, int qos, PublishProperties props,
                    Counter counter, int count, int burst) throws Exception {
        int target = counter.received + count;
        int start = counter.received;
        for (int i = 0; i < count; i++) {
            payload[0] = (byte) i;
            if (props == null) {
                client.publish(topic, payload, qos, false); // the whole payload: the overload without offsets
            } else { // filled afresh for every message, as a caller would
                props.clear().messageExpiryIntervalSeconds(300).contentType("application/octet-stream")
                        .userProperty("node", "alloc");
                client.publish(topic, payload, 0, payload.length, qos, false, props);
            }
            if ((i + 1) % burst != 0) {
                continue;
            }
            client.poll(0);
            // QoS 0 has no window: keep at most MAX_AHEAD messages unreceived, as a steady sender would, rather
            // than only filling the socket buffers.
            while (i + 1 - (counter.received - start) > MAX_AHEAD) {
                client.poll(1);
            }
        }
        awaitAll(client, counter, target);
    }

    /** Flushes, then polls until {@code counter} reached {@code target} and nothing is in flight (30 s at most). */
    static void awaitAll(MqttClient client, Counter counter, int target) throws Exception {
        client.flush();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while ((counter.received < target || client.inflightCount() > 0) && System.nanoTime() - deadline < 0) {
            client.poll(10);
        }
        if (counter.received < target) { // no assertion message built on the measured path
            throw new AssertionError("received " + counter.received + " of " + target);
        }
    }

    /**
     * At MQTT 5.0 with automatic topic aliases, 2 of them for 3 topics published in the order t0 t0 t1 t2, so that
     * every round has aliases used (t0 again), mapped anew and replaced (least recently used): still 0 bytes per
     * message, and every message comes back (the topics themselves: {@code Features5BrokerTest}).
     */
    @ParameterizedTest(name = "qos {0}")
    @ValueSource(ints = {0, 1})
    void publishWithTopicAliasesAtProtocol5AllocatesNothingAfterWarmUp(int qos) throws Exception {
        MqttConfig config = MqttConfig.builder().host(broker.host()).port(broker.port()).clientId("alias5-" + qos)
                .protocolVersion(MqttConfig.MQTT_5).topicAliases(2).keepAliveSeconds(60).build();
        try (MqttClient client = new MqttClient(config)) {
            client.connect();
            Counter counter = new Counter();
            MqttTopic[] topics = {MqttTopic.of("alias5/q" + qos + "/t0"), MqttTopic.of("alias5/q" + qos + "/t1"),
                    MqttTopic.of("alias5/q" + qos + "/t2")};
            client.subscribe("alias5/q" + qos + "/#", qos, counter);
            byte[] payload = new byte[16];
            AllocationMeter.SteadyState s = AllocationMeter.assertSteadyStateAllocatesNothing("wren 5.0 qos " + qos
                    + " messages to 3 topics through 2 automatic topic aliases, published and received", MESSAGES,
                    n -> {
                        int target = counter.received + n;
                        for (int i = 0; i < n; i++) {
                            client.publish(topics[Math.max(0, i % 4 - 1)], payload, qos, false);
                            client.poll(0);
                            while (i + 1 - (n - (target - counter.received)) > MAX_AHEAD) {
                                client.poll(1);
                            }
                        }
                        awaitAll(client, counter, target);
                    });
            assertEquals(s.operations(), counter.received, "every message came back once");
            assertEquals(0, counter.wrongLength);
            client.disconnect();
        }
    }
}
