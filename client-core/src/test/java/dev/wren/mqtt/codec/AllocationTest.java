package dev.wren.mqtt.codec;

import dev.wren.mqtt.testing.AllocationMeter;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Encode+decode of each packet type allocates 0 bytes per iteration on the current thread in the steady state,
 * measured by {@link AllocationMeter#assertSteadyStateAllocatesNothing} in rounds of {@value #ITERATIONS}.
 */
@Timeout(120)
class AllocationTest {
    private static final int ITERATIONS = 20_000;

    private final byte[] buf = new byte[512];
    private final PacketDecoder d = new PacketDecoder();
    private final ConnectFields connect = GoldenFixtures.fullConnect();
    private final CharSequence topic = "home/\u00e9t\u00e9/\ud83d\ude00/temperature";
    private final byte[] topicUtf8 = "home/kitchen/temperature".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private final byte[] payload = new byte[64];
    private final CharSequence[] filters = {"home/+/temperature", "$SYS/#", "a/b"};
    private final int[] qos = {0, 1, 2};
    private final int[] codes = {0, 0x80, 2};
    private long sink;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"CONNECT", "CONNACK", "PUBLISH", "PUBACK", "PUBREC", "PUBREL", "PUBCOMP", "SUBSCRIBE",
        "SUBACK", "UNSUBSCRIBE", "UNSUBACK", "PINGREQ", "PINGRESP", "DISCONNECT"})
    void encodeAndDecodeAllocateNothing(String typeName) throws Exception {
        int type = typeOf(typeName);
        AllocationMeter.assertSteadyStateAllocatesNothing(typeName + " encode+decode", ITERATIONS, n -> run(type, n));
    }

    private static int typeOf(String name) {
        for (int t = 1; t <= 14; t++) {
            if (PacketType.name(t).equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException(name);
    }

    private void run(int type, int iterations) {
        for (int i = 0; i < iterations; i++) {
            int id = 1 + (i & 0x7FFF);
            int len = encode(type, id, i);
            int status = d.decode(buf, 0, len, false);
            if (status != CodecStatus.OK) {
                throw new AssertionError(PacketType.name(type) + ": " + CodecStatus.describe(status));
            }
            sink += inspect(type);
        }
    }

    private int encode(int type, int id, int i) {
        switch (type) {
            case PacketType.CONNECT:
                return ConnectEncoder.encode(buf, 0, connect);
            case PacketType.CONNACK:
                return ConnackEncoder.encode(buf, 0, (i & 1) == 0, 0);
            case PacketType.PUBLISH:
                // Alternate the text topic (UTF-8 encoded on the fly) and the pre-encoded one, plus an ASCII payload.
                if ((i & 1) == 0) {
                    return PublishEncoder.encode(buf, 0, topic, 1, false, false, id, payload, 0, payload.length);
                }
                int payloadLength = AsciiWriter.fixedAsciiLength(-2153 - i, 2);
                int header = PublishEncoder.encodeHeader(buf, 0, topicUtf8, 0, topicUtf8.length, 2, true, false, id,
                        payloadLength);
                return header + AsciiWriter.putFixedAscii(buf, header, -2153 - i, 2);
            case PacketType.SUBSCRIBE:
                return SubscribeEncoder.encode(buf, 0, id, filters, qos, filters.length);
            case PacketType.SUBACK:
                return SubackEncoder.encode(buf, 0, id, codes, codes.length);
            case PacketType.UNSUBSCRIBE:
                return UnsubscribeEncoder.encode(buf, 0, id, filters, filters.length);
            case PacketType.PINGREQ:
            case PacketType.PINGRESP:
            case PacketType.DISCONNECT:
                return EmptyPacketEncoder.encode(buf, 0, type);
            default:
                return AckEncoder.encode(buf, 0, type, id);
        }
    }

    /** Reads the decoded fields the way a caller would, so the reads are measured too. */
    private long inspect(int type) {
        switch (type) {
            case PacketType.CONNECT:
                return d.connect.keepAliveSeconds() + d.connect.clientId().charAt(0);
            case PacketType.CONNACK:
                return d.connack.returnCode();
            case PacketType.PUBLISH: {
                PublishView p = d.publish;
                CharSequence t = p.topic();
                long sum = p.packetId() + p.payloadLength();
                for (int k = 0; k < t.length(); k++) {
                    sum += t.charAt(k);
                }
                boolean match = Topics.matches(filters[0], p.buffer(), p.topicOffset(), p.topicLength());
                return sum + (match ? 1 : 0) + (Utf8.equals(topic, p.buffer(), p.topicOffset(), p.topicLength()) ? 1 : 0);
            }
            case PacketType.SUBSCRIBE:
                return d.subscribe.count() + d.subscribe.requestedQos(2) + d.subscribe.filter(1).charAt(0);
            case PacketType.SUBACK:
                return d.suback.returnCode(1);
            case PacketType.UNSUBSCRIBE:
                return d.unsubscribe.count() + d.unsubscribe.filterLength(0);
            case PacketType.PINGREQ:
            case PacketType.PINGRESP:
            case PacketType.DISCONNECT:
                return d.header.type();
            default:
                return d.ack.packetId();
        }
    }
}
