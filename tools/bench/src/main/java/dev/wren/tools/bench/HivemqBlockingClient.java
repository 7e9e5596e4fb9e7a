package dev.wren.tools.bench;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.datatypes.MqttTopic;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import java.util.concurrent.TimeUnit;

/**
 * HiveMQ MQTT client 1.3.x, MQTT 3 blocking API ({@code Mqtt3BlockingClient}): each publish returns once the
 * message is written (QoS 0) or acknowledged (QoS 1: PUBACK, QoS 2: PUBCOMP), so at most one publish is in flight
 * whatever the bench's window; the window's slot is taken and freed around that call. Received messages are
 * counted through the client's asynchronous view (the blocking API has only a pull queue for them).
 */
final class HivemqBlockingClient extends AsyncBenchClient {
    private Mqtt3BlockingClient client;
    private MqttTopic topic;

    HivemqBlockingClient() {
        super("HiveMQ blocking");
    }

    @Override
    public void connect(String host, int port, String clientId, int inflightWindow) throws Exception {
        openWindow(inflightWindow);
        client = Mqtt3Client.builder().identifier(clientId).serverHost(host).serverPort(port).buildBlocking();
        client.connectWith().cleanSession(true).keepAlive(60).send();
    }

    @Override
    public void topic(String topic) {
        this.topic = MqttTopic.of(topic);
    }

    @Override
    public void publish(byte[] payload, int qos) throws Exception {
        acquireSlot();
        try {
            client.publishWith().topic(topic).qos(MqttQos.fromCode(qos)).payload(payload).send();
        } catch (RuntimeException e) {
            publishCompleted(e);
            throw e;
        }
        publishCompleted(null);
    }

    @Override
    public void subscribe(String filter, int qos) throws Exception {
        client.toAsync().subscribeWith().topicFilter(filter).qos(MqttQos.fromCode(qos))
                .callback(publish -> received++)   // one event-loop thread per connection
                .send().get(10, TimeUnit.SECONDS);
    }

    @Override
    public boolean ownsPayloadAfterPublish() {
        return true;   // publish returns after the message is written or acknowledged
    }

    @Override
    public void close() throws Exception {
        if (client == null) {
            return;
        }
        if (client.getState().isConnected()) {
            client.disconnect();
        }
    }
}
