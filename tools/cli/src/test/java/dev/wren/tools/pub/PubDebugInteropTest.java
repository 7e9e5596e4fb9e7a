package dev.wren.tools.pub;

import dev.wren.mqtt.testing.MosquittoExtension;
import dev.wren.tools.testing.InProcessWren;
import dev.wren.tools.testing.Proc;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code wren pub -d} prints the lines {@code mosquitto_pub -d} prints ({@code Client <id> sending CONNECT},
 * {@code ... PUBLISH (d0, q1, r0, m1, 'topic', ... (5 bytes))}, the acknowledgements, {@code DISCONNECT}), run
 * one after the other against a real mosquitto with the same flags.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PubDebugInteropTest {

    @RegisterExtension
    static final MosquittoExtension BROKER = new MosquittoExtension();

    private static final AtomicInteger ROW = new AtomicInteger();

    /** How a row's two outputs are compared. */
    enum Compare {
        /** Line for line. */
        EXACT,
        /** As sets of lines: with {@code -l} at QoS 1 when each PUBACK arrives against the next PUBLISH is timing. */
        ANY_ORDER
    }

    static Stream<Arguments> rows() {
        byte[] lines = "one\ntwo\nthree\n".getBytes(StandardCharsets.UTF_8);
        return Stream.of(
                row("-d at QoS 0: QoS 0 messages are numbered too", new byte[0], Compare.EXACT, "-m", "hello"),
                row("-d at QoS 1 with the PUBACK", new byte[0], Compare.EXACT, "-q", "1", "-m", "hello"),
                row("-d at QoS 2 with the PUBREC, PUBREL and PUBCOMP, retained", new byte[0], Compare.EXACT,
                        "-q", "2", "-r", "-m", "hello"),
                row("-d -V 5 at QoS 2: the same lines at MQTT 5.0", new byte[0], Compare.EXACT,
                        "-V", "5", "-q", "2", "-i", "ID", "-m", "hello"),
                row("-d --repeat 2 -q 2: each PUBLISH after the last PUBCOMP", new byte[0], Compare.EXACT,
                        "--repeat", "2", "-q", "2", "-m", "x"),
                row("-d -n: zero bytes", new byte[0], Compare.EXACT, "-n"),
                row("-d -l: one PUBLISH per line, m1, m2, m3", lines, Compare.EXACT, "-l"),
                row("-d -l -q 1: every PUBLISH acknowledged", lines, Compare.ANY_ORDER, "-l", "-q", "1"),
                row("-d -i: the client id as given", new byte[0], Compare.EXACT, "-i", "ID", "-m", "x"),
                row("-d -I: the prefix and the process id", new byte[0], Compare.EXACT, "-I", "PREFIX", "-m", "x"),
                row("-d --repeat 3 --repeat-delay 0.1", new byte[0], Compare.EXACT, "--repeat", "3",
                        "--repeat-delay", "0.1", "-m", "x"),
                row("-d --repeat 2 -q 1: each PUBLISH after the last PUBACK", new byte[0], Compare.EXACT,
                        "--repeat", "2", "-q", "1", "-m", "x"));
    }

    private static Arguments row(String name, byte[] stdin, Compare compare, String... flags) {
        return Arguments.of(name, stdin, compare, flags);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void wrenPubDebugPrintsWhatMosquittoPubDebugPrints(String name, byte[] stdin, Compare compare, String[] flags) {
        int n = ROW.incrementAndGet();
        String topic = "debug" + n + "-" + ProcessHandle.current().pid() + "/t";
        String prefix = "debug-prefix-" + n + "-";
        List<String> args = new ArrayList<>(List.of("-h", BROKER.host(), "-p", Integer.toString(BROKER.port()),
                "-t", topic, "-d"));
        boolean ownId = false;
        for (String flag : flags) {
            switch (flag) {
                case "ID" -> {
                    args.add("debug-id-" + n);
                    ownId = true;
                }
                case "PREFIX" -> {
                    args.add(prefix);
                    ownId = true;
                }
                default -> args.add(flag);
            }
        }
        Proc mosquitto = Proc.start(stdin, Proc.MOSQUITTO_PUB, args.toArray(String[]::new)).await(10_000);
        assertEquals(0, mosquitto.exitCode(), "mosquitto_pub " + args + ": " + mosquitto.err());
        List<String> wrenArgs = new ArrayList<>(List.of("pub"));
        wrenArgs.addAll(args);
        InProcessWren.Result wren = InProcessWren.run(stdin, wrenArgs.toArray(String[]::new));
        assertEquals(0, wren.exitCode(), name + ": " + wren);

        String expected = normalise(new String(mosquitto.out(), StandardCharsets.UTF_8), ownId, prefix,
                mosquitto.pid(), compare);
        String actual = normalise(wren.outText(), ownId, prefix, ProcessHandle.current().pid(), compare);
        assertTrue(expected.contains("sending CONNECT") && expected.contains("sending DISCONNECT"),
                name + ": mosquitto_pub -d printed\n" + expected);
        assertEquals(expected, actual, name + ": wren pub -d differs from mosquitto_pub -d\n" + wren);
    }

    /**
     * Makes the two outputs comparable. Without {@code -i}/{@code -I} mosquitto_pub sends no client id (the broker
     * picks one; {@code -d} says {@code (null)}) while Wren makes up {@code wren-pub-<random>}: both become
     * {@code <id>}. With {@code -I} the id ends with the tool's process id, which must be exactly that pid.
     */
    private static String normalise(String out, boolean ownId, String prefix, long pid, Compare compare) {
        String text = out.replace(prefix + pid + " ", prefix + "<pid> ");
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        if (!ownId) {
            lines.replaceAll(line -> line.replaceFirst("^Client \\S+ ", "Client <id> "));
        }
        Stream<String> result = lines.stream();
        if (compare == Compare.ANY_ORDER) {
            result = result.sorted();
        }
        return result.collect(Collectors.joining("\n"));
    }
}
