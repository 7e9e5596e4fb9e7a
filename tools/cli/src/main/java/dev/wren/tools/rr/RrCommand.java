package dev.wren.tools.rr;

import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttConfig;
import dev.wren.mqtt.MqttException;
import dev.wren.mqtt.MqttListener;
import dev.wren.mqtt.MqttMessage;
import dev.wren.mqtt.PublishProperties;
import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.codec.Topics;
import dev.wren.mqtt.codec.v5.Property;
import dev.wren.tools.ExitCodes;
import dev.wren.tools.HelpOption;
import dev.wren.tools.cli.ConnectionOptions;
import dev.wren.tools.cli.Connections;
import dev.wren.tools.cli.MqttProperties;
import dev.wren.tools.cli.MqttTool;
import dev.wren.tools.cli.QuickArgs;
import dev.wren.tools.cli.ToolFailure;
import dev.wren.tools.pub.PubCommand;
import dev.wren.tools.sub.MessagePrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code wren rr}: one request and its response (MQTT 5.0 §4.10), with the options and behaviour of mosquitto_rr
 * 2.0: subscribes to the response topic ({@code -e}), publishes the request to {@code -t} with {@code -e} as its
 * Response Topic (§3.3.2.3.5) and the {@code -D publish} properties (Correlation Data among them when given), prints
 * the first message that arrives on the response topic as mosquitto_sub prints ({@link MessagePrinter}) and exits
 * with 0; {@code -W} gives up with code 27. MQTT 5.0 by default; at {@code -V 311} or {@code 31} the request goes
 * without properties, as mosquitto_rr sends it, so only a responder that knows the response topic can answer.
 *
 * <p>As mosquitto_rr, any message on the response topic is the response: a responder need not copy the Correlation
 * Data. (That is why this is not {@link MqttClient#request}, which waits for matching Correlation Data and sends no
 * other property.)
 */
@Command(name = "rr", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Publishes a request and prints its response (MQTT 5.0 request/response), like mosquitto_rr.",
                "Needs -t, -e and exactly one of -m, -f, -s, -n."},
        footer = {"", "Exit codes: 0 response printed, 1 usage error or no connection, 128..162 CONNACK",
                "reason code (MQTT 5.0 §3.2.2.2), 1..5 CONNACK refusal code at -V 311 (MQTT 3.1.1",
                "§3.2.2.3), 7 connection lost, 27 -W timed out."})
public final class RrCommand extends MqttTool implements QuickArgs.Options {

    /** Largest response printed whole, as {@code wren sub}; a larger one is reported on standard error. */
    static final int RECEIVE_BUFFER_BYTES = 1024 * 1024;
    private static final int MIN_TRANSMIT_BUFFER_BYTES = 16 * 1024;
    /** Bytes of a PUBLISH beyond topic, payload and properties: fixed header (≤ 5), topic length, packet id, property length (≤ 3). */
    private static final int PUBLISH_OVERHEAD_BYTES = 12;
    /** Longest single wait for the response, so that {@code -W} is noticed promptly. */
    private static final long POLL_MILLIS = 100;

    @Mixin
    HelpOption help;

    @Mixin
    ConnectionOptions connection;

    @Option(names = {"-t", "--topic"}, paramLabel = "TOPIC", description = "Topic the request is published to.")
    String topic;

    @Option(names = {"-e", "--response-topic"}, paramLabel = "TOPIC",
            description = "Response topic: subscribed to, and sent as the request's Response Topic (no wildcards).")
    String responseTopic;

    @Option(names = {"-m", "--message"}, paramLabel = "MESSAGE", description = "The request payload, as UTF-8.")
    String message;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Send the whole file as the request.")
    Path file;

    @Option(names = {"-s", "--stdin-file"}, description = "Send all of standard input as the request.")
    boolean stdinWhole;

    @Option(names = {"-n", "--null-message"}, description = "Send an empty (zero length) request.")
    boolean nullMessage;

    @Option(names = {"-q", "--qos"}, paramLabel = "QOS",
            description = "QoS 0, 1 or 2 of the request and of the response subscription (default 0).")
    int qos;

    @Option(names = {"-W", "--timeout"}, paramLabel = "SECONDS",
            description = "Exit with code 27 if no response came SECONDS after connecting (default: wait).")
    Integer timeoutSeconds;

    @Option(names = {"-v", "--verbose"}, description = "Print the response topic, a space, then the payload.")
    boolean verbose;

    @Option(names = {"-N", "--no-newline"}, description = "Do not print a newline after the payload.")
    boolean noNewline;

    @Option(names = {"-F", "--format"}, paramLabel = "FORMAT",
            description = "Print the response as FORMAT, as wren sub -F does.")
    String format;

    @Option(names = "--pretty", description = "With -F %%j or %%J: JSON one member a line.")
    boolean pretty;

    @Option(names = {"-R", "--no-stale"}, description = "Ignore a retained (stale) message on the response topic.")
    boolean noStale;

    @Option(names = {"-c", "--disable-clean-session"},
            description = "Keep the session across runs (-x sets how long); needs -i.")
    boolean persistentSession;

    @Option(names = "--quiet", description = "Print no error messages (the exit code still tells).")
    boolean quiet;

    /**
     * {@code wren rr}'s command line read without picocli ({@link QuickArgs}), the defaults being the fields'
     * initial values as for picocli.
     *
     * @param args the command line, {@code args[from - 1]} being {@code rr}
     * @return the command ready to {@link #callWithoutPicocli}, or null where picocli must parse the command line
     */
    public static MqttTool quick(String[] args, int from) {
        RrCommand rr = new RrCommand();
        rr.connection = new ConnectionOptions();
        return new QuickArgs(args, from).readAll(rr, rr.connection) ? rr : null;
    }

    /** {@inheritDoc} The defaults are the fields' initial values, which picocli uses too. */
    @Override
    public boolean quickOption(QuickArgs args) {
        switch (args.option()) {
            case "-t", "--topic" -> topic = args.text("-t");
            case "-e", "--response-topic" -> responseTopic = args.text("-e");
            case "-m", "--message" -> message = args.text("-m");
            case "-f", "--file" -> file = args.path("-f");
            case "-s", "--stdin-file" -> stdinWhole = args.flag("-s");
            case "-n", "--null-message" -> nullMessage = args.flag("-n");
            case "-q", "--qos" -> qos = args.integer("-q");
            case "-W", "--timeout" -> timeoutSeconds = args.integer("-W");
            case "-v", "--verbose" -> verbose = args.flag("-v");
            case "-N", "--no-newline" -> noNewline = args.flag("-N");
            case "-F", "--format" -> format = args.text("-F");
            case "--pretty" -> pretty = args.flag("--pretty");
            case "-R", "--no-stale" -> noStale = args.flag("-R");
            case "-c", "--disable-clean-session" -> persistentSession = args.flag("-c");
            case "--quiet" -> quiet = args.flag("--quiet");
            default -> {
                return false;
            }
        }
        return true;
    }

    /** What {@code wren rr} sends, for {@code -D}: CONNECT, its will, SUBSCRIBE, PUBLISH, DISCONNECT. */
    private static final int SENDS = 1 << PacketType.CONNECT | 1 << Property.WILL | 1 << PacketType.SUBSCRIBE
            | 1 << PacketType.PUBLISH | 1 << PacketType.DISCONNECT;

    private MessagePrinter printer;
    private boolean answered;

    @Override
    protected boolean quiet() {
        return quiet;
    }

    @Override
    protected int run() {
        String command = commandName();
        ConnectionOptions.Endpoint endpoint = connection.defaultProtocolVersion(MqttConfig.MQTT_5)
                .resolve(command, "wren-rr-", SENDS);
        String requestTopic = requestTopic(endpoint);
        validate();
        byte[] payload = payload();
        PublishProperties properties = properties(endpoint);
        printer = new MessagePrinter(verbose, noNewline, format, pretty, streams().err());
        MqttConfig config = config(endpoint, requestTopic, payload, properties);
        MqttClient client = Connections.connect(config);
        try {
            // -W counts from the connection, as mosquitto_rr's alarm() does (set once connected)
            long deadline = timeoutSeconds == null ? 0 : System.nanoTime() + timeoutSeconds * 1_000_000_000L;
            client.subscribe(responseTopic, qos, this::onResponse);
            if (properties == null) {
                client.publish(requestTopic, payload, 0, payload.length, qos, false);
            } else {
                client.publish(requestTopic, payload, 0, payload.length, qos, false, properties);
            }
            while (!answered) {
                long wait = POLL_MILLIS;
                if (timeoutSeconds != null) {
                    long left = (deadline - System.nanoTime()) / 1_000_000L;
                    if (left <= 0) {
                        endpoint.disconnect(client);
                        throw new ToolFailure(ToolFailure.TIMED_OUT, "Timed out");
                    }
                    wait = Math.min(wait, left);
                }
                client.poll(wait);
            }
            endpoint.disconnect(client);
            return ExitCodes.OK;
        } catch (MqttException e) {
            if (e.reason() == MqttException.Reason.SUBSCRIBE_REFUSED) {
                throw new ToolFailure(ExitCodes.USAGE, "Error: the broker refused the subscription to the response"
                        + " topic '" + responseTopic + "' (" + e.getMessage() + ").", e);
            }
            throw Connections.lost(config, e);
        } catch (IOException e) {
            throw Connections.lost(config, e);
        } finally {
            client.close();
            streams().out().flush();
        }
    }

    /** The first message on the response topic is the response (mosquitto_rr's rule); {@code -R} skips a retained one. */
    private void onResponse(MqttMessage response) {
        if (answered || noStale && response.retain()) {
            return;
        }
        answered = true;
        printer.print(streams().out(), response);
    }

    private String requestTopic(ConnectionOptions.Endpoint endpoint) {
        if (topic != null && endpoint.urlTopic() != null) {
            throw usage("-t and -L both give a topic: use one.");
        }
        String name = topic != null ? topic : endpoint.urlTopic();
        if (name == null || responseTopic == null) {
            throw usage("All of topic, message, and response topic must be supplied: "
                    + (name == null ? "no request topic (give -t TOPIC or -L mqtt://host/topic)"
                    : "no response topic (give -e TOPIC)") + ".");
        }
        checkName("publish topic '" + name + "'", name);
        checkName("response topic '" + responseTopic + "'", responseTopic);
        return name;
    }

    private void checkName(String what, String name) {
        int status = Topics.validateName(name);
        if (status != CodecStatus.OK) {
            throw usage("Invalid " + what + ": " + CodecStatus.describe(status)
                    + (status == CodecStatus.WILDCARD_IN_TOPIC_NAME ? " ('+' and '#' are for subscribing)" : "")
                    + ".");
        }
    }

    private void validate() {
        if (qos < 0 || qos > 2) {
            throw usage("Invalid QoS given: " + qos + " (use 0, 1 or 2).");
        }
        if (timeoutSeconds != null && timeoutSeconds < 1) {
            throw usage("Invalid timeout \"" + timeoutSeconds + "\" (-W needs 1 or more seconds).");
        }
        if (persistentSession && !connection.hasFixedClientId()) {
            throw usage("You must provide a client id if you are using the -c option (-i ID).");
        }
    }

    /** The request payload of -m, -f, -s or -n; exactly one of them. */
    private byte[] payload() {
        return PubCommand.payload(commandName(), "-m MESSAGE, -f FILE, -s or -n", message, file, stdinWhole, false,
                nullMessage, streams().in());
    }

    /**
     * The request's properties at 5.0: those of {@code -D publish}, then the Response Topic, in mosquitto_rr's
     * order; null below 5.0, where a PUBLISH has none (mosquitto_rr then sends the request bare).
     */
    private PublishProperties properties(ConnectionOptions.Endpoint endpoint) {
        if (endpoint.protocolVersion() != MqttConfig.MQTT_5) {
            return null;
        }
        MqttProperties given = endpoint.properties();
        if (given != null && given.hasPublishResponseTopic()) {
            throw usage("-D publish response-topic and -e both give the response topic (Duplicate response topic):"
                    + " give -e only.");
        }
        PublishProperties properties = endpoint.publishProperties();
        if (properties == null) {
            // UTF-8 takes at most 3 bytes per UTF-16 unit; 3 more for the identifier and the length (§1.5.4)
            properties = new PublishProperties(3 + 3 * responseTopic.length());
        }
        try {
            return properties.responseTopic(responseTopic);
        } catch (IllegalArgumentException e) {
            throw usage("-e " + responseTopic + ": " + e.getMessage() + ".");
        }
    }

    private MqttConfig config(ConnectionOptions.Endpoint endpoint, String requestTopic, byte[] payload,
                              PublishProperties properties) {
        PrintStream err = streams().err();
        String command = commandName();
        try {
            MqttConfig.Builder b = connection.session(command, connection.configBuilder(command, endpoint, err),
                    endpoint, persistentSession, err);
            return connection.will(command, b, endpoint)
                    .transmitBufferBytes(Math.max(MIN_TRANSMIT_BUFFER_BYTES, PUBLISH_OVERHEAD_BYTES
                            + 3 * requestTopic.length() + payload.length
                            + (properties == null ? 0 : properties.length())))
                    .receiveBufferBytes(RECEIVE_BUFFER_BYTES)
                    .maxSubscriptions(1)
                    .listener(new MqttListener() {
                        @Override
                        public void onOversizeMessage(CharSequence topic, int byteCount, int messageQos) {
                            err.println("Warning: skipped a message of " + byteCount + " bytes on '" + topic
                                    + "': larger than " + RECEIVE_BUFFER_BYTES + " bytes.");
                        }
                    })
                    .build();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage() + ".");
        }
    }
}
