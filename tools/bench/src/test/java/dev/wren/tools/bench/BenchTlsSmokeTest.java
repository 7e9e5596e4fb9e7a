package dev.wren.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wren.tools.ExitCodes;
import dev.wren.tools.bench.ResultTable.Column;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * Keeps {@code wren bench --tls} from rotting: tiny counts against the bench's own mosquitto (it adds the TLS
 * listener and makes the certificates); no assertion on the figures beyond their being measured.
 */
class BenchTlsSmokeTest {

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void tlsSectionPrintsTcpTlsAndDifferenceForEveryClientAndTheRawFloor() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = execute(out, err, "--tls", "--tls-messages", "200", "--windows", "16");

        assertEquals(ExitCodes.OK, exit, out + "\n" + err);
        List<String> lines = Arrays.stream(out.toString().split("\n")).filter(l -> l.startsWith("|"))
                .collect(Collectors.toList());
        List<String> expected = new ArrayList<>(List.of(TlsBench.RAW_BATCHED, TlsBench.RAW_EACH, TlsBench.RAW_QOS1 + " (w16)"));
        for (Column c : List.of(Column.WREN, Column.PAHO, Column.PAHO_BLOCKING, Column.HIVEMQ)) {
            expected.add(c.label + ", QoS 0");
            expected.add(c.label + ", QoS 1");
        }
        assertEquals(expected.size() + 2, lines.size(), "header, rule and one line per row, nothing else:\n" + out);
        assertTrue(lines.get(0).contains(TlsBench.HEADER[3]), "the TLS table's header in\n" + out);
        for (String label : expected) {
            String line = lines.stream().filter(l -> l.startsWith("| " + label + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError("row " + label + " in\n" + out));
            String[] cells = line.split("\\|", -1);
            assertEquals(TlsBench.HEADER.length, cells.length - 2, "cells in " + line);
            double tcp = number(cells[2]);
            double tls = number(cells[3]);
            assertTrue(tcp >= 0 && tls >= 0, label + ": non-negative TCP and TLS figures in " + line);
            assertEquals(tls - tcp, number(cells[4]), 0.15, label + ": the difference is TLS − TCP in " + line);
        }
        assertTrue(out.toString().matches("(?s).*The JDK negotiates TLSv1\\.[23] .*"), "the negotiated version:\n" + out);
        assertTrue(out.toString().contains("Load average"), "the run is described under the table:\n" + out);
    }

    @Test
    void tlsSectionRefusesAnOutsideBrokerNamingThePort() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = execute(out, err, "--tls", "-h", "127.0.0.1", "-p", "18830");

        assertEquals(ExitCodes.USAGE, exit, out + "\n" + err);
        assertTrue(err.toString().contains("--tls needs the bench's own broker") && err.toString().contains("-p 18830"),
                "the reason, naming the port:\n" + err);
    }

    private static int execute(StringWriter out, StringWriter err, String... args) {
        CommandLine cmd = BenchMain.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    /** The number of a cell such as {@code " 1,320.0 "}. */
    private static double number(String cell) {
        return Double.parseDouble(cell.trim().replace(",", ""));
    }
}
