package dev.wren.tools.sub;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code wren sub} and {@code mosquitto_sub} with the session and identity flags: {@code -c} with {@code -i}
 * (messages queued while away), {@code -i}, {@code -I}, {@code -k} as the broker logs the connection, and
 * {@code -u}/{@code -P} against a mosquitto with a password file. The two tools run one after the other.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SubSessionInteropTest {

    @RegisterExtension
    static final MosquittoExtension BROKER = MosquittoExtension.builder().configLine(BrokerLog.LOG_ALL).build();

    @RegisterExtension
    static final MosquittoExtension SECURED = MosquittoExtension.builder().user("alice", "secret")
            .configLine(BrokerLog.LOG_SUBSCRIBE).build();

    private static final AtomicInteger RUN = new AtomicInteger();

    @Test
    void persistentSessionPrintsTheQos1MessagesPublishedWhileAway() throws Exception {
        String fromMosquitto = awayAndBack(false);
        String fromWren = awayAndBack(true);
        assertEquals("T first\nT away 1\nT away 2\n", fromMosquitto, "mosquitto_sub -c");
        assertEquals(fromMosquitto, fromWren, "wren sub -c prints what mosquitto_sub -c prints");
    }

    /**
     * Subscribes with {@code -c -i ID -q 1} until one message came, publishes two QoS 1 messages and one QoS 0
     * message (not queued for an offline client) while nobody listens, then comes back with the same id.
     */
    private static String awayAndBack(boolean wren) throws Exception {
        int n = RUN.incrementAndGet();
        String topic = "session" + n + "-" + ProcessHandle.current().pid() + "/t";
        String id = "session-" + n;
        String[] first = {"-h", BROKER.host(), "-p", Integer.toString(BROKER.port()), "-c", "-i", id, "-q", "1",
                "-t", topic, "-v", "-C", "1"};
        Run away = start(wren, first);
        BrokerLog.awaitSubscribed(BROKER, id, topic);
        publish(BROKER, topic, "1", "first");
        StringBuilder out = new StringBuilder(away.finish());
        publish(BROKER, topic, "1", "away 1");
        publish(BROKER, topic, "1", "away 2");
        publish(BROKER, topic, "0", "away, QoS 0");
        String[] back = first.clone();
        back[back.length - 1] = "2";
        out.append(start(wren, back).finish());
        return out.toString().replace(topic, "T");
    }

    static Stream<Arguments> identities() {
        return Stream.of(
                identity("-i: the client id as given", "-i", "ID"),
                identity("-I: the prefix and the process id", "-I", "PREFIX"),
                identity("-k 17: the keep-alive in CONNECT", "-i", "ID", "-k", "17"),
                identity("-k 5: the shortest keep-alive either tool accepts", "-i", "ID", "-k", "5"),
                identity("-c -i: clean session off", "-c", "-i", "ID", "-q", "1"));
    }

    private static Arguments identity(String name, String... flags) {
        return Arguments.of(name, flags);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("identities")
    void theBrokerSeesTheSameConnectFromBothTools(String name, String[] flags) throws Exception {
        Connect fromMosquitto = connect(false, flags);
        Connect fromWren = connect(true, flags);
        assertEquals(fromMosquitto, fromWren, name + ": mosquitto_sub (first) and wren sub (second)");
        assertEquals(27, fromMosquitto.exitCode(), name + ": " + fromMosquitto);
    }

    /**
     * How the broker logged one connection ({@code as <id> (p2, c<clean>, k<keep-alive>).}, the id normalised),
     * and how the tool ended when {@code -W 1} passed.
     */
    record Connect(String logged, int exitCode, String err) {
    }

    private static Connect connect(boolean wren, String[] flags) throws Exception {
        int n = RUN.incrementAndGet();
        String id = "identity-" + n;
        String prefix = "identity-prefix-" + n + "-";
        List<String> args = new ArrayList<>(List.of("-h", BROKER.host(), "-p", Integer.toString(BROKER.port()),
                "-t", "identity/" + n, "-W", "1"));
        for (String flag : flags) {
            args.add(switch (flag) {
                case "ID" -> id;
                case "PREFIX" -> prefix;
                default -> flag;
            });
        }
        Run run = start(wren, args.toArray(String[]::new));
        String printed = run.finish();
        assertEquals("", printed, "nothing was published");
        long pid = wren ? ProcessHandle.current().pid() : run.proc().pid();
        Matcher m = Pattern.compile(" as (\\S+) (\\(p\\d+, c\\d, k\\d+\\)\\.)").matcher(BROKER.log());
        String logged = null;
        while (m.find()) {
            if (m.group(1).equals(id) || m.group(1).equals(prefix + pid)) {
                logged = m.group(1).replace(id, "ID").replace(prefix + pid, "PREFIX<pid>") + " " + m.group(2);
            }
        }
        assertTrue(logged != null, "no connection as " + id + " or " + prefix + pid + "; log:\n" + BROKER.log());
        return new Connect(logged, run.exitCode(), run.err());
    }

    static Stream<Arguments> credentials() {
        return Stream.of(
                credential("right user name and password: subscribed, the message printed", "-u", "alice", "-P", "secret"),
                credential("wrong password", "-u", "alice", "-P", "wrong"),
                credential("user name without a password", "-u", "alice"),
                credential("unknown user", "-u", "mallory", "-P", "secret"),
                credential("no credentials on a broker without anonymous access"));
    }

    private static Arguments credential(String name, String... flags) {
        return Arguments.of(name, flags);
    }

    /**
     * Same output, same exit code, same standard error, except that Wren adds the return code and the broker
     * address to mosquitto's sentence: {@code Connection error: Connection Refused: not authorised (CONNACK
     * return code 5 from 127.0.0.1:1883).} against mosquitto_sub's {@code ... not authorised.} (tools/README.md).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("credentials")
    void credentialsAreAcceptedAndRefusedAsByMosquittoSub(String name, String[] flags) throws Exception {
        Login fromMosquitto = login(false, flags);
        Login fromWren = login(true, flags);
        assertEquals(fromMosquitto, fromWren, name + ": mosquitto_sub (first) and wren sub (second)");
        boolean accepted = flags.length == 4 && flags[3].equals("secret") && flags[1].equals("alice");
        assertEquals(accepted ? 0 : 5, fromMosquitto.exitCode(), name + ": " + fromMosquitto);
    }

    /** What a subscriber printed and how it ended; {@code err} with Wren's added detail taken out. */
    record Login(String out, int exitCode, String err) {
    }

    private static Login login(boolean wren, String[] flags) throws Exception {
        int n = RUN.incrementAndGet();
        String topic = "login" + n + "/t";
        String id = "login-" + n;
        List<String> args = new ArrayList<>(List.of("-h", SECURED.host(), "-p", Integer.toString(SECURED.port()),
                "-t", topic, "-i", id, "-v", "-C", "1", "-W", "10"));
        args.addAll(List.of(flags));
        Run run = start(wren, args.toArray(String[]::new));
        if (flags.length == 4 && flags[3].equals("secret") && flags[1].equals("alice")) {
            BrokerLog.awaitSubscribed(SECURED, id, topic);
            Proc pub = Proc.start(Proc.MOSQUITTO_PUB, "-h", SECURED.host(), "-p", Integer.toString(SECURED.port()),
                    "-u", "alice", "-P", "secret", "-t", topic, "-m", "let in").await(10_000);
            assertEquals(0, pub.exitCode(), pub.err());
        }
        String out = run.finish().replace(topic, "T");
        String where = SECURED.host() + ":" + SECURED.port();
        String err = run.err().replaceAll(" \\(CONNACK return code \\d from " + Pattern.quote(where) + "\\)\\.", ".");
        return new Login(out, run.exitCode(), err);
    }

    /** Publishes one message with mosquitto_pub. */
    private static void publish(MosquittoExtension broker, String topic, String qos, String payload) {
        Proc pub = Proc.start(Proc.MOSQUITTO_PUB, "-h", broker.host(), "-p", Integer.toString(broker.port()),
                "-t", topic, "-q", qos, "-m", payload).await(10_000);
        assertEquals(0, pub.exitCode(), pub.err());
    }

    private static Run start(boolean wren, String[] args) {
        if (!wren) {
            return new Run(Proc.start(Proc.MOSQUITTO_SUB, args), null);
        }
        String[] wrenArgs = new String[args.length + 1];
        wrenArgs[0] = "sub";
        System.arraycopy(args, 0, wrenArgs, 1, args.length);
        return new Run(null, InProcessWren.start(wrenArgs));
    }

    /** A subscriber running: mosquitto_sub as a process or wren sub in this JVM. */
    private static final class Run {
        private final Proc proc;
        private final CompletableFuture<InProcessWren.Result> wren;
        private InProcessWren.Result result;

        Run(Proc proc, CompletableFuture<InProcessWren.Result> wren) {
            this.proc = proc;
            this.wren = wren;
        }

        Proc proc() {
            return proc;
        }

        /** Waits for the end (at most 15 s) and returns standard output. */
        String finish() throws Exception {
            if (proc != null) {
                proc.await(15_000);
                return new String(proc.out(), StandardCharsets.UTF_8);
            }
            result = wren.get(15, TimeUnit.SECONDS);
            return result.outText();
        }

        int exitCode() {
            return proc != null ? proc.exitCode() : result.exitCode();
        }

        String err() {
            return proc != null ? proc.err() : result.err();
        }
    }
}
