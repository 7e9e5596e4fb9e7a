package dev.wren.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wren.mqtt.testing.MosquittoExtension;
import dev.wren.tools.ExitCodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/** Keeps {@code wren bench --footprint} from rotting: one run against a real mosquitto; no assertion on the size. */
class BenchFootprintSmokeTest {
    /** Configured as the bench's own broker (see {@link Mosquitto}). */
    @RegisterExtension
    static final MosquittoExtension BROKER = MosquittoExtension.builder()
            .configLine("max_queued_messages 0").configLine("max_inflight_messages 0")
            .build();

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void footprintSectionListsTheClientClassesAQos1PublishLoadsWithPositiveSizes() {
        CommandLine cmd = BenchMain.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));

        int exit = cmd.execute("--footprint", "-h", BROKER.host(), "-p", Integer.toString(BROKER.port()));

        assertEquals(ExitCodes.OK, exit, out + "\n" + err);
        String text = out.toString();
        assertTrue(text.contains("-Xlog:class+load") && text.contains("QoS 1"), "what was measured is named:\n" + text);
        long count = number(row(text, "| client-core classes loaded |"));
        long bytes = number(row(text, "| their class files, uncompressed [B] |"));
        long compressed = number(row(text, "| their jar entries, compressed [B] |"));
        assertTrue(count > 0 && bytes > 0 && compressed > 0,
                "count " + count + ", bytes " + bytes + ", compressed " + compressed + " in\n" + text);
        List<String> listed = Arrays.stream(text.split("\n")).filter(l -> l.startsWith("  " + Footprint.PACKAGE))
                .map(l -> l.trim().split(" ")[0]).collect(Collectors.toList());
        assertEquals(count, listed.size(), "one listed class per counted class:\n" + text);
        assertTrue(listed.contains("dev.wren.mqtt.MqttClient"), "MqttClient listed:\n" + text);
        for (String c : listed) {
            assertFalse(c.startsWith("dev.wren.mqtt.testing.") || c.endsWith("Test"), "test class " + c + " listed:\n" + text);
        }
    }

    private static String row(String text, String start) {
        return Arrays.stream(text.split("\n")).filter(l -> l.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("row " + start + " in\n" + text)).substring(start.length());
    }

    /** The leading number of a cell such as {@code " 12,345 (12.1 KiB) ..."}. */
    private static long number(String cell) {
        return Long.parseLong(cell.trim().split(" ")[0].replace(",", ""));
    }
}
