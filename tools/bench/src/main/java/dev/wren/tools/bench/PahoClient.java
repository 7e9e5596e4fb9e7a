package dev.wren.tools.bench;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** Eclipse Paho mqttv3 1.2.5, asynchronous client: publishes without waiting, one listener frees the window. */
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
                // the per-publish listener frees the window
            }
        });
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setMaxInflight(Math.min(65_535, Math.max(inflightWindow, 10)));
        options.setAutomaticReconnect(false);
        if (tls != null) {
            options.setSocketFactory(tls);   // host name verification stays on (Paho's default)
        }
        client.connect(options).waitForCompletion(10_000);
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
