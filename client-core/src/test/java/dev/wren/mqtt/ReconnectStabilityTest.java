package dev.wren.mqtt;

import dev.wren.mqtt.testing.ScriptedTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static dev.wren.mqtt.testing.Packets.pingreq;
import static dev.wren.mqtt.testing.Packets.publish;
import static dev.wren.mqtt.testing.Packets.puback;
import static dev.wren.mqtt.testing.Packets.suback;
import static dev.wren.mqtt.testing.Packets.subscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Automatic reconnect against a broker that accepts and then turns the client away: a refused re-subscription
 * keeps the connection, and a connection that does not stay up does not reset the backoff. Over scripted
 * transports and the fake clock.
 */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReconnectStabilityTest extends ScriptedSessionTest {

    private MqttConfig.Builder reconnecting() {
        return config().automaticReconnect(true).reconnectBackoff(100, 1_600, 2.0, 0.0);
    }

    @Test
    void aSubscriptionRefusedOnResubscribeIsReportedAndTheConnectionStays() throws Exception {
        accepted(false).expect(subscribe(1, "cmd/#", 1)).send(suback(1, 1)).endOfStream();
        ScriptedTransport second = accepted(false).expect(subscribe(2, "cmd/#", 1)).send(suback(2, 0x80))
                .expect(subscribe(3, "other", 0)).send(suback(3, 0))
                .send(publish("other", "m", 1, false, false, 7)).expect(puback(7));
        MqttClient client = new MqttClient(reconnecting().build());
        client.connect();
        client.subscribe("cmd/#", 1, m -> { });
        client.poll(100); // the broker closed behind the SUBACK (an ACL change follows); this poll reconnects
        assertTrue(client.isConnected(), events.events.toString());
        assertEquals(List.of("connected false", "lost CONNECTION_LOST", "connected false",
                "resubscribe refused cmd/# 0x80"), events.events);
        assertEquals(0, client.subscribe("other", 0, m -> { }), "the connection is usable");
        while (!second.isFinished()) {
            client.poll(100);
        }
        assertTrue(client.isConnected());
        assertEquals(2, factory.openedCount(), "no connect/drop loop");
    }

    @Test
    void aSubscriptionRefusedOnResubscribeByAnExplicitConnectIsReportedNotThrown() throws Exception {
        accepted(false).expect(subscribe(1, "cmd/#", 2)).send(suback(1, 2)).endOfStream();
        accepted(false).expect(subscribe(2, "cmd/#", 2)).send(suback(2, 0x80));
        MqttClient client = new MqttClient(config().build());
        client.connect();
        client.subscribe("cmd/#", 2, m -> { });
        assertThrows(MqttException.class, () -> client.poll(100)); // the broker closed behind the SUBACK
        client.connect();
        assertTrue(client.isConnected());
        assertEquals("resubscribe refused cmd/# 0x80", events.events.get(events.events.size() - 1));
    }

    @Test
    void aBrokerThatAcceptsAndKicksMeetsGrowingDelaysUntilAConnectionStaysUpForTheMaxDelay() throws Exception {
        for (int i = 0; i < 6; i++) {
            accepted(false).endOfStream(); // CONNACK, then closed at once (e.g. a duplicate client id)
        }
        accepted(false).expect(pingreq()).endOfStream(); // up for one keep-alive interval (10 s > max delay 1.6 s)
        accepted(false).endOfStream();
        MqttClient client = new MqttClient(reconnecting().build());
        while (factory.openedCount() < 8 || client.isConnected() || events.retryDelaysMillis.size() < 8) {
            if (client.isConnected()) {
                client.poll(50); // silence moves the fake clock
            } else {
                client.poll(0); // an attempt when due; never a real-time wait
                clock.advanceMillis(10);
            }
        }
        assertEquals(List.of(100L, 200L, 400L, 800L, 1600L, 1600L, 100L, 200L), events.retryDelaysMillis,
                "kicked right after CONNACK: the delays grow; after a connection that stayed up: from the minimum again");
    }
}
