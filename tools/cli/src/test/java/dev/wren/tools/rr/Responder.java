package dev.wren.tools.rr;

import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttConfig;
import dev.wren.mqtt.MqttMessage;
import dev.wren.mqtt.PublishProperties;
import dev.wren.mqtt.codec.v5.PropertiesView;
import dev.wren.mqtt.codec.v5.Property;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Queue;

/**
 * The other side of {@code wren rr} and {@code mosquitto_rr} in tests: an MQTT 5.0 client on its own thread that
 * answers each request on {@code filter} with {@code answer:<request payload>} on the request's Response Topic,
 * copying its Correlation Data (MQTT 5.0 §4.10.2), at the request's QoS. A request without a Response Topic (sent at
 * 3.1.1) gets no answer. The answer is published after the handler returns, from the polling loop.
 */
final class Responder implements AutoCloseable {

    private record Request(String responseTopic, byte[] correlation, byte[] payload, int qos) {
    }

    private final MqttClient client;
    private final Queue<Request> pending = new ArrayDeque<>();
    private final Thread thread;
    private volatile boolean stop;

    Responder(String host, int port, String filter) throws Exception {
        client = new MqttClient(MqttConfig.builder().host(host).port(port).clientId("responder-"
                + ProcessHandle.current().pid()).protocolVersion(MqttConfig.MQTT_5).build());
        client.connect();
        client.subscribe(filter, 2, this::onRequest); // SUBACK awaited: subscribed once this returns
        thread = new Thread(this::loop, "rr-responder");
        thread.setDaemon(true);
        thread.start();
    }

    private void onRequest(MqttMessage request) {
        PropertiesView p = request.properties();
        if (p == null || !p.has(Property.RESPONSE_TOPIC)) {
            return;
        }
        byte[] correlation = null;
        if (p.has(Property.CORRELATION_DATA)) {
            int at = p.valueOffset(Property.CORRELATION_DATA);
            correlation = Arrays.copyOfRange(p.buffer(), at, at + p.valueLength(Property.CORRELATION_DATA));
        }
        byte[] payload = Arrays.copyOfRange(request.payloadBuffer(), request.payloadOffset(),
                request.payloadOffset() + request.payloadLength());
        pending.add(new Request(p.text(Property.RESPONSE_TOPIC).toString(), correlation, payload, request.qos()));
    }

    private void loop() {
        try {
            while (!stop) {
                client.poll(50);
                for (Request r; (r = pending.poll()) != null; ) {
                    byte[] answer = ("answer:" + new String(r.payload(), StandardCharsets.UTF_8))
                            .getBytes(StandardCharsets.UTF_8);
                    PublishProperties properties = new PublishProperties(256);
                    if (r.correlation() != null) {
                        properties.correlationData(r.correlation(), 0, r.correlation().length);
                    }
                    client.publish(r.responseTopic(), answer, 0, answer.length, r.qos(), false, properties);
                }
            }
        } catch (Exception e) {
            if (!stop) {
                throw new AssertionError("responder failed: " + e, e);
            }
        }
    }

    @Override
    public void close() throws Exception {
        stop = true;
        thread.join(10_000);
        client.disconnect();
        client.close();
    }
}
