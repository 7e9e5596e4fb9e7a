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

/** One deadline, {@code connectTimeoutMillis}, covers opening the transport and waiting for CONNACK together. */
@Timeout(10)
class SessionConnectDeadlineTest {

    private final FakeClock clock = new FakeClock();
    private final List<Integer> openTimeouts = new ArrayList<>();

    /** A client whose transport takes {@code openMillis} of fake time to open, then plays {@code script}. */
    private MqttClient client(long openMillis, ScriptedTransport script) {
        return new MqttClient(MqttConfig.builder().host("broker.test").clientId("c").cleanSession(false)
                .keepAliveSeconds(10).connectTimeoutMillis(5000).clock(clock)
                .transportFactory((host, port, timeoutMillis) -> {
                    openTimeouts.add(timeoutMillis);
                    clock.advanceMillis(openMillis);
                    return script;
                }).build());
    }

    @Test
    void aSlowOpenLeavesOnlyTheRestOfTheTimeoutForConnack() throws Exception {
        ScriptedTransport t = new ScriptedTransport(clock).expect(connect("c", false, 10)); // no CONNACK ever
        MqttClient client = client(3000, t);
        long start = clock.nanoTime();
        MqttException e = assertThrows(MqttException.class, client::connect);
        assertEquals(Reason.CONNECT_TIMEOUT, e.reason(), e.getMessage());
        assertEquals(5000, clock.millisSince(start), "open (3000 ms) and the CONNACK wait share 5000 ms");
        assertEquals(List.of(5000), openTimeouts, "the open may take the whole timeout");
        assertTrue(e.getMessage().contains("5000"), e.getMessage());
        assertTrue(t.isClosed());
        assertFalse(client.isConnected());
    }

    @Test
    void anOpenThatUsedTheWholeTimeoutStillTakesAConnackAlreadyThere() throws Exception {
        ScriptedTransport t = new ScriptedTransport(clock).expect(connect("c", false, 10)).send(connack(false, 0));
        MqttClient client = client(5000, t);
        assertFalse(client.connect());
        assertTrue(client.isConnected());
    }

    @Test
    void anOpenThatUsedTheWholeTimeoutFailsWithoutWaitingForConnack() throws Exception {
        ScriptedTransport t = new ScriptedTransport(clock).expect(connect("c", false, 10));
        MqttClient client = client(5000, t);
        long start = clock.nanoTime();
        MqttException e = assertThrows(MqttException.class, client::connect);
        assertEquals(Reason.CONNECT_TIMEOUT, e.reason(), e.getMessage());
        assertEquals(5000, clock.millisSince(start));
    }
}
