package dev.wren.mqtt.codec.v5;

import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.FrameHeader;
import dev.wren.mqtt.codec.PacketType;

/**
 * Step 1 of decoding an MQTT 5.0 frame: byte 1 (type and flags) and the remaining length (MQTT 5.0 §2.1). The
 * {@link FrameHeader} decoder at level 5: unlike MQTT 3.1.1 the remaining length must be minimally encoded
 * [MQTT-1.5.5-1] ({@link CodecStatus#MALFORMED_VARIABLE_BYTE_INTEGER}), type 15 is AUTH with flags 0
 * [MQTT-3.15.1-1], and acknowledgements and DISCONNECT vary in size (PINGREQ and PINGRESP stay at 0: §3.12,
 * §3.13). A reusable view: allocate once, call {@link #decode} per frame.
 */
public final class FixedHeader extends FrameHeader {
    /** An MQTT 5.0 fixed header decoder. */
    public FixedHeader() {
        super(true);
    }

    /**
     * Checks that a packet type may flow from server to client (MQTT 5.0 §2.1.2, Table 2-1): DISCONNECT and AUTH
     * now flow both ways; the rest is the MQTT 3.1.1 rule, {@link FrameHeader#checkServerToClient}.
     *
     * @param type a packet type
     * @return {@link CodecStatus#OK}, {@link CodecStatus#FORBIDDEN_FROM_SERVER} for CONNECT, SUBSCRIBE,
     *     UNSUBSCRIBE and PINGREQ, or {@link CodecStatus#UNKNOWN_PACKET_TYPE}
     */
    public static int checkServerToClient(int type) {
        return type == PacketType.DISCONNECT || type == PacketType5.AUTH ? CodecStatus.OK
                : FrameHeader.checkServerToClient(type);
    }
}
