package dev.wren.mqtt.internal;

import dev.wren.mqtt.MqttException.Reason;
import dev.wren.mqtt.codec.CodecStatus;

/**
 * Why a part of the session ({@link FrameReader}, {@link PacketDispatcher}) found that the connection must end: the
 * part fills it in and returns {@link #FAILED}; the session ends the connection with it. One instance, reused: the
 * text is built only when something failed.
 */
final class Failure {

    /** The status a part returns when it filled this in. */
    static final int FAILED = -1000;

    Reason reason;
    String text;
    String ruleId;
    Throwable cause;

    /** Records a failure; returns {@link #FAILED}. */
    int set(Reason reason, String text, String ruleId, Throwable cause) {
        this.reason = reason;
        this.text = text;
        this.ruleId = ruleId;
        this.cause = cause;
        return FAILED;
    }

    /** The server broke a rule the codec detected in {@code what} [MQTT-4.8.0-1]; returns {@link #FAILED}. */
    int violation(int status, String what) {
        return set(Reason.PROTOCOL_VIOLATION, what + ": " + CodecStatus.describe(status), CodecStatus.ruleId(status), null);
    }
}
