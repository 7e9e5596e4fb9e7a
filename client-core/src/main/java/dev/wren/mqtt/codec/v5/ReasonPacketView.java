package dev.wren.mqtt.codec.v5;

import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.Wire;

/**
 * A reusable view of a DISCONNECT (§3.14) or AUTH (§3.15) body: optionally a reason code (0 when absent) and
 * properties (none when absent).
 */
public final class ReasonPacketView {
    private final PropertiesView properties = new PropertiesView();
    private int reasonCode;

    /**
     * Decodes the body.
     *
     * @param buf bytes
     * @param off first body byte
     * @param len remaining length
     * @param packetType DISCONNECT or AUTH: selects the reason code table
     * @return {@link CodecStatus#OK}, {@link CodecStatus#NEED_MORE},
     *     {@link CodecStatus#INVALID_DISCONNECT_REASON}, {@link CodecStatus#INVALID_AUTH_REASON} [MQTT-3.15.2-1],
     *     {@link CodecStatus#REMAINING_LENGTH_MISMATCH} (bytes after the properties) or a properties status
     */
    public int decode(byte[] buf, int off, int len, int packetType) {
        if (!Wire.inBounds(buf, off, len)) {
            return CodecStatus.NEED_MORE;
        }
        int code = properties.decodeReasonAndProperties(buf, off, off + len, packetType);
        if (code < 0) {
            return code;
        }
        reasonCode = code;
        return CodecStatus.OK;
    }

    /** Returns the reason code. */
    public int reasonCode() {
        return reasonCode;
    }

    /** Returns the properties. */
    public PropertiesView properties() {
        return properties;
    }
}
