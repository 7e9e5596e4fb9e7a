package dev.wren.mqtt;

import dev.wren.mqtt.MqttException.Reason;
import dev.wren.mqtt.testing.Covers5;
import dev.wren.mqtt.testing.ScriptedTransport;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.wren.mqtt.testing.Bytes.of;
import static dev.wren.mqtt.testing.Bytes.str;
import static dev.wren.mqtt.testing.Packets.withHeader;
import static dev.wren.mqtt.testing.Packets5.props;
import static dev.wren.mqtt.testing.Packets5.publish;
import static dev.wren.mqtt.testing.Packets5.suback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Subscription identifiers ({@link MqttClient#subscribe(CharSequence, int, int, MessageHandler)}, MQTT 5.0
 * §3.8.2.1.2) over scripted transports: sent in SUBSCRIBE and again on re-subscription, refused when the server has
 * none, and dispatch by the identifiers a message carries.
 */
class SubscriptionIdScriptTest extends ScriptedSessionTest {


    private final List<String> got = new ArrayList<>();

    private MessageHandler handler(String name) {
        return m -> got.add(name + " " + m.payloadAsString());
    }

    private MqttClient connected() throws Exception {
        MqttClient client = new MqttClient(config().protocolVersion(MqttConfig.MQTT_5).build());
        client.connect();
        return client;
    }

    /** SUBSCRIBE (§3.8) of one filter with a Subscription Identifier given as its variable byte integer bytes. */
    private static byte[] subscribeWithId(int packetId, String filter, int options, Object... idBytes) {
        byte[] props = of(0x0B, of(idBytes));
        return withHeader(0x82, of(packetId >> 8, packetId & 0xFF, props.length, props, str(filter), options));
    }

    @Test
    @Covers5({"MQTT-3.3.4-3", "MQTT-3.3.4-4"})
    void theIdentifierGoesInSubscribeAndAMessageGoesToTheHandlersOfTheIdentifiersItCarries() throws Exception {
        ScriptedTransport t = accepted5(false, new byte[0]);
        MqttClient client = connected();
        t.expect(subscribeWithId(1, "a/#", 1, 5)).send(suback(1, 1))
                .expect(subscribeWithId(2, "a/b", 1, 0xC8, 0x01)).send(suback(2, 1)) // 200: two bytes
                .expect(dev.wren.mqtt.testing.Packets5.subscribe(3, "a/+", 0)).send(suback(3, 0));
        assertEquals(1, client.subscribe("a/#", 1, 5, handler("A5")));
        assertEquals(1, client.subscribe("a/b", 1, 200, handler("B200")));
        assertEquals(0, client.subscribe("a/+", 0, handler("C")));
        t.send(publish("a/b", "x", 0, false, false, 0, props(0x0B, 5)))           // the copy for A only
                .send(publish("a/b", "y", 0, false, false, 0, props(0x0B, 0xC8, 0x01, 0x0B, 5))) // one copy for both
                .send(publish("a/b", "z", 0, false, false, 0));                      // no identifier: by filter
        client.poll(100);
        client.poll(100);
        assertEquals(List.of("A5 x", "C x", "A5 y", "B200 y", "C y", "A5 z", "B200 z", "C z"), got);
        t.assertFinished();
    }

    @Test
    void aServerWithoutSubscriptionIdentifiersRefusesOneBeforeAnythingIsSent() throws Exception {
        ScriptedTransport t = accepted5(false, props(0x29, 0)); // Subscription Identifier Available 0
        MqttClient client = connected();
        MqttException e = assertThrows(MqttException.class, () -> client.subscribe("a/#", 1, 5, handler("A")));
        assertEquals(Reason.SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED, e.reason());
        assertTrue(e.getMessage().contains("Subscription Identifier Available 0"), e.getMessage());
        t.assertFinished(); // nothing written after CONNECT
    }

    @Test
    void theIdentifierIsSentAgainWhenTheFilterIsSubscribedAgainAfterAReconnectWithoutSession() throws Exception {
        ScriptedTransport t = accepted5(false, new byte[0]);
        MqttClient client = connected();
        t.expect(subscribeWithId(1, "a/#", 1, 5)).send(suback(1, 1)).endOfStream();
        client.subscribe("a/#", 1, 5, handler("A"));
        assertThrows(MqttException.class, () -> client.poll(100));
        ScriptedTransport again = accepted5(false, new byte[0]).expect(subscribeWithId(2, "a/#", 1, 5))
                .send(suback(2, 1));
        client.connect();
        again.assertFinished();
    }

    @Test
    void anIdentifierOutOfRangeOrAt311IsRefused() throws Exception {
        accepted(false);
        MqttClient v4 = new MqttClient(config().build());
        v4.connect();
        assertThrows(IllegalStateException.class, () -> v4.subscribe("a/#", 1, 5, handler("A")));
        accepted5(false, new byte[0]);
        MqttClient v5 = connected();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> v5.subscribe("a/#", 1, 268_435_456, handler("A")));
        assertTrue(e.getMessage().contains("not in 1..268435455"), e.getMessage());
    }
}
