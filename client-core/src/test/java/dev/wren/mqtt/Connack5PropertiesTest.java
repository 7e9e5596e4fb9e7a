package dev.wren.mqtt;

import dev.wren.mqtt.MqttException.Reason;
import dev.wren.mqtt.testing.Covers5;
import dev.wren.mqtt.testing.ScriptedTransport;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.wren.mqtt.testing.Bytes.str;
import static dev.wren.mqtt.testing.Packets5.connack;
import static dev.wren.mqtt.testing.Packets5.connect;
import static dev.wren.mqtt.testing.Packets5.props;
import static dev.wren.mqtt.testing.Packets5.suback;
import static dev.wren.mqtt.testing.Packets5.subscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an MQTT 5.0 CONNACK says reaches the user ({@link MqttClient#connackProperties()}), and what binds the client
 * is kept to: over scripted transports, every property a server may send (MQTT 5.0 §3.2.2.3).
 */
class Connack5PropertiesTest extends ScriptedSessionTest {


    /** Every CONNACK property but authentication, each with a value other than the one its absence means. */
    private static final byte[] ALL = props(
            0x11, 0, 0, 0x0E, 0x10,               // Session Expiry Interval 3600
            0x21, 0, 20,                          // Receive Maximum 20
            0x24, 1,                              // Maximum QoS 1
            0x25, 0,                              // Retain Available 0
            0x27, 0, 0, 0x10, 0,                  // Maximum Packet Size 4096
            0x12, str("auto-1"),                  // Assigned Client Identifier
            0x22, 0, 5,                           // Topic Alias Maximum 5
            0x1F, str("welcome"),                 // Reason String
            0x26, str("region"), str("eu"),       // User Property (not reported)
            0x28, 0,                              // Wildcard Subscription Available 0
            0x29, 0,                              // Subscription Identifiers Available 0
            0x2A, 0,                              // Shared Subscription Available 0
            0x13, 0, 30,                          // Server Keep Alive 30
            0x1A, str("reply/base"),              // Response Information
            0x1C, str("b2.example:1883"));        // Server Reference

    private MqttConfig.Builder config5() {
        return config().protocolVersion(MqttConfig.MQTT_5);
    }

    @Test
    @Covers5({"MQTT-3.2.2-21", "MQTT-3.1.0-1"})
    void everyConnackPropertyIsReportedAndAnAbsentOneHasTheSpecsValue() throws Exception {
        accepted5(false, ALL).endOfStream();
        MqttClient client = new MqttClient(config5().build());
        assertNull(client.connackProperties(), "no CONNACK yet");
        client.connect();
        ConnackProperties p = client.connackProperties();
        assertEquals(0, p.reasonCode());
        assertFalse(p.sessionPresent());
        assertEquals(3600, p.sessionExpiryIntervalSeconds());
        assertEquals(20, p.receiveMaximum());
        assertEquals(1, p.maximumQos());
        assertFalse(p.retainAvailable());
        assertEquals(4096, p.maximumPacketSize());
        assertEquals("auto-1", p.assignedClientIdentifier());
        assertEquals("auto-1", client.assignedClientId());
        assertEquals(5, p.topicAliasMaximum());
        assertEquals("welcome", p.reasonString());
        assertFalse(p.wildcardSubscriptionAvailable());
        assertFalse(p.subscriptionIdentifiersAvailable());
        assertFalse(p.sharedSubscriptionAvailable());
        assertEquals(30, p.serverKeepAliveSeconds());
        assertEquals(30, p.keepAliveSeconds(), "the server's, not the configured 10 [MQTT-3.2.2-21]");
        assertEquals("reply/base", p.responseInformation());
        assertEquals("b2.example:1883", p.serverReference());
        assertThrows(MqttException.class, () -> client.poll(100)); // end of stream

        accepted5(true, new byte[0]); // the next CONNACK replaces them all: absent means the spec's value
        client.connect();
        ConnackProperties q = client.connackProperties();
        assertTrue(q.sessionPresent());
        assertEquals(0, q.sessionExpiryIntervalSeconds(), "absent: the client's (config default 0)");
        assertEquals(65535, q.receiveMaximum());
        assertEquals(2, q.maximumQos());
        assertTrue(q.retainAvailable());
        assertEquals(-1, q.maximumPacketSize());
        assertNull(q.assignedClientIdentifier());
        assertEquals(0, q.topicAliasMaximum());
        assertNull(q.reasonString());
        assertTrue(q.wildcardSubscriptionAvailable());
        assertTrue(q.subscriptionIdentifiersAvailable());
        assertTrue(q.sharedSubscriptionAvailable());
        assertEquals(-1, q.serverKeepAliveSeconds());
        assertEquals(10, q.keepAliveSeconds(), "absent: the configured keep alive");
        assertNull(q.responseInformation());
        assertNull(q.serverReference());
    }

    @Test
    @Covers5({"MQTT-4.13.2-1"})
    void aRefusalToUseAnotherServerNamesTheServerReferenceInTheException() {
        ScriptedTransport t = new ScriptedTransport(clock).expect(connect("c", false, 10, CONNECT5_PROPS))
                .send(connack(false, 0x9C, props(0x1C, str("b2.example:1883"), 0x1F, str("maintenance"))));
        factory.then(t);
        MqttClient client = new MqttClient(config5().build());
        MqttException e = assertThrows(MqttException.class, client::connect);
        assertEquals(Reason.USE_ANOTHER_SERVER, e.reason());
        assertEquals("USE_ANOTHER_SERVER: server broker.test:1883 refused the connection with CONNACK reason code 0x9c"
                + " Use another server (server: \"maintenance\") (server reference: \"b2.example:1883\")", e.getMessage());
        assertEquals(0x9C, client.connackProperties().reasonCode());
        assertEquals("b2.example:1883", client.connackProperties().serverReference());
        assertTrue(t.isClosed());
    }

    @Test
    void serverMovedWithoutAReferenceSaysOnlyTheReason() {
        factory.then(new ScriptedTransport(clock).expect(connect("c", false, 10, CONNECT5_PROPS))
                .send(connack(false, 0x9D, new byte[0])));
        MqttException e = assertThrows(MqttException.class, new MqttClient(config5().build())::connect);
        assertEquals(Reason.SERVER_MOVED, e.reason());
        assertTrue(e.getMessage().endsWith("CONNACK reason code 0x9d Server moved"), e.getMessage());
    }

    @Test
    void withoutWildcardSubscriptionsAWildcardFilterIsRefusedAndNothingIsSent() throws Exception {
        ScriptedTransport t = accepted5(false, props(0x28, 0));
        MqttClient client = new MqttClient(config5().build());
        client.connect();
        for (String filter : new String[]{"a/#", "a/+/c", "+"}) {
            MqttException e = assertThrows(MqttException.class, () -> client.subscribe(filter, 1, m -> { }));
            assertEquals(Reason.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED, e.reason());
            assertEquals("WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED: subscription to \"" + filter + "\": the server's"
                    + " CONNACK says Wildcard Subscription Available 0, and a wildcard subscription would be a"
                    + " protocol error (MQTT 5.0 §3.2.2.3.11); not sent", e.getMessage());
        }
        MqttException many = assertThrows(MqttException.class, () -> client.subscribe(
                new CharSequence[]{"x", "y/#"}, new int[]{0, 0}, m -> { }, new int[2]));
        assertTrue(many.getMessage().contains("\"y/#\""), many.getMessage());
        t.assertFinished(); // nothing written
        t.expect(subscribe(1, "a/b", 1)).send(suback(1, 1));
        assertEquals(1, client.subscribe("a/b", 1, m -> { }));
        t.assertFinished();
        assertTrue(client.isConnected());
    }

    /**
     * Filters waiting to be sent (subscribed offline) and filters the last server held: after a CONNACK that says
     * Wildcard Subscription Available 0 the ones with a wildcard are not sent, and are reported as refused with
     * 0xA2; the others are subscribed.
     */
    @Test
    void withoutWildcardSubscriptionsAResubscriptionWithAWildcardIsReportedRefusedNotSent() throws Exception {
        ScriptedTransport first = accepted5(false, new byte[0]);
        first.expect(subscribe(1, "held/#", 1)).send(suback(1, 1)).endOfStream();
        MqttClient client = new MqttClient(config5().automaticReconnect(true).reconnectBackoff(100, 100, 1.0, 0.0)
                .build());
        client.connect();
        client.subscribe("held/#", 1, m -> { });
        client.poll(10); // end of stream: reconnect in 100 ms
        assertEquals(MqttClient.SUBACK_PENDING, client.subscribe("new/+", 0, m -> { }));
        assertEquals(MqttClient.SUBACK_PENDING, client.subscribe("plain", 0, m -> { }));
        ScriptedTransport again = accepted5(false, props(0x28, 0))
                .expect(subscribe(2, "plain", 0)).send(suback(2, 0));
        clock.advanceMillis(150);
        for (int i = 0; i < 10 && !again.isFinished(); i++) {
            client.poll(10);
        }
        again.assertFinished();
        assertTrue(client.isConnected());
        List<String> reported = events.events.subList(events.events.indexOf("lost CONNECTION_LOST") + 1,
                events.events.size());
        assertEquals(List.of("connected false", "resubscribe refused held/# 0xa2", "subscribed new/+ 0xa2",
                "subscribed plain 0x0"), reported);
    }

    /** A Server Keep Alive of 0 turns keep alive off, though the client asked for 10 s: no PINGREQ at all. */
    @Test
    @Covers5({"MQTT-3.1.2-21", "MQTT-3.2.2-21"})
    void aServerKeepAliveOf0MeansNoPingreqWhateverTheConfiguredInterval() throws Exception {
        ScriptedTransport t = accepted5(false, props(0x13, 0, 0));
        MqttClient client = new MqttClient(config5().build());
        client.connect();
        assertEquals(0, client.connackProperties().keepAliveSeconds());
        long start = clock.nanoTime();
        while (clock.millisSince(start) < 60_000) {
            client.poll(1_000); // the script refuses any write
        }
        t.assertFinished();
        assertTrue(client.isConnected());
    }

    /** Clean Start 1: the client has no session state, so a CONNACK with Session Present 1 closes the connection. */
    @Test
    @Covers5({"MQTT-3.2.2-4"})
    void sessionPresentAfterCleanStartClosesTheConnection() {
        ScriptedTransport t = new ScriptedTransport(clock).expect(connect("c", true, 10, CONNECT5_PROPS))
                .send(connack(true, 0, new byte[0]));
        factory.then(t);
        MqttClient client = new MqttClient(config5().cleanSession(true).build());
        MqttException e = assertThrows(MqttException.class, client::connect);
        assertEquals(Reason.PROTOCOL_VIOLATION, e.reason());
        assertEquals("MQTT-3.2.2-4", e.ruleId());
        assertTrue(e.getMessage().contains("CONNACK session present = 1 for a clean session [MQTT-3.2.2-4]"),
                e.getMessage());
        assertTrue(t.isClosed());
        assertFalse(client.isConnected());
    }

    @Test
    void atProtocol4ThereAreNoConnackProperties() throws Exception {
        accepted(false);
        MqttClient client = new MqttClient(config().build());
        client.connect();
        assertNull(client.connackProperties());
    }
}
