package dev.wren.tools.rr;

import dev.wren.mqtt.testing.MosquittoExtension;
import dev.wren.tools.testing.InProcessWren;
import dev.wren.tools.testing.Proc;
import dev.wren.tools.testing.WireRecorder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttConfig;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code wren rr} and {@code mosquitto_rr} 2.0.11, given the same flags against a real mosquitto with a
 * {@link Responder} answering on the response topic, print the same bytes and exit with the same code, and send
 * the same SUBSCRIBE and PUBLISH.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RrInteropTest {

    @RegisterExtension
    static final MosquittoExtension BROKER = MosquittoExtension.builder().build();

    private static final String PREFIX = "rr-" + ProcessHandle.current().pid();
    private static final AtomicInteger ROW = new AtomicInteger();
    private static Responder responder;
    private static WireRecorder recorder;

    @BeforeAll
    static void startResponder() throws Exception {
        responder = new Responder(BROKER.host(), BROKER.port(), PREFIX + "/+/req");
        recorder = new WireRecorder(BROKER.port());
    }

    @AfterAll
    static void stopResponder() throws Exception {
        responder.close();
        recorder.close();
    }

    /** {@code T/} becomes the row's own topic prefix (answered: {@code T/req}; {@code T/nobody} is not). */
    static Stream<Arguments> rows() {
        return Stream.of(
                row("the response's payload and a newline", 0, "-t", "T/req", "-e", "T/resp", "-m", "hello"),
                row("-v: response topic, space, payload", 0, "-t", "T/req", "-e", "T/resp", "-m", "hello", "-v"),
                row("-N, QoS 1, a UTF-8 request", 0, "-t", "T/req", "-e", "T/resp", "-m", "ünï ✓", "-q", "1", "-N"),
                row("-n: an empty request, -v at QoS 2", 0, "-t", "T/req", "-e", "T/resp", "-n", "-q", "2", "-v"),
                row("-F with the Correlation Data of -D publish, copied back by the responder", 0,
                        "-t", "T/req", "-e", "T/resp", "-m", "x", "-D", "publish", "correlation-data", "id-7",
                        "-F", "%t|%D|%p|%q"),
                row("-V mqttv5 and -D publish user-property", 0, "-t", "T/req", "-e", "T/resp", "-m", "x",
                        "-V", "mqttv5", "-D", "publish", "user-property", "k", "v", "-v"),
                row("-W 1 with nobody answering: Timed out, 27", 27, "-t", "T/nobody", "-e", "T/resp", "-m", "x",
                        "-W", "1"),
                row("--quiet: not even Timed out", 27, "-t", "T/nobody", "-e", "T/resp", "-m", "x", "-W", "1",
                        "--quiet"),
                row("-V 311: the request goes bare, so nobody can answer: 27", 27, "-t", "T/req", "-e", "T/resp",
                        "-m", "x", "-V", "311", "-W", "1"),
                row("-V 31 as -V 311", 27, "-t", "T/req", "-e", "T/resp", "-m", "x", "-V", "31", "-W", "1"),
                row("no -e", 1, "-t", "T/req", "-m", "x"),
                row("no message", 1, "-t", "T/req", "-e", "T/resp"),
                row("two messages", 1, "-t", "T/req", "-e", "T/resp", "-m", "x", "-n"),
                row("a wildcard response topic", 1, "-t", "T/req", "-e", "T/#", "-m", "x"),
                row("a wildcard request topic", 1, "-t", "T/+", "-e", "T/resp", "-m", "x"),
                row("-q 3", 1, "-t", "T/req", "-e", "T/resp", "-m", "x", "-q", "3"),
                row("-W 0", 1, "-t", "T/req", "-e", "T/resp", "-m", "x", "-W", "0"),
                row("-l is not an rr option", 1, "-t", "T/req", "-e", "T/resp", "-l"),
                row("-V 7", 1, "-t", "T/req", "-e", "T/resp", "-m", "x", "-V", "7"),
                row("-D publish response-topic besides -e", 1, "-t", "T/req", "-e", "T/resp", "-m", "x",
                        "-D", "publish", "response-topic", "T/other"));
    }

    private static Arguments row(String name, int exitCode, String... flags) {
        return Arguments.of(name, exitCode, flags);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void wrenRrPrintsAndExitsAsMosquittoRr(String name, int exitCode, String[] flags) throws Exception {
        String topics = PREFIX + "/" + ROW.incrementAndGet() + "/";
        List<String> args = new ArrayList<>(List.of("-h", BROKER.host(), "-p", Integer.toString(BROKER.port())));
        for (String flag : flags) {
            args.add(flag.startsWith("T/") ? topics + flag.substring(2) : flag);
        }
        Proc mosquitto = Proc.start(Proc.MOSQUITTO_RR, args.toArray(String[]::new)).await(20_000);
        List<String> wrenArgs = new ArrayList<>(List.of("rr"));
        wrenArgs.addAll(args);
        InProcessWren.Result wren = InProcessWren.run(wrenArgs.toArray(String[]::new));

        String mosquittoOut = new String(mosquitto.out(), StandardCharsets.UTF_8);
        assertEquals(exitCode, mosquitto.exitCode(), name + ": mosquitto_rr " + args + ": " + mosquitto.err());
        assertEquals(mosquittoOut, wren.outText(), name + ": standard output\n" + wren);
        assertEquals(mosquitto.exitCode(), wren.exitCode(), name + ": exit code\n" + wren);
        if (exitCode == 27) {
            assertEquals(mosquitto.err(), wren.err(), name + ": standard error");
        } else if (exitCode == 1) {
            // the message: Wren's own words (which name the values); picocli's for an unknown option, with the usage
            assertTrue(wren.err().contains("Use 'wren rr --help' to see usage.") || wren.err().contains("Usage: wren rr"),
                    name + ": a usage error\n" + wren);
        } else {
            assertTrue(mosquittoOut.contains("answer:"), name + ": answered\n" + mosquittoOut);
        }
    }

    @Test
    void theRequestAndTheSubscriptionAreMosquittoRrsByteForByte() throws Exception {
        for (String version : new String[] {"5", "311"}) {
            String topics = PREFIX + "/wire" + version + "/";
            List<List<String>> sent = new ArrayList<>();
            for (boolean wren : new boolean[] {false, true}) {
                String[] args = {"-h", "127.0.0.1", "-p", Integer.toString(recorder.port()), "-t", topics + "req",
                        "-e", topics + "resp", "-m", "payload", "-q", "1", "-i", topics + "id", "-V", version,
                        "-W", version.equals("5") ? "10" : "1"};
                if (version.equals("5")) {
                    args = Stream.concat(Stream.of(args), Stream.of("-D", "publish", "user-property", "k", "v",
                            "-D", "publish", "correlation-data", "c-1", "-D", "publish", "content-type", "t/p"))
                            .toArray(String[]::new);
                }
                int exit;
                if (wren) {
                    exit = InProcessWren.run(Stream.concat(Stream.of("rr"), Stream.of(args)).toArray(String[]::new))
                            .exitCode();
                } else {
                    exit = Proc.start(Proc.MOSQUITTO_RR, args).await(20_000).exitCode();
                }
                assertEquals(version.equals("5") ? 0 : 27, exit, (wren ? "wren rr" : "mosquitto_rr") + " -V " + version);
                List<String> packets = new ArrayList<>();
                List<byte[]> all = recorder.take(10_000);
                // CONNECT: compared by protocol level only (libmosquitto adds its Receive Maximum; ids differ)
                packets.add("CONNECT protocol level " + all.get(0)[8]);
                for (byte[] packet : all) {
                    int type = (packet[0] & 0xF0) >> 4;
                    if (type == 3 || type == 8) { // PUBLISH, SUBSCRIBE
                        packets.add(HexFormat.of().formatHex(packet));
                    }
                }
                sent.add(packets);
            }
            assertEquals(sent.get(0), sent.get(1), "-V " + version + ": SUBSCRIBE and PUBLISH of mosquitto_rr"
                    + " (first) and wren rr");
            assertEquals(3, sent.get(0).size(), "CONNECT, SUBSCRIBE, PUBLISH: " + sent.get(0));
        }
    }

    /**
     * Deliberately unlike mosquitto_rr, which closes the socket after the response and times out with DISCONNECT
     * reason 0x04 (both make the broker publish its will): {@code wren rr} ends with a normal DISCONNECT, after a
     * response and after {@code -W}, so its will is not published (MQTT 5.0 §3.1.2.5). mosquitto_rr is run too, to
     * show that the watcher sees a will when one is published.
     */
    @Test
    void wrenRrDisconnectsCleanlySoItsWillIsNotPublishedWhereMosquittoRrsIs() throws Exception {
        String topics = PREFIX + "/will/";
        List<String> seen = new CopyOnWriteArrayList<>();
        MqttClient watcher = new MqttClient(MqttConfig.builder().host(BROKER.host()).port(BROKER.port())
                .clientId(PREFIX + "-watcher").build());
        watcher.connect();
        try {
            watcher.subscribe(topics + "gone", 0, m -> seen.add(m.payloadAsString()));
            String[] answered = {"-h", BROKER.host(), "-p", Integer.toString(BROKER.port()), "-t", topics + "req",
                    "-e", topics + "resp", "-m", "x", "-W", "10", "--will-topic", topics + "gone", "--will-payload"};
            String[] unanswered = answered.clone();
            unanswered[5] = topics + "nobody";
            unanswered[11] = "1";
            assertEquals(0, Proc.start(Proc.MOSQUITTO_RR, concat(answered, "mosquitto answered")).await(20_000)
                    .exitCode());
            assertEquals(27, Proc.start(Proc.MOSQUITTO_RR, concat(unanswered, "mosquitto timed out")).await(20_000)
                    .exitCode());
            assertEquals(0, InProcessWren.run(concat(concat(new String[] {"rr"}, answered), "wren answered"))
                    .exitCode());
            assertEquals(27, InProcessWren.run(concat(concat(new String[] {"rr"}, unanswered), "wren timed out"))
                    .exitCode());
            watcher.publish(topics + "gone", "end".getBytes(StandardCharsets.UTF_8), 0, false);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!seen.contains("end") && System.nanoTime() - deadline < 0) {
                watcher.poll(100);
            }
            assertEquals(List.of("mosquitto answered", "mosquitto timed out", "end"), seen);
        } finally {
            watcher.disconnect();
            watcher.close();
        }
    }

    /**
     * Deliberately unlike mosquitto_rr, which accepts {@code -R} and ignores it: {@code wren rr -R} skips a retained
     * message on the response topic (a stale one, not an answer to this request) and prints the answer. Without
     * {@code -R} both print the retained message: it is the first on the response topic.
     */
    @Test
    void dashRSkipsARetainedMessageOnTheResponseTopic() throws Exception {
        String topics = PREFIX + "/retained/";
        Proc retain = Proc.start(Proc.MOSQUITTO_PUB, "-h", BROKER.host(), "-p", Integer.toString(BROKER.port()),
                "-t", topics + "resp", "-m", "stale", "-r", "-q", "1").await(10_000);
        assertEquals(0, retain.exitCode(), retain.err());
        String[] args = {"-h", BROKER.host(), "-p", Integer.toString(BROKER.port()), "-t", topics + "req",
                "-e", topics + "resp", "-m", "x", "-W", "10"};
        assertEquals("stale\n", new String(Proc.start(Proc.MOSQUITTO_RR, args).await(20_000).out(),
                StandardCharsets.UTF_8));
        assertEquals("stale\n", new String(Proc.start(Proc.MOSQUITTO_RR, concat(args, "-R")).await(20_000).out(),
                StandardCharsets.UTF_8), "mosquitto_rr ignores -R");
        assertEquals("stale\n", InProcessWren.run(concat(new String[] {"rr"}, args)).outText());
        InProcessWren.Result skipped = InProcessWren.run(concat(concat(new String[] {"rr"}, args), "-R"));
        assertEquals("answer:x\n", skipped.outText(), skipped.toString());
        assertEquals(0, skipped.exitCode(), skipped.toString());
    }

    @Test
    void dashSSendsStandardInputAsTheRequest() {
        String topics = PREFIX + "/stdin/";
        InProcessWren.Result result = InProcessWren.run("two\nlines".getBytes(StandardCharsets.UTF_8), "rr", "-h",
                BROKER.host(), "-p", Integer.toString(BROKER.port()), "-t", topics + "req", "-e", topics + "resp",
                "-s", "-W", "10");
        assertEquals("answer:two\nlines\n", result.outText(), result.toString());
    }

    /** Nothing listening: exit 1 from both, nothing on standard output; with {@code --quiet} nothing at all. */
    @Test
    void noBrokerExitsWithOneAsMosquittoRr() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        for (boolean quiet : new boolean[] {false, true}) {
            String[] args = {"-h", "127.0.0.1", "-p", Integer.toString(closed), "-t", "t", "-e", "r", "-m", "x",
                    "-W", "5"};
            if (quiet) {
                args = concat(args, "--quiet");
            }
            Proc mosquitto = Proc.start(Proc.MOSQUITTO_RR, args).await(20_000);
            InProcessWren.Result wren = InProcessWren.run(concat(new String[] {"rr"}, args));
            assertEquals(1, mosquitto.exitCode(), mosquitto.err());
            assertEquals(1, wren.exitCode(), wren.toString());
            assertEquals("", new String(mosquitto.out(), StandardCharsets.UTF_8) + wren.outText());
            assertEquals(quiet, wren.err().isEmpty(), wren.toString());
            assertEquals(quiet, mosquitto.err().isEmpty(), mosquitto.err());
        }
    }

    private static String[] concat(String[] first, String... more) {
        return Stream.concat(Stream.of(first), Stream.of(more)).toArray(String[]::new);
    }
}
