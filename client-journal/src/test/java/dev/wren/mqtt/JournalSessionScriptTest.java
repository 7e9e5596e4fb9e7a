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
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
