package dev.wren.mqtt;

import dev.wren.mqtt.codec.v5.PropertiesView;
import dev.wren.mqtt.codec.v5.Property;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * {@link MqttClient#request}: request/response (MQTT 5.0 §4.10) as a layer over the client's own subscribe, publish
 * and poll. It subscribes a response topic once, publishes with Response Topic and Correlation Data, and polls until
 * a message on a response topic carries the same Correlation Data; any other message there (a late answer to a
 * request that timed out) is dropped. After the first call with a response topic nothing is allocated: the
 * properties are refilled in place, the correlation data is compared in the receive buffer.
 */
final class Requester implements MessageHandler {

    private final MqttClient client;
    private final MonotonicClock clock;
    /** Response topics subscribed so far (the last first is enough for the usual single one). */
    private String[] subscribed = new String[0];
    private PublishProperties properties;

    // The request being awaited: the caller's correlation bytes and sink, for onMessage.
    private byte[] correlation;
    private int correlationOff;
    private int correlationLen;
    private MessageHandler response;
    private boolean answered;

    Requester(MqttClient client, MonotonicClock clock) {
        this.client = client;
        this.clock = clock;
    }

    boolean request(CharSequence topic, byte[] payload, int off, int len, int qos, CharSequence responseTopic,
                    byte[] correlationData, int correlationOff, int correlationLen, long timeoutMillis,
                    MessageHandler response) throws IOException, MqttException {
        if (response == null || responseTopic == null) {
            throw new IllegalArgumentException(response == null ? "response handler is null" : "responseTopic is null");
        }
        int version = client.config().protocolVersion();
        if (version == MqttConfig.MQTT_3_1 || version == MqttConfig.MQTT_3_1_1) {
            throw new IllegalStateException("request needs MQTT 5.0 (Response Topic, Correlation Data); this client"
                    + " speaks protocol level " + version + ": set protocolVersion(MQTT_5)");
        }
        if (timeoutMillis < 0) {
            throw new IllegalArgumentException("timeoutMillis " + timeoutMillis + " < 0");
        }
        long deadline = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        int needed = 6 + 4 * responseTopic.length() + correlationLen; // UTF-8 takes at most 4 bytes a char (§1.5.4)
        if (properties == null || properties.capacityBytes() < needed) {
            properties = new PublishProperties(Math.max(needed, 128)); // first call, or a larger one: once
        }
        properties.clear().responseTopic(responseTopic).correlationData(correlationData, correlationOff,
                correlationLen);
        if (!subscribedTo(responseTopic)) {
            client.subscribe(responseTopic, qos, this);
            String[] more = java.util.Arrays.copyOf(subscribed, subscribed.length + 1);
            more[subscribed.length] = responseTopic.toString();
            subscribed = more;
        }
        this.correlation = correlationData;
        this.correlationOff = correlationOff;
        this.correlationLen = correlationLen;
        this.response = response;
        answered = false;
        try {
            client.publish(topic, payload, off, len, qos, false, properties);
            while (!answered) {
                long left = deadline - clock.nanoTime();
                if (left <= 0) {
                    return false;
                }
                client.poll(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            return true;
        } finally {
            this.correlation = null; // the caller's arrays: not held beyond the call
            this.response = null;
        }
    }

    private boolean subscribedTo(CharSequence topic) {
        for (String s : subscribed) {
            if (s.contentEquals(topic)) {
                return true;
            }
        }
        return false;
    }

    /** A message on a response topic: the awaited response when its Correlation Data matches, else dropped. */
    @Override
    public void onMessage(MqttMessage message) throws Exception {
        PropertiesView p = message.properties();
        if (response == null || answered || p == null || !p.has(Property.CORRELATION_DATA)
                || p.valueLength(Property.CORRELATION_DATA) != correlationLen) {
            return;
        }
        byte[] buf = p.buffer();
        int at = p.valueOffset(Property.CORRELATION_DATA);
        for (int i = 0; i < correlationLen; i++) {
            if (buf[at + i] != correlation[correlationOff + i]) {
                return;
            }
        }
        answered = true;
        response.onMessage(message);
    }
}
