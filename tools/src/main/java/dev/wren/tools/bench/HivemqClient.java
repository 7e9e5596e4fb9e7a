package dev.wren.tools.bench;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.datatypes.MqttTopic;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/** HiveMQ MQTT client 1.3.x, MQTT 3 asynchronous API: futures completed on its Netty event loop. */
final class HivemqClient implements BenchClient {
    private Mqtt3AsyncClient client;
    private Semaphore window;
    private int windowSize;
    private MqttTopic topic;
    private volatile long received;
    private volatile Throwable failure;

    private final BiConsumer<Object, Throwable> released = (result, e) -> {
        if (e != null) {
            failure = e;
        }
        window.release();
    };

    @Override
    public void connect(String host, int port, String clientId, int inflightWindow) throws Exception {
        windowSize = inflightWindow;
        window = new Semaphore(inflightWindow);
        client = Mqtt3Client.builder().identifier(clientId).serverHost(host).serverPort(port).buildAsync();
        client.connectWith().cleanSession(true).keepAlive(60).send().get(10, TimeUnit.SECONDS);
    }

    @Override
    public void topic(String topic) {
        this.topic = MqttTopic.of(topic);
    }

    @Override
    public void publish(byte[] payload, int qos) throws Exception {
        window.acquire();
        client.publishWith().topic(topic).qos(MqttQos.fromCode(qos)).payload(payload).send().whenComplete(released);
    }

    @Override
    public void awaitPublished(long timeoutMillis) throws Exception {
        if (!window.tryAcquire(windowSize, timeoutMillis, TimeUnit.MILLISECONDS)) {
            throw new TimeoutException("HiveMQ: " + (windowSize - window.availablePermits())
                    + " publishes still in flight after " + timeoutMillis + " ms");
        }
        window.release(windowSize);
        if (failure != null) {
            throw new IllegalStateException("HiveMQ publish failed", failure);
        }
    }

    @Override
    public void subscribe(String filter, int qos) throws Exception {
        client.subscribeWith().topicFilter(filter).qos(MqttQos.fromCode(qos))
                .callback(publish -> received++)   // one event-loop thread per connection
                .send().get(10, TimeUnit.SECONDS);
    }

    @Override
    public long received() {
        return received;
    }

    @Override
    public void awaitReceived(long count, long timeoutMillis) throws Exception {
        BenchClient.parkUntil(this::received, count, timeoutMillis, "HiveMQ");
    }

    @Override
    public void idle(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    @Override
    public boolean ownsPayloadAfterPublish() {
        return false;   // the payload is wrapped, not copied, and encoded later on the event loop
    }

    @Override
    public void close() throws Exception {
        if (client == null) {
            return;
        }
        if (client.getState().isConnected()) {
            client.disconnect().get(10, TimeUnit.SECONDS);
        }
    }
}
