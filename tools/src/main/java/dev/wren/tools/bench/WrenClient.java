package dev.wren.tools.bench;

import dev.wren.mqtt.MessageHandler;
import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttConfig;
import dev.wren.mqtt.MqttTopic;
import java.util.concurrent.TimeoutException;

/**
 * Wren, driven as its users drive it: one thread, publish returns once the frame is written, and the caller's
 * thread runs {@link MqttClient#poll} to receive and to collect acknowledgements.
 */
final class WrenClient implements BenchClient {
    private MqttClient client;
    private MqttTopic topic;
    private long received;   // Wren calls handlers on the polling thread: no other thread touches it
    private final MessageHandler counter = message -> received++;

    @Override
    public void connect(String host, int port, String clientId, int inflightWindow) throws Exception {
        client = new MqttClient(MqttConfig.builder().host(host).port(port).clientId(clientId).cleanSession(true)
                .maxInflight(inflightWindow).build());
        client.connect();
    }

    @Override
    public void topic(String topic) {
        this.topic = MqttTopic.of(topic);
    }

    @Override
    public void publish(byte[] payload, int qos) throws Exception {
        client.publish(topic, payload, 0, payload.length, qos, false);
    }

    @Override
    public void awaitPublished(long timeoutMillis) throws Exception {
        if (!client.awaitInflight(timeoutMillis)) {
            throw new TimeoutException("Wren: " + client.inflightCount() + " publishes still in flight after "
                    + timeoutMillis + " ms");
        }
    }

    @Override
    public void subscribe(String filter, int qos) throws Exception {
        client.subscribe(filter, qos, counter);
    }

    @Override
    public long received() {
        return received;
    }

    @Override
    public void awaitReceived(long count, long timeoutMillis) throws Exception {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (received < count) {
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("Wren: " + received + " of " + count + " messages within " + timeoutMillis + " ms");
            }
            client.poll(10);
        }
    }

    @Override
    public void idle(long millis) throws Exception {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            client.poll(Math.max(1, left / 1_000_000L));
        }
    }

    @Override
    public boolean ownsPayloadAfterPublish() {
        return true;   // publish has encoded the payload into the transmit buffer and written it
    }

    @Override
    public void close() throws Exception {
        if (client == null) {
            return;
        }
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
    }
}
