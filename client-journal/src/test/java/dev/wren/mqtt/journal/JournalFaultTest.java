package dev.wren.mqtt.journal;

import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttConfig;
import dev.wren.mqtt.journal.FaultyChannels.Op;
import dev.wren.mqtt.testing.AckingBroker;
import dev.wren.mqtt.testing.FakeClock;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The client over a journal whose file access fails for a moment (issue 12, defect 2): whatever fails, the window
 * and the journal stay in agreement, sending resumes by itself once the disk works again, a publish that throws
 * says whether its message is in the journal, and an acknowledged message is not sent again.
 */
@Timeout(60)
class JournalFaultTest {

    static final int WINDOW = 16;

    @TempDir
    Path dir;

    final FakeClock clock = new FakeClock();
    final AckingBroker broker = new AckingBroker(clock);
    final FaultyChannels faults = new FaultyChannels();

    MqttConfig config(Path file) {
        return MqttConfig.builder().host("broker.test").clientId("j").cleanSession(false).keepAliveSeconds(60)
                .operationTimeoutMillis(5_000).transmitBufferBytes(256).maxInflight(WINDOW)
                .inflightStore(JournalStore.builder(file).capacityBytes(128 * 1024).channels(faults).build()).transportFactory(broker).clock(clock).build();
    }

    /** 0 = the operation fails until healed, else that many consecutive calls fail. */
    @ParameterizedTest(name = "{0} fails {1} times (0 = for a period)")
    @CsvSource({"WRITE, 1", "WRITE, 0", "FORCE, 1", "FORCE, 0", "READ, 1", "READ, 0"})
    void aJournalFaultWhileAcksArriveNeitherWedgesNorLosesNorRepeats(Op op, int count) throws Exception {
        Path file = dir.resolve("fault.journal");
        MqttConfig config = config(file);
        MqttClient session = new MqttClient(config);
        Map<Integer, String> threw = new HashMap<>();
        session.connect();
        broker.holdAcks();
        for (int i = 0; i < 40; i++) {
            publish(session, i);
        }
        assertEquals(WINDOW, session.inflightCount(), "the window is full");
        assertEquals(40 - WINDOW, session.queuedCount(), "the rest waits in the journal");

        // The disk fails while the PUBACKs of the whole window arrive and the caller goes on publishing.
        if (count == 0) {
            faults.failAlways(op);
        } else {
            faults.fail(op, count);
        }
        broker.releaseAcks();
        for (int i = 40; i < 60; i++) {
            try {
                publish(session, i);
            } catch (UncheckedIOException e) {
                threw.put(i, e.getMessage());
            }
            try {
                session.poll(10);
            } catch (UncheckedIOException e) {
                assertTrue(e.getMessage().contains("fault.journal"), e.getMessage());
            }
        }
        faults.heal();

        // Once the disk works again, every call works and everything goes out, without a restart.
        for (int i = 60; i < 290; i++) {
            publish(session, i);
            if (i % 10 == 0) {
                session.poll(0);
            }
        }
        assertTrue(session.awaitInflight(60_000), "everything acknowledged: " + session.inflightCount()
                + " in flight, " + session.queuedCount() + " queued");
        assertTrue(faults.failures() > 0, "the fault was hit");

        Map<String, Integer> received = new HashMap<>();
        for (String p : broker.payloads()) {
            received.merge(p, 1, Integer::sum);
        }
        for (int i = 0; i < 290; i++) {
            String message = threw.get(i);
            int times = received.getOrDefault("m" + i, 0);
            if (message == null || message.contains("the message IS in the journal")) {
                assertEquals(1, times, "m" + i + " sent once" + (message == null ? "" : " (publish threw: " + message + ")"));
            } else if (message.contains("the message is NOT in the journal")) {
                assertEquals(0, times, "m" + i + " was refused: " + message);
            } else {
                fail("publish of m" + i + " threw without saying whether the message is in the journal: " + message);
            }
        }
        session.close();
        try (Journal j = JournalTest.open(file, 128 * 1024, 256, WINDOW, 0, 0, clock)) {
            assertEquals(0, j.recoveredCount(), "acknowledged messages are not replayed by the next start");
        }
    }

    @org.junit.jupiter.api.Test
    void acknowledgementsWhoseMarkCannotBeWrittenHoldTheWindowUntilMaintainWritesThem() throws Exception {
        Path file = dir.resolve("bound.journal");
        int window = JournalTest.WINDOW;
        try (Journal j = Journal.open(file, JournalTest.CAPACITY, JournalTest.MAX_FRAME, window, 0, 0, clock, faults,
                m -> { })) {
            for (int i = 0; i < 3 * window; i++) {
                byte[] f = JournalTest.frame(i, 0);
                j.append(f, 0, f.length, 0);
            }
            int[] taken = new int[window];
            for (int i = 0; i < window; i++) {
                taken[i] = j.take();
            }
            faults.failAlways(Op.WRITE);
            for (int h : taken) {
                j.remove(h); // acknowledged: never handed out again, the DONE mark waits
            }
            assertEquals(window, j.deferredCount());
            assertEquals(-1, j.peek(), "the unwritten marks hold the window: nothing more goes out");
            assertEquals(2 * window, j.queuedCount());
            assertThrows(java.io.IOException.class, j::maintain, "still failing");
            faults.heal();
            j.maintain();
            assertEquals(0, j.deferredCount());
            assertEquals(JournalTest.range(window, 3 * window), JournalTest.drain(j), "the rest, in order, once");
        }
    }

    private static void publish(MqttClient session, int i) throws Exception {
        byte[] p = ("m" + i).getBytes(StandardCharsets.US_ASCII);
        session.publish("f/t", p, 0, p.length, 1, false);
    }
}
