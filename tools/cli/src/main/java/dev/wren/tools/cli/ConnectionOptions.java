package dev.wren.tools.cli;

import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttConfig;
import dev.wren.mqtt.PublishProperties;
import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.Topics;
import dev.wren.mqtt.tls.TlsConfig;
import dev.wren.mqtt.tls.TlsTransportFactory;
import dev.wren.mqtt.transport.TransportFactory;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Stack;

/**
 * The connection options {@code wren pub} and {@code wren sub} share, named as mosquitto_pub/mosquitto_sub
 * name them. Use as {@code @Mixin ConnectionOptions connection;}, then {@link #resolve} and
 * {@link #configBuilder}.
 */
public final class ConnectionOptions implements QuickArgs.Options {

    /** Default broker host, as mosquitto's. */
    public static final String DEFAULT_HOST = "localhost";
    /** Default connect timeout (TCP connect, then CONNACK wait), seconds. */
    public static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;
    /**
     * Shortest {@code -k} accepted: mosquitto_pub/mosquitto_sub refuse less (and 0, which turns keep-alive off,
     * MQTT 3.1.1 §3.1.2.10), so a command line either tool refuses the other refuses too.
     */
    public static final int MIN_KEEP_ALIVE_SECONDS = 5;
    /** Longest {@code -k}: the two-byte Keep Alive field of CONNECT (MQTT 3.1.1 §3.1.2.10). */
    public static final int MAX_KEEP_ALIVE_SECONDS = 65_535;

    @Option(names = {"-h", "--host"}, paramLabel = "HOST", description = "Broker host (default localhost).")
    String host;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "Broker port (default 1883; 8883 with TLS).")
    Integer port;

    @Option(names = {"-i", "--id"}, paramLabel = "ID", description = "Client id (default: wren-<tool>-<random>).")
    String clientId;

    @Option(names = {"-I", "--id-prefix"}, paramLabel = "PREFIX", description = "Client id prefix; the process id is appended.")
    String idPrefix;

    @Option(names = {"-u", "--username"}, paramLabel = "USER", description = "User name.")
    String userName;

    @Option(names = {"-P", "--pw"}, paramLabel = "PASSWORD", description = "Password (needs -u).")
    String password;

    @Option(names = {"-k", "--keepalive"}, paramLabel = "SECONDS",
            description = "Keep-alive interval in seconds, 5..65535 (default ${DEFAULT-VALUE}; MQTT 3.1.1 §3.1.2.10).")
    int keepAliveSeconds = 60;

    @Option(names = {"-L", "--url"}, paramLabel = "URL",
            description = "mqtt(s)://[user[:password]@]host[:port]/topic instead of -h, -p, -u, -P and -t.")
    String url;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS",
            description = "Seconds to wait for the TCP connection and then for CONNACK (default ${DEFAULT-VALUE}).")
    int connectTimeoutSeconds = DEFAULT_CONNECT_TIMEOUT_SECONDS;

    @Option(names = "--cafile", paramLabel = "FILE", description = "PEM file of the CA certificates to trust (enables TLS).")
    Path caFile;

    @Option(names = "--cert", paramLabel = "FILE", description = "PEM client certificate for mutual TLS (needs --key).")
    Path certFile;

    @Option(names = "--key", paramLabel = "FILE", description = "PEM private key of --cert.")
    Path keyFile;

    @Option(names = "--insecure", description = "Do not check that the server certificate names the host"
            + " (its chain is still checked against --cafile).")
    boolean insecure;

    @Option(names = {"-V", "--protocol-version"}, paramLabel = "VERSION",
            description = "MQTT version: mqttv5 (or 5; rr's default), mqttv311 (or 311; pub's and sub's default) or mqttv31 (or 31).")
    String protocolVersion;

    @Option(names = {"-x", "--session-expiry-interval"}, paramLabel = "SECONDS",
            description = "MQTT 5.0 Session Expiry Interval (§3.1.2.11.2): 0..4294967294 seconds, or -1, 4294967295"
                    + " or \u221e for never (default: never with -c, else 0). Ignored below -V 5, as by mosquitto.")
    String sessionExpiry;

    @Option(names = "--will-topic", paramLabel = "TOPIC", description = "Last will topic (MQTT 3.1.1 §3.1.2.5).")
    String willTopic;

    @Option(names = "--will-payload", paramLabel = "PAYLOAD", description = "Last will payload (needs --will-topic).")
    String willPayload;

    @Option(names = "--will-qos", paramLabel = "QOS", description = "Last will QoS 0, 1 or 2 (default 0).")
    Integer willQos;

    @Option(names = "--will-retain", description = "Retain the last will.")
    boolean willRetain;

    @Option(names = {"-D", "--property"}, paramLabel = "COMMAND NAME VALUE",
            parameterConsumer = PropertyConsumer.class,
            description = "MQTT 5.0 property, as mosquitto's -D (MQTT 5.0 unless -V says otherwise): COMMAND"
                    + " connect, disconnect, will (with --will-topic) or publish (pub); NAME as in the spec with -"
                    + " between words, such as content-type; user-property takes KEY VALUE. Repeatable.")
    List<String> properties = new ArrayList<>();

    /**
     * Reads {@code -D}'s three words, four for user-property, as mosquitto does (whatever they look like), into one
     * entry of {@link #properties}; too few is mosquitto's error.
     */
    static final class PropertyConsumer implements CommandLine.IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, CommandLine.Model.ArgSpec argSpec,
                                      CommandLine.Model.CommandSpec commandSpec) {
            if (args.size() < 3 || args.size() < MqttProperties.words(args.get(args.size() - 2))) {
                throw new CommandLine.ParameterException(commandSpec.commandLine(),
                        "Error: --property argument given but not enough arguments specified.");
            }
            String[] words = new String[MqttProperties.words(args.get(args.size() - 2))];
            for (int i = 0; i < words.length; i++) {
                words[i] = args.pop();
            }
            List<String> list = argSpec.getValue();
            list.add(MqttProperties.group(words));
        }
    }

    /** {@inheritDoc} The defaults are the fields' initial values, which picocli uses too. */
    @Override
    public boolean quickOption(QuickArgs args) {
        switch (args.option()) {
            case "-h", "--host" -> host = args.text("-h");
            case "-p", "--port" -> port = args.integer("-p");
            case "-i", "--id" -> clientId = args.text("-i");
            case "-I", "--id-prefix" -> idPrefix = args.text("-I");
            case "-u", "--username" -> userName = args.text("-u");
            case "-P", "--pw" -> password = args.text("-P");
            case "-k", "--keepalive" -> keepAliveSeconds = args.integer("-k");
            case "-L", "--url" -> url = args.text("-L");
            case "--connect-timeout" -> connectTimeoutSeconds = args.integer("--connect-timeout");
            case "--cafile" -> caFile = args.path("--cafile");
            case "--cert" -> certFile = args.path("--cert");
            case "--key" -> keyFile = args.path("--key");
            case "--insecure" -> insecure = args.flag("--insecure");
            case "-V", "--protocol-version" -> protocolVersion = args.text("-V");
            case "-x", "--session-expiry-interval" -> sessionExpiry = args.text("-x");
            case "--will-topic" -> willTopic = args.text("--will-topic");
            case "--will-payload" -> willPayload = args.text("--will-payload");
            case "--will-qos" -> willQos = args.integer("--will-qos");
            case "--will-retain" -> willRetain = args.flag("--will-retain");
            case "-D", "--property" -> {
                String cmd = args.value();
                String identifier = args.value();
                properties.add(MqttProperties.words(identifier) == 3
                        ? MqttProperties.group(cmd, identifier, args.value())
                        : MqttProperties.group(cmd, identifier, args.value(), args.value()));
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The MQTT version without {@code -V}: 3.1.1 as for mosquitto_pub/mosquitto_sub unless a tool changes it. */
    private int defaultProtocolVersion = MqttConfig.MQTT_3_1_1;

    /**
     * Sets the MQTT version used without {@code -V} (mosquitto_rr's is 5.0); returns this.
     *
     * @param version {@link MqttConfig#MQTT_5}, {@link MqttConfig#MQTT_3_1_1} or {@link MqttConfig#MQTT_3_1}
     */
    public ConnectionOptions defaultProtocolVersion(int version) {
        this.defaultProtocolVersion = version;
        return this;
    }

    /**
     * True when {@code -i} was given: a persistent session needs the same client id on every run, which
     * {@code -I} (prefix + process id) does not give, so mosquitto_sub refuses {@code -c} with {@code -I} too.
     */
    public boolean hasFixedClientId() {
        return clientId != null;
    }

    /**
     * Where and as whom to connect, after {@code -L} and the separate options are combined.
     *
     * @param host     broker host
     * @param port     broker port
     * @param secure   TLS
     * @param userName user name or null
     * @param password password or null
     * @param clientId the client id to use
     * @param urlTopic the topic of {@code -L}, or null
     * @param protocolVersion {@link MqttConfig#MQTT_5}, {@link MqttConfig#MQTT_3_1_1} or {@link MqttConfig#MQTT_3_1}
     * @param sessionExpirySeconds {@code -x} (or {@code -D connect session-expiry-interval}) in seconds
     *                             (4294967295: never), or -1 when not given
     * @param properties the {@code -D} properties, or null when none were given
     */
    public record Endpoint(String host, int port, boolean secure, String userName, String password,
                           String clientId, String urlTopic, int protocolVersion, long sessionExpirySeconds,
                           MqttProperties properties) {

        /** The PUBLISH properties of {@code -D publish}, or null. */
        public PublishProperties publishProperties() {
            return properties == null ? null : properties.publish();
        }

        /** Sends DISCONNECT, with the Session Expiry Interval of {@code -D disconnect} when given (MQTT 5.0 §3.14.2.2.2). */
        public void disconnect(MqttClient client) throws IOException {
            if (properties == null) {
                client.disconnect();
            } else {
                properties.disconnect(client);
            }
        }
    }

    /**
     * Combines the options into an {@link Endpoint}.
     *
     * @param command      the command name for messages, e.g. {@code "wren pub"}
     * @param toolIdPrefix the prefix of the generated client id, e.g. {@code "wren-pub-"}
     * @param sends        the packets the command sends, as {@code 1 << type} ({@code 1 << 0}: a will), for
     *                     {@code -D}
     * @throws ToolFailure a usage error naming the conflicting options
     */
    public Endpoint resolve(String command, String toolIdPrefix, int sends) {
        if (clientId != null && idPrefix != null) {
            throw MqttTool.usage(command, "-i and -I cannot be used together.");
        }
        if (clientId != null && clientId.isEmpty()) {
            throw MqttTool.usage(command, "-i needs a non-empty client id.");
        }
        String h = host;
        Integer p = port;
        String user = userName;
        String pass = password;
        boolean secure = caFile != null || certFile != null || keyFile != null || insecure;
        String topic = null;
        if (url != null) {
            if (host != null || port != null) {
                throw MqttTool.usage(command, "-L gives the host and port: do not add -h or -p.");
            }
            MqttUrl parsed;
            try {
                parsed = MqttUrl.parse(url);
            } catch (IllegalArgumentException e) {
                throw MqttTool.usage(command, e.getMessage());
            }
            if (parsed.userName() != null && (userName != null || password != null)) {
                throw MqttTool.usage(command, "-L " + parsed + " gives the user already: do not add -u or -P.");
            }
            h = parsed.host();
            p = parsed.port();
            secure |= parsed.secure();
            if (parsed.userName() != null) {
                user = parsed.userName();
                pass = parsed.password();
            }
            topic = parsed.topic();
        }
        if (pass != null && user == null) {
            throw MqttTool.usage(command, "a password (-P) needs a user name (-u) [MQTT-3.1.2-22].");
        }
        if (keepAliveSeconds < MIN_KEEP_ALIVE_SECONDS || keepAliveSeconds > MAX_KEEP_ALIVE_SECONDS) {
            throw MqttTool.usage(command, "Invalid keepalive given, it must be between " + MIN_KEEP_ALIVE_SECONDS
                    + " and " + MAX_KEEP_ALIVE_SECONDS + " inclusive; got -k " + keepAliveSeconds + ".");
        }
        if (connectTimeoutSeconds < 1 || connectTimeoutSeconds > 3600) {
            throw MqttTool.usage(command, "--connect-timeout " + connectTimeoutSeconds + " not in 1..3600 seconds.");
        }
        if ((certFile == null) != (keyFile == null)) {
            throw MqttTool.usage(command, "--cert and --key go together (mutual TLS).");
        }
        checkWill(command);
        MqttProperties props = properties.isEmpty() ? null : MqttProperties.parse(command, properties, sends);
        int version = protocolVersion(command, props != null);
        long expiry = sessionExpiry(command);
        if (props != null && props.connectSessionExpiry() >= 0) {
            if (expiry >= 0) {
                throw MqttTool.usage(command, "-x " + sessionExpiry + " and -D connect session-expiry-interval "
                        + props.connectSessionExpiry() + " both give the session expiry interval: use one.");
            }
            expiry = props.connectSessionExpiry();
        }
        if (expiry == NEVER && clientId == null) {
            throw MqttTool.usage(command, "You must provide a client id if you are using an infinite session expiry"
                    + " interval (-x " + sessionExpiry + " needs -i ID).");
        }
        String id = clientId != null ? clientId
                : idPrefix != null ? idPrefix + ProcessHandle.current().pid()
                : toolIdPrefix + randomHex();
        int resolvedPort = p != null ? p : secure ? MqttUrl.MQTTS_PORT : MqttUrl.MQTT_PORT;
        return new Endpoint(h != null ? h : DEFAULT_HOST, resolvedPort, secure, user, pass, id, topic, version,
                expiry, props);
    }

    /**
     * {@code -V} as mosquitto_pub/mosquitto_sub 2.0 read it; unset is MQTT 3.1.1, their default too (or the tool's
     * {@link #defaultProtocolVersion}), or 5.0 with {@code -D} (mosquitto's clients switch to 5.0 for it). {@code -D} with {@code -V 311}/{@code 31} is refused:
     * mosquitto 2.0.11 then either switches to 5.0 anyway ({@code -V} first) or publishes nothing and exits with 0
     * ({@code -V} last).
     */
    private int protocolVersion(String command, boolean hasProperties) {
        if (protocolVersion == null) {
            return hasProperties ? MqttConfig.MQTT_5 : defaultProtocolVersion;
        }
        if (hasProperties && !protocolVersion.equals("mqttv5") && !protocolVersion.equals("5")) {
            throw MqttTool.usage(command, "-D gives MQTT 5.0 properties, which -V " + protocolVersion
                    + " has not: give -V 5 or leave -V out.");
        }
        switch (protocolVersion) {
            case "mqttv5", "5":
                return MqttConfig.MQTT_5;
            case "mqttv311", "311":
                return MqttConfig.MQTT_3_1_1;
            case "mqttv31", "31":
                return MqttConfig.MQTT_3_1;
            default:
                throw MqttTool.usage(command, "Invalid protocol version argument given: -V " + protocolVersion
                        + " (use mqttv5 or 5, mqttv311 or 311, mqttv31 or 31).");
        }
    }

    /** Session Expiry Interval meaning "never" (MQTT 5.0 §3.1.2.11.2). */
    private static final long NEVER = 0xffff_ffffL;

    /** {@code -x} in seconds as mosquitto reads it ({@code -1}, {@code ∞}: {@link #NEVER}), or -1 when not given. */
    private long sessionExpiry(String command) {
        if (sessionExpiry == null) {
            return -1;
        }
        if (sessionExpiry.equals("-1") || sessionExpiry.equals("\u221e")) {
            return NEVER;
        }
        long seconds;
        try {
            seconds = Long.parseLong(sessionExpiry);
        } catch (NumberFormatException e) {
            throw MqttTool.usage(command, "session-expiry-interval not a number: -x " + sessionExpiry + ".");
        }
        if (seconds < 0 || seconds > NEVER) {
            throw MqttTool.usage(command, "session-expiry-interval out of range: -x " + sessionExpiry
                    + " not in 0.." + NEVER + " (or -1 for never).");
        }
        return seconds;
    }

    private void checkWill(String command) {
        if (willTopic == null) {
            if (willPayload != null || willQos != null || willRetain) {
                throw MqttTool.usage(command, "--will-payload, --will-qos and --will-retain need --will-topic.");
            }
            return;
        }
        int status = Topics.validateName(willTopic);
        if (status != CodecStatus.OK) {
            throw MqttTool.usage(command, "Invalid will topic '" + willTopic + "': " + CodecStatus.describe(status)
                    + ".");
        }
        if (willQos != null && (willQos < 0 || willQos > 2)) {
            throw MqttTool.usage(command, "Invalid will QoS given: " + willQos + " (use 0, 1 or 2).");
        }
    }

    /**
     * Sets the last will of {@code --will-*} on {@code b} (MQTT 3.1.1 §3.1.2.5), with the will properties of
     * {@code -D will} at 5.0 (§3.1.3.2), as mosquitto_pub and mosquitto_sub do.
     *
     * @throws ToolFailure {@code -D will} without {@code --will-topic}, or a will property the client refuses
     */
    public MqttConfig.Builder will(String command, MqttConfig.Builder b, Endpoint endpoint) {
        if (willTopic != null) {
            b.will(willTopic, willPayload == null ? new byte[0] : willPayload.getBytes(StandardCharsets.UTF_8),
                    willQos == null ? 0 : willQos, willRetain);
        }
        MqttProperties props = endpoint.properties();
        if (props != null && props.hasWill()) {
            if (willTopic == null) {
                throw MqttTool.usage(command, "-D will gives will properties: they need a will (--will-topic).");
            }
            try {
                props.will(b);
            } catch (IllegalArgumentException e) {
                throw MqttTool.usage(command, "-D will: " + e.getMessage() + ".");
            }
        }
        return b;
    }

    /**
     * Sets the session of {@code b} as mosquitto_pub/mosquitto_sub do: Clean Session (3.1.x) or Clean Start (5.0)
     * off with {@code -c}; at 5.0 the Session Expiry Interval is {@code -x}, else never with {@code -c} and 0
     * without (MQTT 5.0 §3.1.2.11.2: a session is kept only while it is above 0). Below 5.0 {@code -x} is ignored,
     * as by mosquitto, with a warning on {@code warnings}.
     *
     * @throws ToolFailure {@code -D disconnect session-expiry-interval} above 0 where the CONNECT's is 0 (a protocol
     *                     error, MQTT 5.0 §3.14.2.2.2)
     */
    public MqttConfig.Builder session(String command, MqttConfig.Builder b, Endpoint endpoint, boolean persistent,
                                      PrintStream warnings) {
        b.cleanSession(!persistent);
        if (endpoint.protocolVersion() == MqttConfig.MQTT_5) {
            long expiry = endpoint.sessionExpirySeconds() >= 0 ? endpoint.sessionExpirySeconds()
                    : persistent ? NEVER : 0;
            if (expiry > 0) {
                b.sessionExpiryIntervalSeconds(expiry);
            } else if (endpoint.properties() != null && endpoint.properties().disconnectSessionExpiry() > 0) {
                throw MqttTool.usage(command, "-D disconnect session-expiry-interval "
                        + endpoint.properties().disconnectSessionExpiry() + " needs a session that does not end at"
                        + " once: its CONNECT has a session expiry interval of 0 (give -x, -c or -D connect"
                        + " session-expiry-interval; MQTT 5.0 §3.14.2.2.2).");
            }
        } else if (endpoint.sessionExpirySeconds() >= 0) {
            warnings.println("Warning: -x " + sessionExpiry + " ignored: the session expiry interval is an MQTT 5.0"
                    + " property (give -V 5).");
        }
        return b;
    }

    /**
     * A config builder for {@code endpoint} with keep-alive, connect timeout, credentials and the transport
     * set; the caller adds buffers, session and will.
     *
     * @param warnings where TLS writes its per-connection warning when {@code --insecure} is on
     * @throws ToolFailure a value the client rejects (message from {@link MqttConfig.Builder}), or a TLS file
     *                     that cannot be used (exit code 1, as mosquitto_pub; the message names the file)
     */
    public MqttConfig.Builder configBuilder(String command, Endpoint endpoint, PrintStream warnings) {
        TransportFactory transport = endpoint.secure() ? tls(endpoint, warnings) : null;
        try {
            MqttConfig.Builder b = MqttConfig.builder()
                    .host(endpoint.host())
                    .port(endpoint.port())
                    .clientId(endpoint.clientId())
                    .keepAliveSeconds(keepAliveSeconds)
                    .connectTimeoutMillis(connectTimeoutSeconds * 1000)
                    .protocolVersion(endpoint.protocolVersion());
            if (endpoint.userName() != null) {
                b.userName(endpoint.userName());
            }
            if (endpoint.password() != null) {
                b.password(endpoint.password().toCharArray());
            }
            if (transport != null) {
                b.transportFactory(transport);
            }
            if (endpoint.properties() != null) {
                endpoint.properties().connect(b);
            }
            return b;
        } catch (IllegalArgumentException e) {
            throw MqttTool.usage(command, e.getMessage() + ".");
        }
    }

    /**
     * TLS as mosquitto_pub sets it up (MQTT 3.1.1 §5.4): trust {@code --cafile} (else the JVM's trust store,
     * as for a bare {@code mqtts://}), present {@code --cert}/{@code --key} when given, and skip only the host
     * name check with {@code --insecure} (the chain is still verified).
     */
    private TransportFactory tls(Endpoint endpoint, PrintStream warnings) {
        TlsConfig.Builder tls = TlsConfig.builder().warningSink(w -> warnings.println("Warning: " + w));
        if (caFile != null) {
            tls.trustPemFile(caFile);
        }
        if (certFile != null) {
            tls.clientCertificatePem(certFile, keyFile);
        }
        if (insecure) {
            tls.insecureSkipHostnameVerification();
        }
        try {
            return TlsTransportFactory.create(tls.build());
        } catch (IOException e) {
            throw new ToolFailure(ToolFailure.CONNECT_FAILED, "Error: problem setting TLS options for "
                    + endpoint.host() + ":" + endpoint.port() + ": " + e.getMessage() + ".", e);
        }
    }

    /** A client id suffix; not a secret, so no SecureRandom (loading its provider took ~10 % of a one-shot pub). */
    private static String randomHex() {
        return Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & 0xffff_ffffL | 0x1_0000_0000L).substring(1);
    }
}
