package dev.wren.tools.bench;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** Eclipse Paho mqttv3 1.2.5, asynchronous client: publishes without waiting, the window held by a semaphore. */
final class PahoClient implements BenchClient {
    private MqttAsyncClient client;
    private Semaphore window;
    private int windowSize;
    private String topic;
    private volatile long received;
    private volatile Throwable failure;

    private final IMqttActionListener released = new IMqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
            window.release();
        }

        @Override
        public void onFailure(IMqttToken token, Throwable e) {
            failure = e;
            window.release();
        }
    };

    @Override
    public void connect(String host, int port, String clientId, int inflightWindow) throws Exception {
        windowSize = inflightWindow;
        window = new Semaphore(inflightWindow);
        client = new MqttAsyncClient("tcp://" + host + ":" + port, clientId, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                failure = cause;
            }

            @Override
            public void messageArrived(String t, MqttMessage message) {
                received++;   // one callback thread
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // the per-publish listener releases the window
            }
        });
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setMaxInflight(Math.min(65_535, Math.max(inflightWindow, 10)));
        options.setAutomaticReconnect(false);
        client.connect(options).waitForCompletion(10_000);
    }

    @Override
    public void topic(String topic) {
        this.topic = topic;
    }

    @Override
    public void publish(byte[] payload, int qos) throws Exception {
        window.acquire();
        client.publish(topic, payload, qos, false, null, released);
    }

    @Override
    public void awaitPublished(long timeoutMillis) throws Exception {
        if (!window.tryAcquire(windowSize, timeoutMillis, TimeUnit.MILLISECONDS)) {
            throw new TimeoutException("Paho: " + (windowSize - window.availablePermits())
                    + " publishes still in flight after " + timeoutMillis + " ms");
        }
        window.release(windowSize);
        if (failure != null) {
            throw new IllegalStateException("Paho publish failed", failure);
        }
    }

    @Override
    public void subscribe(String filter, int qos) throws Exception {
        client.subscribe(filter, qos).waitForCompletion(10_000);
    }

    @Override
    public long received() {
        return received;
    }

    @Override
    public void awaitReceived(long count, long timeoutMillis) throws Exception {
        BenchClient.parkUntil(this::received, count, timeoutMillis, "Paho");
    }

    @Override
    public void idle(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    @Override
    public boolean ownsPayloadAfterPublish() {
        return false;   // MqttMessage keeps the caller's array until the sender thread has written it
    }

    @Override
    public void close() throws Exception {
        if (client == null) {
            return;
        }
        if (client.isConnected()) {
            client.disconnect(5_000).waitForCompletion(10_000);
        }
        client.close();
    }
}
