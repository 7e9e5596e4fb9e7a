package dev.wren.tools.sub;

import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttConfig;
import dev.wren.mqtt.MqttException;
import dev.wren.mqtt.MqttListener;
import dev.wren.mqtt.MqttMessage;
import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.codec.v5.Property;
import dev.wren.mqtt.codec.Topics;
import dev.wren.tools.ExitCodes;
import dev.wren.tools.HelpOption;
import dev.wren.tools.cli.ConnectionOptions;
import dev.wren.tools.cli.Connections;
import dev.wren.tools.cli.MqttTool;
import dev.wren.tools.cli.QuickArgs;
import dev.wren.tools.cli.StopSignal;
import dev.wren.tools.cli.ToolFailure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code wren sub}: subscribes to one or more topic filters and prints each message as it arrives, with the
 * options and the output format of mosquitto_sub: the payload bytes as they are, then a newline ({@code -N}
 * leaves it out); with {@code -v} the topic, a space and the payload ({@code (null)} for an empty one).
 * An empty payload without {@code -v} prints nothing but counts for {@code -C}, as in mosquitto_sub.
 */
@Command(name = "sub", sortOptions = false, usageHelpAutoWidth = true,
        description = "Subscribes to topic filters on an MQTT broker (3.1.1; 5.0 or 3.1 with -V) and prints the messages, like mosquitto_sub.",
        footer = {"", "Exit codes: 0 done (count reached, Ctrl-C, --retained-only end, -E),",
                "1 usage error or no connection, 1..5 CONNACK refusal code (MQTT 3.1.1 §3.2.2.3),",
                "128..162 CONNACK reason code at -V 5 (MQTT 5.0 §3.2.2.2), 7 connection lost,",
                "27 -W timed out."})
public final class SubCommand extends MqttTool implements QuickArgs.Options {

    /** Largest message printed whole; larger ones are drained and reported on standard error. */
    static final int RECEIVE_BUFFER_BYTES = 1024 * 1024;
    private static final int RECONNECT_MIN_MILLIS = 1_000;
    private static final int RECONNECT_MAX_MILLIS = 10_000;
    /** Longest single wait in the receive loop, so Ctrl-C and -W are noticed promptly. */
    private static final long POLL_MILLIS = 100;
    /** How long Ctrl-C waits for the clean DISCONNECT. */
    private static final long STOP_GRACE_MILLIS = 3_000;

    @Mixin
    HelpOption help;

    @Mixin
    ConnectionOptions connection;

    @Option(names = {"-t", "--topic"}, paramLabel = "FILTER", description = "Topic filter to subscribe to; repeatable.")
    List<String> filters = new ArrayList<>();

    @Option(names = {"-T", "--filter-out"}, paramLabel = "FILTER",
            description = "Do not print messages whose topic matches this filter; repeatable.")
    List<String> filterOut = new ArrayList<>();

    @Option(names = {"-q", "--qos"}, paramLabel = "QOS", description = "QoS to subscribe with: 0, 1 or 2.")
    int qos;

    @Option(names = {"-v", "--verbose"}, description = "Print the topic, a space, then the payload.")
    boolean verbose;

    @Option(names = {"-C", "--count"}, paramLabel = "N", description = "Exit after N messages printed.")
    Integer count;

    @Option(names = {"-W", "--timeout"}, paramLabel = "SECONDS",
            description = "Exit with code 27 if the count is not reached SECONDS after connecting.")
    Integer timeoutSeconds;

    @Option(names = {"-R", "--no-stale"}, description = "Do not print retained (stale) messages.")
    boolean noStale;

    @Option(names = "--retained-only", description = "Print only retained messages; exit at the first one that is not.")
    boolean retainedOnly;

    @Option(names = {"-N", "--no-newline"}, description = "Do not print a newline after each payload.")
    boolean noNewline;

    @Option(names = {"-c", "--disable-clean-session"},
            description = "Keep the session (subscriptions, queued QoS 1/2 messages) across runs; needs -i.")
    boolean persistentSession;

    @Option(names = {"-F", "--format"}, paramLabel = "FORMAT",
            // one string a line, each short enough not to wrap: picocli measures %% as two characters
            description = {"Print each message as FORMAT, as mosquitto_sub:",
                    "%%t topic, %%p payload, %%q, %%r, %%l, %%x,",
                    "%%I, %%U, %%j, %%J, @X strftime, \\n; at -V 5 also",
                    "the properties %%C %%D %%E %%F %%P %%R."})
    String format;

    @Option(names = "--pretty", description = "With -F %%j or %%J: JSON one member a line.")
    boolean pretty;

    @Option(names = {"-E", "--exit-after-subscribe"}, description = "Exit once the subscriptions are acknowledged.")
    boolean exitAfterSubscribe;

    @Option(names = {"-U", "--unsubscribe"}, paramLabel = "FILTER",
            description = "Unsubscribe from FILTER after subscribing (e.g. to clean a kept session); repeatable.")
    List<String> unsubscribe = new ArrayList<>();

    @Option(names = "--remove-retained", description = "Clear each retained message received (an empty retained"
            + " message to its topic); -T keeps some.")
    boolean removeRetained;

    @Option(names = {"-d", "--debug"}, description = "Print what is sent and received.")
    boolean debug;

    @Option(names = "--quiet", description = "Print no error messages (the exit code still tells).")
    boolean quiet;

    /**
     * {@code wren sub}'s command line read without picocli ({@link QuickArgs}), the defaults being the fields'
     * initial values as for picocli.
     *
     * @param args the command line, {@code args[from - 1]} being {@code sub}
     * @return the command ready to {@link #callWithoutPicocli} (declared as its superclass, so that the verifier of
     *         the caller need not load this class to check it), or null where picocli must parse the command line
     */
    public static MqttTool quick(String[] args, int from) {
        SubCommand sub = new SubCommand();
        sub.connection = new ConnectionOptions();
        return new QuickArgs(args, from).readAll(sub, sub.connection) ? sub : null;
    }

    /** {@inheritDoc} The defaults are the fields' initial values, which picocli uses too. */
    @Override
    public boolean quickOption(QuickArgs args) {
        switch (args.option()) {
            case "-t", "--topic" -> args.addText(filters);
            case "-T", "--filter-out" -> args.addText(filterOut);
            case "-q", "--qos" -> qos = args.integer("-q");
            case "-v", "--verbose" -> verbose = args.flag("-v");
            case "-C", "--count" -> count = args.integer("-C");
            case "-W", "--timeout" -> timeoutSeconds = args.integer("-W");
            case "-R", "--no-stale" -> noStale = args.flag("-R");
            case "--retained-only" -> retainedOnly = args.flag("--retained-only");
            case "-N", "--no-newline" -> noNewline = args.flag("-N");
            case "-c", "--disable-clean-session" -> persistentSession = args.flag("-c");
            case "-F", "--format" -> format = args.text("-F");
            case "--pretty" -> pretty = args.flag("--pretty");
            case "-E", "--exit-after-subscribe" -> exitAfterSubscribe = args.flag("-E");
            case "-U", "--unsubscribe" -> args.addText(unsubscribe);
            case "--remove-retained" -> removeRetained = args.flag("--remove-retained");
            case "-d", "--debug" -> debug = args.flag("-d");
            case "--quiet" -> quiet = args.flag("--quiet");
            default -> {
                return false;
            }
        }
        return true;
    }

    /** What {@code wren sub} sends, for {@code -D}: CONNECT, its will, SUBSCRIBE, UNSUBSCRIBE, DISCONNECT. */
    private static final int SENDS = 1 << PacketType.CONNECT | 1 << Property.WILL | 1 << PacketType.SUBSCRIBE
            | 1 << PacketType.UNSUBSCRIBE | 1 << PacketType.DISCONNECT;

    private MessagePrinter printer;
    private MqttClient client;
    /** The client id {@code -d} prints; set before connecting, since a resumed session's PUBREL may come in CONNECT. */
    private String clientId;
    private int printed;
    private boolean done;

    @Override
    protected boolean quiet() {
        return quiet;
    }

    @Override
    protected int run() {
        ConnectionOptions.Endpoint endpoint = connection.resolve(commandName(), "wren-sub-", SENDS);
        List<String> subscriptions = new ArrayList<>(filters);
        if (endpoint.urlTopic() != null) {
            subscriptions.add(endpoint.urlTopic());
        }
        validate(subscriptions);
        printer = new MessagePrinter(verbose, noNewline, format, pretty, streams().err());
        MqttConfig config = config(endpoint, subscriptions.size());
        clientId = config.clientId();
        trace("Client " + config.clientId() + " sending CONNECT");
        MqttClient client = Connections.connect(config);
        this.client = client;
        trace("Client " + config.clientId() + " received CONNACK (0)");
        // trap: Ctrl-C and SIGTERM end the loop below and the command exits with 0, as mosquitto_sub does
        try (StopSignal stop = StopSignal.trap(STOP_GRACE_MILLIS)) {
            long deadline = timeoutSeconds == null ? 0 : System.nanoTime() + timeoutSeconds * 1_000_000_000L;
            subscribe(client, subscriptions);
            for (String filter : unsubscribe) {
                trace("Client " + config.clientId() + " sending UNSUBSCRIBE (Topic: " + filter + ")");
                client.unsubscribe(filter);
            }
            done |= exitAfterSubscribe;
            while (!done && !stop.requested()) {
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
            trace("Client " + config.clientId() + " sending DISCONNECT");
            endpoint.disconnect(client);
            return ExitCodes.OK;
        } catch (IOException | MqttException e) {
            throw Connections.lost(config, e);
        } finally {
            client.close();
            streams().out().flush();
        }
    }

    private void validate(List<String> subscriptions) {
        if (subscriptions.isEmpty() && unsubscribe.isEmpty()) {
            throw usage("no topic: give -t FILTER (repeatable), -U FILTER or -L mqtt://host/filter.");
        }
        for (String filter : unsubscribe) {
            int status = Topics.validateFilter(filter);
            if (status != CodecStatus.OK) {
                throw usage("Invalid unsubscribe topic '" + filter + "': " + CodecStatus.describe(status) + ".");
            }
        }
        for (String filter : subscriptions) {
            int status = Topics.validateFilter(filter);
            if (status != CodecStatus.OK) {
                throw usage("Invalid subscription topic '" + filter + "': " + CodecStatus.describe(status) + ".");
            }
        }
        for (String filter : filterOut) {
            int status = Topics.validateFilter(filter);
            if (status != CodecStatus.OK) {
                throw usage("Invalid filter topic '" + filter + "' (-T): " + CodecStatus.describe(status) + ".");
            }
        }
        if (qos < 0 || qos > 2) {
            throw usage("Invalid QoS given: " + qos + " (use 0, 1 or 2).");
        }
        if (count != null && count < 1) {
            throw usage("Invalid message count \"" + count + "\" (-C needs 1 or more).");
        }
        if (timeoutSeconds != null && timeoutSeconds < 1) {
            throw usage("Invalid timeout \"" + timeoutSeconds + "\" (-W needs 1 or more seconds).");
        }
        if (noStale && retainedOnly) {
            throw usage("-R and --retained-only exclude each other: -R drops the retained messages --retained-only keeps.");
        }
        if (persistentSession && !connection.hasFixedClientId()) {
            throw usage("You must provide a client id if you are using the -c option (-i ID: with -I the id"
                    + " changes each run, so the session would never be resumed).");
        }
    }

    private MqttConfig config(ConnectionOptions.Endpoint endpoint, int filterCount) {
        PrintStream err = streams().err();
        try {
            MqttConfig.Builder b = connection.session(commandName(), connection.configBuilder(commandName(),
                    endpoint, err), endpoint, persistentSession, err);
            return connection.will(commandName(), b, endpoint)
                    .receiveBufferBytes(RECEIVE_BUFFER_BYTES)
                    .maxSubscriptions(Math.max(1, filterCount))
                    // Like mosquitto_sub: a broker restart or a network drop is ridden out, not an exit. poll()
                    // reconnects (1 s doubling to 10 s) and subscribes again when the broker kept no session.
                    .automaticReconnect(true)
                    .reconnectBackoff(RECONNECT_MIN_MILLIS, RECONNECT_MAX_MILLIS, 2.0, 0.5)
                    .listener(new MqttListener() {
                        @Override
                        public void onOversizeMessage(CharSequence topic, int byteCount, int messageQos) {
                            err.println("Warning: skipped a message of " + byteCount + " bytes on '" + topic
                                    + "': larger than " + RECEIVE_BUFFER_BYTES + " bytes.");
                        }

                        @Override
                        public void onPubrel(int packetId) {
                            SubCommand.this.onPubrel(packetId);
                        }

                        @Override
                        public void onReconnectScheduled(Exception cause, int consecutiveFailures, long retryInMillis) {
                            err.println("Warning: no connection to the broker"
                                    + (cause == null ? "" : " (" + cause.getMessage() + ")") + "; reconnecting in "
                                    + retryInMillis + " ms (failure " + consecutiveFailures + ").");
                        }
                    })
                    .build();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage() + ".");
        }
    }

    /**
     * Subscribes to every filter in one SUBSCRIBE (packet id 1 on a fresh connection), as mosquitto_sub does, so
     * that {@code -d} prints its lines: one {@code sending SUBSCRIBE} per filter with the same id, one SUBACK and
     * the granted QoS of each ({@code 128}: refused, MQTT 3.1.1 §3.9.3). A filter given twice is sent once (the
     * client refuses duplicates in one SUBSCRIBE) and its answer printed for each place it was given.
     */
    private void subscribe(MqttClient client, List<String> subscriptions) throws IOException, MqttException {
        if (subscriptions.isEmpty()) {
            return;
        }
        List<String> distinct = new ArrayList<>(new java.util.LinkedHashSet<>(subscriptions));
        CharSequence[] filters = distinct.toArray(new CharSequence[0]);
        int[] qosOf = new int[filters.length];
        java.util.Arrays.fill(qosOf, qos);
        int[] returnCodes = new int[filters.length];
        String id = client.config().clientId();
        for (String filter : subscriptions) {
            trace("Client " + id + " sending SUBSCRIBE (Mid: 1, Topic: " + filter + ", QoS: " + qos
                    + ", Options: 0x00)");
        }
        client.subscribe(filters, qosOf, this::onMessage, returnCodes);
        trace("Client " + id + " received SUBACK");
        StringBuilder granted = new StringBuilder("Subscribed (mid: 1): ");
        int refused = 0;
        for (int i = 0; i < subscriptions.size(); i++) {
            int code = returnCodes[distinct.indexOf(subscriptions.get(i))];
            granted.append(i == 0 ? "" : ", ").append(code);
            if (code == MqttClient.SUBACK_FAILURE) {
                refused++;
                streams().err().println("Warning: the broker refused the subscription to '" + subscriptions.get(i)
                        + "'.");
            }
        }
        trace(granted.toString());
        if (refused == subscriptions.size()) {
            client.disconnect();
            throw new ToolFailure(ExitCodes.USAGE, "All subscription requests were denied.");
        }
    }

    /**
     * A message as it arrives. QoS 0 and 1 messages are printed at once; a QoS 2 message is decided on now (filters,
     * {@code --retained-only}, {@code --remove-retained}) but printed and counted at its PUBREL ({@link #onPubrel}),
     * where libmosquitto delivers it (MQTT 3.1.1 §4.3.3, the receiver's method B), so that {@code -d}'s lines, the
     * output and the exit of {@code -C} come in mosquitto_sub's order.
     */
    private void onMessage(MqttMessage message) {
        if (done) {
            return;
        }
        String id = clientId;
        int packetId = message.packetId();
        trace("Client " + id + " received PUBLISH (d" + (message.dup() ? 1 : 0) + ", q" + message.qos() + ", r"
                + (message.retain() ? 1 : 0) + ", m" + packetId + ", '" + message.topicAsString() + "', ... ("
                + message.payloadLength() + " bytes))");
        // the client queues the PUBACK/PUBREC once the handlers return; mosquitto_sub logs it before printing
        if (message.qos() == 1) {
            trace("Client " + id + " sending PUBACK (m" + packetId + ", rc0)");
        } else if (message.qos() == 2) {
            trace("Client " + id + " sending PUBREC (m" + packetId + ", rc0)");
        }
        boolean ends = retainedOnly && !message.retain();
        boolean shown = !ends && shown(message);
        if (message.qos() == 2) {
            byte[] output = null;
            if (shown) {
                java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                printer.print(new PrintStream(bytes), message);
                output = bytes.toByteArray();
            }
            held.put(packetId, new Held(output, ends));
            return;
        }
        if (ends) {
            done = true;
        } else if (shown) {
            printer.print(streams().out(), message);
            counted();
        }
    }

    /** Whether {@code message} is printed: not filtered out by {@code -T} or {@code -R}; clears it for {@code --remove-retained}. */
    private boolean shown(MqttMessage message) {
        if (!filterOut.isEmpty()) {
            byte[] topic = message.topicAsString().getBytes(StandardCharsets.UTF_8);
            for (String filter : filterOut) {
                if (Topics.matches(filter, topic, 0, topic.length)) {
                    return false;
                }
            }
        }
        if (removeRetained && message.retain()) {
            clearRetained(message.topicAsString());
        }
        return !(noStale && message.retain());
    }

    /** A QoS 2 message awaiting its PUBREL: its output (null: not printed) or the end of {@code --retained-only}. */
    private record Held(byte[] output, boolean ends) {
    }

    /** QoS 2 messages received and answered with PUBREC, by packet id, until their PUBREL. */
    private final java.util.Map<Integer, Held> held = new java.util.HashMap<>();

    /** The server released a QoS 2 message ({@link MqttListener#onPubrel}): its PUBCOMP is queued; print it now. */
    private void onPubrel(int packetId) {
        String id = clientId;
        trace("Client " + id + " received PUBREL (Mid: " + packetId + ")");
        trace("Client " + id + " sending PUBCOMP (m" + packetId + ")");
        Held message = held.remove(packetId);
        if (message == null || done) {
            return; // a PUBREL for a message of an earlier run (-c), or one after the end
        }
        if (message.ends()) {
            done = true;
        } else if (message.output() != null) {
            PrintStream out = streams().out();
            out.write(message.output(), 0, message.output().length);
            out.flush();
            counted();
        }
    }

    private void counted() {
        printed++;
        if (count != null && printed >= count) {
            done = true;
        }
    }

    /** {@code --remove-retained}: an empty retained message clears the topic's (MQTT 3.1.1 §3.3.1.3). */
    private void clearRetained(String topic) {
        try {
            client.publish(topic, new byte[0], 0, 0, 0, true);
        } catch (IOException | MqttException e) {
            streams().err().println("Warning: could not clear the retained message of '" + topic + "': "
                    + e.getMessage() + ".");
        }
    }

    private void trace(String line) {
        if (debug) {
            streams().out().println(line);
            streams().out().flush();
        }
    }
}
