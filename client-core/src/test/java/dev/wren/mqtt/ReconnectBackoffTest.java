package dev.wren.mqtt;

import dev.wren.mqtt.testing.FakeClock;
import dev.wren.mqtt.testing.MosquittoExtension;
import dev.wren.mqtt.transport.TcpTransportFactory;
import dev.wren.mqtt.transport.TransportFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.ConnectException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Automatic reconnect against a server that refuses connections for a while: attempts follow the backoff policy. */
class ReconnectBackoffTest {

    @RegisterExtension
    static final MosquittoExtension broker = new MosquittoExtension();

    @Test
    @Timeout(10)
    void withAFakeClockTheAttemptsFollowThePolicyExactly() throws Exception {
        FakeClock clock = new FakeClock();
        List<Long> attemptsMillis = new ArrayList<>();
        long origin = clock.nanoTime();
        TransportFactory refusing = (host, port, timeoutMillis) -> {
            attemptsMillis.add(clock.millisSince(origin));
            throw new ConnectException("Connection refused: " + host + ":" + port);
        };
        List<Long> announced = new ArrayList<>();
        MqttListener listener = new MqttListener() {
            @Override
            public void onReconnectScheduled(Exception cause, int consecutiveFailures, long retryInMillis) {
                announced.add(retryInMillis);
            }
        };
        try (MqttClient client = new MqttClient(MqttConfig.builder().host("broker.test").clientId("backoff")
                .transportFactory(refusing).clock(clock).listener(listener).automaticReconnect(true)
                .reconnectBackoff(100, 1_600, 2.0, 0.0).build())) {
            for (int step = 0; step < 600; step++) { // 6 s of fake time in 10 ms steps
                client.poll(0);
                clock.advanceMillis(10);
            }
            assertFalse(client.isConnected());
        }
        List<Long> intervals = new ArrayList<>();
        for (int i = 1; i < attemptsMillis.size(); i++) {
            intervals.add(attemptsMillis.get(i) - attemptsMillis.get(i - 1));
        }
        assertEquals(Arrays.asList(100L, 200L, 400L, 800L, 1600L, 1600L), intervals.subList(0, 6));
        assertEquals(announced.subList(0, 6), intervals.subList(0, 6), "the listener is told each delay");
        assertEquals(0L, (long) attemptsMillis.get(0), "the first attempt at once");
    }

    @Test
    @Timeout(10)
    void withAFakeClockEachJitteredDelayLiesBetweenHalfAndAllOfItsNominalDelay() throws Exception {
        FakeClock clock = new FakeClock();
        List<Long> attemptsMillis = new ArrayList<>();
        long origin = clock.nanoTime();
        TransportFactory refusing = (host, port, timeoutMillis) -> {
            attemptsMillis.add(clock.millisSince(origin));
            throw new ConnectException("Connection refused: " + host + ":" + port);
        };
        List<Long> announced = new ArrayList<>();
        MqttListener listener = new MqttListener() {
            @Override
            public void onReconnectScheduled(Exception cause, int consecutiveFailures, long retryInMillis) {
                announced.add(retryInMillis);
            }
        };
        int min = 100;
        int max = 800;
        try (MqttClient client = new MqttClient(MqttConfig.builder().host("broker.test").clientId("backoff-jitter")
                .transportFactory(refusing).clock(clock).listener(listener).automaticReconnect(true)
                .reconnectBackoff(min, max, 2.0, 0.5).build())) {
            for (int step = 0; step < 20_000; step++) { // 20 s of fake time in 1 ms steps
                client.poll(0);
                clock.advanceMillis(1);
            }
            assertFalse(client.isConnected());
        }
        // Nominal delays after failures 1, 2, 3, ...: 100, 200, 400, 800, 800, ...; each jittered into
        // [nominal / 2, nominal] (Backoff: "equal jitter"), and the next attempt made when it is over.
        assertTrue(attemptsMillis.size() >= 20, attemptsMillis.size() + " attempts in 20 s: " + attemptsMillis);
        long nominal = min;
        int shortened = 0;
        for (int i = 1; i < attemptsMillis.size(); i++) {
            long interval = attemptsMillis.get(i) - attemptsMillis.get(i - 1);
            long delay = announced.get(i - 1);
            assertTrue(delay >= nominal / 2 && delay <= nominal, "delay " + delay + " ms after failure " + i
                    + " outside [" + nominal / 2 + ", " + nominal + "]");
            assertTrue(interval >= delay && interval <= delay + 1, "attempt " + (i + 1) + " after " + interval
                    + " ms, announced " + delay + " ms (1 ms steps)");
            if (delay < nominal) {
                shortened++;
            }
            nominal = Math.min(max, nominal * 2);
        }
        assertTrue(shortened >= attemptsMillis.size() / 2, "jitter shortened only " + shortened + " of "
                + (attemptsMillis.size() - 1) + " delays: " + announced);
    }

    /**
     * The same rule against a real broker on the real clock, with bounds that hold on a busy machine: each wait is
     * at least the jittered minimum of its nominal delay (load only lengthens waits), at most seconds beyond it, and
     * the client reconnects once the broker is back. The exact schedule is the fake-clock tests' job.
     */
    @Test
    @Timeout(60)
    void againstAStoppedBrokerTheAttemptsBackOffWithJitterUntilItReturns() throws Exception {
        List<Long> attemptNanos = new ArrayList<>();
        TransportFactory recording = (host, port, timeoutMillis) -> {
            attemptNanos.add(System.nanoTime());
            return TcpTransportFactory.INSTANCE.open(host, port, timeoutMillis);
        };
        int min = 100;
        int max = 800;
        int failedAttempts = 5;
        try (MqttClient client = new MqttClient(MqttConfig.builder().host(broker.host()).port(broker.port())
                .clientId("backoff-real").transportFactory(recording).connectTimeoutMillis(1_000)
                .automaticReconnect(true).reconnectBackoff(min, max, 2.0, 0.5).build())) {
            client.connect();
            broker.kill(); // refuses connections from now on (nothing listens on the port)
            // Nominally 100 + 200 + 400 + 800 + 800 ms of waiting: 30 s leaves room for any load.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (attemptNanos.size() < 1 + failedAttempts && System.nanoTime() - deadline < 0) {
                client.poll(20);
            }
            assertTrue(attemptNanos.size() >= 1 + failedAttempts, "only " + (attemptNanos.size() - 1)
                    + " reconnect attempts in 30 s against a refusing port");
            assertFalse(client.isConnected());
            broker.start();
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!client.isConnected() && System.nanoTime() - deadline < 0) {
                client.poll(20);
            }
            assertTrue(client.isConnected(), "reconnected once the broker was back");
            List<Long> intervals = new ArrayList<>();
            for (int i = 2; i <= failedAttempts; i++) { // between failed reconnect attempts, all made while down
                intervals.add(TimeUnit.NANOSECONDS.toMillis(attemptNanos.get(i) - attemptNanos.get(i - 1)));
            }
            System.out.println("fault refusing-broker: backoff " + min + ".." + max + " ms x2, jitter 0.5; intervals"
                    + " between refused attempts (ms) " + intervals);
            // Nominal delays after failures 1, 2, 3, ...: 200, 400, 800, 800 (the first follows the loss itself).
            long nominal = min;
            for (long interval : intervals) {
                nominal = Math.min(max, nominal * 2);
                assertTrue(interval >= nominal / 2 - 5, "interval " + interval + " ms below half of nominal " + nominal);
                assertTrue(interval <= nominal + 10_000, "interval " + interval + " ms: no wait far beyond nominal "
                        + nominal);
            }
        }
    }
}
