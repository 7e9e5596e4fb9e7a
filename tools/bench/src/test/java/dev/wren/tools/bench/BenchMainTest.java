package dev.wren.tools.bench;

import dev.wren.tools.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code wren-bench.jar}'s command line: usage errors exit with 1 and name the value, as the {@code wren} command's. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BenchMainTest {

    private static String[] run(String... args) {
        CommandLine cmd = BenchMain.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return new String[] {Integer.toString(cmd.execute(args)), out.toString(), err.toString()};
    }

    @Test
    void helpIsTheUsageOfWrenBench() {
        String[] run = run("--help");
        assertEquals("0", run[0], run[2]);
        assertTrue(run[1].startsWith("Usage: wren bench"), run[1]);
    }

    @Test
    void unknownOptionExitsWithUsageCodeOneAndNamesTheOption() {
        String[] run = run("--no-such-option");
        assertEquals(Integer.toString(ExitCodes.USAGE), run[0]);
        assertTrue(run[2].contains("--no-such-option"), run[2]);
    }

    @Test
    void benchRejectsHostWithoutPortNamingTheHost() {
        String[] run = run("-h", "broker.example");
        assertEquals(Integer.toString(ExitCodes.USAGE), run[0]);
        assertTrue(run[2].contains("-h broker.example needs -p"), run[2]);
    }

    @Test
    void benchRejectsUnknownClientNamingIt() {
        String[] run = run("--clients", "wren,mosca");
        assertEquals(Integer.toString(ExitCodes.USAGE), run[0]);
        assertTrue(run[2].contains("unknown client 'mosca'"), run[2]);
    }
}
