package dev.wren.tools.bench;

/**
 * One MQTT client under test, driven the way its users drive it at full speed. Implementations keep every
 * per-message path free of allocation of their own, so the figures show the client's allocation only.
 */
interface BenchClient extends AutoCloseable {

    /**
     * The client id of the paced latency client (one message at a time): an adapter may pick its lowest-latency
     * setting for it rather than its best throughput setting.
     */
    String LATENCY_CLIENT_ID = "bench-latency";

    /** Connects with a clean session; {@code inflightWindow} bounds unacknowledged publishes of any QoS. */
    void connect(String host, int port, String clientId, int inflightWindow) throws Exception;

    /** Sets the topic later publishes go to (prepared once: encoded, validated). */
    void topic(String topic) throws Exception;

    /** Publishes {@code payload}; blocks while the in-flight window is full. */
    void publish(byte[] payload, int qos) throws Exception;

    /** Waits until every publish so far is written (QoS 0) or acknowledged (QoS 1: PUBACK, QoS 2: PUBCOMP). */
    void awaitPublished(long timeoutMillis) throws Exception;

    /** Subscribes to {@code filter}; received messages are counted by {@link #received()}. */
    void subscribe(String filter, int qos) throws Exception;

    /** Messages received on the subscription. */
    long received();

    /** Waits (driving the client if it has no thread of its own) until {@code count} messages have arrived. */
    void awaitReceived(long count, long timeoutMillis) throws Exception;

    /** Stays connected and idle for {@code millis}, as an application of this client would. */
    void idle(long millis) throws Exception;

    /** True when the client has copied or sent {@code payload} by the time publish returns (it may be reused). */
    boolean ownsPayloadAfterPublish();

    /** Disconnects cleanly and releases everything. */
    @Override
    void close() throws Exception;

    /** Waits without allocating until {@code count} arrived or {@code timeoutMillis} passed. */
    static void parkUntil(java.util.function.LongSupplier received, long count, long timeoutMillis, String what)
            throws java.util.concurrent.TimeoutException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (received.getAsLong() < count) {
            if (System.nanoTime() - deadline > 0) {
                throw new java.util.concurrent.TimeoutException(what + ": " + received.getAsLong() + " of " + count
                        + " messages within " + timeoutMillis + " ms");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(50_000);
        }
    }
}
