package dev.wren.mqtt;

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
        /** No PINGRESP in time after a PINGREQ (§3.1.2.10). */
        KEEP_ALIVE_TIMEOUT,
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
        /** A packet does not fit the transmit buffer, or a non-PUBLISH packet does not fit the receive buffer. */
        PACKET_TOO_LARGE,
        /** The client is not connected. */
        NOT_CONNECTED,
        /** More unreleased incoming QoS 2 messages than {@code maxIncomingQos2}; none of them was acknowledged. */
        INCOMING_QOS2_TABLE_FULL,
        /** More subscriptions than {@code maxSubscriptions}. */
        SUBSCRIPTION_TABLE_FULL;

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
