package dev.wren.tools;

import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.codec.v5.PropertiesView;
import dev.wren.mqtt.codec.v5.Property;
import dev.wren.mqtt.testing.MosquittoExtension;
import dev.wren.tools.testing.BrokerLog;
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

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code -D command identifier value} side by side with mosquitto_pub/mosquitto_sub 2.0.11: each tool runs the same
 * command line through a {@link WireRecorder} in front of a real mosquitto, and the MQTT 5.0 properties of what
 * each sent (CONNECT, its will, PUBLISH, DISCONNECT) must be the same; what a {@code mosquitto_sub -V 5 -F}
 * subscriber prints of each publisher's messages must be the same; and the same mistakes end both with exit code 1
 * and mosquitto's words.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PropertyInteropTest {

    @RegisterExtension
    static final MosquittoExtension BROKER = MosquittoExtension.builder().configLine(BrokerLog.LOG_SUBSCRIBE).build();

    private static final AtomicInteger ROW = new AtomicInteger();
    private static WireRecorder recorder;

    @BeforeAll
    static void startRecorder() throws Exception {
        recorder = new WireRecorder(BROKER.port());
    }

    @AfterAll
    static void stopRecorder() throws Exception {
        recorder.close();
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                row("pub: every PUBLISH property, in the order given, user properties repeated, at QoS 1",
                        "pub", "-t", "T", "-m", "x", "-q", "1", "-D", "publish", "content-type", "text/plain",
                        "-D", "publish", "user-property", "k", "v1", "-D", "publish", "message-expiry-interval", "3600",
                        "-D", "publish", "user-property", "k", "v2", "-D", "publish", "response-topic", "r/t",
                        "-D", "publish", "correlation-data", "id-7", "-D", "publish", "payload-format-indicator", "1"),
                row("pub: -D without -V is MQTT 5.0; commands and names in any case", "pub", "-t", "T", "-m", "x",
                        "-D", "PUBLISH", "Content-Type", "a/b"),
                row("pub: --property and -V mqttv5, QoS 2, two messages with --repeat", "pub", "-t", "T", "-m", "x",
                        "-q", "2", "-V", "mqttv5", "--repeat", "2", "--property", "publish", "message-expiry-interval",
                        "60"),
                row("pub: -l, the properties on every line", "pub", "-t", "T", "-l", "-V", "5",
                        "-D", "publish", "user-property", "line", "yes"),
                row("pub: CONNECT properties", "pub", "-t", "T", "-m", "x", "-D", "connect", "user-property", "a", "b",
                        "-D", "connect", "user-property", "a", "c", "-D", "connect", "receive-maximum", "20",
                        "-D", "connect", "maximum-packet-size", "100000", "-D", "connect", "topic-alias-maximum", "10",
                        "-D", "connect", "request-problem-information", "0",
                        "-D", "connect", "request-response-information", "1",
                        "-D", "connect", "session-expiry-interval", "30", "-i", "ID"),
                row("pub: will properties", "pub", "-t", "T", "-m", "x", "--will-topic", "W", "--will-payload", "gone",
                        "--will-qos", "1", "-D", "will", "will-delay-interval", "5", "-D", "will", "content-type", "c",
                        "-D", "will", "message-expiry-interval", "99", "-D", "will", "payload-format-indicator", "1",
                        "-D", "will", "response-topic", "w/r", "-D", "will", "correlation-data", "cd",
                        "-D", "will", "user-property", "wk", "wv"),
                row("pub: DISCONNECT with a session expiry interval", "pub", "-t", "T", "-m", "x", "-i", "ID",
                        "-x", "60", "-D", "disconnect", "session-expiry-interval", "0"),
                row("sub: --will-* and will properties, as mosquitto_sub's", "sub", "-t", "T", "-E",
                        "--will-topic", "W", "--will-payload", "sub gone", "--will-qos", "2", "--will-retain",
                        "-D", "will", "content-type", "text/plain", "-D", "will", "will-delay-interval", "1",
                        "-D", "will", "user-property", "by", "sub"),
                row("sub: --will-topic alone at 3.1.1: an empty will at QoS 0", "sub", "-t", "T", "-E",
                        "--will-topic", "W"),
                row("sub: CONNECT and DISCONNECT properties", "sub", "-t", "T", "-E", "-i", "ID", "-c",
                        "-D", "connect", "user-property", "who", "sub", "-D", "connect", "receive-maximum", "5",
                        "-D", "disconnect", "session-expiry-interval", "10"));
    }

    private static Arguments row(String name, String... args) {
        return Arguments.of(name, args);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void bothToolsSendTheSameProperties(String name, String[] args) throws Exception {
        String topic = "prop" + ROW.incrementAndGet() + "-" + ProcessHandle.current().pid();
        // only -l reads standard input: a tool that exits without reading it would break the pipe
        byte[] stdin = List.of(args).contains("-l") ? "one\ntwo\n".getBytes(StandardCharsets.UTF_8) : new byte[0];
        // libmosquitto announces its own Receive Maximum (20, its max_inflight) in every 5.0 CONNECT, Wren none
        // unless asked: compared only where the row sets it
        boolean compareReceiveMaximum = List.of(args).contains("receive-maximum");
        List<String> mosquitto = null;
        for (boolean wren : new boolean[] {false, true}) {
            List<String> command = new ArrayList<>(List.of("-h", "127.0.0.1", "-p", Integer.toString(recorder.port())));
            for (int i = 1; i < args.length; i++) {
                command.add(args[i].equals("T") || args[i].equals("W") ? topic + "/" + args[i]
                        : args[i].equals("ID") ? topic + "-id" : args[i]);
            }
            int exit;
            String err;
            if (wren) {
                List<String> wrenArgs = new ArrayList<>(List.of(args[0]));
                wrenArgs.addAll(command);
                InProcessWren.Result result = InProcessWren.run(stdin, wrenArgs.toArray(String[]::new));
                exit = result.exitCode();
                err = result.err();
            } else {
                Proc p = Proc.start(stdin, args[0].equals("pub") ? Proc.MOSQUITTO_PUB : Proc.MOSQUITTO_SUB,
                        command.toArray(String[]::new)).await(10_000);
                exit = p.exitCode();
                err = p.err();
            }
            assertEquals(0, exit, name + (wren ? ": wren " : ": mosquitto ") + command + ": " + err);
            List<String> sent = new ArrayList<>();
            for (byte[] packet : recorder.take(10_000)) {
                String described = describe(packet);
                if (described != null && !compareReceiveMaximum) {
                    described = described.replaceAll("Receive Maximum=\\d+(, )?", "").replace(", ]", "]");
                }
                if (described != null) {
                    sent.add(described);
                }
            }
            if (!wren) {
                mosquitto = sent;
            } else {
                assertEquals(String.join("\n", mosquitto), String.join("\n", sent),
                        name + ": the properties wren sent differ from mosquitto's");
            }
        }
        assertTrue(String.join("", mosquitto).contains("="), name + ": nothing at all was compared: " + mosquitto);
    }

    /**
     * Properties reach a subscriber through the broker as they left each publisher: {@code mosquitto_sub -V 5 -F}
     * prints the same for both (the broker counts the expiry down, so a long one is compared).
     */
    @Test
    void aSubscriberPrintsTheSamePropertiesForBothPublishers() throws Exception {
        String topic = "propsub-" + ProcessHandle.current().pid();
        String[] flags = {"-t", topic, "-m", "hello", "-q", "1", "-D", "publish", "content-type", "text/plain",
                "-D", "publish", "message-expiry-interval", "86400", "-D", "publish", "user-property", "a", "1",
                "-D", "publish", "user-property", "b", "2", "-D", "publish", "correlation-data", "c-9",
                "-D", "publish", "response-topic", "re/ply", "-D", "publish", "payload-format-indicator", "1"};
        try (Proc sub = Proc.start(Proc.MOSQUITTO_SUB, "-h", BROKER.host(), "-p", Integer.toString(BROKER.port()),
                "-V", "5", "-q", "1", "-t", topic, "-C", "2", "-F", "%t|%C|%E|%F|%R|%D|%P|%p", "-i", topic)) {
            BrokerLog.awaitSubscribed(BROKER, topic, topic);
            List<String> common = new ArrayList<>(List.of("-h", BROKER.host(), "-p", Integer.toString(BROKER.port())));
            common.addAll(List.of(flags));
            Proc pub = Proc.start(Proc.MOSQUITTO_PUB, common.toArray(String[]::new)).await(10_000);
            assertEquals(0, pub.exitCode(), pub.err());
            List<String> wrenArgs = new ArrayList<>(List.of("pub"));
            wrenArgs.addAll(common);
            InProcessWren.Result wren = InProcessWren.run(wrenArgs.toArray(String[]::new));
            assertEquals(0, wren.exitCode(), wren.toString());
            sub.await(10_000);
            String[] lines = new String(sub.out(), StandardCharsets.UTF_8).split("\n");
            assertEquals(2, lines.length, "two messages: " + String.join("\n", lines));
            assertEquals(topic + "|text/plain|86400|1|re/ply|c-9|a:1 b:2|hello", lines[0], "mosquitto_pub's");
            assertEquals(lines[0], lines[1], "wren pub's message as mosquitto_pub's");
        }
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                mistake("too few words", "pub", "-D", "publish", "user-property", "k"),
                mistake("too few words at the end", "pub", "-D", "publish"),
                mistake("an unknown command", "pub", "-D", "publush", "content-type", "x"),
                mistake("an unknown property", "pub", "-D", "publish", "content-typo", "x"),
                mistake("a property of another packet", "pub", "-D", "connect", "content-type", "x"),
                mistake("a property of another packet, sub", "sub", "-D", "subscribe", "content-type", "x"),
                mistake("a server's property", "pub", "-D", "publish", "maximum-qos", "1"),
                mistake("an acknowledgement's property", "pub", "-D", "pubrel", "user-property", "a", "b"),
                mistake("AUTH", "pub", "-D", "auth", "user-property", "a", "b"),
                mistake("a subscription identifier on PUBLISH", "pub", "-D", "publish", "subscription-identifier", "3"),
                mistake("out of range", "pub", "-D", "publish", "message-expiry-interval", "4294967296"),
                mistake("negative", "pub", "-D", "publish", "message-expiry-interval", "-1"),
                mistake("a 2-byte integer out of range", "sub", "-D", "connect", "receive-maximum", "65536"));
    }

    private static Arguments mistake(String name, String... args) {
        return Arguments.of(name, args);
    }

    /**
     * The same mistake ends both tools with exit code 1 before connecting, and Wren's message starts with
     * mosquitto's sentence (Wren adds the value and why in parentheses or after a colon).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void aMistakeIsRefusedAsMosquittoRefusesIt(String name, String[] args) {
        List<String> command = new ArrayList<>(List.of("-h", BROKER.host(), "-p", Integer.toString(BROKER.port()),
                "-t", "never"));
        command.addAll(args[0].equals("pub") ? List.of("-m", "x") : List.of("-E"));
        command.addAll(List.of(args).subList(1, args.length));
        Proc mosquitto = Proc.start(args[0].equals("pub") ? Proc.MOSQUITTO_PUB : Proc.MOSQUITTO_SUB,
                command.toArray(String[]::new)).await(10_000);
        List<String> wrenArgs = new ArrayList<>(List.of(args[0]));
        wrenArgs.addAll(command);
        InProcessWren.Result wren = InProcessWren.run(wrenArgs.toArray(String[]::new));
        assertEquals(1, mosquitto.exitCode(), name + ": mosquitto " + mosquitto.err());
        assertEquals(1, wren.exitCode(), name + ": " + wren);
        String sentence = mosquitto.err().lines().findFirst().orElseThrow();
        assertTrue(sentence.startsWith("Error: ") && sentence.endsWith("."), name + ": mosquitto said " + sentence);
        String wrenFirst = wren.err().lines().findFirst().orElse("");
        assertTrue(wrenFirst.startsWith(sentence.substring(0, sentence.length() - 1)),
                name + ": wren said\n" + wrenFirst + "\nmosquitto said\n" + sentence);
    }

    /**
     * What differs on purpose: where mosquitto 2.0.11 goes on silently, Wren refuses with exit code 1 and says
     * why: {@code -V 311} with {@code -D} (mosquitto switches to 5.0, or with {@code -V} last publishes nothing and
     * exits 0), a property client-core cannot send (a topic alias), a property for a packet the tool does not send,
     * a value the spec forbids ({@code payload-format-indicator 7}), a DISCONNECT session expiry after a CONNECT
     * with 0 (a protocol error, MQTT 5.0 §3.14.2.2.2), will properties without a will.
     */
    @Test
    void whereMosquittoGoesOnSilentlyWrenRefusesAndSaysWhy() {
        String[][] cases = {
                {"pub", "-V", "311", "-D", "publish", "content-type", "x", "-V 311 has not"},
                {"pub", "-D", "publish", "topic-alias", "1", "client-core picks topic aliases itself"},
                {"pub", "-D", "subscribe", "user-property", "a", "b", "wren pub sends no SUBSCRIBE"},
                {"sub", "-D", "publish", "user-property", "a", "b", "wren sub sends no PUBLISH"},
                {"sub", "-D", "subscribe", "subscription-identifier", "3", "wren sends no SUBSCRIBE properties yet"},
                {"sub", "-D", "will", "content-type", "x", "need a will (--will-topic)"},
                {"pub", "-D", "publish", "payload-format-indicator", "7", "0 or 1, MQTT 5.0 §3.3.2.3.2"},
                {"pub", "-D", "disconnect", "session-expiry-interval", "5", "§3.14.2.2.2"},
                {"pub", "-D", "will", "content-type", "x", "need a will (--will-topic)"},
                {"pub", "-D", "publish", "message-expiry-interval", "abc", "(abc) not a number"},
                {"pub", "-x", "5", "-D", "connect", "session-expiry-interval", "6", "both give the session expiry"}};
        for (String[] c : cases) {
            List<String> command = new ArrayList<>(List.of("-h", BROKER.host(), "-p", Integer.toString(BROKER.port()),
                    "-t", "never"));
            command.addAll(c[0].equals("pub") ? List.of("-m", "x") : List.of("-E"));
            command.addAll(List.of(c).subList(1, c.length - 1));
            Proc mosquitto = Proc.start(c[0].equals("pub") ? Proc.MOSQUITTO_PUB : Proc.MOSQUITTO_SUB,
                    command.toArray(String[]::new)).await(10_000);
            List<String> wrenArgs = new ArrayList<>(List.of(c[0]));
            wrenArgs.addAll(command);
            InProcessWren.Result wren = InProcessWren.run(wrenArgs.toArray(String[]::new));
            assertEquals(1, wren.exitCode(), command + ": " + wren);
            assertTrue(wren.err().contains(c[c.length - 1]), command + ": " + wren.err());
            assertTrue(mosquitto.exitCode() == 0 || mosquitto.err().isEmpty() || mosquitto.err().contains("Error"),
                    command + ": mosquitto " + mosquitto.exitCode() + " " + mosquitto.err());
        }
    }

    /**
     * One line per packet a client sent that can carry properties, without what differs between the tools by
     * design (client id, packet ids, keep-alive): {@code CONNECT v5 flags=.. [props] will=[props]},
     * {@code PUBLISH q1 [props] payload}, {@code DISCONNECT rc=.. [props]}; null for other packets. CONNECT and
     * will properties are sorted (client-core writes them in a fixed order, mosquitto in the order given); PUBLISH
     * properties are kept in wire order, which both take from the command line.
     */
    private static String describe(byte[] p) {
        int type = (p[0] & 0xFF) >>> 4;
        int at = 1;
        while ((p[at++] & 0x80) != 0) {
            // remaining length
        }
        PropertiesView view = new PropertiesView();
        switch (type) {
            case PacketType.CONNECT -> {
                int level = p[at + 6] & 0xFF;
                int flags = p[at + 7] & 0xFF;
                at += 10;
                StringBuilder s = new StringBuilder("CONNECT v" + level + " flags=" + Integer.toHexString(flags));
                if (level != 5) {
                    at += 2 + u16(p, at); // client id
                    if ((flags & 0x04) != 0) {
                        s.append(" topic=").append(new String(p, at + 2, u16(p, at), StandardCharsets.UTF_8));
                        at += 2 + u16(p, at);
                        s.append(" payload=").append(new String(p, at + 2, u16(p, at), StandardCharsets.UTF_8));
                    }
                    return s.toString();
                }
                at = properties(view, p, at, PacketType.CONNECT, true, s);
                at += 2 + u16(p, at); // client id
                if ((flags & 0x04) != 0) {
                    s.append(" will=");
                    at = properties(view, p, at, Property.WILL, true, s);
                    s.append(" topic=").append(new String(p, at + 2, u16(p, at), StandardCharsets.UTF_8));
                    at += 2 + u16(p, at);
                    s.append(" payload=").append(new String(p, at + 2, u16(p, at), StandardCharsets.UTF_8));
                }
                return s.toString();
            }
            case PacketType.PUBLISH -> {
                int qos = (p[0] >> 1) & 3;
                at += 2 + u16(p, at) + (qos > 0 ? 2 : 0);
                StringBuilder s = new StringBuilder("PUBLISH q" + qos + " ");
                at = properties(view, p, at, PacketType.PUBLISH, false, s);
                return s.append(' ').append(new String(p, at, p.length - at, StandardCharsets.UTF_8)).toString();
            }
            case PacketType.DISCONNECT -> {
                StringBuilder s = new StringBuilder("DISCONNECT");
                if (at < p.length) {
                    s.append(" rc=").append(p[at++] & 0xFF).append(' ');
                }
                if (at < p.length) {
                    properties(view, p, at, PacketType.DISCONNECT, false, s);
                }
                return s.toString();
            }
            default -> {
                return null;
            }
        }
    }

    private static int properties(PropertiesView view, byte[] p, int at, int packetType, boolean sorted,
                                  StringBuilder out) {
        int status = view.decode(p, at, p.length, packetType);
        assertEquals(CodecStatus.OK, status, "properties of packet type " + packetType + ": "
                + CodecStatus.describe(status));
        List<String> list = new ArrayList<>();
        view.reset();
        while (view.next()) {
            String name = Property.name(view.id());
            String value = switch (view.type()) {
                case Property.UTF8_STRING -> new String(p, view.valueOffset(), view.valueLength(), StandardCharsets.UTF_8);
                case Property.BINARY_DATA -> "0x" + HexFormat.of().formatHex(p, view.valueOffset(),
                        view.valueOffset() + view.valueLength());
                case Property.UTF8_STRING_PAIR -> new String(p, view.keyOffset(), view.keyLength(),
                        StandardCharsets.UTF_8) + ":" + new String(p, view.valueOffset(), view.valueLength(),
                        StandardCharsets.UTF_8);
                default -> Integer.toUnsignedString(view.intValue());
            };
            list.add(name + "=" + value);
        }
        if (sorted) {
            list.sort(null);
        }
        out.append(list);
        return at + view.encodedLength();
    }

    private static int u16(byte[] p, int at) {
        return (p[at] & 0xFF) << 8 | p[at + 1] & 0xFF;
    }
}
