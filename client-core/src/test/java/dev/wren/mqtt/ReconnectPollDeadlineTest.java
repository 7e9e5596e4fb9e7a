package dev.wren.mqtt;

import dev.wren.mqtt.MqttException.Reason;
import dev.wren.mqtt.testing.FakeClock;
import dev.wren.mqtt.testing.ScriptedTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static dev.wren.mqtt.testing.Packets.connack;
import static dev.wren.mqtt.testing.Packets.connect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With automatic reconnect, {@code poll(timeout)} returns by its timeout also while an attempt is under way: the
 * CONNACK wait keeps its own connect deadline across polls. Opening the transport, which cannot be resumed, gets
 * connectTimeoutMillis whatever the poll's timeout: a connection slower to open than the caller polls still comes up.
 */
@Timeout(10)
class ReconnectPollDeadlineTest {

    private static final int CONNECT_TIMEOUT_MILLIS = 1000;

    private final FakeClock clock = new FakeClock();
    private final List<Integer> openTimeouts = new ArrayList<>();
    private final List<Exception> scheduled = new ArrayList<>();
    private final List<Long> scheduledAtMillis = new ArrayList<>();
    private final long origin = clock.nanoTime();

    private MqttClient client(ScriptedTransport... connections) {
        List<ScriptedTransport> left = new ArrayList<>(List.of(connections));
        MqttListener listener = new MqttListener() {
            @Override
            public void onReconnectScheduled(Exception cause, int consecutiveFailures, long retryInMillis) {
                scheduled.add(cause);
                scheduledAtMillis.add(clock.millisSince(origin));
            }
        };
        return new MqttClient(MqttConfig.builder().host("broker.test").clientId("c").cleanSession(false)
                .keepAliveSeconds(10).connectTimeoutMillis(CONNECT_TIMEOUT_MILLIS).clock(clock).listener(listener)
                .automaticReconnect(true).reconnectBackoff(100, 100, 1.0, 0.0)
                .transportFactory((host, port, timeoutMillis) -> {
                    openTimeouts.add(timeoutMillis);
                    return left.remove(0);
                }).build());
    }

    @Test
    void pollReturnsByItsTimeoutWhileTheServerNeverAnswersConnect() throws Exception {
        ScriptedTransport silent = new ScriptedTransport(clock).expect(connect("c", false, 10)); // accepts, never answers
        try (MqttClient client = client(silent)) {
            for (int call = 0; call < CONNECT_TIMEOUT_MILLIS / 100; call++) {
                long before = clock.nanoTime();
                assertEquals(0, client.poll(100));
                long took = clock.millisSince(before);
                assertTrue(took <= 100, "poll(100) #" + call + " took " + took + " ms of (fake) time");
                assertFalse(client.isConnected());
            }
            assertEquals(1, scheduled.size(), "the attempt failed once its connect deadline passed: " + scheduled);
            MqttException cause = (MqttException) scheduled.get(0);
            assertEquals(Reason.CONNECT_TIMEOUT, cause.reason(), cause.getMessage());
            assertEquals(CONNECT_TIMEOUT_MILLIS, (long) scheduledAtMillis.get(0), "fails at connectTimeoutMillis");
            assertTrue(silent.isClosed());
            assertEquals(List.of(CONNECT_TIMEOUT_MILLIS), openTimeouts, "the open gets connectTimeoutMillis");
        }
    }

    @Test
    void aConnectionSlowerToOpenThanThePollsStillComesUp() throws Exception {
        // A TLS handshake of 300 ms (a Pi Zero's) under polls of 20 ms (a node's loop): the open must get its time.
        ScriptedTransport slowToOpen = new ScriptedTransport(clock).expect(connect("c", false, 10)).send(connack(false, 0));
        List<ScriptedTransport> left = new ArrayList<>(List.of(slowToOpen));
        MqttListener listener = new MqttListener() {
            @Override
            public void onReconnectScheduled(Exception cause, int consecutiveFailures, long retryInMillis) {
                scheduled.add(cause);
            }
        };
        try (MqttClient client = new MqttClient(MqttConfig.builder().host("broker.test").clientId("c")
                .cleanSession(false).keepAliveSeconds(10).connectTimeoutMillis(CONNECT_TIMEOUT_MILLIS).clock(clock)
                .listener(listener).automaticReconnect(true).reconnectBackoff(100, 100, 1.0, 0.0)
                .transportFactory((host, port, timeoutMillis) -> {
                    openTimeouts.add(timeoutMillis);
                    if (timeoutMillis < 300) {
                        clock.advanceMillis(timeoutMillis);
                        throw new java.net.SocketTimeoutException("handshake not done within " + timeoutMillis + " ms");
                    }
                    clock.advanceMillis(300);
                    return left.remove(0);
                }).build())) {
            for (int call = 0; call < 5 && !client.isConnected(); call++) {
                client.poll(20);
            }
            assertTrue(client.isConnected(), "attempts: " + openTimeouts + ", failures: " + scheduled);
            assertTrue(scheduled.isEmpty(), scheduled.toString());
        }
    }

    @Test
    void aConnackArrivingInALaterPollCompletesTheAttempt() throws Exception {
        ScriptedTransport slow = new ScriptedTransport(clock).expect(connect("c", false, 10));
        try (MqttClient client = client(slow)) {
            assertEquals(0, client.poll(100));
            assertFalse(client.isConnected());
            slow.send(connack(false, 0));
            client.poll(100);
            assertTrue(client.isConnected());
            assertTrue(scheduled.isEmpty(), scheduled.toString());
        }
    }

    @Test
    void disconnectWhileAnAttemptAwaitsConnackAbandonsIt() throws Exception {
        ScriptedTransport slow = new ScriptedTransport(clock).expect(connect("c", false, 10));
        try (MqttClient client = client(slow)) {
            assertEquals(0, client.poll(100));
            client.disconnect();
            assertTrue(slow.isClosed(), "the attempt's connection is closed");
            assertFalse(client.isConnected());
            MqttException e = assertThrows(MqttException.class, () -> client.poll(100));
            assertEquals(Reason.NOT_CONNECTED, e.reason(), e.getMessage());
            assertEquals(List.of(CONNECT_TIMEOUT_MILLIS), openTimeouts, "no further attempt after disconnect()");
        }
    }
}
