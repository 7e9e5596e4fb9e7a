package dev.wren.tools.bench.oneshot;

import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttConfig;
import java.nio.charset.StandardCharsets;

/** One retained QoS 1 message with Wren. */
public final class OneShotWren {
    private OneShotWren() {
    }

    /** Arguments: host, port, topic. */
    public static void main(String[] args) throws Exception {
        MqttClient client = new MqttClient(MqttConfig.builder().host(args[0]).port(Integer.parseInt(args[1]))
                .clientId("oneshot-wren").build());
        client.connect();
        byte[] payload = "1".getBytes(StandardCharsets.US_ASCII);
        client.publish(args[2], payload, 0, payload.length, 1, true);
        if (!client.awaitInflight(10_000)) {
            throw new IllegalStateException("no PUBACK within 10 s");
        }
        client.disconnect();
        client.close();
        System.exit(0);
    }
}
