package dev.wren.tools.cli;

import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttConfig;
import dev.wren.mqtt.MqttException;
import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.codec.v5.ReasonCode;
import dev.wren.tools.ExitCodes;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/** Connecting a tool's client, with every failure turned into a mosquitto-like message and exit code. */
public final class Connections {

    private Connections() {
    }

    /**
     * Builds a client from {@code config} and connects it.
     *
     * @return the connected client
     * @throws ToolFailure a CONNACK refusal (exit code = return code 1..5, MQTT 3.1.1 §3.2.2.3, with the
     *                     reason as mosquitto words it; at 5.0 the reason code 0x80..0xA2 with its name, MQTT 5.0
     *                     §3.2.2.2, as mosquitto_pub/mosquitto_sub exit), or a connection that could not be made
     *                     (exit code 1)
     */
    public static MqttClient connect(MqttConfig config) {
        MqttClient client = new MqttClient(config);
        try {
            client.connect();
            return client;
        } catch (MqttException e) {
            client.close();
            throw failure(config, e);
        } catch (IOException e) {
            client.close();
            throw failure(config, e);
        }
    }

    /** The failure for a refused or failed CONNECT. */
    static ToolFailure failure(MqttConfig config, MqttException e) {
        String where = config.host() + ":" + config.port();
        int returnCode = returnCode(e.reason());
        if (returnCode > 0) {
            return new ToolFailure(returnCode, "Connection error: Connection Refused: " + refusal(returnCode)
                    + " (CONNACK return code " + returnCode + " from " + where + ").", e);
        }
        int reasonCode = reasonCode(e.reason());
        if (reasonCode > 0) {
            return new ToolFailure(reasonCode, "Connection error: " + ReasonCode.name(PacketType.CONNACK, reasonCode)
                    + " (CONNACK reason code 0x" + Integer.toHexString(reasonCode) + " from " + where + ").", e);
        }
        if (e.reason() == MqttException.Reason.CONNECT_TIMEOUT) {
            return new ToolFailure(ToolFailure.CONNECT_FAILED, "Error: " + where + " accepted the connection"
                    + " but sent no CONNACK within " + config.connectTimeoutMillis() + " ms.", e);
        }
        return new ToolFailure(ToolFailure.CONNECT_FAILED, "Error: connecting to " + where + " failed: "
                + e.getMessage(), e);
    }

    /** The failure for a transport that could not be opened. */
    static ToolFailure failure(MqttConfig config, IOException e) {
        String where = config.host() + ":" + config.port();
        String why;
        if (e instanceof UnknownHostException) {
            why = "unknown host '" + config.host() + "'";
        } else if (e instanceof SocketTimeoutException) {
            why = "no answer from " + where + " within " + config.connectTimeoutMillis() + " ms";
        } else if (e instanceof ConnectException) {
            why = "connection to " + where + " refused (is a broker listening there?)";
        } else {
            // TLS failures (untrusted chain, wrong host name, handshake alert) carry their reason as the message.
            why = "cannot connect to " + where + ": " + (e.getMessage() != null ? e.getMessage() : e.toString());
        }
        return new ToolFailure(ToolFailure.CONNECT_FAILED, "Error: " + why + ".", e);
    }

    /** The failure for a connection lost after CONNACK ({@code MOSQ_ERR_CONN_LOST}). */
    public static ToolFailure lost(MqttConfig config, Exception e) {
        return new ToolFailure(ExitCodes.CONNECTION_LOST, "Error: connection to " + config.host() + ":"
                + config.port() + " lost: " + e.getMessage(), e);
    }

    /**
     * The MQTT 5.0 reason code of a failure reason (0x80..0xA2, MQTT 5.0 §2.4), or 0 for a reason that is not one:
     * the inverse of {@link MqttException.Reason#forReasonCode}, whose constants are in code order.
     */
    private static int reasonCode(MqttException.Reason reason) {
        int offset = reason.ordinal() - MqttException.Reason.UNSPECIFIED_ERROR.ordinal();
        return offset >= 0 ? ReasonCode.UNSPECIFIED_ERROR + offset : 0;
    }

    private static int returnCode(MqttException.Reason reason) {
        switch (reason) {
            case REFUSED_PROTOCOL_VERSION:
                return 1;
            case REFUSED_IDENTIFIER_REJECTED:
                return 2;
            case REFUSED_SERVER_UNAVAILABLE:
                return 3;
            case REFUSED_BAD_USER_NAME_OR_PASSWORD:
                return 4;
            case REFUSED_NOT_AUTHORIZED:
                return 5;
            default:
                return 0;
        }
    }

    /** mosquitto's words for CONNACK return codes (libmosquitto {@code mosquitto_connack_string}). */
    private static String refusal(int returnCode) {
        switch (returnCode) {
            case 1:
                return "unacceptable protocol version";
            case 2:
                return "identifier rejected";
            case 3:
                return "broker unavailable";
            case 4:
                return "bad user name or password";
            default:
                return "not authorised";
        }
    }
}
