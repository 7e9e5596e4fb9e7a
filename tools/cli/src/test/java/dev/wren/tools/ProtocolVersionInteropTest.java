package dev.wren.tools;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code -V} (protocol version) and {@code -x} (session expiry interval) of {@code wren pub} and {@code wren sub},
 * side by side with mosquitto_pub and mosquitto_sub 2.0: same flags, the same CONNECT as the broker logs it
 * ({@code (p<protocol>, c<clean>, k<keep-alive>)}: mosquitto writes p1 for MQTT 3.1, p2 for 3.1.1, p5 for 5.0),
 * the same exit code, and with {@code -c -x} at 5.0 the same messages kept across a reconnect.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ProtocolVersionInteropTest {

    @RegisterExtension
    static final MosquittoExtension BROKER = MosquittoExtension.builder().configLine(BrokerLog.LOG_ALL).build();

    @RegisterExtension
    static final MosquittoExtension SECURED = MosquittoExtension.builder().user("alice", "secret").build();

    private static final AtomicInteger RUN = new AtomicInteger();

    static Stream<Arguments> versions() {
        List<Arguments> all = new ArrayList<>();
        for (String tool : List.of("pub", "sub")) {
            for (String[] flags : List.of(
                    new String[]{"-V", "mqttv5"}, new String[]{"-V", "5"},
                    new String[]{"--protocol-version", "mqttv311"}, new String[]{"-V", "311"},
                    new String[]{"-V", "mqttv31"}, new String[]{"-V", "31"},
                    new String[]{"-V", "5", "-c"}, new String[]{"-V", "5", "-c", "-x", "60"},
                    new String[]{"-V", "5", "-x", "0"}, new String[]{"-V", "5", "-c", "-x", "-1"},
                    new String[]{"-V", "311", "-x", "60"}, new String[]{"-V", "31", "-c"},
                    new String[]{"-V", "5", "-q", "2"}, new String[]{"-V", "31", "-q", "1"})) {
                all.add(Arguments.of(tool, flags));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("versions")
    void theBrokerSeesTheSameConnectFromBothTools(String tool, String[] flags) {
        Connect fromMosquitto = connect(tool, false, flags);
        Connect fromWren = connect(tool, true, flags);
        assertEquals(fromMosquitto, fromWren, tool + " " + String.join(" ", flags)
                + ": mosquitto (first) and wren (second)");
        String version = flags[1];
        String expected = version.endsWith("5") ? "p5" : version.endsWith("311") ? "p2" : "p1";
        assertTrue(fromMosquitto.logged().startsWith("(" + expected + ","), fromMosquitto.toString());
    }

    /** The broker's view of one connection ({@code (p5, c1, k60).}) and the tool's exit code. */
    record Connect(String logged, int exitCode) {
    }

    private static Connect connect(String tool, boolean wren, String[] flags) {
        int n = RUN.incrementAndGet();
        String id = "version-" + n;
        List<String> args = new ArrayList<>(List.of("-h", BROKER.host(), "-p", Integer.toString(BROKER.port()),
                "-t", "version/" + n, "-i", id));
        args.addAll(tool.equals("pub") ? List.of("-m", "x") : List.of("-W", "1"));
        args.addAll(List.of(flags));
        Result r = run(tool, wren, args);
        Matcher m = Pattern.compile(" as " + Pattern.quote(id) + " (\\(p\\d+, c\\d, k\\d+\\)\\.)").matcher(BROKER.log());
        assertTrue(m.find(), "no connection as " + id + " (" + r + "); log:\n" + BROKER.log());
        return new Connect(m.group(1), r.exitCode());
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("pub", new String[]{"-V", "mqttv6"}), Arguments.of("sub", new String[]{"-V", "4"}),
                Arguments.of("pub", new String[]{"-V", "5", "-x", "abc"}),
                Arguments.of("sub", new String[]{"-V", "5", "-x", "4294967296"}),
                Arguments.of("sub", new String[]{"-V", "5", "-x", "-1"}));
    }

    /** Both refuse before connecting, with exit code 1; Wren's message names the value and what is accepted. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("mistakes")
    void usageMistakesExitWithOneFromBothTools(String tool, String[] flags) {
        List<String> args = new ArrayList<>(List.of("-h", BROKER.host(), "-p", Integer.toString(BROKER.port()),
                "-t", "mistake", "-m", "x"));
        if (tool.equals("sub")) {
            args.subList(args.size() - 2, args.size()).clear();
        }
        args.addAll(List.of(flags));
        Result mosquitto = run(tool, false, args);
        Result wren = run(tool, true, args);
        assertEquals(1, mosquitto.exitCode(), mosquitto.toString());
        assertEquals(mosquitto.exitCode(), wren.exitCode(), wren.toString());
        assertTrue(wren.err().contains(flags[flags.length - 1]), "the message names the value: " + wren);
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("pub", new String[]{"-V", "5", "-u", "alice", "-P", "wrong"}),
                Arguments.of("sub", new String[]{"-V", "mqttv5"}),
                Arguments.of("sub", new String[]{"-V", "311", "-u", "alice", "-P", "wrong"}));
    }

    /**
     * A broker that refuses the CONNECT: at 5.0 both tools exit with the CONNACK reason code (0x87 = 135, MQTT 5.0
     * §3.2.2.2) and name it as mosquitto does ({@code Connection error: Not authorized}); at 3.1.1 with the return
     * code. Wren adds the code and the broker's address in parentheses, and ends
     * the sentence with a full stop where mosquitto's 5.0 message has none.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("refusals")
    void refusedConnectExitsWithTheReasonCodeAsMosquitto(String tool, String[] flags) {
        List<String> args = new ArrayList<>(List.of("-h", SECURED.host(), "-p", Integer.toString(SECURED.port()),
                "-t", "refused", "-i", "refused-" + RUN.incrementAndGet()));
        args.addAll(tool.equals("pub") ? List.of("-m", "x") : List.of("-W", "5"));
        args.addAll(List.of(flags));
        Result mosquitto = run(tool, false, args);
        Result wren = run(tool, true, args);
        assertEquals(flags[1].endsWith("5") ? 135 : 5, mosquitto.exitCode(), mosquitto.toString());
        assertEquals(mosquitto.exitCode(), wren.exitCode(), wren.toString());
        String first = mosquitto.err().lines().findFirst().orElseThrow();
        String where = SECURED.host() + ":" + SECURED.port();
        String wrenFirst = wren.err().lines().findFirst().orElseThrow()
                .replaceAll(" \\(CONNACK (reason|return) code \\w+ from " + Pattern.quote(where) + "\\)", "");
        assertEquals(first.replaceAll("\\.$", ""), wrenFirst.replaceAll("\\.$", ""),
                "standard error, Wren's added detail (and a closing full stop) taken out");
    }

    static Stream<Arguments> sessions() {
        return Stream.of(Arguments.of((Object) new String[]{"-V", "5", "-c", "-x", "60"}),
                Arguments.of((Object) new String[]{"-V", "mqttv5", "-c"}));
    }

    /**
     * {@code sub -c -x 60 -V 5} (and {@code -c} alone at 5.0, whose expiry is "never") subscribes at QoS 1 until one
     * message came, is away while two QoS 1 messages and one QoS 0 message are published, and gets the two QoS 1
     * messages when it comes back with the same id, as mosquitto_sub does.
     */
    @ParameterizedTest(name = "sub {0}")
    @MethodSource("sessions")
    void sessionAt5IsKeptAcrossAReconnectByBothTools(String[] flags) {
        String fromMosquitto = awayAndBack(false, flags);
        String fromWren = awayAndBack(true, flags);
        assertEquals("T first\nT away 1\nT away 2\n", fromMosquitto, "mosquitto_sub");
        assertEquals(fromMosquitto, fromWren, "wren sub prints what mosquitto_sub prints");
    }

    private static String awayAndBack(boolean wren, String[] flags) {
        int n = RUN.incrementAndGet();
        String topic = "session5-" + n + "-" + ProcessHandle.current().pid() + "/t";
        String id = "session5-" + n;
        List<String> first = new ArrayList<>(List.of("-h", BROKER.host(), "-p", Integer.toString(BROKER.port()),
                "-i", id, "-q", "1", "-t", topic, "-v", "-W", "20"));
        first.addAll(List.of(flags));
        List<String> once = new ArrayList<>(first);
        once.addAll(List.of("-C", "1"));
        java.util.concurrent.CompletableFuture<Result> away = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> run("sub", wren, once));
        BrokerLog.awaitSubscribed(BROKER, id, topic);
        publish(topic, "1", "first");
        Result a = away.join();
        assertEquals(0, a.exitCode(), a.toString());
        publish(topic, "1", "away 1");
        publish(topic, "1", "away 2");
        publish(topic, "0", "away, QoS 0");
        List<String> back = new ArrayList<>(first);
        back.addAll(List.of("-C", "2"));
        Result b = run("sub", wren, back);
        assertEquals(0, b.exitCode(), b.toString());
        return (a.out() + b.out()).replace(topic, "T");
    }

    private static void publish(String topic, String qos, String payload) {
        Proc pub = Proc.start(Proc.MOSQUITTO_PUB, "-h", BROKER.host(), "-p", Integer.toString(BROKER.port()),
                "-t", topic, "-q", qos, "-m", payload).await(10_000);
        assertEquals(0, pub.exitCode(), pub.err());
    }

    /** How a tool ended. */
    record Result(int exitCode, String out, String err) {
    }

    private static Result run(String tool, boolean wren, List<String> args) {
        if (wren) {
            List<String> all = new ArrayList<>(List.of(tool));
            all.addAll(args);
            InProcessWren.Result r = InProcessWren.run(all.toArray(String[]::new));
            return new Result(r.exitCode(), r.outText(), r.err());
        }
        Proc p = Proc.start(tool.equals("pub") ? Proc.MOSQUITTO_PUB : Proc.MOSQUITTO_SUB, args.toArray(String[]::new))
                .await(30_000);
        return new Result(p.exitCode(), new String(p.out(), StandardCharsets.UTF_8), p.err());
    }
}
