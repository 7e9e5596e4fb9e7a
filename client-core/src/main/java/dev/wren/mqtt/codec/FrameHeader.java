package dev.wren.mqtt.codec;

/**
 * Step 1 of decoding: the fixed header, byte 1 (type and flags) and the remaining length (MQTT 3.1.1 §2.2).
 * A reusable view: allocate once, call {@link #decode} per frame. The MQTT 5.0 rules (§2.1) are the same decoder
 * at level 5, {@code dev.wren.mqtt.codec.v5.FixedHeader}.
 */
public class FrameHeader {
    /** MQTT 5.0 rules: AUTH, minimal remaining length, fixed sizes only for PINGREQ and PINGRESP. */
    private final boolean mqtt5;
    private int type;
    private int flags;
    private int remainingLength;
    private int headerLength;

    /** An MQTT 3.1.1 fixed header decoder. */
    public FrameHeader() {
        this(false);
    }

    /**
     * A fixed header decoder for MQTT 3.1.1 or, with {@code mqtt5}, for MQTT 5.0 (§2.1): type 15 is AUTH with flags
     * 0 [MQTT-3.15.1-1], the remaining length must be minimally encoded [MQTT-1.5.5-1] (else
     * {@link CodecStatus#MALFORMED_VARIABLE_BYTE_INTEGER}, also for a 5th byte), and acknowledgements and
     * DISCONNECT vary in size (only PINGREQ and PINGRESP are fixed, at 0: §3.12, §3.13).
     *
     * @param mqtt5 true for the MQTT 5.0 rules
     */
    protected FrameHeader(boolean mqtt5) {
        this.mqtt5 = mqtt5;
    }

    /**
     * Decodes a fixed header and checks what it alone can tell: the packet type (§2.2.1), the reserved flag bits
     * of Table 2.2 [MQTT-2.2.2-2] (PUBREL, SUBSCRIBE, UNSUBSCRIBE need 0b0010 [MQTT-3.6.1-1, MQTT-3.8.1-1,
     * MQTT-3.10.1-1], all others but PUBLISH 0), QoS 3 in PUBLISH [MQTT-3.3.1-4], the remaining length encoding
     * (§2.2.3) and the size of packets whose size the type fixes (CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP,
     * UNSUBACK: 2; PINGREQ, PINGRESP, DISCONNECT: 0). It does not wait for the body.
     *
     * @param buf received bytes
     * @param off first byte of the frame
     * @param len bytes available from {@code off} (clamped to the buffer)
     * @return {@link CodecStatus#OK}, {@link CodecStatus#NEED_MORE}, {@link CodecStatus#UNKNOWN_PACKET_TYPE},
     *     {@link CodecStatus#RESERVED_FLAGS}, {@link CodecStatus#INVALID_QOS},
     *     {@link CodecStatus#REMAINING_LENGTH_TOO_LONG} or {@link CodecStatus#REMAINING_LENGTH_MISMATCH}
     */
    public int decode(byte[] buf, int off, int len) {
        int available = off < 0 || off > buf.length ? 0 : Math.min(len, buf.length - off);
        if (available < 1) {
            return CodecStatus.NEED_MORE;
        }
        int b1 = buf[off] & 0xFF;
        int t = b1 >>> 4;
        int f = b1 & 0x0F;
        int status = mqtt5 && t == 15 ? (f == 0 ? CodecStatus.OK : CodecStatus.RESERVED_FLAGS) : checkFlags(t, f);
        if (status != CodecStatus.OK) {
            return status;
        }
        int value = 0;
        int shift = 0;
        int hl;
        for (int i = 1; ; i++) {
            if (i > 4) {
                return mqtt5 ? CodecStatus.MALFORMED_VARIABLE_BYTE_INTEGER : CodecStatus.REMAINING_LENGTH_TOO_LONG;
            }
            if (i >= available) {
                return CodecStatus.NEED_MORE;
            }
            int digit = buf[off + i] & 0xFF;
            value |= (digit & 0x7F) << shift;
            shift += 7;
            if ((digit & 0x80) == 0) {
                if (mqtt5 && digit == 0 && i > 1) {
                    return CodecStatus.MALFORMED_VARIABLE_BYTE_INTEGER;
                }
                hl = 1 + i;
                break;
            }
        }
        int fixed = mqtt5 ? (t == PacketType.PINGREQ || t == PacketType.PINGRESP ? 0 : -1) : fixedRemainingLength(t);
        if (fixed >= 0 && value != fixed) {
            return CodecStatus.REMAINING_LENGTH_MISMATCH;
        }
        type = t;
        flags = f;
        remainingLength = value;
        headerLength = hl;
        return CodecStatus.OK;
    }

    /**
     * Checks the flags nibble of fixed header byte 1 against MQTT 3.1.1 Table 2.2 (the same in MQTT 5.0 Table 2-2
     * for types 1..14) [MQTT-2.2.2-2].
     *
     * @param type packet type 0..15
     * @param flags low nibble of byte 1
     * @return {@link CodecStatus#OK}, {@link CodecStatus#UNKNOWN_PACKET_TYPE} (0, 15),
     *     {@link CodecStatus#INVALID_QOS} (PUBLISH QoS 3) or {@link CodecStatus#RESERVED_FLAGS}
     */
    public static int checkFlags(int type, int flags) {
        switch (type) {
            case 0:
            case 15:
                return CodecStatus.UNKNOWN_PACKET_TYPE;
            case PacketType.PUBLISH:
                return (flags & 0b0110) == 0b0110 ? CodecStatus.INVALID_QOS : CodecStatus.OK;
            case PacketType.PUBREL:
            case PacketType.SUBSCRIBE:
            case PacketType.UNSUBSCRIBE:
                return flags == 0b0010 ? CodecStatus.OK : CodecStatus.RESERVED_FLAGS;
            default:
                return flags == 0 ? CodecStatus.OK : CodecStatus.RESERVED_FLAGS;
        }
    }

    /** The remaining length a type fixes, or -1 when it varies (§3.2..§3.14). */
    private static int fixedRemainingLength(int type) {
        switch (type) {
            case PacketType.CONNACK:
            case PacketType.PUBACK:
            case PacketType.PUBREC:
            case PacketType.PUBREL:
            case PacketType.PUBCOMP:
            case PacketType.UNSUBACK:
                return 2;
            case PacketType.PINGREQ:
            case PacketType.PINGRESP:
            case PacketType.DISCONNECT:
                return 0;
            default:
                return -1;
        }
    }

    /**
     * Checks that a packet type may flow from server to client (§2.2.1, Table 2.1).
     *
     * @param type a packet type
     * @return {@link CodecStatus#OK}, or {@link CodecStatus#FORBIDDEN_FROM_SERVER} for CONNECT, SUBSCRIBE,
     *     UNSUBSCRIBE, PINGREQ and DISCONNECT (client to server only), or {@link CodecStatus#UNKNOWN_PACKET_TYPE}
     */
    public static int checkServerToClient(int type) {
        switch (type) {
            case PacketType.CONNECT:
            case PacketType.SUBSCRIBE:
            case PacketType.UNSUBSCRIBE:
            case PacketType.PINGREQ:
            case PacketType.DISCONNECT:
                return CodecStatus.FORBIDDEN_FROM_SERVER;
            case 0:
            case 15:
                return CodecStatus.UNKNOWN_PACKET_TYPE;
            default:
                return type > 0 && type < 15 ? CodecStatus.OK : CodecStatus.UNKNOWN_PACKET_TYPE;
        }
    }

    /** Returns the packet type of the last successful decode, 1..14 (§2.2.1; 1..15 at MQTT 5.0). */
    public int type() {
        return type;
    }

    /** Returns the flags nibble of byte 1 of the last successful decode (§2.2.2). */
    public int flags() {
        return flags;
    }

    /** Returns the remaining length of the last successful decode: the body size in bytes (§2.2.3). */
    public int remainingLength() {
        return remainingLength;
    }

    /** Returns the fixed header size of the last successful decode: 1 + remaining length bytes, 2..5. */
    public int headerLength() {
        return headerLength;
    }

    /** Returns the whole frame size of the last successful decode: header plus body. */
    public int frameLength() {
        return headerLength + remainingLength;
    }
}
