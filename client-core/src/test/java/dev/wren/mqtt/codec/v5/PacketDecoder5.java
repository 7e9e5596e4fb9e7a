package dev.wren.mqtt.codec.v5;

import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.PacketType;

/**
 * Test support: both decoding steps for a whole MQTT 5.0 frame of any type and either direction, one reusable
 * view per body kind. Allocates nothing per call. Public so that the fuzz tests of {@code dev.wren.mqtt.codec}
 * reach it.
 */
public final class PacketDecoder5 {
    public final FixedHeader header = new FixedHeader();
    public final ConnackView connack = new ConnackView();
    public final PublishView publish = new PublishView();
    public final AckView ack = new AckView();
    public final SubackView suback = new SubackView();
    public final ReasonPacketView reason = new ReasonPacketView();
    final ServerConnectView connect = new ServerConnectView();
    final ServerSubscribeView subscribe = new ServerSubscribeView(8);

    /**
     * Decodes the frame at {@code off}: header, then the body once all of it is there.
     *
     * @param clientSide apply the receive rules of a client (server-to-client types only)
     */
    public int decode(byte[] buf, int off, int len, boolean clientSide) {
        int status = header.decode(buf, off, len);
        if (status != CodecStatus.OK) {
            return status;
        }
        if (clientSide) {
            status = FixedHeader.checkServerToClient(header.type());
            if (status != CodecStatus.OK) {
                return status;
            }
        }
        if (header.frameLength() > len) {
            return CodecStatus.NEED_MORE;
        }
        return decodeBody(buf, off + header.headerLength(), header.remainingLength(), clientSide);
    }

    /** Decodes a body for the type last read by {@link #header}. */
    public int decodeBody(byte[] buf, int bodyOff, int len, boolean clientSide) {
        switch (header.type()) {
            case PacketType.CONNECT:
                return connect.decode(buf, bodyOff, len);
            case PacketType.CONNACK:
                return connack.decode(buf, bodyOff, len);
            case PacketType.PUBLISH: {
                int status = publish.decode(buf, bodyOff, len, header.flags());
                // A client never sends a Subscription Identifier [MQTT-3.3.4-6]: a server rejects it.
                if (status == CodecStatus.OK && !clientSide
                        && publish.properties().has(Property.SUBSCRIPTION_IDENTIFIER)) {
                    return CodecStatus.PROPERTY_NOT_ALLOWED;
                }
                return status;
            }
            case PacketType.PUBACK:
            case PacketType.PUBREC:
            case PacketType.PUBREL:
            case PacketType.PUBCOMP:
                return ack.decode(buf, bodyOff, len, header.type());
            case PacketType.SUBSCRIBE:
            case PacketType.UNSUBSCRIBE:
                return subscribe.decode(buf, bodyOff, len, header.type());
            case PacketType.SUBACK:
            case PacketType.UNSUBACK:
                return suback.decode(buf, bodyOff, len, header.type());
            case PacketType.DISCONNECT:
            case PacketType5.AUTH:
                return reason.decode(buf, bodyOff, len, header.type());
            default:
                return CodecStatus.OK; // PINGREQ, PINGRESP: the header check is the whole check
        }
    }
}
