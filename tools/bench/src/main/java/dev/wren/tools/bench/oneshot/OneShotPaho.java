package dev.wren.tools.bench.oneshot;

import java.nio.charset.StandardCharsets;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** One retained QoS 1 message with Paho's synchronous client. */
public final class OneShotPaho {
    private OneShotPaho() {
    }

    /** Arguments: host, port, topic. */
    public static void main(String[] args) throws Exception {
        MqttClient client = new MqttClient("tcp://" + args[0] + ":" + args[1], "oneshot-paho", new MemoryPersistence());
        client.connect();
        client.publish(args[2], "1".getBytes(StandardCharsets.US_ASCII), 1, true);
        client.disconnect();
        client.close();
        System.exit(0);
    }
}
