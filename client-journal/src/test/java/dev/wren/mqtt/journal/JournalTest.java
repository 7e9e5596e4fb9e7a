package dev.wren.mqtt.journal;

import dev.wren.mqtt.MonotonicClock;
import dev.wren.mqtt.codec.FrameHeader;
import dev.wren.mqtt.codec.PublishEncoder;
import dev.wren.mqtt.codec.PublishView;
import dev.wren.mqtt.testing.FakeClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class JournalTest {

    static final int MAX_FRAME = 512;
    static final int WINDOW = 4;
    static final int CAPACITY = 64 * 1024;

    @TempDir
    Path dir;

    static Journal open(Path file, int capacity, int syncEvery, int syncMillis, MonotonicClock clock) throws IOException {
        return open(file, capacity, MAX_FRAME, WINDOW, syncEvery, syncMillis, clock);
    }

    /** {@link Journal#open} through the real file system, its repair warnings ignored. */
    static Journal open(Path file, int capacity, int maxFrame, int window, int syncEvery, int syncMillis,
                        MonotonicClock clock) throws IOException {
        return Journal.open(file, capacity, maxFrame, window, syncEvery, syncMillis, clock, JournalChannels.SYSTEM,
                warning -> { });
    }

    Journal open() throws IOException {
        return open(dir.resolve("wren.journal"), CAPACITY, 0, 0, MonotonicClock.SYSTEM);
    }

    /** A real QoS 1 PUBLISH frame: topic {@code wren/test}, payload {@code reading <n>} padded to {@code pad}. */
    static byte[] frame(int n, int pad) {
        StringBuilder p = new StringBuilder("reading ").append(n);
        while (p.length() < pad) {
            p.append('.');
        }
        byte[] payload = p.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] f = new byte[PublishEncoder.length(9, 1, payload.length)];
        PublishEncoder.encode(f, 0, "wren/test", 1, false, false, 1 + n % 65535, payload, 0, payload.length);
        return f;
    }

    /** The reading number in a frame appended by {@link #frame}. */
    static int readingOf(byte[] buf, int len) {
        FrameHeader h = new FrameHeader();
        PublishView v = new PublishView();
        assertEquals(0, h.decode(buf, 0, len), "header decodes");
        assertEquals(len, h.frameLength(), "one whole frame");
        assertEquals(0, v.decode(buf, h.headerLength(), h.remainingLength(), h.flags()), "frame decodes");
        String s = new String(buf, v.payloadOffset(), v.payloadLength(), StandardCharsets.US_ASCII);
        return Integer.parseInt(s.substring("reading ".length()).replace(".", ""));
    }

    static List<Integer> drain(Journal j) throws IOException {
        List<Integer> readings = new ArrayList<>();
        byte[] buf = new byte[MAX_FRAME];
        for (int h = j.take(); h >= 0; h = j.take()) {
            readings.add(readingOf(buf, j.read(h, buf, 0)));
            j.remove(h);
        }
        return readings;
    }

    static List<Integer> range(int from, int toExclusive) {
        List<Integer> l = new ArrayList<>();
        for (int i = from; i < toExclusive; i++) {
            l.add(i);
        }
        return l;
    }

    @Test
    void recordsComeBackInAppendOrderAfterReopen() throws IOException {
        try (Journal j = open()) {
            for (int i = 0; i < 50; i++) {
                byte[] f = frame(i, i % 3 == 0 ? 200 : 0); // one and two-block records mixed
                j.append(f, 0, f.length, 0);
            }
            assertEquals(50, j.queuedCount());
        }
        try (Journal j = open()) {
            assertEquals(50, j.recoveredCount());
            assertEquals(0, j.corruptCount());
            assertEquals(range(0, 50), drain(j));
        }
        try (Journal j = open()) {
            assertEquals(0, j.recoveredCount(), "removed records are not replayed");
        }
    }

    @Test
    void aTornWriteAtTheEndIsSkippedAndTheRecordsBeforeItReplay() throws IOException {
        Path file = dir.resolve("wren.journal");
        int lastHandle;
        byte[] last = frame(9, 300);
        try (Journal j = open()) {
            for (int i = 0; i < 9; i++) {
                byte[] f = frame(i, 0);
                j.append(f, 0, f.length, 0);
            }
            lastHandle = j.append(last, 0, last.length, 0);
        }
        // A power cut in the middle of the last write: its second half never reached the medium.
        long recordStart = (long) lastHandle * Journal.BLOCK_BYTES;
        int recordBytes = Journal.RECORD_HEADER_BYTES + last.length;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(recordStart + recordBytes / 2);
            raf.write(new byte[recordBytes - recordBytes / 2]);
        }
        try (Journal j = open()) {
            assertEquals(9, j.recoveredCount());
            assertEquals(1, j.corruptCount(), "the torn record is detected");
            assertEquals(range(0, 9), drain(j), "never replayed as garbage, never stopping the records before it");
            byte[] f = frame(10, 0);
            j.append(f, 0, f.length, 0); // and the space it held is usable again
        }
        try (Journal j = open()) {
            assertEquals(Arrays.asList(10), drain(j));
        }
    }

    @Test
    void aCorruptRecordInTheMiddleCostsOnlyItself() throws IOException {
        Path file = dir.resolve("wren.journal");
        int[] handles = new int[10];
        try (Journal j = open()) {
            for (int i = 0; i < 10; i++) {
                byte[] f = frame(i, 150);
                handles[i] = j.append(f, 0, f.length, 0);
            }
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek((long) handles[4] * Journal.BLOCK_BYTES + Journal.RECORD_HEADER_BYTES + 20);
            raf.write(0x7F ^ raf.readByte()); // one flipped payload byte (a bad sector)
        }
        try (Journal j = open()) {
            assertEquals(1, j.corruptCount());
            List<Integer> expected = range(0, 10);
            expected.remove(Integer.valueOf(4));
            assertEquals(expected, drain(j));
        }
    }

    @Test
    void packetIdAndReleasedStateSurviveAReopenAndRemovedRecordsDoNotComeBack() throws IOException {
        try (Journal j = open()) {
            for (int i = 0; i < 6; i++) {
                byte[] f = frame(i, 0);
                j.append(f, 0, f.length, i == 0 ? 77 : 0);
            }
            int h0 = j.take();
            int h1 = j.take();
            int h2 = j.take();
            j.assignPacketId(h1, 4242);
            j.release(h1);
            j.remove(h2); // acknowledged out of order
            assertEquals(2, j.takenCount());
            assertEquals(77, j.packetId(h0));
        }
        try (Journal j = open()) {
            assertEquals(5, j.recoveredCount());
            byte[] buf = new byte[MAX_FRAME];
            int h0 = j.take();
            assertEquals(0, readingOf(buf, j.read(h0, buf, 0)));
            assertEquals(77, j.packetId(h0));
            assertFalse(j.isReleased(h0));
            int h1 = j.take();
            assertEquals(1, readingOf(buf, j.read(h1, buf, 0)));
            assertEquals(4242, j.packetId(h1));
            assertTrue(j.isReleased(h1), "PUBREL, not the PUBLISH, is due for it");
            j.remove(h0);
            j.remove(h1);
            assertEquals(Arrays.asList(3, 4, 5), drain(j));
        }
    }

    @Test
    void aFullJournalDropsTheOldestQueuedRecordsCountsThemAndNeverGrows() throws IOException {
        Path file = dir.resolve("small.journal");
        int capacity = (int) Journal.minimumCapacityBytes(MAX_FRAME, WINDOW); // 1 + 9 * 5 blocks
        int taken;
        long dropped;
        try (Journal j = open(file, capacity, 0, 0, MonotonicClock.SYSTEM)) {
            assertEquals(capacity, Files.size(file), "preallocated at open");
            for (int i = 0; i < 3; i++) {
                byte[] f = frame(i, 0);
                j.append(f, 0, f.length, 0);
            }
            taken = j.take(); // reading 0 is in flight: it must survive every drop
            for (int i = 3; i < 1000; i++) {
                byte[] f = frame(i, i % 2 == 0 ? 400 : 0);
                j.append(f, 0, f.length, 0);
                assertEquals(capacity, Files.size(file), "never grows");
            }
            dropped = j.droppedCount();
            assertTrue(dropped > 900, "dropped " + dropped);
            assertEquals(1000 - dropped, j.liveCount(), "every record is either live or counted as dropped");
            byte[] buf = new byte[MAX_FRAME];
            assertEquals(0, readingOf(buf, j.read(taken, buf, 0)), "the taken record was not dropped");
        }
        try (Journal j = open(file, capacity, 0, 0, MonotonicClock.SYSTEM)) {
            List<Integer> replay = drain(j);
            assertEquals(0, (int) replay.get(0));
            // After the taken one: the newest readings, contiguous and in order (the oldest queued went first).
            List<Integer> tail = replay.subList(1, replay.size());
            assertEquals(range(1000 - tail.size(), 1000), tail);
            assertEquals(1000 - dropped, replay.size());
        }
    }

    private long syncsAfterAppends(int syncEveryRecords, int appends) throws IOException {
        try (Journal j = open(dir.resolve("sync-" + syncEveryRecords + ".journal"), CAPACITY, syncEveryRecords, 0,
                MonotonicClock.SYSTEM)) {
            for (int i = 0; i < appends; i++) {
                byte[] f = frame(i, 0);
                j.append(f, 0, f.length, 0);
            }
            return j.syncCount();
        }
    }

    @Test
    void syncEveryRecordForcesOncePerAppend() throws IOException {
        assertEquals(20, syncsAfterAppends(1, 20));
    }

    @Test
    void syncEveryTenRecordsForcesOncePerTenAppends() throws IOException {
        assertEquals(3, syncsAfterAppends(10, 35));
    }

    @Test
    void syncIntervalForcesOnceThatLongHasPassedSinceTheFirstUnforcedWrite() throws IOException {
        FakeClock clock = new FakeClock();
        try (Journal j = open(dir.resolve("c.journal"), CAPACITY, 0, 50, clock)) {
            byte[] f = frame(1, 0);
            j.append(f, 0, f.length, 0);
            clock.advanceMillis(49);
            assertFalse(j.syncIfDue());
            j.append(f, 0, f.length, 0);
            assertEquals(0, j.syncCount());
            clock.advanceMillis(1);
            assertTrue(j.syncIfDue(), "50 ms after the first unforced write");
            assertEquals(1, j.syncCount());
            clock.advanceMillis(500);
            assertFalse(j.syncIfDue(), "nothing unforced");
            j.append(f, 0, f.length, 0);
            clock.advanceMillis(50);
            j.append(f, 0, f.length, 0); // the append itself notices the interval
            assertEquals(2, j.syncCount());
        }
    }

    @Test
    void badSizesAreRejectedWithTheValues() {
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> open(dir.resolve("d.journal"), 4096, 0, 0, MonotonicClock.SYSTEM));
        assertTrue(small.getMessage().contains("4096") && small.getMessage().contains("5888"), small.getMessage());
        IllegalArgumentException odd = assertThrows(IllegalArgumentException.class,
                () -> open(dir.resolve("e.journal"), 65537, 0, 0, MonotonicClock.SYSTEM));
        assertTrue(odd.getMessage().contains("65537"), odd.getMessage());
    }

    @Test
    void aFrameLargerThanTheJournalAllowsIsRejectedAndNothingIsWritten() throws IOException {
        try (Journal j = open()) {
            byte[] big = new byte[MAX_FRAME + 1];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> j.append(big, 0, big.length, 0));
            assertTrue(e.getMessage().contains("513") && e.getMessage().contains("512"), e.getMessage());
            assertEquals(0, j.liveCount());
        }
    }

    @Test
    void aJournalOpenElsewhereIsRefused() throws IOException {
        try (Journal first = open()) {
            IOException e = assertThrows(IOException.class, this::open);
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
            assertEquals(0, first.liveCount(), "the first one is unaffected");
        }
    }

    /** Random operations against a plain model, with reopens (simulated restarts) in between. */
    @Test
    void randomOperationsMatchAQueueModelAcrossReopens() throws IOException {
        Random random = new Random(20240609L);
        Deque<Integer> queued = new ArrayDeque<>(); // readings appended, not taken, in order
        List<int[]> taken = new ArrayList<>();      // {handle, reading}
        Path file = dir.resolve("model.journal");
        int capacity = 16 * 1024;
        byte[] buf = new byte[MAX_FRAME];
        int next = 0;
        long droppedBefore = 0;
        long droppedTotal = 0;
        Journal j = open(file, capacity, 0, 0, MonotonicClock.SYSTEM);
        try {
            for (int step = 0; step < 20_000; step++) {
                int op = random.nextInt(100);
                if (op < 45) {
                    byte[] f = frame(next, random.nextInt(4) == 0 ? random.nextInt(450) : 0);
                    j.append(f, 0, f.length, 0);
                    queued.addLast(next++);
                    for (long d = j.droppedCount(); droppedBefore < d; droppedBefore++) {
                        queued.removeFirst(); // the policy: oldest queued first
                        droppedTotal++;
                    }
                } else if (op < 70 && taken.size() < WINDOW) {
                    int h = j.take();
                    if (queued.isEmpty()) {
                        assertEquals(-1, h);
                    } else {
                        int reading = queued.removeFirst();
                        assertEquals(reading, readingOf(buf, j.read(h, buf, 0)), "take order");
                        taken.add(new int[] {h, reading});
                    }
                } else if (op < 95 && !taken.isEmpty()) {
                    j.remove(taken.remove(random.nextInt(taken.size()))[0]); // acks in any order
                } else if (op >= 99) {
                    j.close();
                    j = open(file, capacity, 0, 0, MonotonicClock.SYSTEM);
                    droppedBefore = 0;
                    // After a restart the taken ones are queued again, ahead of the rest, in append order.
                    List<Integer> all = new ArrayList<>();
                    for (int[] t : taken) {
                        all.add(t[1]);
                    }
                    all.sort(null);
                    all.addAll(queued);
                    queued = new ArrayDeque<>(all);
                    taken.clear();
                    assertEquals(queued.size(), j.recoveredCount());
                }
                assertEquals(queued.size() + taken.size(), j.liveCount(), "step " + step);
            }
            assertTrue(droppedTotal > 0, "the run exercised the full-journal policy");
        } finally {
            j.close();
        }
    }

    @Test
    void recordsWrittenByAFinishedWriterAreReadByteForByte() throws IOException {
        byte[][] frames = new byte[20][];
        try (Journal j = open()) {
            for (int i = 0; i < frames.length; i++) {
                frames[i] = frame(i, i * 20);
                j.append(frames[i], 0, frames[i].length, 0);
            }
        }
        try (Journal j = open()) {
            byte[] buf = new byte[MAX_FRAME + 3];
            for (byte[] expected : frames) {
                int h = j.take();
                int n = j.read(h, buf, 3);
                assertArrayEquals(expected, Arrays.copyOfRange(buf, 3, 3 + n));
                j.remove(h);
            }
        }
    }
}
