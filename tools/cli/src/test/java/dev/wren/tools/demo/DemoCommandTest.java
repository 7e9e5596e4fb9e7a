package dev.wren.tools.demo;

import dev.wren.tools.ExitCodes;
import dev.wren.mqtt.testing.MosquittoExtension;
import dev.wren.tools.testing.InProcessWren;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code wren demo} in this JVM: embedded broker, simulated node, the plain view, the stop by {@code --duration}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DemoCommandTest {
    @RegisterExtension
    static final MosquittoExtension BROKER = new MosquittoExtension();

    @Test
    void plainRunShowsReadingsTheRelayRoundTripAndOfflineBeforeItStopsByItself() throws IOException {
        Set<Path> journalsBefore = demoJournals();
        InProcessWren.Result run = InProcessWren.run("demo", "--duration", "4", "--plain");
        String out = run.outText();
        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
        assertTrue(out.startsWith("wren demo: node living_room (simulated hardware) on broker 127.0.0.1:"), out);
        for (String reading : new String[] {"temperature", "humidity", "pressure"}) {
            assertTrue(Pattern.compile("home/living_room/" + reading + " = \\d+\\.\\d+\n").matcher(out).find(),
                    reading + " reading in\n" + out);
        }
        assertTrue(out.contains("home/living_room/status = online"), out);
        // Moquette 0.17 speaks 3.1.1 only: said once, on the screen.
        String only311 = "MQTT 3.1.1: the embedded broker does not speak 5.0";
        assertTrue(out.contains(only311) && out.indexOf(only311) == out.lastIndexOf(only311), out);
        assertTrue(Pattern.compile("sent (ON|OFF) to home/living_room/lights/set\n").matcher(out).find(), out);
        assertTrue(Pattern.compile("relay round trip: home/living_room/lights = (ON|OFF) arrived \\d+ ms after the /set")
                .matcher(out).find(), out);
        int offline = out.indexOf("home/living_room/status = offline");
        assertTrue(offline > 0, out);
        assertTrue(out.indexOf("status offline arrived") > offline && out.indexOf("demo stopped") > offline, out);
        assertTrue(run.elapsedMillis() < 4_000 + 15_000, run.toString());
        assertEquals(journalsBefore, demoJournals(), "the demo removes its node's journal folder");
    }

    @Test
    void onAGivenBrokerThatSpeaksFiveTheNodeRunsAtFive() {
        InProcessWren.Result run = InProcessWren.run("demo", "-h", BROKER.host(), "-p", String.valueOf(BROKER.port()),
                "--duration", "3", "--plain");
        String out = run.outText();
        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
        assertTrue(out.contains("node connected over MQTT 5.0"), out);
        assertTrue(out.contains("home/living_room/status = online"), out);
    }

    /** The demo node's journal folders in the temporary directory (other runs may leave theirs; compared, not counted). */
    private static Set<Path> demoJournals() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(f -> f.getFileName().toString().startsWith("wren-demo-journal-")).collect(Collectors.toSet());
        }
    }

    @Test
    void durationOutsideItsRangeIsAUsageError() {
        InProcessWren.Result run = InProcessWren.run("demo", "--duration", "0");
        assertEquals(ExitCodes.USAGE, run.exitCode(), run.toString());
        assertTrue(run.err().contains("--duration 0 not in 1..86400 seconds"), run.toString());
    }
}
