package dev.wren.mqtt.auth;

import dev.wren.mqtt.MqttException;

/**
 * An MQTT 5.0 enhanced authentication method (MQTT 5.0 §4.12), set with
 * {@link dev.wren.mqtt.MqttConfig.Builder#authenticator}: the client puts {@link #method()} and
 * {@link #initialData} into CONNECT (§3.1.2.11.9-10), answers each AUTH 0x18 (Continue authentication) from the
 * server with {@link #respond}, and has the server's final data (CONNACK 0x00, or AUTH 0x00 after a
 * re-authentication, §4.12.1) checked by {@link #verify}.
 *
 * <p>Contract. The client calls these on the thread that drives it (inside {@code connect}, {@code poll},
 * {@code reauthenticate}), one exchange at a time: {@link #initialData} starts an exchange and forgets any earlier
 * one. Data goes in as a byte range valid only during the call (it lies in the receive buffer), and comes out into
 * {@code dst[off..off+max)}, a buffer of {@link #maxDataBytes()} the client allocates once: no allocation is
 * required per step. Each writing method returns the bytes written, 0..max; 0 means no Authentication Data
 * property. Absent data in comes in as {@code len} 0. A refusal (the server's data is wrong, a step out of order)
 * is an {@link MqttException}, by convention {@link MqttException.Reason#AUTHENTICATION_FAILED}, whose message says
 * what was wrong: the client then sends DISCONNECT 0x80 and ends the connection with that exception. A
 * RuntimeException thrown while answering or verifying, or a length outside 0..max, ends it the same way, as
 * {@code AUTHENTICATION_FAILED}.
 */
public interface Authenticator {

    /** The Authentication Method (§3.1.2.11.9), e.g. {@code "SCRAM-SHA-256"}; the same value for every call. */
    String method();

    /** The most bytes one step writes (1..65535): the size of the buffer the client gives. Default 512. */
    default int maxDataBytes() {
        return 512;
    }

    /**
     * Starts an exchange: the Authentication Data of CONNECT, or of AUTH 0x19 for a re-authentication.
     *
     * @return bytes written into {@code dst[off..)}, 0..{@code max} (0: none)
     * @throws MqttException the exchange cannot start
     */
    int initialData(byte[] dst, int off, int max) throws MqttException;

    /**
     * Answers the server's challenge ({@code challenge[off..off+len)}, the Authentication Data of its AUTH 0x18) with
     * the data of the client's AUTH 0x18 [MQTT-4.12.0-3].
     *
     * @return bytes written into {@code dst[dstOff..)}, 0..{@code max} (0: none)
     * @throws MqttException the challenge is refused: malformed, unexpected, or failing a check of the method
     */
    int respond(byte[] challenge, int off, int len, byte[] dst, int dstOff, int max) throws MqttException;

    /**
     * Checks the server's final data ({@code data[off..off+len)}, len 0 when absent) when it accepts: CONNACK 0x00,
     * or AUTH 0x00 ending a re-authentication. Returning accepts the server.
     *
     * @throws MqttException the server did not prove what the method requires (a wrong server signature)
     */
    void verify(byte[] data, int off, int len) throws MqttException;
}
