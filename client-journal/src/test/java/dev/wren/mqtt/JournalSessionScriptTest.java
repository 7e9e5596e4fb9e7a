package dev.wren.mqtt;

import dev.wren.mqtt.journal.JournalStore;
import dev.wren.mqtt.testing.Covers;
import dev.wren.mqtt.testing.Covers5;
import dev.wren.mqtt.testing.ScriptedTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.wren.mqtt.testing.Packets5.connack;
import static dev.wren.mqtt.testing.Packets5.connect;
import static dev.wren.mqtt.testing.Packets5.publish;
import static dev.wren.mqtt.testing.Packets.puback;
import static dev.wren.mqtt.testing.Packets5.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * client-core's scripted session scenarios over a journal (in package {@code dev.wren.mqtt} to reuse them): the
 * resume order of SessionResumeOrderTest, and the 5.0 publish properties of Session5ScriptTest kept in the file.
 */
@Timeout(10)
class JournalSessionScriptTest {

    @TempDir
    Path dir;

    @Test
    @Covers({"MQTT-4.6.0-4", "MQTT-4.6.0-1", "MQTT-4.4.0-1"})
    void resumeWithAJournalSendsPubrelsInPubrecOrderToo() throws Exception {
        SessionResumeOrderTest scenario = new SessionResumeOrderTest();
        scenario.pubrecsOutOfPublishOrderThenResume(scenario.config().transmitBufferBytes(512).maxInflight(4)
                .inflightStore(JournalStore.builder(dir.resolve("resume.journal")).capacityBytes(64 * 1024).build()));
    }

    @Test
    @Covers5({"MQTT-3.3.1-1"})
    void aJournaledMessageKeepsItsPropertiesIntoTheNextProcesssResendWithDup() throws Exception {
        Session5ScriptTest s = new Session5ScriptTest();
        MqttConfig.Builder b = s.config5()
                .inflightStore(JournalStore.builder(dir.resolve("props.journal")).capacityBytes(1024 * 1024).build());
        ScriptedTransport t = s.accepted5(new byte[0])
                .expect(publish("t", "b", 1, false, false, 1, Session5ScriptTest.PUBLISH_PROPS));
        try (MqttClient first = s.connected(b)) {
            first.publish("t", "b".getBytes(), 0, 1, 1, false, Session5ScriptTest.fill(new PublishProperties(64)));
            t.assertFinished();
        } // closed without DISCONNECT, unacknowledged: the message stays in the file
        ScriptedTransport again = new ScriptedTransport(s.clock)
                .expect(connect("c", false, 10, Session5ScriptTest.CONNECT_PROPS)).send(connack(true, 0, new byte[0]))
                .expect(publish("t", "b", 1, false, true, 1, Session5ScriptTest.PUBLISH_PROPS)).send(puback(1));
        s.factory.then(again);
        try (MqttClient second = s.connected(b)) {
            second.poll(100);
            assertEquals(0, second.inflightCount() + second.queuedCount());
            again.assertFinished();
        }
    }

    @Test
    @Covers5({"MQTT-4.4.0-1", "MQTT-4.6.0-1", "MQTT-4.6.0-4"})
    void aSessionPresentAt5ResendsTheSameWithAJournal() throws Exception {
        SessionResume5Test s = new SessionResume5Test();
        s.resumeWithASessionPresent(s.config5().transmitBufferBytes(512).maxInflight(4)
                .inflightStore(JournalStore.builder(dir.resolve("resume5.journal")).capacityBytes(64 * 1024).build()));
    }

    @Test
    void messagesJournaledAt5GoOutAs311PublishesAfterAnAutoFallback() throws Exception {
        SessionResume5Test s = new SessionResume5Test();
        s.messagesQueuedAt5GoOutAs311PublishesAfterAnAutoFallback(s.config()
                .inflightStore(JournalStore.builder(dir.resolve("fallback.journal")).capacityBytes(64 * 1024).build()));
    }

    /**
     * With a journal every QoS 1/2 message is taken from it into the window: taken for its first send on this
     * connection, it goes out with a Topic Alias as a message published straight into the window does; re-sent on
     * the next connection, it carries its whole topic and no alias [MQTT-3.3.2-7].
     */
    @Test
    @Covers5({"MQTT-3.3.2-8", "MQTT-3.3.2-9"})
    void messagesTakenFromTheJournalGoOutWithTopicAliasesAndAreResentWhole() throws Exception {
        TopicAliasScriptTest s = new TopicAliasScriptTest();
        byte[] alias1 = props(0x23, 0, 1);
        byte[] none = new byte[0];
        ScriptedTransport t = s.accepted5(false, props(0x22, 0, 10)) // Topic Alias Maximum 10
                .expect(publish("home/t", "1", 1, false, false, 1, alias1))
                .expect(publish("", "2", 1, false, false, 2, alias1))
                .endOfStream();
        MqttClient client = new MqttClient(s.config().protocolVersion(MqttConfig.MQTT_5).topicAliases(4)
                .transmitBufferBytes(512).maxInflight(4)
                .inflightStore(JournalStore.builder(dir.resolve("alias.journal")).capacityBytes(64 * 1024).build())
                .build());
        client.connect();
        client.publish("home/t", "1".getBytes(), 1, false);
        client.publish("home/t", "2".getBytes(), 1, false);
        assertThrows(MqttException.class, () -> client.awaitInflight(1000));
        t.assertFinished();
        ScriptedTransport again = s.accepted5(true, props(0x22, 0, 10))
                .expect(publish("home/t", "1", 1, false, true, 1, none))
                .expect(publish("home/t", "2", 1, false, true, 2, none))
                .send(puback(1)).send(puback(2));
        client.connect();
        assertTrue(client.awaitInflight(1000));
        again.assertFinished();
        client.close();
    }
}
