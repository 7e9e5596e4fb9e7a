package dev.wren.tools.bench;

import dev.wren.mqtt.MessageHandler;
import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttConfig;
import dev.wren.mqtt.MqttTopic;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * Wren, driven as its users drive it: one thread, publish returns once the frame is written, and the caller's
 * thread runs {@link MqttClient#poll} to receive and to collect acknowledgements. With a journal configured,
 * Wren's publish never blocks (a message beyond the window waits in the file); this adapter then polls until the
 * window has taken it, so that a full-speed publisher keeps the journal's queue at most one message deep instead
 * of filling the file and having its oldest messages dropped.
 *
 * <p>Wren's best setting for a burst publisher: write coalescing ({@link MqttConfig.Builder#coalesceWrites}, a batch
 * of {@value #COALESCE_BYTES} bytes), so a burst costs one write (one TLS record) per batch, not one per message.
 * The adapter flushes where the bench's loop ends a burst ({@link #awaitPublished}); where it waits, {@code poll},
 * {@code awaitInflight} and a publish into a full window flush by themselves. The paced latency client
 * ({@value #LATENCY_CLIENT_ID}) writes every message at once instead: a message held back until the batch fills
 * would measure the batching, not the client, and a latency-bound application would not coalesce.
 */
final class WrenClient implements BenchClient {
    /**
     * The bench's broker has no outgoing window (max_inflight_messages 0), and the config asks for at least the
     * server's window: take the largest table.
     */
    private static final int MAX_INCOMING_QOS2 = 65_535;
    /** Longest wait for an acknowledgement in one poll; poll returns as soon as one arrives. */
    private static final long POLL_MILLIS = 10;
    /** The write-coalescing batch of a publishing client: the ceiling's batch size. */
    static final int COALESCE_BYTES = 64 * 1024;

    private MqttClient client;
    private MqttTopic topic;
    private long received;   // Wren calls handlers on the polling thread: no other thread touches it
    private final MessageHandler counter = message -> received++;
    private final UnaryOperator<MqttConfig.Builder> extra;

    /** The bench's usual client: no journal. */
    WrenClient() {
        this(UnaryOperator.identity());
    }

    /** A client whose config gets {@code extra} on top of the bench's settings (e.g. a journal). */
    WrenClient(UnaryOperator<MqttConfig.Builder> extra) {
        this.extra = extra;
    }

    @Override
    public void connect(String host, int port, String clientId, int inflightWindow) throws Exception {
        int coalesce = LATENCY_CLIENT_ID.equals(clientId) ? 0 : COALESCE_BYTES;
        client = new MqttClient(extra.apply(MqttConfig.builder().host(host).port(port).clientId(clientId)
                .cleanSession(true).maxInflight(inflightWindow).maxIncomingQos2(MAX_INCOMING_QOS2)
                .coalesceWrites(coalesce)).build());
        client.connect();
    }

    @Override
    public void topic(String topic) {
        this.topic = MqttTopic.of(topic);
    }

    @Override
    public void publish(byte[] payload, int qos) throws Exception {
        client.publish(topic, payload, 0, payload.length, qos, false);
        while (client.queuedCount() > 0) {   // journal only: the window is full, wait as publish does without one
            client.poll(POLL_MILLIS);
        }
    }

    @Override
    public void awaitPublished(long timeoutMillis) throws Exception {
        client.flush(); // the end of a burst: QoS 0 has nothing to wait for, so nothing else would write the batch
        if (!client.awaitInflight(timeoutMillis)) {
            throw new TimeoutException("Wren: " + client.inflightCount() + " publishes still in flight after "
                    + timeoutMillis + " ms");
        }
        if (client.droppedCount() > 0) {
            throw new IllegalStateException("Wren: the journal dropped " + client.droppedCount()
                    + " messages (full); the figures would count messages never sent");
        }
    }

    @Override
    public void subscribe(String filter, int qos) throws Exception {
        client.subscribe(filter, qos, counter);
    }

    @Override
    public long received() {
        return received;
    }

    @Override
    public void awaitReceived(long count, long timeoutMillis) throws Exception {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (received < count) {
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("Wren: " + received + " of " + count + " messages within " + timeoutMillis + " ms");
            }
            client.poll(10);
        }
    }

    @Override
    public void idle(long millis) throws Exception {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            client.poll(Math.max(1, left / 1_000_000L));
        }
    }

    @Override
    public boolean ownsPayloadAfterPublish() {
        return true;   // publish has encoded the payload into the transmit buffer or the batch (or its window slot)
    }

    @Override
    public void close() throws Exception {
        if (client == null) {
            return;
        }
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
    }
}
