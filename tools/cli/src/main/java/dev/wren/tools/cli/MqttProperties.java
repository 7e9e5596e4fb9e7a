package dev.wren.tools.cli;

import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttConfig;
import dev.wren.mqtt.PublishProperties;
import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.codec.v5.PacketType5;
import dev.wren.mqtt.codec.v5.Property;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The MQTT 5.0 properties of {@code -D command identifier value} ({@code -D command user-property key value}), read
 * and checked as mosquitto_pub/mosquitto_sub 2.0 read them (command and identifier in any case, the identifier being
 * the spec's name with {@code -} between words, e.g. {@code message-expiry-interval}), with mosquitto's messages for
 * the same mistakes. A property the spec or mosquitto allows but client-core cannot send is refused with the reason,
 * never left out silently.
 *
 * <p>What goes where: {@code connect}: session-expiry-interval (as {@code -x}), receive-maximum, maximum-packet-size,
 * topic-alias-maximum, request-problem-information, request-response-information, user-property (MQTT 5.0
 * §3.1.2.11); {@code will}: the will properties (§3.1.3.2); {@code publish}: message-expiry-interval,
 * payload-format-indicator, content-type, response-topic, correlation-data, user-property (§3.3.2.3);
 * {@code disconnect}: session-expiry-interval (§3.14.2.2.2).
 */
public final class MqttProperties {

    /** The one property that takes a key and a value, and the only one a packet may carry more than once here. */
    static final String USER_PROPERTY = "user-property";
    /** Separates the words of one {@code -D} in the list the option parsers fill: no argument contains it. */
    static final char SEPARATOR = '\0';
    /** Encoded PUBLISH properties at most (the property length of one PUBLISH must fit the packet anyway). */
    private static final int PUBLISH_PROPERTIES_CAPACITY = 65_535;
    private static final long FOUR_BYTE_MAX = MqttConfig.FOUR_BYTE_MAX;

    private final String command;

    // CONNECT (-1: not given)
    private long connectSessionExpiry = -1;
    private long receiveMaximum = -1;
    private long maximumPacketSize = -1;
    private long topicAliasMaximum = -1;
    private long requestProblemInformation = -1;
    private long requestResponseInformation = -1;
    private final List<String[]> connectUserProperties = new ArrayList<>();

    // will (-1: not given)
    private boolean will;
    private long willDelay = -1;
    private long willExpiry = -1;
    private long willFormat = -1;
    private String willContentType;
    private String willResponseTopic;
    private byte[] willCorrelationData;
    private final List<String[]> willUserProperties = new ArrayList<>();

    private PublishProperties publish;
    /** Whether {@code -D publish response-topic} was given. */
    private boolean publishResponseTopic;
    private long disconnectSessionExpiry = -1;

    /** Packet type and property id of each given once, to refuse a second as mosquitto's library does. */
    private final List<Integer> given = new ArrayList<>();

    private MqttProperties(String command) {
        this.command = command;
    }

    /**
     * Reads the {@code -D} groups of a command line.
     *
     * @param command the command's name for messages, e.g. {@code wren pub}
     * @param groups  each {@code -D}'s words joined by {@link #SEPARATOR}
     * @param sends   the packets the command sends, as {@code 1 << type} ({@link Property#WILL}: the will), so that
     *                e.g. {@code -D subscribe} on {@code wren pub} is refused rather than ignored
     * @throws ToolFailure a usage error naming the property and why
     */
    static MqttProperties parse(String command, List<String> groups, int sends) {
        MqttProperties p = new MqttProperties(command);
        for (String group : groups) {
            p.add(group.split(String.valueOf(SEPARATOR), -1), sends);
        }
        return p;
    }

    /** Joins the words of one {@code -D} for {@link #parse}. */
    static String group(String... words) {
        return String.join(String.valueOf(SEPARATOR), words);
    }

    /** The number of words {@code -D} takes after it when the identifier is {@code identifier}: 3, or 4 for user-property. */
    static int words(String identifier) {
        return identifier.equalsIgnoreCase(USER_PROPERTY) ? 4 : 3;
    }

    private void add(String[] words, int sends) {
        if (words.length < 3 || words.length < words(words[1])) {
            throw usage("--property argument given but not enough arguments specified.");
        }
        String cmdName = words[0];
        String name = words[1];
        int type = command(cmdName);
        if (type < 0) {
            throw usage("Invalid command given in --property argument (" + cmdName + "; use connect, publish,"
                    + " subscribe, unsubscribe, disconnect or will).");
        }
        int id = identifier(name);
        if (id < 0) {
            throw usage("Invalid property name given in --property argument (" + name + ").");
        }
        if (!Property.allowedIn(id, type)) {
            throw usage(name + " property not allowed for " + cmdName + " in --property argument (MQTT 5.0 §2.2.2.2:"
                    + " " + Property.name(id) + " is not a " + packetName(type) + " property).");
        }
        if ((sends & 1 << type) == 0) {
            throw usage(name + " property not supported for " + cmdName + " in --property argument: "
                    + command + " sends no " + packetName(type) + ".");
        }
        if (id != Property.USER_PROPERTY) {
            Integer key = type << 8 | id;
            if (given.contains(key)) {
                throw usage("-D " + cmdName + " " + name + " given twice: a property other than user-property"
                        + " goes into a packet once (MQTT 5.0 §2.2.2.2).");
            }
            given.add(key);
        }
        String value = words[2];
        switch (type) {
            case PacketType.CONNECT -> connect(id, name, words);
            case Property.WILL -> will(id, name, words);
            case PacketType.PUBLISH -> publish(id, name, words);
            case PacketType.DISCONNECT -> {
                if (id != Property.SESSION_EXPIRY_INTERVAL) {
                    throw notSent(name, cmdName, "client-core's DISCONNECT carries a reason code and a session"
                            + " expiry interval only");
                }
                disconnectSessionExpiry = number(name, value, 0, FOUR_BYTE_MAX);
            }
            case PacketType.SUBSCRIBE, PacketType.UNSUBSCRIBE -> throw notSent(name, cmdName,
                    "wren sends no " + packetName(type) + " properties yet (client-core's Subscription Identifier is"
                            + " not wired to -D)");
            default -> throw usage(name + " property not supported for " + cmdName + " in --property argument.");
        }
    }

    private void connect(int id, String name, String[] words) {
        String value = words[2];
        switch (id) {
            case Property.SESSION_EXPIRY_INTERVAL -> connectSessionExpiry = number(name, value, 0, FOUR_BYTE_MAX);
            case Property.RECEIVE_MAXIMUM -> receiveMaximum = number(name, value, 1, 65_535);
            case Property.MAXIMUM_PACKET_SIZE -> maximumPacketSize = number(name, value, 1, MqttConfig.MAX_PACKET_BYTES);
            case Property.TOPIC_ALIAS_MAXIMUM -> topicAliasMaximum = number(name, value, 0, 65_535);
            case Property.REQUEST_PROBLEM_INFORMATION -> requestProblemInformation = flag(name, value, "§3.1.2.11.7");
            case Property.REQUEST_RESPONSE_INFORMATION -> requestResponseInformation = flag(name, value, "§3.1.2.11.6");
            case Property.USER_PROPERTY -> connectUserProperties.add(new String[] {words[2], words[3]});
            default -> throw notSent(name, "connect", "wren has no authentication method to offer: client-core's enhanced authentication"
                    + " (MQTT 5.0 §4.12) takes an Authenticator in code, not a method name and data");
        }
    }

    private void will(int id, String name, String[] words) {
        String value = words[2];
        will = true;
        switch (id) {
            case Property.WILL_DELAY_INTERVAL -> willDelay = number(name, value, 0, FOUR_BYTE_MAX);
            case Property.MESSAGE_EXPIRY_INTERVAL -> willExpiry = number(name, value, 0, FOUR_BYTE_MAX);
            case Property.PAYLOAD_FORMAT_INDICATOR -> willFormat = flag(name, value, "§3.1.3.2.3");
            case Property.CONTENT_TYPE -> willContentType = value;
            case Property.RESPONSE_TOPIC -> willResponseTopic = value;
            case Property.CORRELATION_DATA -> willCorrelationData = value.getBytes(StandardCharsets.UTF_8);
            default -> willUserProperties.add(new String[] {words[2], words[3]});
        }
    }

    private void publish(int id, String name, String[] words) {
        String value = words[2];
        if (id == Property.TOPIC_ALIAS) {
            throw notSent(name, "publish", "client-core picks topic aliases itself"
                    + " (MqttConfig.Builder.topicAliases); a given one is not sent");
        }
        if (id == Property.SUBSCRIPTION_IDENTIFIER) {
            throw usage(name + " property not supported for publish in --property argument (a server's property,"
                    + " MQTT 5.0 §3.3.4).");
        }
        if (publish == null) {
            publish = new PublishProperties(PUBLISH_PROPERTIES_CAPACITY);
        }
        try {
            switch (id) {
                case Property.MESSAGE_EXPIRY_INTERVAL ->
                        publish.messageExpiryIntervalSeconds(number(name, value, 0, FOUR_BYTE_MAX));
                case Property.PAYLOAD_FORMAT_INDICATOR -> publish.payloadFormatUtf8(flag(name, value, "§3.3.2.3.2") == 1);
                case Property.CONTENT_TYPE -> publish.contentType(value);
                case Property.RESPONSE_TOPIC -> {
                    publish.responseTopic(value);
                    publishResponseTopic = true;
                }
                case Property.CORRELATION_DATA -> {
                    byte[] data = value.getBytes(StandardCharsets.UTF_8);
                    publish.correlationData(data, 0, data.length);
                }
                default -> publish.userProperty(words[2], words[3]);
            }
        } catch (IllegalArgumentException e) {
            throw usage("-D publish " + name + ": " + e.getMessage() + ".");
        }
    }

    /** A 4-byte or 2-byte integer property; mosquitto's message when out of range, with the range. */
    private long number(String name, String value, long min, long max) {
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw usage("Property value (" + value + ") not a number for property " + name + ".");
        }
        if (n < min || n > max) {
            throw usage("Property value (" + value + ") out of range for property " + name + " (" + min + ".." + max
                    + ").");
        }
        return n;
    }

    /** A byte property whose only values are 0 and 1 (a protocol error otherwise, at the cited section). */
    private long flag(String name, String value, String section) {
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw usage("Property value (" + value + ") not a number for property " + name + ".");
        }
        if (n != 0 && n != 1) {
            throw usage("Property value (" + value + ") out of range for property " + name + " (0 or 1, MQTT 5.0 "
                    + section + ").");
        }
        return n;
    }

    private ToolFailure notSent(String name, String cmdName, String why) {
        return usage(name + " property not supported for " + cmdName + " in --property argument: " + why + ".");
    }

    private ToolFailure usage(String message) {
        return MqttTool.usage(command, message);
    }

    /** The packet type of a {@code -D} command as mosquitto names them (any case), {@link Property#WILL}, or -1. */
    private static int command(String name) {
        if (name.equalsIgnoreCase("will")) {
            return Property.WILL;
        }
        for (int type = PacketType.CONNECT; type <= PacketType5.AUTH; type++) {
            if (type != PacketType.PINGREQ && type != PacketType.PINGRESP
                    && PacketType5.name(type).equalsIgnoreCase(name)) {
                return type;
            }
        }
        return -1;
    }

    /** The property id of mosquitto's name for it: the spec's name, lower case, {@code -} between words; or -1. */
    private static int identifier(String name) {
        for (int id = 1; id <= Property.MAX_ID; id++) {
            if (Property.type(id) != 0
                    && Property.name(id).replace(' ', '-').equalsIgnoreCase(name)) {
                return id;
            }
        }
        return -1;
    }

    private static String packetName(int type) {
        return type == Property.WILL ? "will" : PacketType5.name(type);
    }

    /** The Session Expiry Interval of {@code -D connect session-expiry-interval}, or -1. */
    long connectSessionExpiry() {
        return connectSessionExpiry;
    }

    /** The Session Expiry Interval of {@code -D disconnect session-expiry-interval}, or -1. */
    long disconnectSessionExpiry() {
        return disconnectSessionExpiry;
    }

    /** Sets the CONNECT properties on {@code b} (the session expiry is set with {@code -x}'s, by the caller). */
    void connect(MqttConfig.Builder b) {
        if (receiveMaximum >= 0) {
            // the server then sends at most this many unreleased QoS 2 messages, which the client's table must hold
            b.maxIncomingQos2((int) receiveMaximum).receiveMaximum((int) receiveMaximum);
        }
        if (maximumPacketSize >= 0) {
            b.maximumPacketSize((int) maximumPacketSize);
        }
        if (topicAliasMaximum >= 0) {
            b.topicAliasMaximum((int) topicAliasMaximum);
        }
        if (requestProblemInformation >= 0) {
            b.requestProblemInformation(requestProblemInformation == 1);
        }
        if (requestResponseInformation >= 0) {
            b.requestResponseInformation(requestResponseInformation == 1);
        }
        for (String[] pair : connectUserProperties) {
            b.userProperty(pair[0], pair[1]);
        }
    }

    /** True when a {@code -D will} was given. */
    public boolean hasWill() {
        return will;
    }

    /**
     * Sets the will properties on {@code b}, whose will is set.
     *
     * @throws IllegalArgumentException a value the client refuses (e.g. a response topic with a wildcard)
     */
    public void will(MqttConfig.Builder b) {
        if (!will) {
            return;
        }
        b.willProperties(Math.max(willDelay, 0), willExpiry, willFormat == 1, willContentType, willResponseTopic,
                willCorrelationData);
        for (String[] pair : willUserProperties) {
            b.willUserProperty(pair[0], pair[1]);
        }
    }

    /** The PUBLISH properties of {@code -D publish}, or null when none were given. */
    public PublishProperties publish() {
        return publish;
    }

    /** Whether {@code -D publish response-topic} was given ({@code wren rr} sets its own, from {@code -e}). */
    public boolean hasPublishResponseTopic() {
        return publishResponseTopic;
    }

    /** DISCONNECT, with {@code -D disconnect}'s Session Expiry Interval when given. */
    void disconnect(MqttClient client) throws IOException {
        if (disconnectSessionExpiry < 0) {
            client.disconnect();
        } else {
            client.disconnect(0x00, disconnectSessionExpiry);
        }
    }
}
