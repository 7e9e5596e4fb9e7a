package dev.wren.mqtt.codec.v5;

import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.codec.Wire;

/**
 * A reusable view of an MQTT 5.0 CONNACK body (§3.2): acknowledge flags, reason code, properties (Session Expiry
 * Interval, Receive Maximum, Maximum QoS, Topic Alias Maximum, Server Keep Alive, ... through
 * {@link #properties()}).
 */
public final class ConnackView {
    private final PropertiesView properties = new PropertiesView();
    private boolean sessionPresent;
    private int reasonCode;

    /**
     * Decodes a CONNACK body.
     *
     * @param buf bytes
     * @param off first body byte
     * @param len remaining length
     * @return {@link CodecStatus#OK}, {@link CodecStatus#NEED_MORE}, {@link CodecStatus#REMAINING_LENGTH_MISMATCH}
     *     (fewer than 3 bytes [MQTT-2.2.2-1], or bytes after the properties), {@link CodecStatus#INVALID_CONNACK_FLAGS}
     *     (bits 7-1 set [MQTT-3.2.2-1]), {@link CodecStatus#INVALID_CONNACK_REASON} [MQTT-3.2.2-8],
     *     {@link CodecStatus#SESSION_PRESENT_ON_REFUSAL} (§3.2.2.1.1) or a {@link PropertiesView#decode} status
     */
    public int decode(byte[] buf, int off, int len) {
        if (!Wire.inBounds(buf, off, len)) {
            return CodecStatus.NEED_MORE;
        }
        if (len < 3) {
            return CodecStatus.REMAINING_LENGTH_MISMATCH;
        }
        int flags = buf[off] & 0xFF;
        int code = buf[off + 1] & 0xFF;
        if ((flags & 0xFE) != 0) {
            return CodecStatus.INVALID_CONNACK_FLAGS;
        }
        int status = ReasonCode.check(PacketType.CONNACK, code);
        if (status != CodecStatus.OK) {
            return status;
        }
        if (flags != 0 && code != ReasonCode.SUCCESS) {
            return CodecStatus.SESSION_PRESENT_ON_REFUSAL;
        }
        status = properties.decodeToEnd(buf, off + 2, off + len, PacketType.CONNACK);
        if (status != CodecStatus.OK) {
            return status;
        }
        sessionPresent = flags != 0;
        reasonCode = code;
        return CodecStatus.OK;
    }

    /** Returns the session present flag (§3.2.2.1.1). */
    public boolean sessionPresent() {
        return sessionPresent;
    }

    /** Returns the reason code (§3.2.2.2); 0x80 or more refuses the connection. */
    public int reasonCode() {
        return reasonCode;
    }

    /** Returns the CONNACK properties (§3.2.2.3), valid until the buffer is overwritten. */
    public PropertiesView properties() {
        return properties;
    }
}
