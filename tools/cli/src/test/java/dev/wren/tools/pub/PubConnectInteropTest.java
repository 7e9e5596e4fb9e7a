package dev.wren.tools.pub;

import dev.wren.mqtt.testing.MosquittoExtension;
import dev.wren.tools.testing.BrokerLog;
import dev.wren.tools.testing.InProcessWren;
import dev.wren.tools.testing.Proc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code wren pub} tells the broker when it connects, against what {@code mosquitto_pub} tells it with the
 * same flags: the client id of {@code -I}, and the last will of {@code --will-*}, which a subscriber receives
 * when the publisher dies. Both publishers run as processes of their own and are killed with SIGKILL, so the
 * broker sees the connection close without DISCONNECT exactly as it would for a crashed device.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PubConnectInteropTest {

    @RegisterExtension
    static final MosquittoExtension BROKER = MosquittoExtension.builder().configLine(BrokerLog.LOG_ALL).build();

    private static final AtomicInteger RUN = new AtomicInteger();

    @Test
    void idPrefixIsFollowedByTheProcessIdForBothTools() {
        String prefix = "prefix" + RUN.incrementAndGet() + "-";
        String[] args = {"-h", BROKER.host(), "-p", Integer.toString(BROKER.port()), "-t", "prefix/t", "-m", "x",
                "-I", prefix};
        Proc mosquitto = Proc.start(Proc.MOSQUITTO_PUB, args).await(10_000);
        assertEquals(0, mosquitto.exitCode(), mosquitto.err());
        List<String> wrenArgs = new ArrayList<>(List.of("pub"));
        wrenArgs.addAll(List.of(args));
        InProcessWren.Result wren = InProcessWren.run(wrenArgs.toArray(String[]::new));
        assertEquals(0, wren.exitCode(), wren.toString());

        Matcher m = Pattern.compile("as (" + Pattern.quote(prefix) + "\\S*) \\(p2, c1, k60\\)\\.").matcher(BROKER.log());
        TreeSet<String> ids = new TreeSet<>();
        while (m.find()) {
            ids.add(m.group(1));
        }
        TreeSet<String> expected = new TreeSet<>(List.of(prefix + mosquitto.pid(), prefix + ProcessHandle.current().pid()));
        assertEquals(expected, ids, "client ids the broker saw (mosquitto_pub pid " + mosquitto.pid()
                + ", wren's JVM pid " + ProcessHandle.current().pid() + ")");
    }

    static Stream<Arguments> wills() {
        return Stream.of(
                will("--will-topic and --will-payload, delivered when the publisher dies", true,
                        "--will-payload", "gone"),
                will("--will-qos 1 --will-retain: delivered at QoS 1 and kept", true,
                        "--will-payload", "gone for good", "--will-qos", "1", "--will-retain"),
                will("--will-qos 2 with no payload: an empty will", true, "--will-qos", "2"),
                will("a clean exit sends DISCONNECT: no will", false, "--will-payload", "never", "--will-retain"));
    }

    private static Arguments will(String name, boolean killed, String... flags) {
        return Arguments.of(name, killed, flags);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wills")
    void theWillOfWrenPubIsTheWillOfMosquittoPub(String name, boolean killed, String[] flags) {
        Outcome fromMosquitto = runWill(killed, flags, false);
        Outcome fromWren = runWill(killed, flags, true);
        assertEquals(fromMosquitto, fromWren, name + ": mosquitto_pub (first) and wren pub (second) differ");
        if (killed) {
            assertTrue(fromMosquitto.received().startsWith("WILL "), name + ": " + fromMosquitto);
        } else {
            assertEquals(27, fromMosquitto.receiverExit(), name + ": the will came after a clean exit: " + fromMosquitto);
        }
    }

    /**
     * What a subscriber and the broker saw of one publisher's will.
     *
     * @param willLogged   the broker's {@code Will message specified ...} lines for the publisher's connection
     * @param received     what {@code mosquitto_sub -v} printed on the will topic while the publisher lived and died
     * @param receiverExit its exit code (27: nothing came within its {@code -W})
     * @param delivered    the broker's {@code Sending PUBLISH to <subscriber> (...)} line: QoS and retain as sent
     * @param retained     what a subscriber that comes afterwards gets with {@code --retained-only}, and its exit code
     */
    record Outcome(String willLogged, String received, int receiverExit, String delivered, String retained) {
    }

    private static Outcome runWill(boolean killed, String[] flags, boolean wren) {
        int n = RUN.incrementAndGet();
        String willTopic = "will" + n + "-" + ProcessHandle.current().pid() + "/gone";
        String publisherId = "will-publisher-" + n;
        String receiverId = "will-receiver-" + n;
        List<String> args = new ArrayList<>(List.of("-h", BROKER.host(), "-p", Integer.toString(BROKER.port()),
                "-t", "will" + n + "/data", "-i", publisherId, "--will-topic", willTopic));
        args.addAll(List.of(flags));
        args.addAll(killed ? List.of("-l") : List.of("-m", "bye"));
        try (Proc receiver = Proc.start(Proc.MOSQUITTO_SUB, "-h", BROKER.host(), "-p", Integer.toString(BROKER.port()),
                "-t", willTopic, "-q", "2", "-v", "-C", "1", "-W", killed ? "15" : "3", "-i", receiverId)) {
            BrokerLog.awaitSubscribed(BROKER, receiverId, willTopic);
            String[] command = args.toArray(String[]::new);
            if (killed) {
                Proc publisher = wren
                        ? Proc.startOpen(Proc.java(), Proc.wrenCommand(prepend("pub", command)))
                        : Proc.startOpen(Proc.MOSQUITTO_PUB, command);
                try {
                    // A line published proves the connection is up and the tool is reading standard input.
                    publisher.write("alive\n".getBytes(StandardCharsets.UTF_8));
                    BrokerLog.awaitLogged(BROKER, "Received PUBLISH from " + publisherId + " ");
                    publisher.kill();
                } finally {
                    publisher.close();
                }
            } else if (wren) {
                InProcessWren.Result result = InProcessWren.run(prepend("pub", command));
                assertEquals(0, result.exitCode(), result.toString());
            } else {
                Proc publisher = Proc.start(Proc.MOSQUITTO_PUB, command).await(10_000);
                assertEquals(0, publisher.exitCode(), publisher.err());
            }
            receiver.await(20_000);
            String log = BROKER.log();
            Proc late = Proc.start(Proc.MOSQUITTO_SUB, "-h", BROKER.host(), "-p", Integer.toString(BROKER.port()),
                    "-t", willTopic, "-v", "--retained-only", "-W", "1").await(10_000);
            return new Outcome(
                    willLines(log, publisherId).replace(willTopic, "WILL"),
                    new String(receiver.out(), StandardCharsets.UTF_8).replace(willTopic, "WILL"),
                    receiver.exitCode(),
                    line(log, "Sending PUBLISH to " + receiverId + " ").replace(willTopic, "WILL")
                            .replace(receiverId, "RECEIVER"),
                    new String(late.out(), StandardCharsets.UTF_8).replace(willTopic, "WILL") + " exit " + late.exitCode());
        }
    }

    /** The lines mosquitto logs about the will of {@code clientId}'s connection, between CONNECT and CONNACK. */
    private static String willLines(String log, String clientId) {
        int connected = log.indexOf(" as " + clientId + " (");
        assertTrue(connected >= 0, clientId + " never connected; log:\n" + log);
        int connack = log.indexOf("Sending CONNACK to " + clientId + " ", connected);
        String between = log.substring(log.indexOf('\n', connected) + 1, log.lastIndexOf('\n', connack) + 1);
        // Each line starts with mosquitto's time stamp ("1796585600: "); the rest is what it says.
        return between.replaceAll("(?m)^\\d+: ", "");
    }

    /** The first log line containing {@code text}, without its time stamp; empty if none. */
    private static String line(String log, String text) {
        int at = log.indexOf(text);
        if (at < 0) {
            return "";
        }
        int end = log.indexOf('\n', at);
        return log.substring(at, end < 0 ? log.length() : end);
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
