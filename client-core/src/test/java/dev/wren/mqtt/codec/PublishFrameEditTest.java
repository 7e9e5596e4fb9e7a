package dev.wren.mqtt.codec;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The in-place edits of an encoded PUBLISH that a client's in-flight window needs (DUP, packet identifier, QoS), and
 * the one-pass topic check, over byte fixtures annotated field by field (MQTT 3.1.1 §3.3).
 */
class PublishFrameEditTest {

    /** QoS 1 PUBLISH "a/b", packet id 0 (not yet assigned), payload "x". */
    private static byte[] qos1Frame() {
        return new byte[]{
                0x32, 0x08,             // PUBLISH, QoS 1; remaining length 8
                0x00, 0x03, 'a', '/', 'b', // topic name
                0x00, 0x00,             // packet identifier: not yet assigned
                'x'};                   // payload
    }

    @Test
    void setPacketIdWritesTheIdentifierAfterTheTopic() {
        byte[] frame = qos1Frame();
        PublishEncoder.setPacketId(frame, 0, 0x1234);
        byte[] expected = qos1Frame();
        expected[7] = 0x12;
        expected[8] = 0x34;
        assertArrayEquals(expected, frame);
    }

    @Test
    void setPacketIdSkipsAMultiByteRemainingLength() {
        byte[] payload = new byte[200];
        byte[] frame = new byte[PublishEncoder.length(1, 2, payload.length) + 3];
        int n = PublishEncoder.encode(frame, 3, "t", 2, false, false, 0, payload, 0, payload.length);
        assertEquals(0x34, frame[3] & 0xFF);                    // PUBLISH, QoS 2
        assertEquals(2, RemainingLength.size(n - 3));          // 2 remaining length bytes
        PublishEncoder.setPacketId(frame, 3, 65535);
        PublishView view = new PublishView();
        assertEquals(CodecStatus.OK, view.decode(frame, 3 + 3, n - 3, frame[3] & 0x0F));
        assertEquals(65535, view.packetId());
        assertEquals(payload.length, view.payloadLength());
    }

    @Test
    void setDupSetsAndClearsOnlyBit3() {
        byte[] frame = qos1Frame();
        PublishEncoder.setDup(frame, 0, true);
        assertEquals(0x3A, frame[0] & 0xFF); // 0011 1 01 0: DUP, QoS 1
        PublishEncoder.setDup(frame, 0, false);
        assertEquals(0x32, frame[0] & 0xFF);
        assertArrayEquals(qos1Frame(), frame);
    }

    @Test
    void qosOfAnEncodedFrameComesFromItsFixedHeader() {
        assertEquals(1, PublishEncoder.qos(qos1Frame(), 0));
        assertEquals(2, PublishEncoder.qos(new byte[]{0x3D}, 0)); // DUP, QoS 2, RETAIN
        assertEquals(0, PublishEncoder.qos(new byte[]{0x31}, 0));
    }

    @Test
    void checkFlagsRejectsQos3AndDupAtQos0() {
        assertEquals(CodecStatus.OK, PublishView.checkFlags(0b1010));          // DUP, QoS 1
        assertEquals(CodecStatus.INVALID_QOS, PublishView.checkFlags(0b0110)); // QoS 3 [MQTT-3.3.1-4]
        assertEquals(CodecStatus.DUP_ON_QOS0, PublishView.checkFlags(0b1001)); // DUP at QoS 0 [MQTT-3.3.1-2]
        assertEquals(2, PublishView.qos(0b0101));
    }

    @Test
    void topicLengthAgreesWithValidateNameAndEncodedLength() {
        String[] topics = {"a/b", "", "é/€/\uD83D\uDE00", "a/+", "#", "a\u0000b", "bad\uD800", "x#\u0000"};
        for (String t : topics) {
            int status = Topics.validateName(t);
            int expected = status == CodecStatus.OK ? Utf8.encodedLength(t) : status;
            assertEquals(expected, PublishEncoder.topicLength(t), "topic \"" + t + "\"");
        }
        StringBuilder tooLong = new StringBuilder();
        for (int i = 0; i < Topics.MAX_BYTES; i++) {
            tooLong.append(i == 0 ? '+' : 'a');
        }
        assertEquals(Topics.MAX_BYTES, PublishEncoder.topicLength(tooLong.substring(1) + "b"));
        assertEquals(CodecStatus.TOPIC_TOO_LONG, PublishEncoder.topicLength(tooLong.append('a')));
    }

    @Test
    void encodeHeaderWithAKnownLengthWritesTheSameBytes() {
        byte[] a = new byte[32];
        byte[] b = new byte[32];
        String topic = "é/t";
        int n = PublishEncoder.encodeHeader(a, 1, topic, 1, true, false, 7, 5);
        int m = PublishEncoder.encodeHeader(b, 1, topic, PublishEncoder.topicLength(topic), 1, true, false, 7, 5);
        assertEquals(n, m);
        assertArrayEquals(a, b);
    }
}
