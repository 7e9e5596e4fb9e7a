package dev.wren.mqtt.codec.v5;

import dev.wren.mqtt.codec.EmptyPacketEncoder;
import dev.wren.mqtt.codec.PacketType;

/**
 * Test support shared by the round-trip and allocation tests: one frame of each packet type around a given
 * property block, the view that decodes that block, and a full property set per packet. Allocates nothing.
 */
final class Packets5 {
    private static final CharSequence[] FILTER = {"a/+"};
    private static final int[] OPTIONS = {1};
    private static final int[] CODES = {0};
    private static final byte[] DATA = {1, 2, 3, 4};
    private static final byte[] NO_PAYLOAD = {};

    private Packets5() {
    }

    /** True when a client receives this packet type (Table 2-1); the will properties travel in CONNECT. */
    static boolean toClient(int packetType) {
        return packetType != Property.WILL && packetType != PacketType.CONNECT && packetType != PacketType.SUBSCRIBE
                && packetType != PacketType.UNSUBSCRIBE && packetType != PacketType.PINGREQ;
    }

    /** Writes one frame of {@code packetType} (or a CONNECT with a will for {@link Property#WILL}) carrying {@code w}. */
    static int encode(int packetType, byte[] dst, PropertiesWriter w, dev.wren.mqtt.codec.ConnectFields connect) {
        switch (packetType) {
            case Property.WILL:
                return ConnectEncoder.encode(dst, 0, connect, null, w);
            case PacketType.CONNECT:
                return ConnectEncoder.encode(dst, 0, connect, w, null);
            case PacketType.CONNACK:
                return ServerEncoders.encodeConnack(dst, 0, false, 0, w);
            case PacketType.PUBLISH:
                return PublishEncoder.encode(dst, 0, "t", 1, false, false, 9, w, NO_PAYLOAD, 0, 0);
            case PacketType.SUBSCRIBE:
                return SubscribeEncoder.encode(dst, 0, 1, w, FILTER, OPTIONS, 1);
            case PacketType.UNSUBSCRIBE:
                return SubscribeEncoder.encodeUnsubscribe(dst, 0, 1, w, FILTER, 1);
            case PacketType.SUBACK:
            case PacketType.UNSUBACK:
                return ServerEncoders.encodeSuback(dst, 0, packetType, 1, w, CODES, 1);
            case PacketType.PINGREQ:
            case PacketType.PINGRESP:
                return EmptyPacketEncoder.encode(dst, 0, packetType);
            case PacketType.DISCONNECT:
                return ReasonPacketEncoder.encode(dst, 0, packetType, 0, w);
            case PacketType5.AUTH:
                return ReasonPacketEncoder.encode(dst, 0, packetType, ReasonCode.CONTINUE_AUTHENTICATION, w);
            default:
                return AckEncoder.encode(dst, 0, packetType, 1, 0, w);
        }
    }

    /** The view holding the property block of the packet last decoded by {@code d}; null for PINGREQ, PINGRESP. */
    static PropertiesView view(PacketDecoder5 d, int packetType) {
        switch (packetType) {
            case Property.WILL: return d.connect.willProperties;
            case PacketType.CONNECT: return d.connect.properties;
            case PacketType.CONNACK: return d.connack.properties();
            case PacketType.PUBLISH: return d.publish.properties();
            case PacketType.SUBSCRIBE:
            case PacketType.UNSUBSCRIBE:
                return d.subscribe.properties;
            case PacketType.SUBACK:
            case PacketType.UNSUBACK:
                return d.suback.properties();
            case PacketType.DISCONNECT:
            case PacketType5.AUTH:
                return d.reason.properties();
            case PacketType.PINGREQ:
            case PacketType.PINGRESP:
                return null;
            default: return d.ack.properties();
        }
    }

    /** Puts every property the packet allows, each once, User Property twice (a full property set). */
    static PropertiesWriter fill(PropertiesWriter w, int packetType) {
        for (int id = 1; id <= Property.MAX_ID; id++) {
            if (!Property.allowedIn(id, packetType)) {
                continue;
            }
            switch (Property.type(id)) {
                case Property.UTF8_STRING:
                    w.putString(id, id == Property.RESPONSE_TOPIC ? "reply/\u00e9" : "text \ud83d\ude00");
                    break;
                case Property.BINARY_DATA:
                    w.putBinary(id, DATA, 0, DATA.length);
                    break;
                case Property.UTF8_STRING_PAIR:
                    w.putUserProperty("unit", "\u00b0C");
                    w.putUserProperty("sensor", "bme280");
                    break;
                case Property.BYTE:
                    w.putInt(id, 1);
                    break;
                default:
                    w.putInt(id, id == Property.SUBSCRIPTION_IDENTIFIER ? 268_435_455 : 1000 + id);
                    break;
            }
        }
        return w;
    }
}
