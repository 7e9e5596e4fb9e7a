package dev.wren.mqtt.codec.v5;

import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.FrameHeader;
import dev.wren.mqtt.codec.PacketType;

/**
 * Step 1 of decoding an MQTT 5.0 frame: byte 1 (type and flags) and the remaining length (MQTT 5.0 §2.1). Unlike
 * MQTT 3.1.1 the remaining length must be minimally encoded [MQTT-1.5.5-1], type 15 is AUTH, and acknowledgements
 * and DISCONNECT vary in size. A reusable view: allocate once, call {@link #decode} per frame.
 */
public final class FixedHeader {
    private int type;
    private int flags;
    private int remainingLength;
    private int headerLength;

    /**
     * Decodes a fixed header and checks what it alone can tell: the type (0 is reserved), the flags of Table 2-2
     * [MQTT-2.1.3-1] (PUBREL, SUBSCRIBE, UNSUBSCRIBE 0b0010; AUTH 0 [MQTT-3.15.1-1]; all others but PUBLISH 0),
     * PUBLISH QoS 3 [MQTT-3.3.1-4], the remaining length [MQTT-1.5.5-1], and remaining length 0 for PINGREQ and
     * PINGRESP (§3.12, §3.13).
     *
     * @param buf received bytes
     * @param off first byte of the frame
     * @param len bytes available from {@code off} (clamped to the buffer)
     * @return {@link CodecStatus#OK}, {@link CodecStatus#NEED_MORE}, {@link CodecStatus#UNKNOWN_PACKET_TYPE},
     *     {@link CodecStatus#RESERVED_FLAGS}, {@link CodecStatus#INVALID_QOS},
     *     {@link CodecStatus#MALFORMED_VARIABLE_BYTE_INTEGER} or {@link CodecStatus#REMAINING_LENGTH_MISMATCH}
     */
    public int decode(byte[] buf, int off, int len) {
        int available = off < 0 || off > buf.length ? 0 : Math.min(len, buf.length - off);
        if (available < 1) {
            return CodecStatus.NEED_MORE;
        }
        int t = (buf[off] & 0xFF) >>> 4;
        int f = buf[off] & 0x0F;
        int status = t == PacketType5.AUTH ? (f == 0 ? CodecStatus.OK : CodecStatus.RESERVED_FLAGS)
                : FrameHeader.checkFlags(t, f);
        if (status != CodecStatus.OK) {
            return status;
        }
        int vbi = VariableByteInteger.decode(buf, off + 1, off + available);
        if (vbi < CodecStatus.OK || vbi == CodecStatus.NEED_MORE) {
            return vbi;
        }
        int value = VariableByteInteger.value(vbi);
        if ((t == PacketType.PINGREQ || t == PacketType.PINGRESP) && value != 0) {
            return CodecStatus.REMAINING_LENGTH_MISMATCH;
        }
        type = t;
        flags = f;
        remainingLength = value;
        headerLength = 1 + VariableByteInteger.size(vbi);
        return CodecStatus.OK;
    }

    /**
     * Checks that a packet type may flow from server to client (MQTT 5.0 §2.1.2, Table 2-1): DISCONNECT and AUTH
     * now flow both ways.
     *
     * @param type a packet type
     * @return {@link CodecStatus#OK}, {@link CodecStatus#FORBIDDEN_FROM_SERVER} for CONNECT, SUBSCRIBE,
     *     UNSUBSCRIBE and PINGREQ, or {@link CodecStatus#UNKNOWN_PACKET_TYPE}
     */
    public static int checkServerToClient(int type) {
        switch (type) {
            case PacketType.CONNECT:
            case PacketType.SUBSCRIBE:
            case PacketType.UNSUBSCRIBE:
            case PacketType.PINGREQ:
                return CodecStatus.FORBIDDEN_FROM_SERVER;
            default:
                return type > 0 && type <= PacketType5.AUTH ? CodecStatus.OK : CodecStatus.UNKNOWN_PACKET_TYPE;
        }
    }

    /** Returns the packet type of the last successful decode, 1..15. */
    public int type() {
        return type;
    }

    /** Returns the flags nibble of byte 1 of the last successful decode. */
    public int flags() {
        return flags;
    }

    /** Returns the remaining length of the last successful decode: the body size in bytes. */
    public int remainingLength() {
        return remainingLength;
    }

    /** Returns the fixed header size of the last successful decode, 2..5. */
    public int headerLength() {
        return headerLength;
    }

    /** Returns the whole frame size of the last successful decode: header plus body. */
    public int frameLength() {
        return headerLength + remainingLength;
    }
}
