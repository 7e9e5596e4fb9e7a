package dev.wren.tools.bench;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Eclipse Paho mqttv3 1.2.5, blocking client ({@code MqttClient}), as most Paho users call it: each publish returns
 * once the message is written (QoS 0) or acknowledged (QoS 1: PUBACK, QoS 2: PUBCOMP), so at most one publish is in
 * flight whatever the bench's window; the window's slot is taken and freed around that call.
 */
final class PahoBlockingClient extends AsyncBenchClient {
    /** Paho's largest limit: 1,000 was still overrun on a loaded 2-core machine (32202 in a full run, 2026-12-07). */
    private static final int BLOCKING_MAX_INFLIGHT = 65_535;
    private final javax.net.ssl.SSLSocketFactory tls;
    private MqttClient client;
    private String topic;

    /** Over plain TCP. */
    PahoBlockingClient() {
        this(null);
    }

    /** Over TLS ({@code ssl://}) with sockets from {@code tls}; plain TCP when null. */
    PahoBlockingClient(javax.net.ssl.SSLSocketFactory tls) {
        super("Paho blocking");
        this.tls = tls;
    }

    @Override
    public void connect(String host, int port, String clientId, int inflightWindow) throws Exception {
        openWindow(inflightWindow);
        client = new MqttClient((tls == null ? "tcp://" : "ssl://") + host + ":" + port, clientId, new MemoryPersistence());
        client.setCallback(PahoClient.callback(this));
        client.setTimeToWait(10_000);
        // Paho marks a publish's token complete before its callback thread frees the in-flight slot, so blocking
        // publishes in quick succession overrun a small limit ("Too many publishes in progress (32202)", seen with
        // a limit of 10, and with 1,000 under load): the limit is Paho's largest, far above the one publish this API
        // has in flight.
        client.connect(PahoClient.options(Math.max(inflightWindow, BLOCKING_MAX_INFLIGHT), tls));
    }

    @Override
    public void topic(String topic) {
        this.topic = topic;
    }

    @Override
    public void publish(byte[] payload, int qos) throws Exception {
        acquireSlot();
        try {
            client.publish(topic, payload, qos, false);
        } catch (Exception e) {
            publishCompleted(e);
            throw e;
        }
        publishCompleted(null);
    }

    @Override
    public void subscribe(String filter, int qos) throws Exception {
        client.subscribe(filter, qos);
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
        if (client.isConnected()) {
            client.disconnect(5_000);
        }
        client.close();
    }
}
