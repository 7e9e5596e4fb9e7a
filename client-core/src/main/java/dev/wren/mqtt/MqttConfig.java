package dev.wren.mqtt;

import dev.wren.mqtt.auth.Authenticator;
import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.Topics;
import dev.wren.mqtt.codec.Utf8;
import dev.wren.mqtt.store.InflightStore;
import dev.wren.mqtt.store.InflightStoreFactory;
import dev.wren.mqtt.transport.TcpTransportFactory;
import dev.wren.mqtt.transport.TransportFactory;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.ServiceLoader;

/**
 * Everything a {@link MqttClient} is built from; immutable. Every limit has a default and a range, checked by
 * the {@link Builder} setter with a message naming the value and the range. {@link #toString()} never shows the
 * password.
 *
 * <p>Memory the client allocates from it, once: {@code receiveBufferBytes + transmitBufferBytes
 * + maxInflight * transmitBufferBytes} (the in-flight window keeps every unacknowledged PUBLISH whole for
 * re-sending) {@code + 4 * maxIncomingQos2 + small tables}, {@code + coalesceBatchBytes} with write coalescing.
 */
public final class MqttConfig {

    /**
     * Returns {@code uri} with the password of its user-info replaced by {@code ****}
     * ({@code mqtt://user:****@host/t}), for every message that shows a URI; anything else is returned as is.
     * The user-info is what precedes the last {@code @} before the first {@code /} after {@code scheme://}
     * (RFC 3986 §3.2.1), and its password what follows its first {@code :}.
     */
    public static String maskPassword(String uri) {
        int schemeEnd = uri.indexOf("://");
        int start = schemeEnd < 0 ? 0 : schemeEnd + 3;
        int slash = uri.indexOf('/', start);
        int end = slash < 0 ? uri.length() : slash;
        int at = uri.lastIndexOf('@', end - 1);
        int colon = uri.indexOf(':', start);
        if (at < start || colon < 0 || colon > at) {
            return uri;
        }
        return uri.substring(0, colon + 1) + "****" + uri.substring(at);
    }

    /** Largest MQTT packet: 5 header bytes + remaining length 268,435,455 (MQTT 3.1.1 §2.2.3). */
    public static final int MAX_PACKET_BYTES = 5 + 268_435_455;
    /** Smallest receive/transmit buffer: room for CONNACK, acks, and a short PUBLISH. */
    public static final int MIN_BUFFER_BYTES = 64;

    /** {@link Builder#protocolVersion}: MQTT 3.1, protocol level 3 ("MQIsdp"). */
    public static final int MQTT_3_1 = 3;
    /** {@link Builder#protocolVersion}: MQTT 3.1.1, protocol level 4 (the default). */
    public static final int MQTT_3_1_1 = 4;
    /** {@link Builder#protocolVersion}: MQTT 5.0, protocol level 5. */
    public static final int MQTT_5 = 5;
    /**
     * {@link Builder#protocolVersion}: MQTT 5.0, and MQTT 3.1.1 after a CONNACK refusing the protocol version (3.1.1
     * return code 1 or 5.0 reason code 0x84); the 5.0 options apply while 5.0 is spoken.
     */
    public static final int MQTT_AUTO = 0;
    /** Most user properties in CONNECT, and in the will, each (MQTT 5.0 §3.1.2.11.8, §3.1.3.2.8). */
    public static final int MAX_USER_PROPERTIES = 16;
    /** Largest four byte integer (MQTT 5.0 §1.5.3): for a session expiry interval, "never expires". */
    public static final long FOUR_BYTE_MAX = 0xFFFF_FFFFL;

    private final String host;
    private final int port;
    private final boolean secure;
    private final String clientId;
    private final boolean cleanSession;
    private final int keepAliveSeconds;
    private final int connectTimeoutMillis;
    private final int operationTimeoutMillis;
    private final String userName;
    private final byte[] password;
    private final String willTopic;
    private final byte[] willPayload;
    private final int willQos;
    private final boolean willRetain;
    private final int receiveBufferBytes;
    private final int transmitBufferBytes;
    private final int maxInflight;
    private final int maxIncomingQos2;
    private final int maxSubscriptions;
    private final TransportFactory transportFactory;
    private final MonotonicClock clock;
    private final MqttListener listener;
    private final boolean automaticReconnect;
    private final int reconnectMinDelayMillis;
    private final int reconnectMaxDelayMillis;
    private final double reconnectMultiplier;
    private final double reconnectJitter;
    private final InflightStoreFactory inflightStore;
    private final int coalesceBatchBytes;
    private final int protocolVersion;
    private final long sessionExpiryIntervalSeconds;
    private final int receiveMaximum;
    private final int maximumPacketSize;
    private final int topicAliasMaximum;
    private final int topicAliases;
    private final int topicAliasTopicBytes;
    private final boolean requestProblemInformation;
    private final boolean requestResponseInformation;
    private final String[] userProperties;
    private final long willDelayIntervalSeconds;
    private final long willMessageExpirySeconds;
    private final boolean willPayloadUtf8;
    private final String willContentType;
    private final String willResponseTopic;
    private final byte[] willCorrelationData;
    private final String[] willUserProperties;
    private final Authenticator authenticator;

    MqttConfig(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.secure = b.secure;
        this.clientId = b.clientId;
        this.cleanSession = b.cleanSession;
        this.keepAliveSeconds = b.keepAliveSeconds;
        this.connectTimeoutMillis = b.connectTimeoutMillis;
        this.operationTimeoutMillis = b.operationTimeoutMillis;
        this.userName = b.userName;
        this.password = b.password == null ? null : b.password.clone();
        this.willTopic = b.willTopic;
        this.willPayload = b.willPayload == null ? null : b.willPayload.clone();
        this.willQos = b.willQos;
        this.willRetain = b.willRetain;
        this.receiveBufferBytes = b.receiveBufferBytes;
        this.transmitBufferBytes = b.transmitBufferBytes;
        this.maxInflight = b.maxInflight;
        this.maxIncomingQos2 = b.maxIncomingQos2;
        this.maxSubscriptions = b.maxSubscriptions;
        this.transportFactory = b.transportFactory;
        this.clock = b.clock;
        this.listener = b.listener;
        this.automaticReconnect = b.automaticReconnect;
        this.reconnectMinDelayMillis = b.reconnectMinDelayMillis;
        this.reconnectMaxDelayMillis = b.reconnectMaxDelayMillis;
        this.reconnectMultiplier = b.reconnectMultiplier;
        this.reconnectJitter = b.reconnectJitter;
        this.inflightStore = b.inflightStore;
        this.coalesceBatchBytes = b.coalesceBatchBytes;
        this.protocolVersion = b.protocolVersion;
        this.sessionExpiryIntervalSeconds = b.sessionExpiryIntervalSeconds;
        this.receiveMaximum = b.receiveMaximum == 0 ? b.maxIncomingQos2 : b.receiveMaximum;
        this.maximumPacketSize = b.maximumPacketSize;
        this.topicAliasMaximum = b.topicAliasMaximum;
        this.topicAliases = b.topicAliases;
        this.topicAliasTopicBytes = b.topicAliasTopicBytes;
        this.requestProblemInformation = b.requestProblemInformation;
        this.requestResponseInformation = b.requestResponseInformation;
        this.userProperties = b.userProperties;
        this.willDelayIntervalSeconds = b.willDelayIntervalSeconds;
        this.willMessageExpirySeconds = b.willMessageExpirySeconds;
        this.willPayloadUtf8 = b.willPayloadUtf8;
        this.willContentType = b.willContentType;
        this.willResponseTopic = b.willResponseTopic;
        this.willCorrelationData = b.willCorrelationData;
        this.willUserProperties = b.willUserProperties;
        this.authenticator = b.authenticator;
    }

    /** A builder with every default. */
    public static Builder builder() {
        return new Builder();
    }

    /** Server host name or address; resolved again on every connect. */
    public String host() {
        return host;
    }

    /** Server port (default 1883, or 8883 for {@code ssl://}/{@code mqtts://}). */
    public int port() {
        return port;
    }

    /** True when the URI scheme asked for TLS ({@code ssl://}, {@code mqtts://}). */
    public boolean secure() {
        return secure;
    }

    /** Client identifier (MQTT 3.1.1 §3.1.3.1); "" lets the server assign one and requires a clean session. */
    public String clientId() {
        return clientId;
    }

    /** CleanSession flag (§3.1.2.4); false keeps subscriptions and the in-flight window across connections. */
    public boolean cleanSession() {
        return cleanSession;
    }

    /** Keep-alive in seconds (§3.1.2.10), 0 = off. */
    public int keepAliveSeconds() {
        return keepAliveSeconds;
    }

    /** Limit for opening the connection and receiving CONNACK, together (one deadline from the start of connect). */
    public int connectTimeoutMillis() {
        return connectTimeoutMillis;
    }

    /**
     * Limit for SUBACK/UNSUBACK, for a full in-flight window to free a slot, and for a PINGRESP (capped at 0.4 of the
     * keep-alive interval); also the longest silence while a PUBLISH larger than the receive buffer is drained.
     */
    public int operationTimeoutMillis() {
        return operationTimeoutMillis;
    }

    /** User name (§3.1.3.4) or null. */
    public String userName() {
        return userName;
    }

    /** A copy of the password bytes (§3.1.3.5) or null. */
    public byte[] password() {
        return password == null ? null : password.clone();
    }

    /** Will topic (§3.1.3.2) or null for no will. */
    public String willTopic() {
        return willTopic;
    }

    /** A copy of the will payload, or null for no will. */
    public byte[] willPayload() {
        return willPayload == null ? null : willPayload.clone();
    }

    /** Will QoS (§3.1.2.6). */
    public int willQos() {
        return willQos;
    }

    /** Will retain (§3.1.2.7). */
    public boolean willRetain() {
        return willRetain;
    }

    /** Size of the receive buffer: the largest incoming packet held whole. */
    public int receiveBufferBytes() {
        return receiveBufferBytes;
    }

    /** Size of the transmit buffer: the largest outgoing packet. */
    public int transmitBufferBytes() {
        return transmitBufferBytes;
    }

    /** Outgoing QoS 1/2 messages in flight at once. */
    public int maxInflight() {
        return maxInflight;
    }

    /** Incoming QoS 2 messages received but not yet released by PUBREL. */
    public int maxIncomingQos2() {
        return maxIncomingQos2;
    }

    /** Topic filters with a handler at once. */
    public int maxSubscriptions() {
        return maxSubscriptions;
    }

    /** Opens the connections. */
    public TransportFactory transportFactory() {
        return transportFactory;
    }

    /** Time source for keep-alive and timeouts. */
    public MonotonicClock clock() {
        return clock;
    }

    /** Receives session events. */
    public MqttListener listener() {
        return listener;
    }

    /** Whether {@code poll} reconnects by itself after a lost connection (default false). */
    public boolean automaticReconnect() {
        return automaticReconnect;
    }

    /** Nominal delay before the first reconnect attempt, in ms. */
    public int reconnectMinDelayMillis() {
        return reconnectMinDelayMillis;
    }

    /** Cap of the reconnect delay, in ms. */
    public int reconnectMaxDelayMillis() {
        return reconnectMaxDelayMillis;
    }

    /** Growth of the reconnect delay per failed attempt. */
    public double reconnectMultiplier() {
        return reconnectMultiplier;
    }

    /** Fraction of each reconnect delay that is random (0 = none). */
    public double reconnectJitter() {
        return reconnectJitter;
    }

    /**
     * What makes the store of outgoing QoS 1/2 messages (a store-and-forward journal), or null when they are kept in
     * memory only ({@link InflightStore#inMemory}).
     */
    public InflightStoreFactory inflightStore() {
        return inflightStore;
    }

    /**
     * Size of the write-coalescing batch in bytes, 0 when off (the default): see {@link Builder#coalesceWrites}.
     */
    public int coalesceBatchBytes() {
        return coalesceBatchBytes;
    }

    /** {@link #MQTT_3_1}, {@link #MQTT_3_1_1} (default), {@link #MQTT_5} or {@link #MQTT_AUTO}. */
    public int protocolVersion() {
        return protocolVersion;
    }

    /** MQTT 5.0 Session Expiry Interval in seconds (§3.1.2.11.2): 0 (default) ends the session with the connection. */
    public long sessionExpiryIntervalSeconds() {
        return sessionExpiryIntervalSeconds;
    }

    /**
     * MQTT 5.0 Receive Maximum (§3.1.2.11.3): incoming QoS 1/2 publishes the server may have unacknowledged; at most
     * {@link #maxIncomingQos2()}, its default.
     */
    public int receiveMaximum() {
        return receiveMaximum;
    }

    /** MQTT 5.0 Maximum Packet Size (§3.1.2.11.4) the client accepts, in bytes. */
    public int maximumPacketSize() {
        return maximumPacketSize;
    }

    /** MQTT 5.0 Topic Alias Maximum (§3.1.2.11.5): topic aliases the server may use towards the client, 0 = none. */
    public int topicAliasMaximum() {
        return topicAliasMaximum;
    }

    /**
     * Automatic outgoing topic aliases (MQTT 5.0 §3.3.2.3.4): how many topics the client maps to aliases, at most the
     * server's Topic Alias Maximum; 0 (default) = none.
     */
    public int topicAliases() {
        return topicAliases;
    }

    /** The longest topic, in UTF-8 bytes, that {@link #topicAliases()} maps; longer ones are always sent whole. */
    public int topicAliasTopicBytes() {
        return topicAliasTopicBytes;
    }

    /** MQTT 5.0 Request Problem Information (§3.1.2.11.7). */
    public boolean requestProblemInformation() {
        return requestProblemInformation;
    }

    /** MQTT 5.0 Request Response Information (§3.1.2.11.6). */
    public boolean requestResponseInformation() {
        return requestResponseInformation;
    }

    /** A copy of the CONNECT user properties (MQTT 5.0 §3.1.2.11.8) as name, value, name, value ...; may be empty. */
    public String[] userProperties() {
        return userProperties.clone();
    }

    /** MQTT 5.0 Will Delay Interval in seconds (§3.1.3.2.2), default 0. */
    public long willDelayIntervalSeconds() {
        return willDelayIntervalSeconds;
    }

    /** MQTT 5.0 will Message Expiry Interval in seconds (§3.1.3.2.4), or -1 (default) when the will does not expire. */
    public long willMessageExpirySeconds() {
        return willMessageExpirySeconds;
    }

    /** MQTT 5.0 will Payload Format Indicator (§3.1.3.2.3): true when the will payload is UTF-8 text. */
    public boolean willPayloadUtf8() {
        return willPayloadUtf8;
    }

    /** MQTT 5.0 will Content Type (§3.1.3.2.5) or null. */
    public String willContentType() {
        return willContentType;
    }

    /** MQTT 5.0 will Response Topic (§3.1.3.2.6) or null. */
    public String willResponseTopic() {
        return willResponseTopic;
    }

    /** A copy of the MQTT 5.0 will Correlation Data (§3.1.3.2.7), or null. */
    public byte[] willCorrelationData() {
        return willCorrelationData == null ? null : willCorrelationData.clone();
    }

    /** A copy of the will's user properties (MQTT 5.0 §3.1.3.2.8) as name, value, name, value ...; may be empty. */
    public String[] willUserProperties() {
        return willUserProperties.clone();
    }

    /** The MQTT 5.0 enhanced authentication method (§4.12), or null: none (the default). */
    public Authenticator authenticator() {
        return authenticator;
    }

    /** Host, port, client id and limits; never the password, nor the values of user properties. */
    @Override
    public String toString() {
        return "MqttConfig{" + (secure ? "ssl://" : "tcp://") + host + ":" + port
                + ", clientId=\"" + clientId + "\", cleanSession=" + cleanSession
                + ", keepAliveSeconds=" + keepAliveSeconds
                + ", userName=" + (userName == null ? "none" : "\"" + userName + "\"")
                + ", password=" + (password == null ? "none" : "****")
                + ", will=" + (willTopic == null ? "none" : "\"" + willTopic + "\" qos " + willQos)
                + (protocolVersion == MQTT_3_1_1 || protocolVersion == MQTT_3_1 ? ", protocolVersion=" + protocolVersion
                        : ", protocolVersion=" + (protocolVersion == MQTT_5 ? "5" : "AUTO")
                        + ", sessionExpiryIntervalSeconds=" + sessionExpiryIntervalSeconds + ", receiveMaximum="
                        + receiveMaximum + ", maximumPacketSize=" + maximumPacketSize + ", topicAliasMaximum="
                        + topicAliasMaximum + ", userProperties=" + userProperties.length / 2
                        + (willTopic == null ? "" : ", willDelayIntervalSeconds=" + willDelayIntervalSeconds)
                        + (authenticator == null ? "" : ", authenticationMethod=\"" + authenticator.method() + "\""))
                + ", receiveBufferBytes=" + receiveBufferBytes + ", transmitBufferBytes=" + transmitBufferBytes
                + ", maxInflight=" + maxInflight + ", maxIncomingQos2=" + maxIncomingQos2
                + ", maxSubscriptions=" + maxSubscriptions
                + (automaticReconnect ? ", reconnect " + reconnectMinDelayMillis + ".." + reconnectMaxDelayMillis
                        + " ms x" + reconnectMultiplier + " jitter " + reconnectJitter : "")
                + (inflightStore == null ? "" : ", " + inflightStore)
                + (coalesceBatchBytes == 0 ? "" : ", coalesceWrites " + coalesceBatchBytes + " bytes") + "}";
    }

    /** Collects and validates settings; each setter throws {@link IllegalArgumentException} naming value and range. */
    public static final class Builder {
        // Fields, constructor and MqttConfig's constructor are package-private, not private: in Java 8 bytecode (no
        // nestmates) each private member read across the two classes costs a synthetic accessor method (footprint).
        String host;
        int port = -1;
        boolean secure;
        String clientId = "";
        boolean cleanSession = true;
        int keepAliveSeconds = 60;
        int connectTimeoutMillis = 10_000;
        int operationTimeoutMillis = 10_000;
        String userName;
        byte[] password;
        String willTopic;
        byte[] willPayload;
        int willQos;
        boolean willRetain;
        int receiveBufferBytes = 16 * 1024;
        int transmitBufferBytes = 16 * 1024;
        int maxInflight = 16;
        int maxIncomingQos2 = 64;
        int maxSubscriptions = 16;
        TransportFactory transportFactory; // null: chosen by the scheme in build()
        String uri; // the server URI, for the message when TLS is asked for and not on the class path
        MonotonicClock clock = MonotonicClock.SYSTEM;
        MqttListener listener = new MqttListener() {
        };
        boolean automaticReconnect;
        int reconnectMinDelayMillis = 1_000;
        int reconnectMaxDelayMillis = 60_000;
        double reconnectMultiplier = 2.0;
        double reconnectJitter = 0.5;
        InflightStoreFactory inflightStore;
        int coalesceBatchBytes;
        int protocolVersion = MQTT_3_1_1;
        long sessionExpiryIntervalSeconds;
        int receiveMaximum; // 0: maxIncomingQos2
        int maximumPacketSize = MAX_PACKET_BYTES;
        int topicAliasMaximum;
        int topicAliases;
        int topicAliasTopicBytes = 128;
        boolean requestProblemInformation = true;
        boolean requestResponseInformation;
        String[] userProperties = {};
        long willDelayIntervalSeconds;
        long willMessageExpirySeconds = -1;
        boolean willPayloadUtf8;
        String willContentType;
        String willResponseTopic;
        byte[] willCorrelationData;
        String[] willUserProperties = {};
        Authenticator authenticator;
        /** The last MQTT 5.0 option set, with its value, for the message when the protocol is 3.1 or 3.1.1. */
        String option5;
        /** Whether a will property (5.0) was set: it needs a will. */
        boolean willOption5;

        Builder() {
        }

        /**
         * Server as a URI: {@code tcp://host:port} or {@code mqtt://host[:1883]}, {@code ssl://host:port} or
         * {@code mqtts://host[:8883]}. The TLS schemes need the client-tls layer on the class or module path, found by
         * {@link ServiceLoader} (its JVM-default factory), unless a {@link #transportFactory} is set.
         */
        public Builder serverUri(String uri) {
            if (uri == null) {
                throw new IllegalArgumentException("server URI is null");
            }
            URI parsed;
            try {
                parsed = new URI(uri);
            } catch (URISyntaxException e) {
                // getMessage() would repeat the input, password included
                throw new IllegalArgumentException("server URI \"" + maskPassword(uri) + "\" is not a URI: "
                        + e.getReason() + " at index " + e.getIndex());
            }
            String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(java.util.Locale.ROOT);
            boolean tls;
            switch (scheme) {
                case "tcp":
                case "mqtt":
                    tls = false;
                    break;
                case "ssl":
                case "mqtts":
                    tls = true;
                    break;
                default:
                    throw new IllegalArgumentException("server URI \"" + maskPassword(uri) + "\": scheme \"" + scheme
                            + "\" is not one of tcp, mqtt, ssl, mqtts");
            }
            String h = parsed.getHost();
            if (h == null || h.isEmpty()) {
                throw new IllegalArgumentException("server URI \"" + maskPassword(uri) + "\" has no host");
            }
            if (h.startsWith("[") && h.endsWith("]")) {
                h = h.substring(1, h.length() - 1);
            }
            if ((parsed.getPath() != null && !parsed.getPath().isEmpty() && !"/".equals(parsed.getPath()))
                    || parsed.getQuery() != null || parsed.getUserInfo() != null) {
                throw new IllegalArgumentException("server URI \"" + maskPassword(uri) + "\" may hold only scheme, host and port");
            }
            this.secure = tls;
            this.uri = uri;
            this.host = h;
            this.port = parsed.getPort() == -1 ? (tls ? 8883 : 1883) : checkRange("port", parsed.getPort(), 1, 65535);
            return this;
        }

        /** Server host name or address (plain TCP unless {@link #serverUri} said otherwise). */
        public Builder host(String host) {
            if (host == null || host.isEmpty()) {
                throw new IllegalArgumentException("host must not be empty");
            }
            this.host = host;
            return this;
        }

        /** Server port, 1..65535 (default 1883, or 8883 with a TLS URI). */
        public Builder port(int port) {
            this.port = checkRange("port", port, 1, 65535);
            return this;
        }

        /**
         * Client identifier (MQTT 3.1.1 §3.1.3.1), at most 65535 UTF-8 bytes; default "" (server-assigned,
         * requires {@code cleanSession(true)} [MQTT-3.1.3-7]).
         */
        public Builder clientId(String clientId) {
            if (clientId == null) {
                throw new IllegalArgumentException("clientId is null (use \"\" for a server-assigned id)");
            }
            checkUtf8("clientId", clientId);
            this.clientId = clientId;
            return this;
        }

        /** CleanSession flag (§3.1.2.4), default true. */
        public Builder cleanSession(boolean cleanSession) {
            this.cleanSession = cleanSession;
            return this;
        }

        /** Keep-alive (§3.1.2.10) in seconds, 0..65535 (0 = off), default 60. */
        public Builder keepAliveSeconds(int seconds) {
            this.keepAliveSeconds = checkRange("keepAliveSeconds", seconds, 0, 65535);
            return this;
        }

        /** Limit for TCP/TLS connect plus CONNACK, one deadline for both, 1..2^31-1 ms, default 10000. */
        public Builder connectTimeoutMillis(int millis) {
            this.connectTimeoutMillis = checkRange("connectTimeoutMillis", millis, 1, Integer.MAX_VALUE);
            return this;
        }

        /**
         * Limit for SUBACK/UNSUBACK, for a full window to free a slot, and for PINGRESP (capped at 0.4 of the keep-alive
         * interval); also the longest silence (not the total time) while an oversize PUBLISH is drained;
         * 1..2^31-1 ms, default 10000.
         */
        public Builder operationTimeoutMillis(int millis) {
            this.operationTimeoutMillis = checkRange("operationTimeoutMillis", millis, 1, Integer.MAX_VALUE);
            return this;
        }

        /** User name (§3.1.3.4), or null for none. */
        public Builder userName(String userName) {
            if (userName != null) {
                checkUtf8("userName", userName);
            }
            this.userName = userName;
            return this;
        }

        /** Password bytes (§3.1.3.5), copied; null for none. At most 65535 bytes. */
        public Builder password(byte[] password) {
            if (password != null) {
                checkRange("password length", password.length, 0, 65535);
            }
            this.password = password == null ? null : password.clone();
            return this;
        }

        /** Password characters, encoded as UTF-8 and held as bytes; null for none. */
        public Builder password(char[] password) {
            if (password == null) {
                this.password = null;
                return this;
            }
            java.nio.ByteBuffer bytes = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(password));
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            Arrays.fill(bytes.array(), (byte) 0);
            return password(copy);
        }

        /**
         * Will message (§3.1.2.5): published by the server if the connection ends without DISCONNECT.
         * {@code topic} is a valid topic name, {@code qos} 0..2; the payload (at most 65535 bytes) is copied.
         */
        public Builder will(String topic, byte[] payload, int qos, boolean retain) {
            if (topic == null || payload == null) {
                throw new IllegalArgumentException("will topic and payload must not be null");
            }
            int status = Topics.validateName(topic);
            if (status != CodecStatus.OK) {
                throw new IllegalArgumentException("will topic \"" + topic + "\": " + CodecStatus.describe(status));
            }
            checkRange("will payload length", payload.length, 0, 65535);
            this.willQos = checkRange("will qos", qos, 0, 2);
            this.willTopic = topic;
            this.willPayload = payload.clone();
            this.willRetain = retain;
            return this;
        }

        /** Receive buffer, the largest incoming packet held whole: 64 bytes..256 MiB, default 16 KiB. */
        public Builder receiveBufferBytes(int bytes) {
            this.receiveBufferBytes = checkRange("receiveBufferBytes", bytes, MIN_BUFFER_BYTES, MAX_PACKET_BYTES);
            return this;
        }

        /** Transmit buffer, the largest outgoing packet: 64 bytes..256 MiB, default 16 KiB. */
        public Builder transmitBufferBytes(int bytes) {
            this.transmitBufferBytes = checkRange("transmitBufferBytes", bytes, MIN_BUFFER_BYTES, MAX_PACKET_BYTES);
            return this;
        }

        /** Outgoing QoS 1/2 window: 1..65000, default 16 (memory: this many transmit buffers). */
        public Builder maxInflight(int messages) {
            this.maxInflight = checkRange("maxInflight", messages, 1, 65_000);
            return this;
        }

        /**
         * Incoming QoS 2 messages awaiting PUBREL: 1..65535, default 64. Must be at least the server's per-client
         * window (mosquitto: max_inflight_messages, 20); beyond it the client drops the connection unacknowledged.
         */
        public Builder maxIncomingQos2(int messages) {
            this.maxIncomingQos2 = checkRange("maxIncomingQos2", messages, 1, 65535);
            return this;
        }

        /** Topic filters with handlers: 1..65535, default 16. */
        public Builder maxSubscriptions(int filters) {
            this.maxSubscriptions = checkRange("maxSubscriptions", filters, 1, 65535);
            return this;
        }

        /**
         * How connections are opened; default {@link TcpTransportFactory#INSTANCE}, or
         * for {@code ssl://} and {@code mqtts://} URIs the TLS layer's JVM-default factory (artifact client-tls).
         */
        public Builder transportFactory(TransportFactory factory) {
            if (factory == null) {
                throw new IllegalArgumentException("transportFactory is null");
            }
            this.transportFactory = factory;
            return this;
        }

        /** Time source; default {@link MonotonicClock#SYSTEM}. */
        public Builder clock(MonotonicClock clock) {
            if (clock == null) {
                throw new IllegalArgumentException("clock is null");
            }
            this.clock = clock;
            return this;
        }

        /** Session events; default: a listener that ignores them. */
        public Builder listener(MqttListener listener) {
            if (listener == null) {
                throw new IllegalArgumentException("listener is null");
            }
            this.listener = listener;
            return this;
        }

        /**
         * Whether {@code poll} reconnects by itself (default false): after a lost connection or a failed attempt it
         * tries again after an exponential, jittered delay ({@code reconnect*} settings), resolving the host anew;
         * meanwhile {@code publish} at QoS 1/2 queues instead of failing. See {@link MqttClient}.
         */
        public Builder automaticReconnect(boolean on) {
            this.automaticReconnect = on;
            return this;
        }

        /**
         * Reconnect delays: the first {@code minDelayMillis} (1..3,600,000, default 1,000), multiplied by
         * {@code multiplier} (1.0..10.0, default 2.0) after each failed attempt up to {@code maxDelayMillis}
         * (min..3,600,000, default 60,000); each delay is shortened by a random fraction of up to {@code jitter}
         * of it (0.0..1.0, default 0.5: between half and all of the nominal delay), so nodes do not reconnect in step.
         * The delays start from {@code minDelayMillis} again only after a connection has stayed up for
         * {@code maxDelayMillis}: a server that accepts and then drops the client at once (a duplicate client id,
         * an ACL) meets growing delays, not a reconnect every minimum delay. The maximum delay is the measure, not
         * the keep-alive interval, because it is always set (keep-alive may be 0) and is what the user chose as the
         * longest pause worth waiting out.
         */
        public Builder reconnectBackoff(int minDelayMillis, int maxDelayMillis, double multiplier, double jitter) {
            this.reconnectMinDelayMillis = checkRange("reconnect minDelayMillis", minDelayMillis, 1, 3_600_000);
            this.reconnectMaxDelayMillis = checkRange("reconnect maxDelayMillis", maxDelayMillis, minDelayMillis, 3_600_000);
            if (!(multiplier >= 1.0 && multiplier <= 10.0)) {
                throw new IllegalArgumentException("reconnect multiplier " + multiplier + " not in 1.0..10.0");
            }
            if (!(jitter >= 0.0 && jitter <= 1.0)) {
                throw new IllegalArgumentException("reconnect jitter " + jitter + " not in 0.0..1.0");
            }
            this.reconnectMultiplier = multiplier;
            this.reconnectJitter = jitter;
            return this;
        }

        /**
         * Where outgoing QoS 1/2 messages are kept until acknowledged; default in memory, the window only. A journal
         * ({@code JournalStore} of artifact client-journal) keeps them in a preallocated file, so that they survive a
         * crash or a power cut and are sent again, first and in order, by the next client on the same file, and
         * queues them beyond the window (full: the oldest not yet sent are dropped and reported through
         * {@link MqttListener#onMessagesDropped}; publish never blocks on it). Called once per client built.
         */
        public Builder inflightStore(InflightStoreFactory factory) {
            if (factory == null) {
                throw new IllegalArgumentException("inflightStore factory is null");
            }
            this.inflightStore = factory;
            return this;
        }

        /**
         * Write coalescing: 0 = off (the default), else a batch of {@code batchBytes} (1,024..1,048,576), allocated
         * once when the client is built. When on, {@code publish} (QoS 0, and QoS 1/2 once the PUBLISH is in its
         * window slot) appends the packet to the batch instead of writing it, together with the acks of the receive
         * path, in the order they were produced; a packet that does not fit flushes the batch first, one larger than
         * the batch is written on its own after it. (With a journal {@link #inflightStore}, QoS 1/2 messages are written when the
         * window takes them from the file, not batched; re-sends after a reconnect are not batched either.) The batch is written in one transport write (one TLS record,
         * one system call): when the next packet does not fit; at the start of {@code poll}, {@code awaitInflight}
         * and a publish waiting for a window slot, and before any read that may wait; before PINGREQ, SUBSCRIBE,
         * UNSUBSCRIBE and DISCONNECT; in {@code disconnect} and {@code close}; and on {@link MqttClient#flush()}.
         * So a publisher that neither polls nor flushes leaves its last messages in the batch: call {@code flush}
         * (or {@code poll}) when a burst ends.
         *
         * <p>A failed write of the batch is a lost connection like any failed write. QoS 0 has no delivery
         * guarantee: with coalescing on, up to one batch of QoS 0 messages may be lost on a failure (without it, at
         * most the one being written). QoS 1/2 messages stay in the window (or journal) and are re-sent under the
         * session rules as always.
         */
        public Builder coalesceWrites(int batchBytes) {
            if (batchBytes != 0 && (batchBytes < 1024 || batchBytes > 1024 * 1024)) {
                throw new IllegalArgumentException("coalesceWrites batchBytes " + batchBytes
                        + " not 0 (off) and not in 1024..1048576");
            }
            this.coalesceBatchBytes = batchBytes;
            return this;
        }

        /**
         * The protocol: {@link #MQTT_3_1} (3), {@link #MQTT_3_1_1} (4, the default), {@link #MQTT_5} (5) or
         * {@link #MQTT_AUTO} (0: 5.0, falling back to 3.1.1). The options documented as MQTT 5.0 options need 5 or
         * AUTO. At 5.0 the CONNACK's limits hold (Receive Maximum, Maximum Packet Size, Retain Available, Maximum
         * QoS, Server Keep Alive); AUTO falls back to 3.1.1 for good when the server refuses 5.0
         * ({@link MqttListener#onProtocolFallback}). QoS 1/2 messages are stored (window, journal) as frames of the
         * level they were published at and re-sent as they are: do not change this over a journal that holds
         * messages, and with AUTO do not queue messages before the first connection has settled the level.
         */
        public Builder protocolVersion(int version) {
            if (version != MQTT_AUTO && (version < MQTT_3_1 || version > MQTT_5)) {
                throw new IllegalArgumentException("protocolVersion " + version
                        + " not one of 3 (MQTT 3.1), 4 (MQTT 3.1.1), 5 (MQTT 5.0), 0 (AUTO)");
            }
            this.protocolVersion = version;
            return this;
        }

        /**
         * MQTT 5.0 option: Session Expiry Interval (§3.1.2.11.2), 0..4,294,967,295 seconds ({@link #FOUR_BYTE_MAX}:
         * never), default 0 (the session ends with the connection). Both sides keep the session while it is above 0
         * [MQTT-3.1.2-23]. At 5.0 {@link #cleanSession cleanSession(false)} means only "resume the session if the
         * server still has one" (Clean Start 0): with the default of 0 the server keeps nothing after a disconnect,
         * so set an interval to have queued messages and subscriptions survive one.
         */
        public Builder sessionExpiryIntervalSeconds(long seconds) {
            this.sessionExpiryIntervalSeconds = option5("sessionExpiryIntervalSeconds", seconds, 0, FOUR_BYTE_MAX);
            return this;
        }

        /**
         * MQTT 5.0 option: Receive Maximum (§3.1.2.11.3), 1..65535 and at most {@link #maxIncomingQos2} (checked by
         * build), default {@code maxIncomingQos2} (64): QoS 1/2 publishes the server may send before they are
         * acknowledged [MQTT-3.3.4-9]. A QoS 2 message counts until its PUBCOMP, so a server keeping to it never
         * fills the table of unreleased QoS 2 messages.
         */
        public Builder receiveMaximum(int messages) {
            this.receiveMaximum = (int) option5("receiveMaximum", messages, 1, 65535);
            return this;
        }

        /**
         * MQTT 5.0 option: Maximum Packet Size (§3.1.2.11.4) the server may send [MQTT-3.1.2-24], 1..268,435,460
         * bytes, default 268,435,460 ({@link #MAX_PACKET_BYTES}: the protocol's own limit, not sent).
         */
        public Builder maximumPacketSize(int bytes) {
            this.maximumPacketSize = (int) option5("maximumPacketSize", bytes, 1, MAX_PACKET_BYTES);
            return this;
        }

        /**
         * MQTT 5.0 option: Topic Alias Maximum (§3.1.2.11.5), 0..65535, default 0 (the server sends no aliases
         * [MQTT-3.1.2-27]); the client allocates a table of this many topics.
         */
        public Builder topicAliasMaximum(int aliases) {
            this.topicAliasMaximum = (int) option5("topicAliasMaximum", aliases, 0, 65535);
            return this;
        }

        /**
         * MQTT 5.0 option: automatic outgoing topic aliases (§3.3.2.3.4), 0..65535, default 0 (off), for topics of
         * up to 128 UTF-8 bytes ({@link #topicAliases(int, int)}).
         */
        public Builder topicAliases(int count) {
            return topicAliases(count, 128);
        }

        /**
         * MQTT 5.0 option: automatic outgoing topic aliases (§3.3.2.3.4). A table of {@code count} topics of at most
         * {@code maxTopicBytes} each ({@code count * maxTopicBytes} bytes) is allocated with the client. On each
         * connection at most the server's Topic Alias Maximum are used (none when its CONNACK gives none
         * [MQTT-3.2.2-18]); the first PUBLISH to a topic sends topic and alias, later ones the alias and an empty
         * topic; when all are taken the least recently used is mapped anew. Aliases start afresh on every connection
         * [MQTT-3.3.2-7], and QoS 1/2 messages re-sent after a reconnect or taken from the journal carry their
         * whole topic. Topics of 3 bytes or less, or above {@code maxTopicBytes}, are sent whole.
         *
         * @param count         aliases, 0..65535; 0 = off
         * @param maxTopicBytes 4..65535
         */
        public Builder topicAliases(int count, int maxTopicBytes) {
            this.topicAliasTopicBytes = checkRange("topicAliases maxTopicBytes", maxTopicBytes, 4, 65535);
            this.topicAliases = (int) option5("topicAliases", count, 0, 65535);
            return this;
        }

        /**
         * MQTT 5.0 option: Request Problem Information (§3.1.2.11.7), default true; false asks the server for no
         * reason strings or user properties except on CONNACK and DISCONNECT [MQTT-3.1.2-29].
         */
        public Builder requestProblemInformation(boolean request) {
            option5 = "requestProblemInformation " + request;
            this.requestProblemInformation = request;
            return this;
        }

        /** MQTT 5.0 option: Request Response Information (§3.1.2.11.6), default false [MQTT-3.1.2-28]. */
        public Builder requestResponseInformation(boolean request) {
            option5 = "requestResponseInformation " + request;
            this.requestResponseInformation = request;
            return this;
        }

        /**
         * MQTT 5.0 option: adds a User Property to CONNECT (§3.1.2.11.8), kept in order; name and value are UTF-8
         * strings of at most 65535 bytes; at most {@link #MAX_USER_PROPERTIES}.
         */
        public Builder userProperty(String name, String value) {
            userProperties = addUserProperty("userProperty", userProperties, name, value);
            return this;
        }

        /**
         * MQTT 5.0 option: the will's properties (§3.1.3.2), for the will set by {@link #will}.
         *
         * @param delayIntervalSeconds Will Delay Interval, 0..4,294,967,295 s (default 0): the server waits this long
         *                             after the connection ends, or until the session ends, before publishing
         *                             [MQTT-3.1.2-8]
         * @param messageExpirySeconds Message Expiry Interval, 0..4,294,967,295 s, or -1 (default) for none
         * @param payloadUtf8          Payload Format Indicator 1: the will payload is UTF-8 text (checked by build)
         * @param contentType          Content Type, a UTF-8 string, or null
         * @param responseTopic        Response Topic, a topic name without wildcards [MQTT-3.3.2-14], or null
         * @param correlationData      Correlation Data (copied), at most 65535 bytes, or null
         */
        public Builder willProperties(long delayIntervalSeconds, long messageExpirySeconds, boolean payloadUtf8,
                String contentType, String responseTopic, byte[] correlationData) {
            if (contentType != null) {
                checkUtf8("will contentType", contentType);
            }
            if (responseTopic != null) {
                int status = Topics.validateName(responseTopic);
                if (status != CodecStatus.OK) {
                    throw new IllegalArgumentException("will responseTopic \"" + responseTopic + "\": "
                            + CodecStatus.describe(status) + " [MQTT-3.3.2-14]");
                }
            }
            if (correlationData != null) {
                checkRange("will correlationData length", correlationData.length, 0, 65535);
            }
            this.willMessageExpirySeconds = option5("will messageExpirySeconds", messageExpirySeconds, -1,
                    FOUR_BYTE_MAX);
            this.willDelayIntervalSeconds = option5("will delayIntervalSeconds", delayIntervalSeconds, 0,
                    FOUR_BYTE_MAX);
            this.willPayloadUtf8 = payloadUtf8;
            this.willContentType = contentType;
            this.willResponseTopic = responseTopic;
            this.willCorrelationData = correlationData == null ? null : correlationData.clone();
            this.willOption5 = true;
            return this;
        }

        /**
         * MQTT 5.0 option: adds a User Property to the will (§3.1.3.2.8), as {@link #userProperty}; needs a
         * {@link #will}.
         */
        public Builder willUserProperty(String name, String value) {
            willUserProperties = addUserProperty("willUserProperty", willUserProperties, name, value);
            willOption5 = true;
            return this;
        }

        /**
         * MQTT 5.0 only ({@link #MQTT_5}, not AUTO, whose fallback to 3.1.1 would connect without it): enhanced
         * authentication (§4.12) by {@code authenticator}. CONNECT carries its method and initial data, the server's
         * AUTH challenges are answered, the final data of CONNACK is verified, and
         * {@link MqttClient#reauthenticate()} becomes available. Buffers of {@link Authenticator#maxDataBytes()} are
         * allocated once; the AUTH frame must fit {@link #transmitBufferBytes}.
         */
        public Builder authenticator(Authenticator authenticator) {
            if (authenticator == null || authenticator.method() == null) {
                throw new IllegalArgumentException("authenticator " + (authenticator == null ? "is null"
                        : authenticator + " has no method (Authentication Method, MQTT 5.0 §3.1.2.11.9)"));
            }
            checkUtf8("authenticator method", authenticator.method());
            checkRange("authenticator maxDataBytes", authenticator.maxDataBytes(), 1, 65535);
            this.authenticator = authenticator;
            return this;
        }

        private String[] addUserProperty(String what, String[] pairs, String name, String value) {
            if (name == null || value == null) {
                throw new IllegalArgumentException(what + " name and value must not be null");
            }
            checkUtf8(what + " name", name);
            checkUtf8(what + " value", value);
            checkRange(what + " count", pairs.length / 2 + 1, 1, MAX_USER_PROPERTIES);
            option5 = what + " \"" + name + "\"";
            String[] more = Arrays.copyOf(pairs, pairs.length + 2);
            more[pairs.length] = name;
            more[pairs.length + 1] = value;
            return more;
        }

        /** Checks a 5.0 option's range and remembers it for build's protocol check. */
        private long option5(String name, long value, long min, long max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " " + value + " not in " + min + ".." + max);
            }
            option5 = name + " " + value;
            return value;
        }

        /**
         * Checks the settings together and builds the config.
         *
         * @throws IllegalArgumentException no host; empty client id without clean session [MQTT-3.1.3-7];
         *                                  password without user name [MQTT-3.1.2-22] (allowed at
         *                                  {@link #MQTT_5}, §3.1.2.9); an MQTT 5.0 option with protocol 3 or 4;
         *                                  MQTT 3.1 with a client id not of 1..23 characters (MQTT 3.1 §3.1);
         *                                  receiveMaximum above maxIncomingQos2; an authenticator at a
         *                                  protocol other than {@link #MQTT_5};
         *                                  will properties without a will, or a will payload not UTF-8 with
         *                                  {@code payloadUtf8}; TLS scheme with the TCP factory, or without
         *                                  a transportFactory and without client-tls; window memory
         *                                  above 2 GiB
         */
        public MqttConfig build() {
            if (host == null) {
                throw new IllegalArgumentException("no server: set serverUri(...) or host(...)");
            }
            if (port == -1) {
                port = secure ? 8883 : 1883;
            }
            if (clientId.isEmpty() && !cleanSession) {
                throw new IllegalArgumentException("an empty clientId requires cleanSession(true) [MQTT-3.1.3-7]");
            }
            if (password != null && userName == null && protocolVersion != MQTT_5) {
                throw new IllegalArgumentException("a password requires a userName [MQTT-3.1.2-22]"
                        + " (MQTT 5.0 allows one alone: protocolVersion(MQTT_5))");
            }
            if (option5 != null && protocolVersion >= MQTT_3_1 && protocolVersion <= MQTT_3_1_1) {
                throw new IllegalArgumentException(option5 + " is an MQTT 5.0 option but protocolVersion is "
                        + protocolVersion + " (MQTT 3.1" + (protocolVersion == MQTT_3_1 ? "" : ".1")
                        + "): set protocolVersion(MQTT_5) or protocolVersion(MQTT_AUTO)");
            }
            if (protocolVersion == MQTT_3_1 && (clientId.isEmpty() || clientId.length() > 23)) {
                throw new IllegalArgumentException("clientId \"" + clientId + "\" has " + clientId.length()
                        + " characters; MQTT 3.1 needs 1..23 (MQTT 3.1 §3.1 CONNECT payload)");
            }
            if (receiveMaximum > maxIncomingQos2) {
                throw new IllegalArgumentException("receiveMaximum " + receiveMaximum + " > maxIncomingQos2 "
                        + maxIncomingQos2 + ": the server could leave more QoS 2 messages unreleased than the client holds");
            }
            if (authenticator != null && protocolVersion != MQTT_5) {
                throw new IllegalArgumentException("authenticator \"" + authenticator.method() + "\" needs"
                        + " protocolVersion(MQTT_5); protocolVersion is " + protocolVersion + (protocolVersion == MQTT_AUTO
                        ? " (AUTO, whose fallback to 3.1.1 would connect without enhanced authentication)" : ""));
            }
            if (willOption5 && willTopic == null) {
                throw new IllegalArgumentException("will properties are set but there is no will: call will(...)");
            }
            if (willPayloadUtf8 && willTopic != null
                    && Utf8.validate(willPayload, 0, willPayload.length) != CodecStatus.OK) {
                throw new IllegalArgumentException("will payload of " + willPayload.length + " bytes is not UTF-8: "
                        + CodecStatus.describe(Utf8.validate(willPayload, 0, willPayload.length))
                        + ", but willProperties says payloadUtf8 (MQTT 5.0 §3.1.3.2.3)");
            }
            if (transportFactory == null) {
                transportFactory = secure ? tlsLayer() : TcpTransportFactory.INSTANCE;
            } else if (secure && transportFactory == TcpTransportFactory.INSTANCE) {
                throw new IllegalArgumentException("server " + host + ":" + port
                        + " asks for TLS (ssl:// or mqtts://): set a TLS transportFactory");
            }
            if ((long) topicAliases * topicAliasTopicBytes > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("topicAliases " + topicAliases + " * maxTopicBytes "
                        + topicAliasTopicBytes + " exceeds one Java array (2 GiB)");
            }
            long windowBytes = (long) maxInflight * transmitBufferBytes;
            if (windowBytes > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("maxInflight " + maxInflight + " * transmitBufferBytes "
                        + transmitBufferBytes + " = " + windowBytes + " bytes exceeds one Java array (2 GiB)");
            }
            return new MqttConfig(this);
        }

        /** The first encrypted {@link TransportFactory} a {@link ServiceLoader} finds: client-tls's JVM default. */
        private TransportFactory tlsLayer() {
            for (TransportFactory f : ServiceLoader.load(TransportFactory.class)) {
                if (f.encrypted()) {
                    return f;
                }
            }
            throw new IllegalArgumentException("server URI \"" + maskPassword(uri) + "\" asks for TLS but no TLS layer"
                    + " is on the class path: add the artifact dev.wren:client-tls, or set a transportFactory");
        }

        private static void checkUtf8(String what, String s) {
            int length = Utf8.encodedLength(s);
            if (length < 0) {
                throw new IllegalArgumentException(what + " \"" + s
                        + "\" holds an unpaired surrogate or U+0000 [MQTT-1.5.3-1, MQTT-1.5.3-2]");
            }
            checkRange(what + " UTF-8 length", length, 0, 65535);
        }
    }

    /** The one argument check: {@code value} within {@code [min, max]}, or an exception naming both. */
    static int checkRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " " + value + " not in " + min + ".." + max);
        }
        return value;
    }
}
