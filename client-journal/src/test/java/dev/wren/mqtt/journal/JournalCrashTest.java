package dev.wren.mqtt.journal;

import dev.wren.mqtt.MonotonicClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A process appending to the journal (and acknowledging the oldest records, as a publisher would) is killed with
 * SIGKILL; the journal reopened afterwards holds exactly the records that were appended and not acknowledged,
 * in order. The writer announces each append and each acknowledgement on stdout only after the call returned,
 * so the kill may land between a call and its announcement: each bound is allowed to be one further on.
 */
class JournalCrashTest {

    static final int CAPACITY = 256 * 1024;
    static final int KEEP_UNACKED = 40;
    private static final int KILL_AFTER_APPENDS = 3000;

    @TempDir
    Path dir;

    /** The writer: appends readings 0, 1, 2, ... forever (bounded: 60 s), acks all but the newest 40. */
    public static void main(String[] args) throws IOException {
        Path file = Paths.get(args[0]);
        int syncEvery = Integer.parseInt(args[1]);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Journal j = JournalTest.open(file, CAPACITY, JournalTest.MAX_FRAME, JournalTest.WINDOW, syncEvery, 0,
                MonotonicClock.SYSTEM)) {
            byte[] buf = new byte[JournalTest.MAX_FRAME];
            for (int n = 0; System.nanoTime() - deadline < 0; n++) {
                byte[] f = JournalTest.frame(n, n % 7 == 0 ? 180 : 0);
                j.append(f, 0, f.length, 0);
                System.out.println("A " + n);
                if (j.liveCount() > KEEP_UNACKED) {
                    int h = j.take();
                    int reading = JournalTest.readingOf(buf, j.read(h, buf, 0));
                    j.remove(h);
                    System.out.println("K " + reading);
                }
            }
        }
    }

    /** {@code kill -KILL pid}: unlike {@link Process#destroyForcibly()}, leaves the pipes open to read what it wrote. */
    static void sigkill(Process p) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(p.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -KILL " + p.pid());
    }

    @Test
    @Timeout(90)
    void recordsSurviveASigkillOfTheWritingProcess() throws Exception {
        Path file = dir.resolve("crash.journal");
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                JournalCrashTest.class.getName(), file.toString(), "0")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        int lastAppended = -1;
        int lastAcked = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = out.readLine()) != null) {
                int n = Integer.parseInt(line.substring(2));
                if (line.charAt(0) == 'A') {
                    lastAppended = n;
                    if (n == KILL_AFTER_APPENDS) {
                        sigkill(p); // no shutdown hook, no close, no final force; its output up to here stays readable
                    }
                } else {
                    lastAcked = n;
                }
            }
        } finally {
            p.destroyForcibly();
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "writer gone");
        }
        assertTrue(lastAppended >= KILL_AFTER_APPENDS, "writer got to " + lastAppended + "; exit " + p.exitValue());
        try (Journal j = JournalTest.open(file, CAPACITY, JournalTest.MAX_FRAME, JournalTest.WINDOW, 0, 0,
                MonotonicClock.SYSTEM)) {
            List<Integer> replay = JournalTest.drain(j);
            int first = replay.get(0);
            int last = replay.get(replay.size() - 1);
            System.out.println("journal crash: writer killed after announcing append " + lastAppended + " and ack "
                    + lastAcked + "; reopened journal replays " + replay.size() + " records, " + first + ".." + last
                    + ", " + j.corruptCount() + " torn");
            assertTrue(first == lastAcked + 1 || first == lastAcked + 2, "first replayed " + first + " after ack " + lastAcked);
            assertTrue(last == lastAppended || last == lastAppended + 1, "last replayed " + last + " after append " + lastAppended);
            assertEquals(JournalTest.range(first, last + 1), replay, "every unacknowledged record, once, in order");
        }
    }

}
