package dev.wren.mqtt;

import dev.wren.mqtt.codec.v5.ReasonCode;

/**
 * A failure of the MQTT session, with a {@link Reason}. Socket failures while connected surface as
 * {@link Reason#CONNECTION_LOST} with the {@link java.io.IOException} as cause; two socket failures stay a plain
 * {@link java.io.IOException}: opening the transport in {@code connect}, and writing DISCONNECT in
 * {@code disconnect} (the connection was being ended anyway). Misuse of the API is {@link IllegalStateException} or
 * {@link IllegalArgumentException} instead.
 */
public final class MqttException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why an operation failed. */
    public enum Reason {
        /** CONNACK return code 1: the server does not support protocol level 4 (MQTT 3.1.1 §3.2.2.3). */
        REFUSED_PROTOCOL_VERSION,
        /** CONNACK return code 2: client identifier not allowed (§3.2.2.3). */
        REFUSED_IDENTIFIER_REJECTED,
        /** CONNACK return code 3: the MQTT service is unavailable (§3.2.2.3). */
        REFUSED_SERVER_UNAVAILABLE,
        /** CONNACK return code 4: bad user name or password (§3.2.2.3). */
        REFUSED_BAD_USER_NAME_OR_PASSWORD,
        /** CONNACK return code 5: not authorized (§3.2.2.3). */
        REFUSED_NOT_AUTHORIZED,
        /** No CONNACK within {@code connectTimeoutMillis}. */
        CONNECT_TIMEOUT,
        /** The connection failed: end of stream, read or write error; the cause is the {@link java.io.IOException}. */
        CONNECTION_LOST,
        /** The server broke the protocol; the message names the rule id (e.g. {@code MQTT-2.2.2-2}), see {@link #ruleId()}. */
        PROTOCOL_VIOLATION,
        /** The outgoing QoS 1/2 window stayed full for {@code operationTimeoutMillis}. */
        INFLIGHT_WINDOW_TIMEOUT,
        /** The outgoing window is full and the call came from a message handler, which cannot wait for acks. */
        INFLIGHT_WINDOW_FULL,
        /** No SUBACK/UNSUBACK within {@code operationTimeoutMillis}. */
        OPERATION_TIMEOUT,
        /** SUBACK return code 0x80 (§3.9.3). */
        SUBSCRIBE_REFUSED,
        /** The client is not connected. */
        NOT_CONNECTED,
        /** More unreleased incoming QoS 2 messages than {@code maxIncomingQos2}; none of them was acknowledged. */
        INCOMING_QOS2_TABLE_FULL,
        /** More subscriptions than {@code maxSubscriptions}. */
        SUBSCRIPTION_TABLE_FULL,
        /**
         * MQTT 5.0 enhanced authentication (§4.12): the client's {@link dev.wren.mqtt.auth.Authenticator} refused
         * the server's data (a wrong server signature, a challenge it cannot answer); the message says why.
         */
        AUTHENTICATION_FAILED,

        // MQTT 5.0 failure reason codes 0x80..0xA2 (§2.4, Table 2-6), in code order, each named as
        // dev.wren.mqtt.codec.v5.ReasonCode names it: forReasonCode maps by position, and tools' Connections
        // inverts it, so these stay last and other reasons go above.

        /** 0x80 Unspecified error. */
        UNSPECIFIED_ERROR,
        /** 0x81 Malformed Packet: the server could not parse what the client sent. */
        MALFORMED_PACKET,
        /** 0x82 Protocol Error: the server saw the client break the protocol. */
        PROTOCOL_ERROR,
        /** 0x83 Implementation specific error. */
        IMPLEMENTATION_SPECIFIC_ERROR,
        /** 0x84 Unsupported Protocol Version (CONNACK): the server does not speak MQTT 5.0. */
        UNSUPPORTED_PROTOCOL_VERSION,
        /** 0x85 Client Identifier not valid (CONNACK). */
        CLIENT_IDENTIFIER_NOT_VALID,
        /** 0x86 Bad User Name or Password (CONNACK). */
        BAD_USER_NAME_OR_PASSWORD,
        /** 0x87 Not authorized. */
        NOT_AUTHORIZED,
        /** 0x88 Server unavailable (CONNACK). */
        SERVER_UNAVAILABLE,
        /** 0x89 Server busy. */
        SERVER_BUSY,
        /** 0x8A Banned (CONNACK). */
        BANNED,
        /** 0x8B Server shutting down (DISCONNECT). */
        SERVER_SHUTTING_DOWN,
        /** 0x8C Bad authentication method. */
        BAD_AUTHENTICATION_METHOD,
        /**
         * No PINGRESP in time after a PINGREQ (MQTT 3.1.1 §3.1.2.10), or 0x8D Keep Alive timeout: the server's
         * DISCONNECT saying it heard nothing for 1.5 times the keep alive (MQTT 5.0 §3.1.2.10).
         */
        KEEP_ALIVE_TIMEOUT,
        /** 0x8E Session taken over (DISCONNECT): another connection with the same client identifier. */
        SESSION_TAKEN_OVER,
        /** 0x8F Topic Filter invalid. */
        TOPIC_FILTER_INVALID,
        /** 0x90 Topic Name invalid. */
        TOPIC_NAME_INVALID,
        /** 0x91 Packet Identifier in use. */
        PACKET_IDENTIFIER_IN_USE,
        /** 0x92 Packet Identifier not found. */
        PACKET_IDENTIFIER_NOT_FOUND,
        /** 0x93 Receive Maximum exceeded (DISCONNECT): more unacknowledged QoS 1/2 publishes than allowed. */
        RECEIVE_MAXIMUM_EXCEEDED,
        /** 0x94 Topic Alias invalid (DISCONNECT). */
        TOPIC_ALIAS_INVALID,
        /**
         * A packet does not fit the transmit buffer, or a non-PUBLISH packet does not fit the receive buffer; or
         * 0x95 Packet too large from the server (CONNACK, DISCONNECT).
         */
        PACKET_TOO_LARGE,
        /** 0x96 Message rate too high (DISCONNECT). */
        MESSAGE_RATE_TOO_HIGH,
        /** 0x97 Quota exceeded. */
        QUOTA_EXCEEDED,
        /** 0x98 Administrative action (DISCONNECT). */
        ADMINISTRATIVE_ACTION,
        /** 0x99 Payload format invalid. */
        PAYLOAD_FORMAT_INVALID,
        /** 0x9A Retain not supported. */
        RETAIN_NOT_SUPPORTED,
        /** 0x9B QoS not supported. */
        QOS_NOT_SUPPORTED,
        /** 0x9C Use another server (the Server Reference property may name it). */
        USE_ANOTHER_SERVER,
        /** 0x9D Server moved (the Server Reference property may name it). */
        SERVER_MOVED,
        /** 0x9E Shared Subscriptions not supported. */
        SHARED_SUBSCRIPTIONS_NOT_SUPPORTED,
        /** 0x9F Connection rate exceeded. */
        CONNECTION_RATE_EXCEEDED,
        /** 0xA0 Maximum connect time (DISCONNECT). */
        MAXIMUM_CONNECT_TIME,
        /** 0xA1 Subscription Identifiers not supported. */
        SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED,
        /** 0xA2 Wildcard Subscriptions not supported. */
        WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED;

        private static final Reason[] ALL = values();

        /**
         * The reason for an MQTT 5.0 failure reason code (§2.4, Table 2-6), as received in CONNACK, DISCONNECT or an
         * acknowledgement: the constant of the same name as in {@link ReasonCode}, e.g. 0x84 is
         * {@link #UNSUPPORTED_PROTOCOL_VERSION}, 0x97 {@link #QUOTA_EXCEEDED}. Allocates nothing.
         *
         * @param code 0x80..0xA2
         * @throws IllegalArgumentException for a code below 0x80 (not a failure) or not in Table 2-6
         */
        public static Reason forReasonCode(int code) {
            if (code < ReasonCode.UNSPECIFIED_ERROR || code > ReasonCode.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED) {
                throw new IllegalArgumentException("reason code 0x" + Integer.toHexString(code)
                        + " is not an MQTT 5.0 failure code 0x80..0xa2");
            }
            return ALL[UNSPECIFIED_ERROR.ordinal() + code - ReasonCode.UNSPECIFIED_ERROR];
        }

        /** The reason for a CONNACK return code 1..5 (MQTT 3.1.1 §3.2.2.3). */
        public static Reason forConnackReturnCode(int returnCode) {
            switch (returnCode) {
                case 1:
                    return REFUSED_PROTOCOL_VERSION;
                case 2:
                    return REFUSED_IDENTIFIER_REJECTED;
                case 3:
                    return REFUSED_SERVER_UNAVAILABLE;
                case 4:
                    return REFUSED_BAD_USER_NAME_OR_PASSWORD;
                case 5:
                    return REFUSED_NOT_AUTHORIZED;
                default:
                    throw new IllegalArgumentException("CONNACK return code " + returnCode + " not in 1..5");
            }
        }
    }

    private final Reason reason;
    private final String ruleId;

    /** An exception with {@code reason} and a message naming the values involved. */
    public MqttException(Reason reason, String message) {
        this(reason, message, "", null);
    }

    /** An exception with {@code reason}, a message and the underlying cause. */
    public MqttException(Reason reason, String message, Throwable cause) {
        this(reason, message, "", cause);
    }

    /** A {@link Reason#PROTOCOL_VIOLATION} (or other reason) naming the normative statement broken. */
    public MqttException(Reason reason, String message, String ruleId, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
        this.ruleId = ruleId == null ? "" : ruleId;
    }

    /** Why the operation failed. */
    public Reason reason() {
        return reason;
    }

    /** The MQTT 3.1.1 normative statement id the server broke (e.g. {@code MQTT-2.2.2-2}), or "" if none. */
    public String ruleId() {
        return ruleId;
    }
}
