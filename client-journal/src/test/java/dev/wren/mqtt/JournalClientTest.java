package dev.wren.mqtt;

import dev.wren.mqtt.journal.JournalStore;
import dev.wren.mqtt.testing.MosquittoExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client with a store-and-forward journal, against mosquitto. */
@Timeout(60)
class JournalClientTest {

    @RegisterExtension
    static final MosquittoExtension broker = new MosquittoExtension();

    @TempDir
    Path dir;

    private MqttConfig.Builder config(String clientId, Path journal, int capacity) {
        return MqttConfig.builder().host(broker.host()).port(broker.port()).clientId(clientId).cleanSession(false)
                .transmitBufferBytes(512).maxInflight(4).operationTimeoutMillis(5_000).inflightStore(JournalStore.builder(journal).capacityBytes(capacity).build());
    }

    @Test
    void messagesJournaledByAClosedClientGoOutFirstAndInOrderFromTheNextOne() throws Exception {
        Path journal = dir.resolve("node.journal");
        try (StreamCounter counter = new StreamCounter(broker.host(), broker.port(), "jc-sub", "jc/a", 80, 50_000)) {
            try (MqttClient before = new MqttClient(config("jc-pub", journal, 64 * 1024).build())) {
                for (int i = 0; i < 50; i++) { // never connected: the journal keeps them (a node without network)
                    byte[] p = StreamCounter.payload(i);
                    assertEquals(0, before.publish("jc/a", p, 0, p.length, 1, false), "queued, no packet id yet");
                }
                assertEquals(50, before.queuedCount());
            } // close: forced to disk, file released; as if the process had ended
            try (MqttClient after = new MqttClient(config("jc-pub", journal, 64 * 1024).build())) {
                assertEquals(50, after.queuedCount(), "recovered from the file");
                after.connect();
                for (int i = 50; i < 80; i++) {
                    byte[] p = StreamCounter.payload(i);
                    after.publish("jc/a", p, 0, p.length, 1, false);
                }
                assertTrue(after.awaitInflight(20_000));
                assertEquals(0, after.queuedCount());
            }
            assertTrue(counter.awaitAll(20_000), counter.missing());
            for (int i = 1; i < 80; i++) {
                assertEquals(counter.firstRank(i - 1) + 1, counter.firstRank(i), "reading " + i + " arrived in order");
            }
            assertEquals(0, counter.duplicates());
        }
        try (MqttClient again = new MqttClient(config("jc-pub", journal, 64 * 1024).build())) {
            assertEquals(0, again.queuedCount(), "acknowledged messages are not replayed");
        }
    }

    @Test
    void aFullJournalDropsTheOldestWaitingMessagesReportsThemAndNeverGrows() throws Exception {
        Path journal = dir.resolve("small.journal");
        int capacity = 128 * (1 + 9 * 5); // the minimum for 4 in flight of 512 bytes: 2 * 4 + 1 records of 5 blocks
        List<long[]> drops = new ArrayList<>();
        MqttListener listener = new MqttListener() {
            @Override
            public void onMessagesDropped(int count, long totalDropped) {
                drops.add(new long[] {count, totalDropped});
            }
        };
        try (MqttClient client = new MqttClient(config("jc-full", journal, capacity).listener(listener).build())) {
            for (int i = 0; i < 1_000; i++) {
                byte[] p = StreamCounter.payload(i);
                client.publish("jc/full", p, 0, p.length, 1, false); // never blocks, never throws
            }
            long dropped = client.droppedCount();
            assertEquals(1_000, dropped + client.queuedCount(), "every message is waiting or counted as dropped");
            assertTrue(dropped > 900, "dropped " + dropped);
            long reported = 0;
            for (long[] d : drops) {
                reported += d[0];
                assertEquals(reported, d[1], "running total");
            }
            assertEquals(dropped, reported, "every drop reported to the listener");
            assertEquals(capacity, Files.size(journal));
            System.out.println("journal full: " + capacity + "-byte journal, 1000 readings published offline, "
                    + client.queuedCount() + " kept (the newest), " + dropped + " dropped and reported");
        }
    }
}
