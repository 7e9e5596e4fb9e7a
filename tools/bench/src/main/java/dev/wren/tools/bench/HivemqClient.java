package dev.wren.tools.bench;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.datatypes.MqttTopic;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/** HiveMQ MQTT client 1.3.x, MQTT 3 asynchronous API: futures completed on its Netty event loop. */
final class HivemqClient extends AsyncBenchClient {
    private final javax.net.ssl.TrustManagerFactory tls;
    private Mqtt3AsyncClient client;
    private MqttTopic topic;
    private final BiConsumer<Object, Throwable> completed = (result, e) -> publishCompleted(e);

    /** Over plain TCP. */
    HivemqClient() {
        this(null);
    }

    /** Over TLS, trusting what {@code tls} trusts (HiveMQ's other TLS defaults: JDK protocols, host name verified); TCP when null. */
    HivemqClient(javax.net.ssl.TrustManagerFactory tls) {
        super("HiveMQ");
        this.tls = tls;
    }

    @Override
    public void connect(String host, int port, String clientId, int inflightWindow) throws Exception {
        openWindow(inflightWindow);
        com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder builder =
                Mqtt3Client.builder().identifier(clientId).serverHost(host).serverPort(port);
        if (tls != null) {
            builder = builder.sslConfig().trustManagerFactory(tls).applySslConfig();
        }
        client = builder.buildAsync();
        client.connectWith().cleanSession(true).keepAlive(60).send().get(10, TimeUnit.SECONDS);
    }

    @Override
    public void topic(String topic) {
        this.topic = MqttTopic.of(topic);
    }

    @Override
    public void publish(byte[] payload, int qos) throws Exception {
        acquireSlot();
        client.publishWith().topic(topic).qos(MqttQos.fromCode(qos)).payload(payload).send().whenComplete(completed);
    }

    @Override
    public void subscribe(String filter, int qos) throws Exception {
        client.subscribeWith().topicFilter(filter).qos(MqttQos.fromCode(qos))
                .callback(publish -> received++)   // one event-loop thread per connection
                .send().get(10, TimeUnit.SECONDS);
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
