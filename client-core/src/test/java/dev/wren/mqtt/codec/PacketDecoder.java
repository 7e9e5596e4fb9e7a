package dev.wren.mqtt.codec;

/**
 * Test support: the two decoding steps for a whole frame of any type, with one reusable view per body kind.
 * Allocates nothing per call, so the allocation test can use it too.
 */
final class PacketDecoder {
    final FrameHeader header = new FrameHeader();
    final ConnectView connect = new ConnectView();
    final ConnackView connack = new ConnackView();
    final PublishView publish = new PublishView();
    final AckView ack = new AckView();
    final SubscribeView subscribe = new SubscribeView(8);
    final SubackView suback = new SubackView();
    final UnsubscribeView unsubscribe = new UnsubscribeView(8);

    /**
     * Decodes the frame at {@code off}: header, then (when all {@code len} bytes hold the frame) the body.
     *
     * @param clientSide apply the receive rules of a client (server-to-client types only)
     */
    int decode(byte[] buf, int off, int len, boolean clientSide) {
        int status = header.decode(buf, off, len);
        if (status != CodecStatus.OK) {
            return status;
        }
        if (clientSide) {
            status = FrameHeader.checkServerToClient(header.type());
            if (status != CodecStatus.OK) {
                return status;
            }
        }
        if (header.frameLength() > len) {
            return CodecStatus.NEED_MORE;
        }
        return decodeBody(buf, off + header.headerLength(), header.remainingLength());
    }

    /** Decodes a body of {@code len} bytes for the type last read by {@link #header}. */
    int decodeBody(byte[] buf, int bodyOff, int len) {
        switch (header.type()) {
            case PacketType.CONNECT:
                return connect.decode(buf, bodyOff, len);
            case PacketType.CONNACK:
                return connack.decode(buf, bodyOff, len);
            case PacketType.PUBLISH:
                return publish.decode(buf, bodyOff, len, header.flags());
            case PacketType.PUBACK:
            case PacketType.PUBREC:
            case PacketType.PUBREL:
            case PacketType.PUBCOMP:
            case PacketType.UNSUBACK:
                return ack.decode(buf, bodyOff, len);
            case PacketType.SUBSCRIBE:
                return subscribe.decode(buf, bodyOff, len);
            case PacketType.SUBACK:
                return suback.decode(buf, bodyOff, len);
            case PacketType.UNSUBSCRIBE:
                return unsubscribe.decode(buf, bodyOff, len);
            default:
                return CodecStatus.OK; // PINGREQ, PINGRESP, DISCONNECT: the header check is the whole check
        }
    }

    /** Text of a UTF-8 field in the last decoded buffer. */
    static String utf8(byte[] buf, int off, int len) {
        return new String(buf, off, len, java.nio.charset.StandardCharsets.UTF_8);
    }
}
