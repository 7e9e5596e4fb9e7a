package dev.wren.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wren.tools.ExitCodes;
import dev.wren.tools.bench.ResultTable.Column;
import dev.wren.tools.bench.ResultTable.Row;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import dev.wren.mqtt.testing.MosquittoExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** Keeps {@code wren bench} from rotting: tiny counts against a real mosquitto; no assertion on speed. */
class BenchSmokeTest {
    /** Configured as the bench's own broker (see {@link Mosquitto}). */
    @RegisterExtension
    static final MosquittoExtension BROKER = MosquittoExtension.builder()
            .configLine("max_queued_messages 0").configLine("max_inflight_messages 0")
            .build();

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void tinyBenchPrintsOneTableWithEveryFigureForEveryContender() {
        CommandLine cmd = BenchMain.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));

        int exit = cmd.execute("-h", BROKER.host(), "-p", Integer.toString(BROKER.port()), "--scale", "0.002", "--rounds", "1", "--windows", "4,16",
                "--idle-seconds", "0.5", "--oneshot-runs", "1", "--journal-seconds", "0.02", "--skip-rounds");

        assertEquals(ExitCodes.OK, exit, out + "\n" + err);
        List<String> all = Arrays.stream(out.toString().split("\n")).filter(l -> l.startsWith("|"))
                .collect(Collectors.toList());
        // The journal section's table follows the main one (BenchJournalSmokeTest checks its figures).
        int journalAt = all.indexOf(all.stream().filter(l -> l.contains(JournalBench.HEADER[2])).findFirst()
                .orElseThrow(() -> new AssertionError("the journal table after the main one:\n" + out)));
        // Then the footprint section's (BenchFootprintSmokeTest checks its figures).
        int footprintAt = all.indexOf("| figure | value |");
        assertTrue(footprintAt > journalAt, "the footprint table after the journal one:\n" + out);
        assertEquals(JournalBench.Policy.values().length + 2, footprintAt - journalAt, "journal table:\n" + out);
        List<String> lines = all.subList(0, journalAt);
        assertEquals(Row.values().length + 2, lines.size(), "header, rule and one line per figure:\n" + out);
        String header = lines.get(0);
        for (Column c : Column.values()) {
            assertTrue(header.contains("| " + c.label + " "), "column " + c.label + " in\n" + header);
        }
        for (Row r : Row.values()) {
            String line = lines.stream().filter(l -> l.startsWith("| " + r.label + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError("row " + r.label + " in\n" + out));
            assertEquals(Column.values().length + 1, line.split("\\|", -1).length - 2, "cells in " + line);
        }
        // Every contender that runs in this JVM produced a number for every in-process figure.
        for (Row r : Arrays.asList(Row.QOS0_32B, Row.QOS0_1KB, Row.QOS1, Row.QOS2,
                Row.ALLOC_PUBLISH_QOS1, Row.ALLOC_RECEIVE_QOS2, Row.IDLE)) {
            String line = lines.stream().filter(l -> l.startsWith("| " + r.label + " ")).findFirst().orElseThrow();
            String[] cells = line.split("\\|", -1);
            for (Column c : Arrays.asList(Column.CEILING, Column.WREN, Column.PAHO, Column.PAHO_BLOCKING, Column.HIVEMQ)) {
                String cell = cells[c.ordinal() + 2].trim();
                assertTrue(Character.isDigit(cell.charAt(0)), r.label + " / " + c.label + " = '" + cell + "'");
            }
        }
        // The one-shot processes ran (Paho's with its blocking API), and the jar sizes were found, for every client.
        for (Row r : Arrays.asList(Row.ONESHOT_WALL, Row.ONESHOT_RSS)) {
            String[] cells = lines.stream().filter(l -> l.startsWith("| " + r.label + " ")).findFirst().orElseThrow()
                    .split("\\|", -1);
            for (Column c : Arrays.asList(Column.WREN, Column.PAHO_BLOCKING, Column.HIVEMQ, Column.HELLO)) {
                String cell = cells[c.ordinal() + 2].trim();
                assertTrue(Character.isDigit(cell.charAt(0)), r.label + " / " + c.label + " = '" + cell + "'");
            }
        }
        // `./wren pub` through the launcher, where this checkout's CLI jar is built (not in a reactor's test phase).
        for (Row r : Arrays.asList(Row.ONESHOT_WALL, Row.ONESHOT_RSS)) {
            String cell = lines.stream().filter(l -> l.startsWith("| " + r.label + " ")).findFirst().orElseThrow()
                    .split("\\|", -1)[Column.WREN_PUB.ordinal() + 2].trim();
            assertTrue(Character.isDigit(cell.charAt(0)) || cell.contains("not found") || cell.equals("—"),
                    r.label + " / ./wren pub = '" + cell + "'");
        }
        assertTrue(out.toString().contains("set_tcp_nodelay") || out.toString().contains("not started by the bench"),
                "the broker config under the table:\n" + out);
        for (Row r : Arrays.asList(Row.JAR, Row.JAR_WITH_DEPS)) {
            String[] cells = lines.stream().filter(l -> l.startsWith("| " + r.label + " ")).findFirst().orElseThrow()
                    .split("\\|", -1);
            for (Column c : Arrays.asList(Column.WREN, Column.PAHO, Column.PAHO_BLOCKING, Column.HIVEMQ)) {
                String cell = cells[c.ordinal() + 2].trim();
                assertTrue(Character.isDigit(cell.charAt(0)), r.label + " / " + c.label + " = '" + cell + "'");
            }
        }
        assertTrue(out.toString().contains("JDK "), "the run is described under the table:\n" + out);
        assertTrue(out.toString().contains("| client-core classes loaded |"), "the footprint section ends the run:\n" + out);
    }
}
