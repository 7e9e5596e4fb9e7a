package dev.wren.tools.pub;

import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttConfig;
import dev.wren.mqtt.MqttException;
import dev.wren.mqtt.MqttListener;
import dev.wren.mqtt.PublishProperties;
import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.codec.v5.Property;
import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.Topics;
import dev.wren.tools.ExitCodes;
import dev.wren.tools.HelpOption;
import dev.wren.tools.cli.ConnectionOptions;
import dev.wren.tools.cli.Connections;
import dev.wren.tools.cli.MqttTool;
import dev.wren.tools.cli.QuickArgs;
import dev.wren.tools.cli.ToolFailure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code wren pub}: publishes one message, or one per line of standard input over one connection, with the
 * options of mosquitto_pub. QoS 1 and 2 messages are acknowledged before it disconnects.
 */
@Command(name = "pub", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Publishes a message to an MQTT broker (3.1.1; 5.0 or 3.1 with -V), like mosquitto_pub.",
                "Exactly one of -m, -f, -s, -l, -n gives the payload."},
        footer = {"", "Exit codes: 0 sent (QoS 1/2: acknowledged), 1 usage error or no connection,",
                "1..5 CONNACK refusal code (MQTT 3.1.1 §3.2.2.3), 128..162 CONNACK reason",
                "code at -V 5 (MQTT 5.0 §3.2.2.2), 7 connection lost."})
public final class PubCommand extends MqttTool implements QuickArgs.Options {

    /** Bytes of a PUBLISH beyond topic and payload: fixed header (≤ 5), topic length (2), packet id (2). */
    private static final int PUBLISH_OVERHEAD_BYTES = 9;
    /** Longest line {@code -l} accepts, in bytes; the transmit buffer is sized for it once. */
    static final int MAX_LINE_BYTES = 256 * 1024;
    private static final int MIN_TRANSMIT_BUFFER_BYTES = 16 * 1024;
    private static final int MAX_INFLIGHT = 8;
    /** How long QoS 1/2 acknowledgements are awaited before giving up at the end. */
    private static final long ACK_WAIT_MILLIS = 10_000;
    /** With {@code -l}, how long to wait for a line before the client is polled (acks, PINGREQ) again. */
    private static final long LINE_WAIT_MILLIS = 100;

    @Mixin
    HelpOption help;

    @Mixin
    ConnectionOptions connection;

    @Option(names = {"-t", "--topic"}, paramLabel = "TOPIC", description = "Topic to publish to (no wildcards).")
    String topic;

    @Option(names = {"-m", "--message"}, paramLabel = "MESSAGE", description = "The payload, as UTF-8.")
    String message;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Send the whole file as the payload.")
    Path file;

    @Option(names = {"-s", "--stdin-file"}, description = "Send all of standard input as one payload.")
    boolean stdinWhole;

    @Option(names = {"-l", "--stdin-line"},
            description = "Send each line of standard input as one message (newline removed), over one connection.")
    boolean stdinLines;

    @Option(names = {"-n", "--null-message"}, description = "Send an empty (zero length) payload.")
    boolean nullMessage;

    @Option(names = {"-q", "--qos"}, paramLabel = "QOS", description = "QoS 0, 1 or 2 (default 0).")
    int qos;

    @Option(names = {"-r", "--retain"}, description = "Set the retain flag (MQTT 3.1.1 §3.3.1.3).")
    boolean retain;

    @Option(names = {"-d", "--debug"}, description = "Print what is sent and received.")
    boolean debug;

    @Option(names = "--repeat", paramLabel = "COUNT",
            description = "Publish the message COUNT times over one connection, each once the last is acknowledged.")
    int repeat = 1;

    @Option(names = "--repeat-delay", paramLabel = "SECONDS",
            description = "Wait SECONDS (fractions allowed) between repeated messages.")
    double repeatDelaySeconds;

    @Option(names = {"-c", "--disable-clean-session"},
            description = "Keep the session (queued QoS 1/2 messages) across runs; needs -i.")
    boolean persistentSession;

    @Option(names = "--quiet", description = "Print no error messages (the exit code still tells).")
    boolean quiet;


    /**
     * {@code wren pub}'s command line read without picocli ({@link QuickArgs}), the defaults being the fields'
     * initial values as for picocli.
     *
     * @param args the command line, {@code args[from - 1]} being {@code pub}
     * @return the command ready to {@link #callWithoutPicocli} (declared as its superclass, so that the verifier of
     *         the caller need not load this class to check it), or null where picocli must parse the command line
     *         (help, a mistake, a form {@link QuickArgs} does not read)
     */
    public static MqttTool quick(String[] args, int from) {
        PubCommand pub = new PubCommand();
        pub.connection = new ConnectionOptions();
        return new QuickArgs(args, from).readAll(pub, pub.connection) ? pub : null;
    }

    /** {@inheritDoc} The defaults are the fields' initial values, which picocli uses too. */
    @Override
    public boolean quickOption(QuickArgs args) {
        switch (args.option()) {
            case "-t", "--topic" -> topic = args.text("-t");
            case "-m", "--message" -> message = args.text("-m");
            case "-f", "--file" -> file = args.path("-f");
            case "-s", "--stdin-file" -> stdinWhole = args.flag("-s");
            case "-l", "--stdin-line" -> stdinLines = args.flag("-l");
            case "-n", "--null-message" -> nullMessage = args.flag("-n");
            case "-q", "--qos" -> qos = args.integer("-q");
            case "-r", "--retain" -> retain = args.flag("-r");
            case "-d", "--debug" -> debug = args.flag("-d");
            case "--repeat" -> repeat = args.integer("--repeat");
            case "--repeat-delay" -> repeatDelaySeconds = args.decimal("--repeat-delay");
            case "-c", "--disable-clean-session" -> persistentSession = args.flag("-c");
            case "--quiet" -> quiet = args.flag("--quiet");
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Messages published so far; the {@code -d} message id of a QoS 0 message, as libmosquitto numbers them. */
    private int published;
    /** The properties of {@code -D publish} (MQTT 5.0 §3.3.2.3), sent with every message; null when none. */
    private PublishProperties properties;

    /** What {@code wren pub} sends, for {@code -D}: CONNECT, its will, PUBLISH, DISCONNECT. */
    private static final int SENDS = 1 << PacketType.CONNECT | 1 << Property.WILL | 1 << PacketType.PUBLISH
            | 1 << PacketType.DISCONNECT;
    /** The Property Length before a PUBLISH's properties: a variable byte integer, 1..3 bytes for up to 65,535. */
    private static final int PROPERTY_LENGTH_BYTES = 3;

    @Override
    protected boolean quiet() {
        return quiet;
    }

    @Override
    protected int run() {
        String command = commandName();
        ConnectionOptions.Endpoint endpoint = connection.resolve(command, "wren-pub-", SENDS);
        String topicName = topic(endpoint);
        checkQos("QoS", qos);
        checkRepeat();
        byte[] payload = stdinLines ? null : payload();
        properties = endpoint.publishProperties();
        int bufferBytes = Math.max(MIN_TRANSMIT_BUFFER_BYTES, PUBLISH_OVERHEAD_BYTES
                + topicName.length() * 3 + (payload == null ? MAX_LINE_BYTES : payload.length)
                + (properties == null ? 0 : PROPERTY_LENGTH_BYTES + properties.length()));
        String clientId = endpoint.clientId();
        PrintStream trace = debug ? streams().out() : null;
        MqttConfig.Builder config = connection.session(command, connection.configBuilder(command, endpoint,
                        streams().err()), endpoint, persistentSession, streams().err())
                .transmitBufferBytes(bufferBytes)
                .maxInflight(MAX_INFLIGHT)
                .listener(new Trace(trace, clientId, qos));
        connection.will(command, config, endpoint);
        MqttConfig built = build(config);
        trace(trace, "Client " + clientId + " sending CONNECT");
        MqttClient client = Connections.connect(built);
        try {
            trace(trace, "Client " + clientId + " received CONNACK (0)");
            if (payload != null) {
                publishRepeated(client, trace, topicName, payload);
            } else {
                publishLines(client, trace, topicName);
            }
            if (!client.awaitInflight(ACK_WAIT_MILLIS)) {
                throw notAcknowledged(client, built);
            }
            trace(trace, "Client " + clientId + " sending DISCONNECT");
            endpoint.disconnect(client);
            return ExitCodes.OK;
        } catch (IOException | MqttException e) {
            throw Connections.lost(built, e);
        } finally {
            client.close();
        }
    }

    private ToolFailure notAcknowledged(MqttClient client, MqttConfig built) {
        int pending = client.inflightCount();
        return new ToolFailure(ExitCodes.UNKNOWN, "Error: " + pending + " QoS " + qos + (pending == 1 ? " message" : " messages")
                + " not acknowledged by " + built.host() + ":" + built.port() + " within " + ACK_WAIT_MILLIS + " ms.");
    }

    private void checkRepeat() {
        if (repeat < 1) {
            throw usage("Invalid --repeat " + repeat + ": give 1 or more.");
        }
        if (!(repeatDelaySeconds >= 0) || repeatDelaySeconds > Integer.MAX_VALUE / 1000.0) {
            throw usage("Invalid --repeat-delay " + repeatDelaySeconds + ": give 0 or more seconds.");
        }
        if ((repeat > 1 || repeatDelaySeconds > 0) && stdinLines) {
            throw usage("--repeat and --repeat-delay cannot be used with -l.");
        }
        if (persistentSession && !connection.hasFixedClientId()) {
            throw usage("You must provide a client id if you are using the -c option (-i ID).");
        }
    }

    /**
     * The message {@code --repeat} times; as mosquitto_pub, each after the previous one is acknowledged (QoS 1/2)
     * and {@code --repeat-delay} has passed, the client polled meanwhile (acks, keep-alive).
     */
    private void publishRepeated(MqttClient client, PrintStream trace, String topicName, byte[] payload)
            throws IOException, MqttException {
        long delayNanos = (long) (repeatDelaySeconds * 1e9);
        for (int i = 0; i < repeat; i++) {
            if (i > 0) {
                if (!client.awaitInflight(ACK_WAIT_MILLIS)) {
                    throw notAcknowledged(client, client.config());
                }
                long until = System.nanoTime() + delayNanos;
                for (long left = delayNanos; left > 0; left = until - System.nanoTime()) {
                    client.poll(Math.max(1, Math.min(LINE_WAIT_MILLIS, left / 1_000_000L)));
                }
            }
            publish(client, trace, topicName, payload, payload.length);
        }
    }

    private String topic(ConnectionOptions.Endpoint endpoint) {
        if (topic != null && endpoint.urlTopic() != null) {
            throw usage("-t and -L both give a topic: use one.");
        }
        String name = topic != null ? topic : endpoint.urlTopic();
        if (name == null) {
            throw usage("no topic: give -t TOPIC (or -L mqtt://host/topic).");
        }
        int status = Topics.validateName(name);
        if (status != CodecStatus.OK) {
            throw usage("Invalid publish topic '" + name + "': " + CodecStatus.describe(status)
                    + (status == CodecStatus.WILDCARD_IN_TOPIC_NAME ? " ('+' and '#' are for subscribing)" : "") + ".");
        }
        return name;
    }

    private void checkQos(String what, int value) {
        if (value < 0 || value > 2) {
            throw usage("Invalid " + what + " given: " + value + " (use 0, 1 or 2).");
        }
    }

    /** The payload of -m, -f, -s or -n; checks that exactly one of -m, -f, -s, -l, -n is given. */
    private byte[] payload() {
        return payload(commandName(), "-m MESSAGE, -f FILE, -s, -l or -n", message, file, stdinWhole, stdinLines,
                nullMessage, streams().in());
    }

    /**
     * The payload a command line gives, as mosquitto_pub and mosquitto_rr read it: {@code -m}'s text as UTF-8,
     * {@code -f}'s file, all of {@code in} for {@code -s}, nothing for {@code -n}; null for {@code -l} (read line by
     * line later).
     *
     * @param command    the command's name for messages, e.g. {@code wren rr}
     * @param choices    the sources the command has, for the message when none is given
     * @throws ToolFailure none or more than one source given (usage, exit code 1), a file or standard input that
     *                     cannot be read
     */
    public static byte[] payload(String command, String choices, String message, Path file, boolean stdinWhole,
                                 boolean stdinLines, boolean nullMessage, java.io.InputStream in) {
        List<String> sources = new ArrayList<>();
        if (message != null) {
            sources.add("-m");
        }
        if (file != null) {
            sources.add("-f");
        }
        if (stdinWhole) {
            sources.add("-s");
        }
        if (stdinLines) {
            sources.add("-l");
        }
        if (nullMessage) {
            sources.add("-n");
        }
        if (sources.isEmpty()) {
            throw usage(command, "no message: give one of " + choices + ".");
        }
        if (sources.size() > 1) {
            throw usage(command, "Only one type of message can be sent at once; got " + String.join(" and ", sources)
                    + ".");
        }
        if (message != null) {
            return message.getBytes(StandardCharsets.UTF_8);
        }
        if (file != null) {
            return readFile(file);
        }
        if (stdinWhole) {
            try {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new ToolFailure(ExitCodes.IO, "Error: cannot read standard input: " + e.getMessage(), e);
            }
        }
        return stdinLines ? null : new byte[0];
    }

    private static byte[] readFile(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new ToolFailure(ExitCodes.USAGE, "Error: Unable to open file \"" + path + "\": no such file.", e);
        } catch (IOException e) {
            throw new ToolFailure(ExitCodes.USAGE, "Error: Unable to read file \"" + path + "\": " + e, e);
        }
    }

    private MqttConfig build(MqttConfig.Builder config) {
        try {
            return config.build();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage() + ".");
        }
    }

    private void publish(MqttClient client, PrintStream trace, String topicName, byte[] payload, int length)
            throws IOException, MqttException {
        int packetId = properties == null ? client.publish(topicName, payload, 0, length, qos, retain)
                : client.publish(topicName, payload, 0, length, qos, retain, properties);
        published++;
        // libmosquitto gives every message an id, QoS 0 included (never sent); at QoS 1/2 it is the packet id.
        int messageId = qos == 0 ? published : packetId;
        trace(trace, "Client " + client.config().clientId() + " sending PUBLISH (d0, q" + qos + ", r"
                + (retain ? 1 : 0) + ", m" + messageId + ", '" + topicName + "', ... (" + length + " bytes))");
    }

    /** {@code -l}: one message per line, read by a helper thread so keep-alive and acks go on between lines. */
    private void publishLines(MqttClient client, PrintStream trace, String topicName) throws IOException, MqttException {
        try (LineReader lines = LineReader.start(streams().in(), MAX_LINE_BYTES)) {
            while (true) {
                LineReader.Line line = lines.next(LINE_WAIT_MILLIS);
                if (line == LineReader.END) {
                    return;
                }
                if (line != null) {
                    publish(client, trace, topicName, line.bytes(), line.length());
                }
                client.poll(0);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void trace(PrintStream trace, String line) {
        if (trace != null) {
            trace.println(line);
            trace.flush();
        }
    }

    /**
     * The {@code -d} lines for acknowledgements, as mosquitto_pub prints them ({@code RC:0}: MQTT 3.1.1 acks carry
     * no reason code; mosquitto prints 0), and at QoS 2 the PUBREC received and the PUBREL the client sends for it.
     */
    private record Trace(PrintStream out, String clientId, int qos) implements MqttListener {
        @Override
        public void onPubrec(int packetId) {
            trace(out, "Client " + clientId + " received PUBREC (Mid: " + packetId + ")");
            trace(out, "Client " + clientId + " sending PUBREL (m" + packetId + ")");
        }

        @Override
        public void onPublishComplete(int packetId) {
            trace(out, "Client " + clientId + " received " + (qos == 2 ? "PUBCOMP" : "PUBACK") + " (Mid: " + packetId
                    + ", RC:0)");
        }
    }
}
