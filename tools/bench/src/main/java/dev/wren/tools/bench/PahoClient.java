package dev.wren.tools.bench;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Eclipse Paho mqttv3 1.2.5, asynchronous client ({@code MqttAsyncClient}): publishes without waiting, one listener
 * frees the window. {@link PahoBlockingClient} drives the blocking API.
 */
final class PahoClient extends AsyncBenchClient {
    private final javax.net.ssl.SSLSocketFactory tls;
    private MqttAsyncClient client;
    private String topic;

    private final IMqttActionListener completed = new IMqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
            publishCompleted(null);
        }

        @Override
        public void onFailure(IMqttToken token, Throwable e) {
            publishCompleted(e);
        }
    };

    /** Over plain TCP. */
    PahoClient() {
        this(null);
    }

    /** Over TLS ({@code ssl://}) with sockets from {@code tls}; plain TCP when null. */
    PahoClient(javax.net.ssl.SSLSocketFactory tls) {
        super("Paho");
        this.tls = tls;
    }

    @Override
    public void connect(String host, int port, String clientId, int inflightWindow) throws Exception {
        openWindow(inflightWindow);
        client = new MqttAsyncClient((tls == null ? "tcp://" : "ssl://") + host + ":" + port, clientId, new MemoryPersistence());
        client.setCallback(callback(this));
        MqttConnectOptions options = options(inflightWindow, tls);
        client.connect(options).waitForCompletion(10_000);
    }

    /** Counts arrivals (one callback thread) and keeps a lost connection as the failure; shared by both Paho APIs. */
    static MqttCallback callback(AsyncBenchClient owner) {
        return new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                owner.failure = cause;
            }

            @Override
            public void messageArrived(String t, MqttMessage message) {
                owner.received++;   // one callback thread
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // the window is freed per publish
            }
        };
    }

    /** Clean session, no automatic reconnect, {@code inflightWindow} (at least Paho's 10); shared by both Paho APIs. */
    static MqttConnectOptions options(int inflightWindow, javax.net.ssl.SSLSocketFactory tls) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setMaxInflight(Math.min(65_535, Math.max(inflightWindow, 10)));
        options.setAutomaticReconnect(false);
        if (tls != null) {
            options.setSocketFactory(tls);   // host name verification stays on (Paho's default)
        }
        return options;
    }

    @Override
    public void topic(String topic) {
        this.topic = topic;
    }

    @Override
    public void publish(byte[] payload, int qos) throws Exception {
        acquireSlot();
        client.publish(topic, payload, qos, false, null, completed);
    }

    @Override
    public void subscribe(String filter, int qos) throws Exception {
        client.subscribe(filter, qos).waitForCompletion(10_000);
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
