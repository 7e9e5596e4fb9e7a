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
    // One QoS 1/2 message in flight to each subscriber: the broker sends the next PUBLISH after the previous one's
    // PUBACK or PUBCOMP, so the -d lines of two QoS 2 messages come in one order for both tools, whatever the load
    // (with 20 in flight, PUBREL 1 and PUBLISH 2 raced; seen on a busy machine).
    static final MosquittoExtension BROKER = MosquittoExtension.builder().configLine(BrokerLog.LOG_SUBSCRIBE)
            .configLine("max_inflight_messages 1").build();

    private static final AtomicInteger ROW = new AtomicInteger();

    /**
     * One message; {@code T/} in the topic becomes the row's own prefix; {@code publishFlags} are added to its
     * mosquitto_pub command line (e.g. {@code -V 5 -D publish content-type text/plain}).
     */
    record Msg(String topic, byte[] payload, List<String> publishFlags) {
        Msg(String topic, byte[] payload) {
            this(topic, payload, List.of());
        }

        static Msg of(String topic, String payload) {
            return new Msg(topic, payload.getBytes(StandardCharsets.UTF_8));
        }

        /** A message published at QoS 2 (the row's subscriber then gets it at the QoS it subscribed with). */
        static Msg q2(String topic, String payload) {
            return new Msg(topic, payload.getBytes(StandardCharsets.UTF_8), List.of("-q", "2"));
        }

        /** A message published at MQTT 5.0 with {@code properties}, each as {@code -D publish <name> <value...>}. */
        static Msg of5(String topic, String payload, String... properties) {
            List<String> flags = new ArrayList<>(List.of("-V", "5"));
            for (String property : properties) {
                flags.addAll(List.of("-D", "publish"));
                flags.addAll(List.of(property.split(" ", -1)));
            }
            return new Msg(topic, payload.getBytes(StandardCharsets.UTF_8), flags);
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
                        "-t", "T/#", "-v", "-C", "1"),
                row("-F fields, widths, flags, escapes", List.of(), three, "-t", "T/#", "-C", "3",
                        "-F", "%t|%p|%q|%r|%m|%l|%x|%X|%%|%5t|%-7t.|%05l|%3.2t|%10.3t|\\t\\0|@@|\\n"),
                row("-F with -N: no newline added", List.of(), three, "-t", "T/#", "-C", "3", "-N", "-F", "[%t=%p]"),
                row("-F %I %U @Y-@m-@d @H:@M:@S @N: times (masked)", List.of(), three, "-t", "T/#", "-C", "1",
                        "-F", "%I %U @Y-@m-@d @H:@M:@S @N"),
                row("-F %j: JSON with the payload as a string", List.of(),
                        List.of(Msg.of("T/a", "say \"hi\"\n\ttab"), Msg.of("T/b", "")), "-t", "T/#", "-C", "2", "-F", "%j"),
                row("-F %J: JSON payload re-printed, not JSON on stderr", List.of(),
                        List.of(Msg.of("T/a", "{\"a\": 27.0, \"b\":[1, 2.50,\"x\\u00e9\", {\"c\":null}], \"d\":true, \"e\":1e3, \"f\":0.1}"),
                                Msg.of("T/b", "not json")), "-t", "T/#", "-C", "2", "-F", "%J"),
                row("-F %J --pretty", List.of(),
                        List.of(Msg.of("T/a", "{\"a\": {\"b\": [1, {\"c\": \"d\"}], \"e\": -0.5e-7}}")),
                        "-t", "T/#", "-C", "1", "-F", "%J", "--pretty"),
                row("-F %j --pretty", List.of(), List.of(Msg.of("T/a", "x")), "-t", "T/#", "-C", "1", "-F", "%j", "--pretty"),
                row("-E exits once subscribed", List.of(), List.of(), "-t", "T/#", "-E"),
                row("-U unsubscribes after subscribing; the retained message comes first", List.of(Msg.of("T/kept", "old")),
                        List.of(), "-t", "T/#", "-U", "T/#", "-v", "-C", "1"),
                row("-d prints the packets", List.of(), List.of(Msg.of("T/a", "1"), Msg.of("T/b", "22")),
                        "-t", "T/#", "-C", "2", "-d"),
                row("-d with two -t: one SUBSCRIBE for both, one SUBACK", List.of(),
                        List.of(Msg.of("T/c", "not subscribed"), Msg.of("T/a", "1"), Msg.of("T/b", "2")),
                        "-t", "T/a", "-t", "T/b", "-q", "1", "-v", "-C", "2", "-d"),
                row("-d with three -t, one given twice", List.of(), List.of(Msg.of("T/a", "1"), Msg.of("T/b", "2")),
                        "-t", "T/a", "-t", "T/b", "-t", "T/a", "-v", "-C", "2", "-d"),
                row("-F %m at QoS 1: the broker's packet ids, widths and flags", List.of(), three, "-t", "T/#",
                        "-q", "1", "-C", "3", "-F", "%m|%5m|%-3m.|%03m|%t"),
                row("-F %j at QoS 1: with \"mid\"", List.of(), List.of(Msg.of("T/a", "x"), Msg.of("T/b", "")),
                        "-t", "T/#", "-q", "1", "-C", "2", "-F", "%j"),
                row("-F %J --pretty at QoS 1: with \"mid\"", List.of(), List.of(Msg.of("T/a", "{\"v\": 1}")),
                        "-t", "T/#", "-q", "1", "-C", "1", "-F", "%J", "--pretty"),
                row("-d at QoS 1: the received PUBLISH with its id, then the PUBACK", List.of(),
                        List.of(Msg.of("T/a", "1"), Msg.of("T/b", "22")), "-t", "T/#", "-q", "1", "-C", "2", "-d"),
                row("-d at QoS 2: PUBREC, then PUBREL and PUBCOMP, then the message", List.of(),
                        List.of(Msg.q2("T/a", "1"), Msg.q2("T/b", "22")), "-t", "T/#", "-q", "2", "-C", "2", "-d"),
                row("-d -V 5 at QoS 2 with -v", List.of(), List.of(Msg.q2("T/a", "1"), Msg.q2("T/b", "22")),
                        "-t", "T/#", "-q", "2", "-V", "5", "-v", "-C", "2", "-d"),
                row("-d at QoS 2, retained ones first, -R skips them yet they are acknowledged",
                        List.of(Msg.q2("T/kept", "old")), List.of(Msg.q2("T/live", "new")),
                        "-t", "T/#", "-q", "2", "-R", "-v", "-C", "1", "-d"),
                row("--retained-only at QoS 2: the retained ones, then the end at the first live one",
                        List.of(Msg.q2("T/r1", "one"), Msg.q2("T/r2", "two")), List.of(Msg.q2("T/live", "live")),
                        "-t", "T/#", "-q", "2", "--retained-only", "-v"),
                row("-V 5 -F: %C %D %E %F %P %R, widths, flags; absent properties padded", List.of(), WITH_PROPERTIES,
                        "-t", "T/#", "-V", "5", "-C", "3", "-F", "[%A][%C][%D][%E][%F][%P][%R][%S]"
                                + "[%5C][%-5E][%05F][%2.2C][%10P][%8.3R][%03S][%4A][%-4D]"),
                row("-V 5 -F %j at QoS 1: a properties member, user properties in one object", List.of(),
                        WITH_PROPERTIES, "-t", "T/#", "-V", "5", "-q", "1", "-C", "3", "-F", "%j"),
                row("-V 5 -F %J --pretty: properties one a line", List.of(),
                        List.of(Msg.of5("T/a", "{\"v\": [1, 2]}", "user-property k v", "correlation-data id-7")),
                        "-t", "T/#", "-V", "5", "-C", "1", "-F", "%J", "--pretty"),
                row("-V 5 -v: topic and payload, no properties", List.of(), WITH_PROPERTIES,
                        "-t", "T/#", "-V", "5", "-v", "-C", "3"),
                row("-F of the properties at 3.1.1: none arrive, all print empty", List.of(), WITH_PROPERTIES,
                        "-t", "T/#", "-C", "3", "-F", "[%C][%D][%E][%F][%P][%R][%5C][%05E]%j"));
    }

    /** Messages with every PUBLISH property mosquitto_pub -D sets (a user property repeated), some, and none. */
    private static final List<Msg> WITH_PROPERTIES = List.of(
            Msg.of5("T/all", "hi", "content-type text/plain", "correlation-data abc", "message-expiry-interval 3600",
                    "payload-format-indicator 1", "user-property k1 v1", "user-property k1 v2",
                    "user-property k2 v3", "response-topic r/t"),
            Msg.of5("T/some", "x", "user-property a:b c", "content-type application/json;charset=utf-8"),
            Msg.of5("T/none", "plain"));

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

            String expected = masked(new String(mosquitto.out(), StandardCharsets.ISO_8859_1));
            assertEquals(expected, masked(new String(result.out(), StandardCharsets.ISO_8859_1)),
                    name + ": wren sub output differs from mosquitto_sub's\n" + result);
            assertEquals(mosquitto.exitCode(), result.exitCode(), name + ": exit codes; mosquitto_sub: " + mosquitto.err()
                    + "\n" + result);
            assertEquals(masked(mosquitto.err()), masked(result.err()), name + ": standard error");
            if (List.of(flags).contains("-E") || List.of(flags).contains("-U")) {
                assertEquals(0, result.exitCode(), result.toString());
            } else if (live.isEmpty()) {
                assertEquals(27, result.exitCode(), result.toString());
            } else {
                assertTrue(result.out().length > 0, name + ": printed nothing\n" + result);
            }
        } catch (Exception e) {
            throw new AssertionError(name + ": " + e, e);
        }
    }

    /**
     * Masks what differs between two runs: times ({@code %I}, {@code %U}, {@code @} sequences, {@code "tst"}) and
     * the client id of {@code -d} lines (mosquitto_sub lets the broker pick one and prints {@code (null)}).
     */
    static String masked(String out) {
        return out.replaceAll("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{6}Z)?[+-]\\d{4}", "<time>")
                .replaceAll("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\d{9}", "<strftime>")
                .replaceAll("\\d{10}\\.\\d{9}", "<unix>")
                .replaceAll("(?m)^Client \\S+ ", "Client <id> ");
    }

    @org.junit.jupiter.api.Test
    void removeRetainedClearsTheRetainedMessageAsMosquittoSubDoes() throws Exception {
        for (boolean wren : new boolean[] {false, true}) {
            String prefix = "clear" + ROW.incrementAndGet() + "-" + ProcessHandle.current().pid();
            publish(prefix, Msg.of("T/kept", "old"), "-r");
            String[] args = {"-h", BROKER.host(), "-p", Integer.toString(BROKER.port()), "-t", prefix + "/#",
                    "--remove-retained", "-C", "2", "-v", "-i", prefix + "-sub"};
            String out;
            if (wren) {
                List<String> wrenArgs = new ArrayList<>(List.of("sub"));
                wrenArgs.addAll(List.of(args));
                var running = InProcessWren.start(wrenArgs.toArray(String[]::new));
                InProcessWren.Result result = running.get(10, TimeUnit.SECONDS);
                assertEquals(0, result.exitCode(), result.toString());
                out = result.outText();
            } else {
                // mosquitto_sub 2.0.11 prints both lines but does not exit with --remove-retained and -C: stopped here
                try (Proc p = Proc.start(Proc.MOSQUITTO_SUB, args)) {
                    p.awaitOutput("(null)", 10_000);
                    out = new String(p.out(), StandardCharsets.UTF_8);
                }
            }
            // the second message is the clearing one, delivered live (not retained) to the subscriber itself
            assertEquals(prefix + "/kept old\n" + prefix + "/kept (null)\n", out, wren ? "wren sub" : "mosquitto_sub");
            Proc check = Proc.start(Proc.MOSQUITTO_SUB, "-h", BROKER.host(), "-p", Integer.toString(BROKER.port()),
                    "-t", prefix + "/kept", "--retained-only", "-W", "1").await(10_000);
            assertEquals("", new String(check.out(), StandardCharsets.UTF_8), (wren ? "wren" : "mosquitto") + " cleared it");
        }
    }

    private static void publish(String prefix, Msg m, String... extra) {
        List<String> args = new ArrayList<>(List.of("-h", BROKER.host(), "-p", Integer.toString(BROKER.port()),
                "-t", m.topic().replace("T/", prefix + "/"), "-q", "1"));
        args.addAll(List.of(extra));
        args.addAll(m.publishFlags());
        args.add(m.payload().length == 0 ? "-n" : "-s");
        Proc pub = Proc.start(m.payload(), Proc.MOSQUITTO_PUB, args.toArray(String[]::new)).await(10_000);
        assertEquals(0, pub.exitCode(), "mosquitto_pub " + args + ": " + pub.err());
    }
}
