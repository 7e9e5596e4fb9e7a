package dev.wren.mqtt;

import dev.wren.mqtt.testing.FakeClock;
import dev.wren.mqtt.testing.ScriptedTransport;
import dev.wren.mqtt.testing.ScriptedTransportFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.wren.mqtt.testing.Packets.connack;
import static dev.wren.mqtt.testing.Packets.connect;
import static dev.wren.mqtt.testing.Packets.disconnect;
import static dev.wren.mqtt.testing.Packets.puback;
import static dev.wren.mqtt.testing.Packets.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code disconnect} on a socket that is already broken: a socket error, and the client is left reconnectable; and
 * against a server that never closes its side, a wait that ends when the caller said.
 */
@Timeout(10)
class SessionDisconnectTest {

    private static final byte[] P = "p".getBytes(StandardCharsets.US_ASCII);

    private final FakeClock clock = new FakeClock();
    private final ScriptedTransportFactory factory = new ScriptedTransportFactory();
    private final RecordingListener events = new RecordingListener();

    private MqttConfig.Builder config() {
        return MqttConfig.builder().host("broker.test").port(1884).clientId("c").cleanSession(false)
                .keepAliveSeconds(10).operationTimeoutMillis(5000).transportFactory(factory).clock(clock)
                .listener(events);
    }

    private ScriptedTransport accepted(boolean sessionPresent) {
        ScriptedTransport t = new ScriptedTransport(clock).expect(connect("c", false, 10)).send(connack(sessionPresent, 0));
        factory.then(t);
        return t;
    }

    @Test
    void disconnectOnABrokenSocketThrowsIOExceptionClosesTheTransportAndLeavesTheClientReconnectable()
            throws Exception {
        ScriptedTransport broken = accepted(false).expect(publish("t", "p", 1, false, false, 1)).failWrite();
        ScriptedTransport next = accepted(true).expect(publish("t", "p", 1, false, true, 1)).send(puback(1));
        MqttClient client = new MqttClient(config().build());
        client.connect();
        client.publish("t", P, 0, 1, 1, false);
        IOException e = assertThrows(IOException.class, client::disconnect);
        assertTrue(e.getMessage().contains("DISCONNECT") && e.getMessage().contains("broker.test:1884")
                && e.getMessage().contains("scripted broken pipe") && e.getMessage().contains("will"), e.getMessage());
        assertEquals("scripted broken pipe", e.getCause().getMessage());
        assertTrue(broken.isClosed(), "the transport is closed all the same");
        assertFalse(client.isConnected());
        assertEquals(List.of("connected false"), events.events, "the caller ended it: no onConnectionLost");
        client.disconnect(); // no-op once disconnected
        assertTrue(client.connect(), "reconnectable; the window survives");
        assertTrue(client.awaitInflight(1000));
        next.assertFinished();
        client.close();
    }

    @Test
    void disconnectWithAWaitOfItsOwnReturnsByItWhenTheServerNeverCloses() throws Exception {
        ScriptedTransport silent = accepted(false).expect(disconnect());
        ScriptedTransport again = accepted(false).expect(disconnect());
        MqttClient client = new MqttClient(config().build());
        client.connect();
        assertThrows(IllegalArgumentException.class, () -> client.disconnect(-1));
        long start = clock.nanoTime();
        client.disconnect(300);
        assertEquals(300, clock.millisSince(start), "waited what the caller gave, not operationTimeoutMillis");
        assertTrue(silent.isClosed());
        silent.assertFinished();
        assertFalse(client.isConnected());

        client.connect();
        start = clock.nanoTime();
        client.disconnect();
        assertEquals(5000, clock.millisSince(start), "without a wait of its own: operationTimeoutMillis");
        assertTrue(again.isClosed());
        again.assertFinished();
        client.close();
    }
}
