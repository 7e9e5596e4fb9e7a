package dev.wren.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wren.mqtt.testing.MosquittoExtension;
import dev.wren.tools.ExitCodes;
import dev.wren.tools.bench.JournalBench.Policy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Keeps {@code wren bench --journal} from rotting: tiny runs against a real mosquitto; no assertion on speed. */
class BenchJournalSmokeTest {
    /** Configured as the bench's own broker (see {@link Mosquitto}). */
    @RegisterExtension
    static final MosquittoExtension BROKER = MosquittoExtension.builder()
            .configLine("max_queued_messages 0").configLine("max_inflight_messages 0")
            .build();

    @TempDir
    Path parent;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void journalSectionPrintsEveryPolicyWithPositiveThroughputAndRemovesItsFile() throws Exception {
        CommandLine cmd = BenchMain.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));

        int exit = cmd.execute("--journal", "-h", BROKER.host(), "-p", Integer.toString(BROKER.port()),
                "--rounds", "1", "--windows", "4,16", "--journal-seconds", "0.05", "--journal-dir", parent.toString());

        assertEquals(ExitCodes.OK, exit, out + "\n" + err);
        List<String> lines = Arrays.stream(out.toString().split("\n")).filter(l -> l.startsWith("|"))
                .collect(Collectors.toList());
        assertEquals(Policy.values().length + 2, lines.size(), "header, rule and one line per policy, nothing else:\n" + out);
        assertTrue(lines.get(0).contains(JournalBench.HEADER[2]), "the journal table's header in\n" + out);
        double reference = -1;
        for (Policy policy : Policy.values()) {
            String line = lines.stream().filter(l -> l.startsWith("| " + policy.label + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError("row " + policy.label + " in\n" + out));
            String[] cells = line.split("\\|", -1);
            assertEquals(JournalBench.HEADER.length, cells.length - 2, "cells in " + line);
            double rate = number(cells[3]);
            assertTrue(rate > 0, policy.label + ": throughput " + rate + " in " + line);
            assertTrue(cells[3].matches(".* w(4|16)\\s*"), policy.label + ": the best window is named in " + line);
            assertTrue(Double.isFinite(number(cells[4])), policy.label + ": allocation measured in " + line);
            if (policy == Policy.NONE) {
                reference = rate;
                assertTrue(cells[3].contains("(1.00×)"), "the reference row's ratio is 1: " + line);
            } else {
                String ratio = String.format(Locale.ROOT, "(%.2f×)", rate / reference);
                assertTrue(cells[3].contains(ratio), policy.label + ": ratio " + ratio + " to the no-journal row in " + line);
            }
        }
        assertTrue(out.toString().contains("journal file " + parent), "the journal file's location is printed:\n" + out);
        assertTrue(out.toString().contains("filesystem"), "the filesystem is named:\n" + out);
        assertTrue(out.toString().contains("JDK "), "the run is described under the table:\n" + out);
        try (Stream<Path> left = Files.list(parent)) {
            assertEquals(List.of(), left.map(Path::toString).collect(Collectors.toList()), "temporary journal removed");
        }
    }

    /** The leading number of a cell such as {@code "12,345 (0.98×) w16"}. */
    private static double number(String cell) {
        String first = cell.trim().split(" ")[0].replace(",", "");
        return Double.parseDouble(first);
    }
}
