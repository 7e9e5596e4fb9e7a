package dev.wren.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WrenCommandTest {

    private static final class Run {
        final int exitCode;
        final String out;
        final String err;

        Run(String... args) {
            CommandLine cmd = Wren.commandLine();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            cmd.setOut(new PrintWriter(out, true));
            cmd.setErr(new PrintWriter(err, true));
            this.exitCode = cmd.execute(args);
            this.out = out.toString();
            this.err = err.toString();
        }
    }

    @Test
    void helpListsEverySubcommandAndExitsZero() {
        Run run = new Run("--help");
        assertEquals(ExitCodes.OK, run.exitCode, run.err);
        for (String name : Wren.commandLine().getSubcommands().keySet()) {
            assertTrue(run.out.contains(name), "wren --help lists " + name + ":\n" + run.out);
        }
    }

    @Test
    void everySubcommandAnswersHelpWithItsUsageAndExitsZero() {
        for (String name : Wren.commandLine().getSubcommands().keySet()) {
            Run run = new Run(name, "--help");
            assertEquals(ExitCodes.OK, run.exitCode, name + " --help: " + run.err);
            assertTrue(run.out.startsWith("Usage: wren " + name), run.out);
        }
    }

    /** Each description paragraph is one string (picocli wraps each string on its own) and formats cleanly. */
    @Test
    void everyHelpFitsEightyColumnsWithoutWarningsOrBrokenSentences() {
        for (String name : Wren.commandLine().getSubcommands().keySet()) {
            java.io.ByteArrayOutputStream stderr = new java.io.ByteArrayOutputStream();
            java.io.PrintStream previous = System.err;
            System.setErr(new java.io.PrintStream(stderr, true, java.nio.charset.StandardCharsets.UTF_8));
            Run run;
            try {
                run = new Run(name, "--help");
            } finally {
                System.setErr(previous);
            }
            assertEquals("", stderr.toString(java.nio.charset.StandardCharsets.UTF_8) + run.err, name + " --help");
            for (String line : run.out.split("\n")) {
                assertTrue(line.length() <= 80, name + " --help line over 80 columns: " + line);
            }
            CommandLine sub = Wren.commandLine().getSubcommands().get(name);
            for (String paragraph : sub.getCommandSpec().usageMessage().description()) {
                assertTrue(paragraph.matches("(?s).*[.:)]$"), name + ": a description string that ends mid-sentence"
                        + " (picocli starts each string on a new line): " + paragraph);
            }
        }
    }

    /**
     * At 80 columns picocli wraps nothing where it would break a phrase: each footer string is a line of its own
     * (a wrapped one left "at -V 5" alone on a line), no line ends in the middle of a {@code %} field (picocli
     * measures {@code %%} as two characters, then prints one: "%C %D %" / "E %F"), and no option is parted from its
     * value ("-V" / "5").
     */
    @Test
    void helpWrapsNoFooterLineFormatFieldOrOptionValue() {
        List<String> names = new java.util.ArrayList<>(Wren.commandLine().getSubcommands().keySet());
        names.add("");
        for (String name : names) {
            Run run = name.isEmpty() ? new Run("--help") : new Run(name, "--help");
            List<String> lines = List.of(run.out.split("\n"));
            CommandLine command = name.isEmpty() ? Wren.commandLineFor("--help")
                    : Wren.commandLine().getSubcommands().get(name);
            for (String footer : command.getCommandSpec().usageMessage().footer()) {
                String shown = String.format(footer);
                assertTrue(shown.isEmpty() || lines.contains(shown), "wren " + name + " --help wrapped the footer line '"
                        + shown + "':\n" + run.out);
            }
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                assertFalse(line.endsWith("%"), "wren " + name + " --help parts a % field: " + line);
                if (line.matches(".* -[A-Za-z]$") && i + 1 < lines.size()) {
                    assertFalse(lines.get(i + 1).trim().matches("^\\d.*"), "wren " + name
                            + " --help parts an option from its value: " + line + " / " + lines.get(i + 1));
                }
            }
        }
    }

    @Test
    void unknownOptionExitsWithUsageCodeOneAndNamesTheOption() {
        Run run = new Run("pub", "--no-such-option");
        assertEquals(ExitCodes.USAGE, run.exitCode);
        assertTrue(run.err.contains("--no-such-option"), run.err);
    }

    @Test
    void runBuildsOnlyTheSubcommandItIsAskedForAndAllOfThemForHelp() {
        assertEquals(java.util.Set.of("pub"), Wren.commandLineFor("pub", "-t", "t").getSubcommands().keySet());
        assertEquals(java.util.Set.of("pub", "sub", "rr", "demo"), Wren.commandLineFor("--help").getSubcommands().keySet());
        assertEquals(java.util.Set.of("pub", "sub", "rr", "demo"), Wren.commandLineFor().getSubcommands().keySet());
    }

    @Test
    void helpPointsAtTheBenchLauncher() {
        Run run = new Run("--help");
        assertTrue(run.out.contains("./wren bench"), run.out);
    }

    @Test
    void unknownSubcommandExitsWithUsageCodeOne() {
        Run run = new Run("no-such-command");
        assertEquals(ExitCodes.USAGE, run.exitCode);
        assertTrue(run.err.contains("no-such-command"), run.err);
    }

    @Test
    void ioFailuresMapToMosquittoErrnoAndUnknownHostToEai() {
        assertEquals(14, ExitCodes.forException(new java.io.IOException("refused")));
        assertEquals(15, ExitCodes.forException(new java.net.UnknownHostException("nowhere")));
        assertEquals(13, ExitCodes.forException(new IllegalStateException("bug")));
    }
}
