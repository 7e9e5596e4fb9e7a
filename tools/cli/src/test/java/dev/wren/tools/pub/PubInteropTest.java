package dev.wren.tools.pub;

import dev.wren.mqtt.testing.MosquittoExtension;
import dev.wren.tools.testing.BrokerLog;
import dev.wren.tools.testing.InProcessWren;
import dev.wren.tools.testing.Proc;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code wren pub} sends, {@code mosquitto_sub} receives exactly as it receives what {@code mosquitto_pub}
 * sends with the same arguments (both tools take the same flags).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PubInteropTest {

    @RegisterExtension
    static final MosquittoExtension BROKER = MosquittoExtension.builder().configLine(BrokerLog.LOG_SUBSCRIBE).build();

    @TempDir
    static Path dir;

    private static final AtomicInteger ROW = new AtomicInteger();
    private static final byte[] ALL_BYTES = new byte[256];

    static {
        for (int i = 0; i < 256; i++) {
            ALL_BYTES[i] = (byte) i;
        }
    }

    static Stream<Arguments> rows() {
        byte[] lines = "one\n\ntwo\r\nthree".getBytes(StandardCharsets.UTF_8);
        return Stream.of(
                row("-m", new byte[0], 1, "-m", "hello world"),
                row("-n: empty payload", new byte[0], 1, "-n"),
                row("-f: a binary file byte for byte", new byte[0], 1, "-f", "FILE"),
                row("-s: all of stdin as one message", ALL_BYTES, 1, "-s"),
                row("-l: one message per line, empty line and CR kept", lines, 4, "-l"),
                row("-q 1", new byte[0], 1, "-q", "1", "-m", "at least once"),
                row("-q 2", new byte[0], 1, "-q", "2", "-m", "exactly once"),
                row("-r: received later as retained", new byte[0], -1, "-r", "-q", "1", "-m", "kept"),
                row("-L URL with the topic", new byte[0], 1, "-L", "URL", "-m", "via url"),
                row("UTF-8 payload", new byte[0], 1, "-m", "ünïcødé ✓"),
                row("-i and -k", new byte[0], 1, "-i", "ID", "-k", "30", "-m", "with id"),
                row("--repeat 3", new byte[0], 3, "--repeat", "3", "-m", "again"),
                row("--repeat 2 --repeat-delay 0.2 -q 1", new byte[0], 2, "--repeat", "2", "--repeat-delay", "0.2",
                        "-q", "1", "-m", "slowly"),
                row("-c -i: a kept session", new byte[0], 1, "-c", "-i", "ID", "-q", "1", "-m", "kept session"));
    }

    /** {@code count} messages expected; -1: one retained message, subscribed to after publishing. */
    private static Arguments row(String name, byte[] stdin, int count, String... flags) {
        return Arguments.of(name, stdin, count, flags);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void mosquittoSubReceivesFromWrenPubWhatItReceivesFromMosquittoPub(String name, byte[] stdin, int count,
                                                                      String[] flags) throws Exception {
        byte[] fromMosquitto = receive(stdin, count, flags, false);
        byte[] fromWren = receive(stdin, count, flags, true);
        assertTrue(fromMosquitto.length > 0, name + ": mosquitto_sub printed nothing");
        assertArrayEquals(fromMosquitto, fromWren, name + ": mosquitto_sub got\n"
                + new String(fromMosquitto, StandardCharsets.UTF_8) + "\nfrom mosquitto_pub, but\n"
                + new String(fromWren, StandardCharsets.UTF_8) + "\nfrom wren pub");
    }

    /** Publishes with one tool and returns what {@code mosquitto_sub -v} printed. */
    private static byte[] receive(byte[] stdin, int count, String[] flags, boolean wren) throws IOException {
        int n = ROW.incrementAndGet();
        String topic = "pub" + n + "-" + ProcessHandle.current().pid() + "/t";
        Path file = dir.resolve("payload" + n);
        Files.write(file, ALL_BYTES);
        List<String> args = new ArrayList<>();
        boolean hasUrl = List.of(flags).contains("-L");
        if (!hasUrl) {
            args.addAll(List.of("-h", BROKER.host(), "-p", Integer.toString(BROKER.port()), "-t", topic));
        }
        for (String flag : flags) {
            args.add(switch (flag) {
                case "FILE" -> file.toString();
                case "URL" -> "mqtt://" + BROKER.host() + ":" + BROKER.port() + "/" + topic;
                case "ID" -> "publisher-" + n;
                default -> flag;
            });
        }
        String receiverId = "receiver-" + n;
        List<String> subArgs = new ArrayList<>(List.of("-h", BROKER.host(), "-p", Integer.toString(BROKER.port()),
                "-t", topic, "-v", "-i", receiverId, "-W", "10"));
        boolean retainedRow = count < 0;
        subArgs.addAll(retainedRow ? List.of("--retained-only", "-C", "1") : List.of("-C", Integer.toString(count)));
        Proc receiver = null;
        if (!retainedRow) {
            receiver = Proc.start(Proc.MOSQUITTO_SUB, subArgs.toArray(String[]::new));
            BrokerLog.awaitSubscribed(BROKER, receiverId, topic);
        }
        try {
            if (wren) {
                List<String> wrenArgs = new ArrayList<>(List.of("pub"));
                wrenArgs.addAll(args);
                InProcessWren.Result result = InProcessWren.run(stdin, wrenArgs.toArray(String[]::new));
                assertEquals(0, result.exitCode(), result.toString());
            } else {
                Proc pub = Proc.start(stdin, Proc.MOSQUITTO_PUB, args.toArray(String[]::new)).await(10_000);
                assertEquals(0, pub.exitCode(), "mosquitto_pub " + args + ": " + pub.err());
            }
            if (retainedRow) {
                receiver = Proc.start(Proc.MOSQUITTO_SUB, subArgs.toArray(String[]::new));
            }
            receiver.await(15_000);
            assertEquals(0, receiver.exitCode(), "mosquitto_sub " + subArgs + ": " + receiver.err());
            // The topic differs per run (so retained messages never mix); -v prints it: mask it.
            String out = new String(receiver.out(), StandardCharsets.ISO_8859_1);
            return out.replace(topic, "TOPIC").getBytes(StandardCharsets.ISO_8859_1);
        } finally {
            if (receiver != null) {
                receiver.close();
            }
        }
    }
}
