package dev.wren.mqtt.internal;

import dev.wren.mqtt.MqttException;
import dev.wren.mqtt.MqttException.Reason;
import dev.wren.mqtt.auth.Authenticator;
import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.v5.PacketType5;
import dev.wren.mqtt.codec.v5.PropertiesView;
import dev.wren.mqtt.codec.v5.PropertiesWriter;
import dev.wren.mqtt.codec.v5.Property;
import dev.wren.mqtt.codec.v5.ReasonCode;
import dev.wren.mqtt.codec.v5.ReasonPacketEncoder;
import dev.wren.mqtt.codec.v5.ReasonPacketView;

import java.nio.charset.StandardCharsets;

/**
 * MQTT 5.0 enhanced authentication (§4.12) with the config's {@link Authenticator}: the data CONNECT carries, the
 * checks on each AUTH and on the accepting CONNACK, and the AUTH frames the client answers with. A function of what
 * it is given, as the session's other parts: it encodes what the session is to send and returns
 * {@link Failure#FAILED} (the failure filled in, {@link #disconnectCode()} the DISCONNECT reason code to send before
 * the connection ends) when the exchange fails. Its one state is whether a re-authentication is under way.
 * Allocation: buffers of {@link Authenticator#maxDataBytes()} once; per step, what the authenticator does.
 */
final class AuthExchange {

    /** {@link #onAuth} outcome: the server's AUTH 0x00 ended a re-authentication, verified; nothing to send. */
    static final int REAUTHENTICATED = -1;

    private final Authenticator authenticator;
    private final Failure failure;
    /** The Authentication Method as UTF-8: every AUTH and the accepting CONNACK must carry it [MQTT-4.12.0-5]. */
    private final byte[] method;
    /** What the authenticator writes: CONNECT's or an AUTH's Authentication Data. */
    private final byte[] data;
    private final PropertiesWriter props = new PropertiesWriter();
    private final byte[] propsBuffer;
    private final ReasonPacketView auth = new ReasonPacketView();
    /** AUTH 0x19 sent on this connection, the server's AUTH 0x00 not yet verified (§4.12.1). */
    private boolean reauthenticating;
    private int disconnectCode;

    AuthExchange(Authenticator authenticator, Failure failure) {
        this.authenticator = authenticator;
        this.failure = failure;
        this.method = authenticator.method().getBytes(StandardCharsets.UTF_8);
        this.data = new byte[authenticator.maxDataBytes()];
        this.propsBuffer = new byte[3 + method.length + PropertiesWriter.sizeOfBinary(data.length)];
    }

    /** The Authentication Data buffer {@link #start} fills. */
    byte[] data() {
        return data;
    }

    /** The largest AUTH frame: fixed header (5), reason code (1), property length (4), properties. */
    int maxFrameLength() {
        return 10 + propsBuffer.length;
    }

    /** The DISCONNECT reason code to send after {@link Failure#FAILED}: 0x81, 0x82 or 0x80 (the authenticator refused). */
    int disconnectCode() {
        return disconnectCode;
    }

    /**
     * Starts the exchange of a new connection: the CONNECT's Authentication Data into {@link #data()}.
     *
     * @return its length, 0 for none
     * @throws MqttException the authenticator cannot start
     */
    int start() throws MqttException {
        reauthenticating = false;
        return checkLength(authenticator.initialData(data, 0, data.length));
    }

    /**
     * Starts a re-authentication: encodes AUTH 0x19 (Re-authenticate) with the CONNECT's method and the
     * authenticator's initial data at {@code dst[off]} [MQTT-4.12.1-1].
     *
     * @return the frame length
     * @throws IllegalStateException a re-authentication is already under way
     * @throws MqttException the authenticator cannot start (nothing to send, the connection stays)
     */
    int reauthenticate(byte[] dst, int off) throws MqttException {
        if (reauthenticating) {
            throw new IllegalStateException("reauthenticate while a re-authentication is under way: wait for"
                    + " onReauthenticated, or the end of the connection");
        }
        int n = start();
        reauthenticating = true;
        return encode(dst, off, ReasonCode.RE_AUTHENTICATE, n);
    }

    /**
     * Handles the server's AUTH ({@code buf[body..body+len)}): AUTH 0x18 (Continue authentication), before CONNACK
     * or during a re-authentication, is answered with the client's AUTH 0x18 carrying the authenticator's response
     * [MQTT-4.12.0-2, MQTT-4.12.0-3]; AUTH 0x00 during a re-authentication has its data verified. Anything else is
     * a protocol error, as is a method other than the CONNECT's [MQTT-4.12.0-5].
     *
     * @param connecting CONNECT sent, CONNACK not yet received
     * @return the length of the answer encoded at {@code dst[off]}, {@link #REAUTHENTICATED}, or {@link Failure#FAILED}
     */
    int onAuth(byte[] buf, int body, int len, boolean connecting, byte[] dst, int off) {
        int status = auth.decode(buf, body, len, PacketType5.AUTH);
        if (status != CodecStatus.OK) {
            disconnectCode = ReasonCode.MALFORMED_PACKET;
            return failure.violation(status, "AUTH");
        }
        PropertiesView p = auth.properties();
        int code = auth.reasonCode();
        if (!sameMethod(p, "AUTH")) {
            return Failure.FAILED;
        }
        try {
            if (code == ReasonCode.CONTINUE_AUTHENTICATION && (connecting || reauthenticating)) {
                int n = checkLength(authenticator.respond(buf, p.valueOffset(Property.AUTHENTICATION_DATA),
                        p.valueLength(Property.AUTHENTICATION_DATA), data, 0, data.length));
                return encode(dst, off, ReasonCode.CONTINUE_AUTHENTICATION, n);
            }
            if (code == ReasonCode.SUCCESS && reauthenticating && !connecting) {
                reauthenticating = false;
                verify(p);
                return REAUTHENTICATED;
            }
        } catch (MqttException | RuntimeException e) {
            return refused(e, "AUTH 0x" + Integer.toHexString(code));
        }
        return protocolError("AUTH reason code 0x" + Integer.toHexString(code) + " " + ReasonCode.name(PacketType5.AUTH,
                code) + (connecting ? " before CONNACK" : reauthenticating ? " during a re-authentication"
                : " with no re-authentication under way") + " (MQTT 5.0 §4.12)", "");
    }

    /**
     * Checks a CONNACK 0x00 to a CONNECT with this method: the same method [MQTT-4.12.0-5], and the final data
     * verified by the authenticator.
     *
     * @return {@link CodecStatus#OK} or {@link Failure#FAILED}
     */
    int onConnack(PropertiesView p) {
        if (!sameMethod(p, "CONNACK")) {
            return Failure.FAILED;
        }
        try {
            verify(p);
        } catch (MqttException | RuntimeException e) {
            return refused(e, "CONNACK");
        }
        return CodecStatus.OK;
    }

    private void verify(PropertiesView p) throws MqttException {
        authenticator.verify(p.buffer(), p.valueOffset(Property.AUTHENTICATION_DATA),
                p.valueLength(Property.AUTHENTICATION_DATA));
    }

    private boolean sameMethod(PropertiesView p, String packet) {
        int at = p.valueOffset(Property.AUTHENTICATION_METHOD);
        boolean same = p.has(Property.AUTHENTICATION_METHOD) && p.valueLength(Property.AUTHENTICATION_METHOD) == method.length;
        for (int i = 0; same && i < method.length; i++) {
            same = p.buffer()[at + i] == method[i];
        }
        if (!same) {
            protocolError(packet + " Authentication Method " + (p.has(Property.AUTHENTICATION_METHOD) ? "\""
                    + p.text(Property.AUTHENTICATION_METHOD) + "\"" : "absent") + ", not the CONNECT's \""
                    + authenticator.method() + "\" [MQTT-4.12.0-5]", "MQTT-4.12.0-5");
        }
        return same;
    }

    private int protocolError(String text, String ruleId) {
        disconnectCode = ReasonCode.PROTOCOL_ERROR;
        return failure.set(Reason.PROTOCOL_VIOLATION, text, ruleId, null);
    }

    /**
     * The authenticator refused what {@code packet} carried: its exception's reason and text (without the
     * "REASON: " prefix of {@link MqttException#getMessage()}); a RuntimeException (a bug in it, or a step it returned
     * too much data for) is {@code AUTHENTICATION_FAILED} too, so that the connection still ends in order.
     */
    private int refused(Exception e, String packet) {
        disconnectCode = ReasonCode.UNSPECIFIED_ERROR;
        MqttException m = e instanceof MqttException ? (MqttException) e : null;
        return failure.set(m == null ? Reason.AUTHENTICATION_FAILED : m.reason(), "authenticator \""
                + authenticator.method() + "\" refused the server's " + packet + ": " + (m == null ? e.toString()
                : e.getMessage().substring(m.reason().name().length() + 2)), m == null ? "" : m.ruleId(), e);
    }

    private int checkLength(int n) {
        if (n < 0 || n > data.length) {
            throw new IllegalStateException("authenticator \"" + authenticator.method() + "\" returned " + n
                    + " bytes of data, not 0..maxDataBytes " + data.length);
        }
        return n;
    }

    /** AUTH with {@code code}, the method, and {@code data[0..n)} unless n is 0 (MQTT 5.0 §3.15). */
    private int encode(byte[] dst, int off, int code, int n) {
        props.wrap(propsBuffer, 0, PacketType5.AUTH).putString(Property.AUTHENTICATION_METHOD, authenticator.method());
        if (n > 0) {
            props.putBinary(Property.AUTHENTICATION_DATA, data, 0, n);
        }
        return ReasonPacketEncoder.encode(dst, off, PacketType5.AUTH, code, props);
    }
}
