package dev.wren.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wren.mqtt.testing.MosquittoExtension;
import dev.wren.tools.ExitCodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/** Keeps {@code wren bench --aliases} from rotting: a tiny run against a real mosquitto. */
class BenchAliasSmokeTest {
    @RegisterExtension
    static final MosquittoExtension BROKER = MosquittoExtension.builder().build();

    /**
     * The figures are bytes, not times, so they are exact: 20 rounds of the three readings are 60 QoS 1 PUBLISH of
     * 39, 36 and 36 B at 3.1.1 and one more each at 5.0 (the empty property block); with aliases the first three
     * carry topic and alias (+3 B) and the other 57 the alias alone, 15 B: (43 + 40 + 40 + 57 * 15) / 60 = 16.30.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aliasSectionPrintsTheExactBytesPerMessageOfEachRow() {
        CommandLine cmd = BenchMain.commandLine();
        StringWriter out = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(new StringWriter(), true));

        int exit = cmd.execute("--aliases", "-h", BROKER.host(), "-p", Integer.toString(BROKER.port()),
                "--alias-rounds", "20");

        assertEquals(ExitCodes.OK, exit, out.toString());
        String text = out.toString();
        assertTrue(text.contains(AliasBench.HEADER), text);
        assertTrue(text.contains("| MQTT 3.1.1 | 37.00 |"), text);
        assertTrue(text.contains("| MQTT 5.0, no aliases | 38.00 |"), text);
        assertTrue(text.contains("| MQTT 5.0, topicAliases(3) | 16.30 |"), text);
    }
}
