package dev.wren.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/**
 * Keeps the rounds table ({@code wren bench --rounds-only}) from rotting: every contender in fresh JVMs with tiny
 * counts and short latency runs against a real mosquitto; no assertion on speed.
 */
class BenchRoundsSmokeTest {
    /** Configured as the bench's own broker (see {@link Mosquitto}). */
    @RegisterExtension
    static final MosquittoExtension BROKER = MosquittoExtension.builder()
            .configLine("max_queued_messages 0").configLine("max_inflight_messages 0").build();

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void tinyRoundsTableHasANumberForEveryFigureAndContender() {
        CommandLine cmd = BenchMain.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));

        int exit = cmd.execute("-h", BROKER.host(), "-p", Integer.toString(BROKER.port()),
                "--broker-pid", Long.toString(BROKER.pid()), "--rounds-only", "--rounds", "1", "--scale", "0.002",
                "--windows", "16", "--latency-seconds", "0.05", "--latency-rates", "1000,2000");

        assertEquals(ExitCodes.OK, exit, out + "\n" + err);
        List<String> lines = Arrays.stream(out.toString().split("\n")).filter(l -> l.startsWith("|"))
                .collect(Collectors.toList());
        String header = lines.get(0);
        assertTrue(header.startsWith("| " + RoundsBench.HEADER_FIRST), header);
        List<String> contenders = Probe.CONTENDERS;
        for (String c : contenders) {
            assertTrue(header.contains("| " + RoundsBench.label(c) + " "), "column " + c + " in\n" + header);
        }
        // 5 figures per throughput case (2), threads, 4 per latency rate (the 2 fixed ones and half the ceiling).
        assertEquals(2 + 2 * 5 + 1 + 3 * 4, lines.size(), "header, rule and one line per figure:\n" + out);
        for (String line : lines.subList(2, lines.size())) {
            String[] cells = line.split("\\|", -1);
            assertEquals(contenders.size() + 1, cells.length - 2, "cells in " + line);
            for (int c = 0; c < contenders.size(); c++) {
                String cell = cells[c + 2].trim();
                assertTrue(Character.isDigit(cell.charAt(0)), contenders.get(c) + " in '" + line + "'");
            }
        }
        assertTrue(out.toString().contains("latency at 1,000 msg/s: p99.9 [µs]"), out.toString());
        assertTrue(out.toString().contains("(½ raw QoS 0)"), out.toString());
        assertTrue(out.toString().contains("\nBroker: not started by the bench"), "the broker config line:\n" + out);
    }
}
