package dev.wren.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The receiving end of a fault test: a QoS 1 subscriber on its own thread (one client per thread, as the client
 * requires) with a persistent session and automatic reconnect, counting how often each sequence number
 * {@code 0..expected-1} arrived (payload: the number in ASCII). Bounded: it stops at {@link #close()} or after
 * {@code maxMillis}.
 */
final class StreamCounter implements AutoCloseable {

    private final MqttClient client;
    private final int[] seen;
    /** Arrival rank of each number's first copy (1-based; 0 = not yet). */
    private final int[] firstRank;
    private final Thread thread;
    private volatile boolean stop;
    private volatile Throwable failure;
    private volatile int distinct;
    private volatile long duplicates;
    private volatile long foreign;

    StreamCounter(String host, int port, String clientId, String topic, int expected, long maxMillis) throws Exception {
        this.seen = new int[expected];
        this.firstRank = new int[expected];
        this.client = new MqttClient(MqttConfig.builder().host(host).port(port).clientId(clientId).cleanSession(false)
                .keepAliveSeconds(5).operationTimeoutMillis(5_000).connectTimeoutMillis(2_000)
                .receiveBufferBytes(1024).automaticReconnect(true).reconnectBackoff(50, 500, 2.0, 0.5).build());
        client.connect();
        client.subscribe(topic, 1, m -> record(m.payloadBuffer(), m.payloadOffset(), m.payloadLength()));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
        thread = new Thread(() -> {
            try {
                while (!stop && System.nanoTime() - deadline < 0) {
                    client.poll(50);
                }
            } catch (Throwable t) {
                failure = t;
            }
        }, "stream-counter-" + clientId);
        thread.setDaemon(true);
        thread.start();
    }

    private void record(byte[] buf, int off, int len) {
        int n = parse(buf, off, len);
        if (n < 0 || n >= seen.length) {
            foreign++;
            return;
        }
        if (seen[n]++ == 0) {
            firstRank[n] = ++distinct;
        } else {
            duplicates++;
        }
    }

    static int parse(byte[] buf, int off, int len) {
        int n = 0;
        for (int i = off; i < off + len; i++) {
            int d = buf[i] - '0';
            if (d < 0 || d > 9 || len > 9) {
                return -1;
            }
            n = n * 10 + d;
        }
        return len == 0 ? -1 : n;
    }

    static byte[] payload(int n) {
        return Integer.toString(n).getBytes(StandardCharsets.US_ASCII);
    }

    /** Waits until every number arrived at least once; false on timeout. */
    boolean awaitAll(long timeoutMillis) throws InterruptedException {
        return awaitRange(0, seen.length, timeoutMillis);
    }

    /** Waits until every number in {@code from..toExclusive-1} arrived; false on timeout. */
    boolean awaitRange(int from, int toExclusive, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (int i = from; i < toExclusive; i++) {
            while (distinct >= 0 && seen[i] == 0) { // the volatile read orders the subscriber thread's writes before
                if (failure != null || System.nanoTime() - deadline >= 0) {
                    return false;
                }
                Thread.sleep(20); // the subscriber runs on its own thread: poll its progress with a deadline
            }
        }
        return true;
    }

    /** Waits until every number arrived, or nothing new arrived for {@code quietMillis}, or {@code maxMillis}. */
    void awaitAllOrQuiet(long quietMillis, long maxMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
        int last = -1;
        long lastChange = System.nanoTime();
        while (distinct < seen.length && failure == null && System.nanoTime() - deadline < 0) {
            if (distinct != last) {
                last = distinct;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > TimeUnit.MILLISECONDS.toNanos(quietMillis)) {
                return;
            }
            Thread.sleep(20); // the subscriber runs on its own thread: poll its progress with a deadline
        }
    }

    /** How many copies of {@code n} arrived. */
    int copies(int n) {
        return seen[n];
    }

    /** Whether {@code n} arrived at all. */
    boolean arrived(int n) {
        return seen[n] > 0;
    }

    /** The arrival rank of {@code n}'s first copy (1 = first message seen), 0 if not arrived. */
    int firstRank(int n) {
        return firstRank[n];
    }

    int distinct() {
        return distinct;
    }

    long duplicates() {
        return duplicates;
    }

    long foreign() {
        return foreign;
    }

    /** The missing numbers, for a failure message (at most 20 listed). */
    String missing() {
        return missing(seen.length);
    }

    /** The missing numbers below {@code toExclusive}, for a failure message (at most 20 listed). */
    String missing(int toExclusive) {
        StringBuilder b = new StringBuilder();
        int count = 0;
        for (int i = 0; i < toExclusive; i++) {
            if (seen[i] == 0 && count++ < 20) {
                b.append(i).append(' ');
            }
        }
        return count + " missing: " + b;
    }

    Throwable failure() {
        return failure;
    }

    @Override
    public void close() {
        stop = true;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            client.close();
        }
    }
}
