package dev.wren.mqtt;

import dev.wren.mqtt.journal.JournalStore;
import dev.wren.mqtt.testing.FaultProxy;
import dev.wren.mqtt.testing.MosquittoExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A publishing process with the journal on is killed with SIGKILL while the broker cannot be reached (a proxy
 * black-holes its connection, so readings pile up in the journal), then a new client on the same journal file
 * connects: every reading the dead process had published arrives, before the new client's own readings.
 */
class JournalPublisherKillTest {

    @RegisterExtension
    static final MosquittoExtension broker = new MosquittoExtension();

    private static final String TOPIC = "node/readings";
    private static final int BLACK_HOLE_AFTER = 200;
    private static final int KILL_AFTER = 1_500;
    private static final int NEW_READINGS = 100;
    private static final int MAX_READINGS = 4_000;

    @TempDir
    Path dir;

    static MqttConfig.Builder node(String host, int port, Path journal) {
        return MqttConfig.builder().host(host).port(port).clientId("journal-node").cleanSession(false)
                .keepAliveSeconds(2).connectTimeoutMillis(1_000).transmitBufferBytes(256).maxInflight(16)
                .inflightStore(JournalStore.builder(journal).capacityBytes(256 * 1024).sync(1, 0).build())
                .automaticReconnect(true).reconnectBackoff(50, 500, 2.0, 0.5);
    }

    /** The node: publishes readings 0, 1, 2, ... (bounded: 60 s), announcing each after publish returned. */
    public static void main(String[] args) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (MqttClient client = new MqttClient(node(args[0], Integer.parseInt(args[1]), Paths.get(args[2])).build())) {
            client.poll(0); // first connection attempt
            for (int i = 0; i < MAX_READINGS && System.nanoTime() - deadline < 0; i++) {
                byte[] p = StreamCounter.payload(i);
                client.publish(TOPIC, p, 0, p.length, 1, false);
                System.out.println("P " + i);
                client.poll(1);
            }
        }
    }

    @Test
    @Timeout(120)
    void everyReadingJournaledByAKilledProcessArrivesAfterItsRestart() throws Exception {
        Path journal = dir.resolve("node.journal");
        try (StreamCounter counter = new StreamCounter(broker.host(), broker.port(), "journal-sub", TOPIC, MAX_READINGS
                + NEW_READINGS, 110_000);
             FaultProxy proxy = FaultProxy.start(broker.host(), broker.port(), 110_000)) {
            String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
            Process node = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    JournalPublisherKillTest.class.getName(), proxy.host(), Integer.toString(proxy.port()),
                    journal.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            int lastPublished = -1;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(),
                    StandardCharsets.US_ASCII))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lastPublished = Integer.parseInt(line.substring(2));
                    if (lastPublished == BLACK_HOLE_AFTER) {
                        proxy.mode(FaultProxy.Mode.BLACK_HOLE); // the network goes: readings pile up in the journal
                    } else if (lastPublished == KILL_AFTER) {
                        sigkill(node);
                    }
                }
            } finally {
                node.destroyForcibly();
                assertTrue(node.waitFor(20, TimeUnit.SECONDS));
            }
            assertTrue(lastPublished >= KILL_AFTER, "node got to reading " + lastPublished);
            int arrivedBeforeRestart = counter.distinct();
            try (MqttClient restarted = new MqttClient(node(broker.host(), broker.port(), journal).build())) {
                int recovered = restarted.queuedCount();
                restarted.connect();
                int first = lastPublished + 2; // the kill may have fallen after a publish and before its announcement
                for (int i = first; i < first + NEW_READINGS; i++) {
                    byte[] p = StreamCounter.payload(i);
                    restarted.publish(TOPIC, p, 0, p.length, 1, false);
                }
                assertTrue(restarted.awaitInflight(60_000), "restarted node still has " + restarted.inflightCount()
                        + " in flight, " + restarted.queuedCount() + " queued");
                assertTrue(counter.awaitRange(0, lastPublished + 1, 30_000), counter.missing(lastPublished + 1));
                assertTrue(counter.awaitRange(first, first + NEW_READINGS, 30_000), counter.missing(first + NEW_READINGS));
                int latestOld = 0;
                int earliestNew = Integer.MAX_VALUE;
                for (int i = 0; i <= lastPublished; i++) {
                    latestOld = Math.max(latestOld, counter.firstRank(i));
                }
                for (int i = first; i < first + NEW_READINGS; i++) {
                    earliestNew = Math.min(earliestNew, counter.firstRank(i));
                }
                System.out.println("fault publisher-kill: node SIGKILLed after announcing reading " + lastPublished
                        + " (black hole from " + BLACK_HOLE_AFTER + "); " + arrivedBeforeRestart + " had arrived, "
                        + recovered + " recovered from the journal; after restart lost 0 of " + (lastPublished + 1)
                        + ", duplicates " + counter.duplicates());
                assertTrue(latestOld < earliestNew, "journaled readings arrive before the restarted node's new ones");
                assertEquals(0, counter.foreign());
            }
        }
    }

    static void sigkill(Process p) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(p.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -KILL " + p.pid());
    }
}
