package dev.wren.mqtt.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wren.mqtt.testing.Covers;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Random valid packets encode, then decode to the same fields. The seed comes from {@code -Dwren.seed} or the
 * clock, and every failure message starts with it, so a failure can be replayed.
 */
class RoundTripPropertyTest {
    private static final int ITERATIONS = 5_000;

    private long seed;
    private Random random;
    private final PacketDecoder d = new PacketDecoder();
    private final byte[] buf = new byte[70_000];

    @BeforeEach
    void seed() {
        seed = Long.getLong("wren.seed", System.nanoTime());
        random = new Random(seed);
    }

    private String where(int i, byte[] frame, int len) {
        return "seed " + seed + " iteration " + i + " frame [" + Bytes.hex(frame, 0, Math.min(len, 64)) + "]";
    }

    private void decodeOk(int i, int len, boolean clientSide) {
        int status = d.decode(buf, 0, len, clientSide);
        assertEquals(CodecStatus.OK, status, () -> where(i, buf, len) + ": " + CodecStatus.describe(status));
        assertEquals(len, d.header.frameLength(), () -> where(i, buf, len));
    }

    private static String text(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.UTF_8);
    }

    @Test
    @Covers({"MQTT-3.3.1-1", "MQTT-3.3.1-2", "MQTT-2.3.1-5", "MQTT-3.3.2-1", "MQTT-1.5.3-1"})
    void publishRoundTripsEveryFieldFromTextAndFromBytes() {
        for (int i = 0; i < ITERATIONS; i++) {
            String topic = RandomPackets.topicName(random);
            int qos = random.nextInt(3);
            boolean retain = random.nextBoolean();
            boolean dup = qos > 0 && random.nextBoolean();
            int packetId = qos > 0 ? 1 + random.nextInt(0xFFFF) : 0;
            byte[] payload = RandomPackets.bytes(random, random.nextInt(10) == 0 ? 20_000 : 64);
            int payloadOff = payload.length == 0 ? 0 : random.nextInt(payload.length);
            int payloadLen = payload.length - payloadOff;
            byte[] topicUtf8 = topic.getBytes(StandardCharsets.UTF_8);

            int len = PublishEncoder.length(topicUtf8.length, qos, payloadLen);
            int written = random.nextBoolean()
                    ? PublishEncoder.encode(buf, 0, topic, qos, retain, dup, packetId, payload, payloadOff, payloadLen)
                    : PublishEncoder.encode(buf, 0, topicUtf8, 0, topicUtf8.length, qos, retain, dup, packetId,
                            payload, payloadOff, payloadLen);
            int n = i;
            assertEquals(len, written, () -> where(n, buf, written));
            decodeOk(i, len, true);
            PublishView p = d.publish;
            assertEquals(topic, p.topic().toString(), () -> where(n, buf, len));
            assertEquals(topic, charByChar(p.topic()), () -> where(n, buf, len));
            assertEquals(topic.length(), p.topic().length(), () -> where(n, buf, len));
            assertEquals(qos, p.qos());
            assertEquals(retain, p.retain());
            assertEquals(dup, p.dup());
            assertEquals(packetId, p.packetId());
            assertArrayEquals(Arrays.copyOfRange(payload, payloadOff, payload.length),
                    Arrays.copyOfRange(p.buffer(), p.payloadOffset(), p.payloadOffset() + p.payloadLength()),
                    () -> where(n, buf, len));
            assertEquals(true, p.topicEquals(topicUtf8, 0, topicUtf8.length));
            assertEquals(true, Utf8.equals(topic, p.buffer(), p.topicOffset(), p.topicLength()));
        }
    }

    /** Reads a CharSequence through charAt only, back to front then front to back (exercising the cursor). */
    private static String charByChar(CharSequence s) {
        char[] back = new char[s.length()];
        for (int k = s.length() - 1; k >= 0; k--) {
            back[k] = s.charAt(k);
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < s.length(); k++) {
            sb.append(s.charAt(k));
        }
        assertEquals(new String(back), sb.toString());
        return sb.toString();
    }

    @Test
    @Covers({"MQTT-3.1.3-1", "MQTT-3.1.3-3", "MQTT-3.1.2-9", "MQTT-3.1.2-11", "MQTT-3.1.2-18",
            "MQTT-3.1.2-19", "MQTT-3.1.2-20", "MQTT-3.1.2-21", "MQTT-3.1.3-4", "MQTT-3.1.3-10", "MQTT-3.1.3-11"})
    void connectRoundTripsEveryField() {
        ConnectFields f = new ConnectFields();
        for (int i = 0; i < ITERATIONS; i++) {
            f.clear();
            f.clientId = RandomPackets.level(random, 23);
            f.cleanSession = f.clientId.length() == 0 || random.nextBoolean();
            f.keepAliveSeconds = random.nextInt(0x10000);
            byte[] will = RandomPackets.bytes(random, 40);
            if (random.nextBoolean()) {
                f.willTopic = RandomPackets.topicName(random);
                f.willPayload = will;
                f.willPayloadOffset = will.length / 2;
                f.willPayloadLength = will.length - will.length / 2;
                f.willQos = random.nextInt(3);
                f.willRetain = random.nextBoolean();
            }
            byte[] password = RandomPackets.bytes(random, 30);
            if (random.nextBoolean()) {
                f.userName = RandomPackets.level(random, 10);
                if (random.nextBoolean()) {
                    f.password = password;
                    f.passwordLength = password.length;
                }
            }
            int len = ConnectEncoder.length(f);
            int n = i;
            assertEquals(len, ConnectEncoder.encode(buf, 0, f), () -> where(n, buf, len));
            decodeOk(i, len, false);
            ConnectView c = d.connect;
            assertEquals(f.clientId.toString(), c.clientId().toString(), () -> where(n, buf, len));
            assertEquals(f.cleanSession, c.cleanSession());
            assertEquals(f.keepAliveSeconds, c.keepAliveSeconds());
            assertEquals(f.willTopic != null, c.hasWill());
            if (f.willTopic != null) {
                assertEquals(f.willTopic.toString(), c.willTopic().toString(), () -> where(n, buf, len));
                assertArrayEquals(Arrays.copyOfRange(will, f.willPayloadOffset, will.length),
                        Arrays.copyOfRange(buf, c.willPayloadOffset(), c.willPayloadOffset() + c.willPayloadLength()));
                assertEquals(f.willQos, c.willQos());
                assertEquals(f.willRetain, c.willRetain());
            } else {
                assertEquals(0, c.willQos());
                assertEquals(false, c.willRetain());
            }
            assertEquals(f.userName != null, c.hasUserName());
            if (f.userName != null) {
                assertEquals(f.userName.toString(), c.userName().toString());
            }
            assertEquals(f.password != null, c.hasPassword());
            if (f.password != null) {
                assertArrayEquals(password,
                        Arrays.copyOfRange(buf, c.passwordOffset(), c.passwordOffset() + c.passwordLength()));
            }
        }
    }

    @Test
    @Covers({"MQTT-3.8.3-1", "MQTT-3.10.3-1", "MQTT-3.9.3-1", "MQTT-4.7.1-2", "MQTT-4.7.1-3"})
    void subscribeSubackAndUnsubscribeRoundTrip() {
        CharSequence[] filters = new CharSequence[8];
        int[] qos = new int[8];
        int[] codes = new int[8];
        int[] allowed = {0, 1, 2, 0x80};
        for (int i = 0; i < ITERATIONS; i++) {
            int count = 1 + random.nextInt(8);
            int packetId = 1 + random.nextInt(0xFFFF);
            for (int k = 0; k < count; k++) {
                filters[k] = RandomPackets.topicFilter(random);
                qos[k] = random.nextInt(3);
                codes[k] = allowed[random.nextInt(4)];
            }
            int n = i;
            int len = SubscribeEncoder.length(filters, count);
            assertEquals(len, SubscribeEncoder.encode(buf, 0, packetId, filters, qos, count));
            decodeOk(i, len, false);
            assertEquals(packetId, d.subscribe.packetId());
            assertEquals(count, d.subscribe.count());
            for (int k = 0; k < count; k++) {
                assertEquals(filters[k].toString(), d.subscribe.filter(k).toString(), () -> where(n, buf, len));
                assertEquals(qos[k], d.subscribe.requestedQos(k));
            }

            int ulen = UnsubscribeEncoder.length(filters, count);
            assertEquals(ulen, UnsubscribeEncoder.encode(buf, 0, packetId, filters, count));
            decodeOk(i, ulen, false);
            assertEquals(packetId, d.unsubscribe.packetId());
            assertEquals(count, d.unsubscribe.count());
            for (int k = 0; k < count; k++) {
                assertEquals(filters[k].toString(), d.unsubscribe.filter(k).toString(), () -> where(n, buf, ulen));
            }

            int slen = SubackEncoder.length(count);
            assertEquals(slen, SubackEncoder.encode(buf, 0, packetId, codes, count));
            decodeOk(i, slen, true);
            assertEquals(packetId, d.suback.packetId());
            assertEquals(count, d.suback.count());
            for (int k = 0; k < count; k++) {
                assertEquals(codes[k], d.suback.returnCode(k), () -> where(n, buf, slen));
            }
        }
    }

    @Test
    @Covers({"MQTT-3.2.2-4"})
    void acksConnackAndEmptyPacketsRoundTrip() {
        int[] ackTypes = {PacketType.PUBACK, PacketType.PUBREC, PacketType.PUBREL, PacketType.PUBCOMP,
            PacketType.UNSUBACK};
        int[] emptyTypes = {PacketType.PINGREQ, PacketType.PINGRESP, PacketType.DISCONNECT};
        for (int i = 0; i < ITERATIONS; i++) {
            int type = ackTypes[random.nextInt(ackTypes.length)];
            int packetId = 1 + random.nextInt(0xFFFF);
            assertEquals(4, AckEncoder.encode(buf, 0, type, packetId));
            decodeOk(i, 4, true);
            assertEquals(type, d.header.type());
            assertEquals(packetId, d.ack.packetId(), "seed " + seed);

            int code = random.nextInt(6);
            boolean sessionPresent = code == 0 && random.nextBoolean();
            assertEquals(4, ConnackEncoder.encode(buf, 0, sessionPresent, code));
            decodeOk(i, 4, true);
            assertEquals(code, d.connack.returnCode());
            assertEquals(sessionPresent, d.connack.sessionPresent());

            int empty = emptyTypes[random.nextInt(emptyTypes.length)];
            assertEquals(2, EmptyPacketEncoder.encode(buf, 0, empty));
            decodeOk(i, 2, false);
            assertEquals(empty, d.header.type());
        }
    }

    @Test
    void remainingLengthRoundTripsAcrossItsWholeRange() {
        int[] edges = {0, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, RemainingLength.MAX};
        byte[] b = new byte[5];
        FrameHeader h = new FrameHeader();
        for (int i = 0; i < ITERATIONS * 4 + edges.length; i++) {
            int value = i < edges.length ? edges[i] : random.nextInt(RemainingLength.MAX + 1);
            b[0] = 0x30;
            int n = RemainingLength.encode(value, b, 1);
            assertEquals(RemainingLength.size(value), n, "seed " + seed + " value " + value);
            assertEquals(CodecStatus.OK, h.decode(b, 0, 1 + n), "seed " + seed + " value " + value);
            assertEquals(value, h.remainingLength(), "seed " + seed);
            assertEquals(1 + n, h.headerLength());
        }
    }
}
