package dev.wren.tools.sub;

import dev.wren.mqtt.testing.MosquittoExtension;
import dev.wren.tools.testing.BrokerLog;
import dev.wren.tools.testing.InProcessWren;
import dev.wren.tools.testing.Proc;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code wren sub} and {@code mosquitto_sub}, given the same flags, subscribed side by side to a real
 * mosquitto, print the same bytes and exit with the same code when {@code mosquitto_pub} publishes.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SubInteropTest {

    @RegisterExtension
    static final MosquittoExtension BROKER = MosquittoExtension.builder().configLine(BrokerLog.LOG_SUBSCRIBE).build();

    private static final AtomicInteger ROW = new AtomicInteger();

    /** One message; {@code T/} in the topic becomes the row's own prefix. */
    record Msg(String topic, byte[] payload) {
        static Msg of(String topic, String payload) {
            return new Msg(topic, payload.getBytes(StandardCharsets.UTF_8));
        }
    }

    static Stream<Arguments> rows() {
        byte[] allBytes = new byte[256];
        for (int i = 0; i < 256; i++) {
            allBytes[i] = (byte) i;
        }
        List<Msg> three = List.of(Msg.of("T/a", "a"), Msg.of("T/b", ""), Msg.of("T/c", "two words"));
        return Stream.of(
                row("-v prints topic, space, payload; (null) for empty", List.of(), three, "-t", "T/#", "-v", "-C", "3"),
                row("plain payloads, an empty one prints nothing", List.of(), three, "-t", "T/#", "-C", "3"),
                row("-N leaves out the newlines", List.of(), three, "-t", "T/#", "-N", "-C", "3"),
                row("-T filters out a subtree", List.of(),
                        List.of(Msg.of("T/skip/x", "no"), Msg.of("T/a", "yes"), Msg.of("T/b", "yes too")),
                        "-t", "T/#", "-T", "T/skip/#", "-v", "-C", "2"),
                row("two -t filters at QoS 1", List.of(),
                        List.of(Msg.of("T/c", "not subscribed"), Msg.of("T/a", "1"), Msg.of("T/b", "2")),
                        "-t", "T/a", "-t", "T/b", "-q", "1", "-v", "-C", "2"),
                row("retained messages print first", List.of(Msg.of("T/kept", "old")), List.of(Msg.of("T/live", "new")),
                        "-t", "T/#", "-v", "-C", "2"),
                row("-R skips stale retained messages", List.of(Msg.of("T/kept", "stale")),
                        List.of(Msg.of("T/live", "fresh")), "-t", "T/#", "-R", "-v", "-C", "1"),
                row("--retained-only prints the retained and ends at the first live one",
                        List.of(Msg.of("T/r1", "one"), Msg.of("T/r2", "two")), List.of(Msg.of("T/live", "live")),
                        "-t", "T/#", "--retained-only", "-v"),
                row("-W ends with code 27 when nothing comes", List.of(), List.of(), "-t", "T/#", "-C", "1", "-W", "1"),
                row("binary payload, byte for byte", List.of(), List.of(new Msg("T/bin", allBytes)), "-t", "T/#", "-C", "1"),
                row("UTF-8 topic and payload", List.of(), List.of(Msg.of("T/température", "ünïcødé ✓")),
                        "-t", "T/#", "-v", "-C", "1"));
    }

    private static Arguments row(String name, List<Msg> retained, List<Msg> live, String... flags) {
        return Arguments.of(name, retained, live, flags);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void wrenSubPrintsWhatMosquittoSubPrints(String name, List<Msg> retained, List<Msg> live, String[] flags) {
        String prefix = "sub" + ROW.incrementAndGet() + "-" + ProcessHandle.current().pid();
        for (Msg m : retained) {
            publish(prefix, m, "-r");
        }
        List<String> args = new ArrayList<>(List.of("-h", BROKER.host(), "-p", Integer.toString(BROKER.port())));
        List<String> filters = new ArrayList<>();
        for (int i = 0; i < flags.length; i++) {
            String flag = flags[i].replace("T/", prefix + "/");
            args.add(flag);
            if (i > 0 && flags[i - 1].equals("-t")) {
                filters.add(flag);
            }
        }
        String mosquittoId = prefix + "-mosquitto";
        String wrenId = prefix + "-wren";
        List<String> mosquittoArgs = new ArrayList<>(args);
        mosquittoArgs.addAll(List.of("-i", mosquittoId));
        List<String> wrenArgs = new ArrayList<>(List.of("sub"));
        wrenArgs.addAll(args);
        wrenArgs.addAll(List.of("-i", wrenId));

        try (Proc mosquitto = Proc.start(Proc.MOSQUITTO_SUB, mosquittoArgs.toArray(String[]::new))) {
            var wren = InProcessWren.start(wrenArgs.toArray(String[]::new));
            for (String filter : filters) {
                BrokerLog.awaitSubscribed(BROKER, mosquittoId, filter);
                BrokerLog.awaitSubscribed(BROKER, wrenId, filter);
            }
            for (Msg m : live) {
                publish(prefix, m);
            }
            mosquitto.await(10_000);
            InProcessWren.Result result = wren.get(10, TimeUnit.SECONDS);

            String expected = new String(mosquitto.out(), StandardCharsets.ISO_8859_1);
            assertEquals(expected, new String(result.out(), StandardCharsets.ISO_8859_1),
                    name + ": wren sub output differs from mosquitto_sub's\n" + result);
            assertEquals(mosquitto.exitCode(), result.exitCode(), name + ": exit codes; mosquitto_sub: " + mosquitto.err()
                    + "\n" + result);
            if (live.isEmpty()) {
                assertEquals(27, result.exitCode(), result.toString());
            } else {
                assertTrue(result.out().length > 0, name + ": printed nothing\n" + result);
            }
        } catch (Exception e) {
            throw new AssertionError(name + ": " + e, e);
        }
    }

    private static void publish(String prefix, Msg m, String... extra) {
        List<String> args = new ArrayList<>(List.of("-h", BROKER.host(), "-p", Integer.toString(BROKER.port()),
                "-t", m.topic().replace("T/", prefix + "/"), "-q", "1"));
        args.addAll(List.of(extra));
        args.add(m.payload().length == 0 ? "-n" : "-s");
        Proc pub = Proc.start(m.payload(), Proc.MOSQUITTO_PUB, args.toArray(String[]::new)).await(10_000);
        assertEquals(0, pub.exitCode(), "mosquitto_pub " + args + ": " + pub.err());
    }
}
