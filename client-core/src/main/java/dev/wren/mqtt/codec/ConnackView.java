package dev.wren.mqtt.codec;

/** A reusable view of a CONNACK body (MQTT 3.1.1 §3.2): acknowledge flags and return code. */
public final class ConnackView {
    /** Return code: connection accepted (§3.2.2.3, Table 3.1). */
    public static final int ACCEPTED = 0x00;
    /** Return code: unacceptable protocol version. */
    public static final int REFUSED_PROTOCOL_VERSION = 0x01;
    /** Return code: identifier rejected. */
    public static final int REFUSED_IDENTIFIER_REJECTED = 0x02;
    /** Return code: server unavailable. */
    public static final int REFUSED_SERVER_UNAVAILABLE = 0x03;
    /** Return code: bad user name or password. */
    public static final int REFUSED_BAD_USER_NAME_OR_PASSWORD = 0x04;
    /** Return code: not authorized. */
    public static final int REFUSED_NOT_AUTHORIZED = 0x05;

    private boolean sessionPresent;
    private int returnCode;

    /**
     * Decodes a CONNACK body.
     *
     * @param buf bytes
     * @param off first body byte (after the fixed header)
     * @param len remaining length
     * @return {@link CodecStatus#OK}, {@link CodecStatus#NEED_MORE} (body not all in {@code buf}),
     *     {@link CodecStatus#REMAINING_LENGTH_MISMATCH} (not 2), {@link CodecStatus#INVALID_CONNACK_FLAGS}
     *     (bits 7-1 set, §3.2.2.1), {@link CodecStatus#INVALID_CONNACK_CODE} (above 5, §3.2.2.3) or
     *     {@link CodecStatus#SESSION_PRESENT_ON_REFUSAL} [MQTT-3.2.2-4]
     */
    public int decode(byte[] buf, int off, int len) {
        if (len != 2) {
            return CodecStatus.REMAINING_LENGTH_MISMATCH;
        }
        if (!Wire.inBounds(buf, off, len)) {
            return CodecStatus.NEED_MORE;
        }
        int ackFlags = buf[off] & 0xFF;
        int code = buf[off + 1] & 0xFF;
        if ((ackFlags & 0xFE) != 0) {
            return CodecStatus.INVALID_CONNACK_FLAGS;
        }
        if (code > REFUSED_NOT_AUTHORIZED) {
            return CodecStatus.INVALID_CONNACK_CODE;
        }
        if (ackFlags != 0 && code != ACCEPTED) {
            return CodecStatus.SESSION_PRESENT_ON_REFUSAL;
        }
        sessionPresent = ackFlags != 0;
        returnCode = code;
        return CodecStatus.OK;
    }

    /** Returns the session present flag of the last successful decode (§3.2.2.2). */
    public boolean sessionPresent() {
        return sessionPresent;
    }

    /** Returns the return code of the last successful decode, 0..5 (§3.2.2.3). */
    public int returnCode() {
        return returnCode;
    }
}
