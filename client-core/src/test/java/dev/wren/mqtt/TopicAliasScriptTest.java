package dev.wren.mqtt;

import dev.wren.mqtt.testing.Covers5;
import dev.wren.mqtt.testing.ScriptedTransport;
import org.junit.jupiter.api.Test;

import static dev.wren.mqtt.testing.Packets.puback;
import static dev.wren.mqtt.testing.Packets5.props;
import static dev.wren.mqtt.testing.Packets5.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Automatic outgoing topic aliases ({@link MqttConfig.Builder#topicAliases}, MQTT 5.0 §3.3.2.3.4), byte for byte on
 * scripted transports: topic and alias first, alias and an empty topic after, least recently used replaced, the
 * server's Topic Alias Maximum obeyed, nothing carried to the next connection, and re-sent messages whole.
 */
class TopicAliasScriptTest extends ScriptedSessionTest {

    private static final byte[] NONE = new byte[0];

    private static byte[] alias(int n) {
        return props(0x23, n >> 8, n & 0xFF);
    }

    private MqttClient connected(int topicAliases) throws Exception {
        MqttClient client = new MqttClient(config().protocolVersion(MqttConfig.MQTT_5).topicAliases(topicAliases)
                .build());
        client.connect();
        return client;
    }

    private static void send(MqttClient client, String topic, String payload, int qos) throws Exception {
        client.publish(topic, payload.getBytes(), qos, false);
    }

    @Test
    @Covers5({"MQTT-3.3.2-8", "MQTT-3.3.2-9"})
    void theFirstPublishToATopicSendsTopicAndAliasAndLaterOnesTheAliasWithAnEmptyTopic() throws Exception {
        ScriptedTransport t = accepted5(false, props(0x22, 0, 10)); // Topic Alias Maximum 10
        MqttClient client = connected(4);
        t.expect(publish("home/t", "1", 0, false, false, 0, alias(1)))
                .expect(publish("", "2", 0, false, false, 0, alias(1)))
                .expect(publish("home/h", "3", 1, true, false, 1, alias(2)))
                .expect(publish("", "4", 1, true, false, 2, alias(2)))
                .expect(publish("", "5", 0, false, false, 0, alias(1)));
        send(client, "home/t", "1", 0);
        client.publish(MqttTopic.of("home/t"), "2".getBytes(), 0, false); // the same topic as bytes: the same alias
        client.publish("home/h", "3".getBytes(), 1, true);
        client.publish(MqttTopic.of("home/h"), "4".getBytes(), 1, true);
        send(client, "home/t", "5", 0);
        t.assertFinished();
    }

    @Test
    void theLeastRecentlyUsedAliasIsMappedAnewWhenAllAreTaken() throws Exception {
        ScriptedTransport t = accepted5(false, props(0x22, 0, 10));
        MqttClient client = connected(2);
        t.expect(publish("aaaa", "1", 0, false, false, 0, alias(1)))
                .expect(publish("bbbb", "2", 0, false, false, 0, alias(2)))
                .expect(publish("", "3", 0, false, false, 0, alias(1)))          // aaaa used: bbbb is now the oldest
                .expect(publish("cccc", "4", 0, false, false, 0, alias(2)))      // replaces bbbb
                .expect(publish("bbbb", "5", 0, false, false, 0, alias(1)))      // replaces aaaa
                .expect(publish("", "6", 0, false, false, 0, alias(2)));         // cccc kept
        send(client, "aaaa", "1", 0);
        send(client, "bbbb", "2", 0);
        send(client, "aaaa", "3", 0);
        send(client, "cccc", "4", 0);
        send(client, "bbbb", "5", 0);
        send(client, "cccc", "6", 0);
        t.assertFinished();
    }

    @Test
    @Covers5({"MQTT-3.2.2-17", "MQTT-3.3.2-9"})
    void aServerMaximumSmallerThanAskedBoundsTheAliasesUsed() throws Exception {
        ScriptedTransport t = accepted5(false, props(0x22, 0, 1)); // the server takes 1, the client has 4
        MqttClient client = connected(4);
        t.expect(publish("aaaa", "1", 0, false, false, 0, alias(1)))
                .expect(publish("bbbb", "2", 0, false, false, 0, alias(1)))
                .expect(publish("aaaa", "3", 0, false, false, 0, alias(1)));
        send(client, "aaaa", "1", 0);
        send(client, "bbbb", "2", 0);
        send(client, "aaaa", "3", 0);
        t.assertFinished();
    }

    @Test
    @Covers5({"MQTT-3.2.2-18"})
    void noTopicAliasMaximumFromTheServerMeansNoAliases() throws Exception {
        ScriptedTransport t = accepted5(false, NONE);
        MqttClient client = connected(4);
        t.expect(publish("aaaa", "1", 0, false, false, 0)).expect(publish("aaaa", "2", 1, false, false, 1));
        send(client, "aaaa", "1", 0);
        send(client, "aaaa", "2", 1);
        t.assertFinished();
    }

    @Test
    void topicsOfThreeBytesOrLessAreSentWholeSinceTheAliasWouldNotBeShorter() throws Exception {
        ScriptedTransport t = accepted5(false, props(0x22, 0, 10));
        MqttClient client = connected(4);
        t.expect(publish("abc", "1", 0, false, false, 0)).expect(publish("abc", "2", 0, false, false, 0));
        send(client, "abc", "1", 0);
        send(client, "abc", "2", 0);
        t.assertFinished();
    }

    /**
     * QoS 1 messages sent with aliases are re-sent after a reconnect whole (DUP, the topic, no alias), and the new
     * connection maps its aliases afresh.
     */
    @Test
    @Covers5({"MQTT-3.3.2-7", "MQTT-3.3.1-1"})
    void aliasesStartAfreshOnANewConnectionAndResentMessagesCarryTheirTopic() throws Exception {
        ScriptedTransport t = accepted5(false, props(0x22, 0, 10));
        MqttClient client = connected(4);
        t.expect(publish("home/t", "1", 1, false, false, 1, alias(1)))
                .expect(publish("", "2", 1, false, false, 2, alias(1))).endOfStream();
        send(client, "home/t", "1", 1);
        send(client, "home/t", "2", 1);
        assertThrows(MqttException.class, () -> client.poll(100)); // both stay in the window
        ScriptedTransport again = accepted5(true, props(0x22, 0, 10))
                .expect(publish("home/t", "1", 1, false, true, 1))
                .expect(publish("home/t", "2", 1, false, true, 2))
                .send(puback(1)).send(puback(2))
                .expect(publish("home/t", "3", 1, false, false, 3, alias(1)))
                .expect(publish("", "4", 0, false, false, 0, alias(1)));
        client.connect();
        client.poll(100);
        assertEquals(0, client.inflightCount());
        send(client, "home/t", "3", 1);
        send(client, "home/t", "4", 0);
        again.assertFinished();
    }

    @Test
    void aliasesAfterAPublishWithPropertiesGoAtTheEndOfItsPropertyBlock() throws Exception {
        ScriptedTransport t = accepted5(false, props(0x22, 0, 10));
        MqttClient client = connected(4);
        PublishProperties p = new PublishProperties(32).messageExpiryIntervalSeconds(60);
        t.expect(publish("home/t", "1", 0, false, false, 0, props(0x02, 0, 0, 0, 60, 0x23, 0, 1)))
                .expect(publish("", "2", 0, false, false, 0, props(0x02, 0, 0, 0, 60, 0x23, 0, 1)));
        client.publish("home/t", "1".getBytes(), 0, 1, 0, false, p);
        client.publish("home/t", "2".getBytes(), 0, 1, 0, false, p);
        t.assertFinished();
    }

    @Test
    void topicAliasesAtProtocol4AreRefusedAtBuild() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> config().topicAliases(4).build());
        assertTrue(e.getMessage().contains("topicAliases 4 is an MQTT 5.0 option"), e.getMessage());
    }
}
