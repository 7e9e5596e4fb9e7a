package dev.wren.tools.bench.oneshot;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import java.nio.charset.StandardCharsets;

/** One retained QoS 1 message with HiveMQ's blocking MQTT 3 client. */
public final class OneShotHivemq {
    private OneShotHivemq() {
    }

    /** Arguments: host, port, topic. */
    public static void main(String[] args) {
        Mqtt3BlockingClient client = Mqtt3Client.builder().identifier("oneshot-hivemq")
                .serverHost(args[0]).serverPort(Integer.parseInt(args[1])).buildBlocking();
        client.connect();
        client.publishWith().topic(args[2]).qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .payload("1".getBytes(StandardCharsets.US_ASCII)).send();
        client.disconnect();
        System.exit(0);
    }
}
