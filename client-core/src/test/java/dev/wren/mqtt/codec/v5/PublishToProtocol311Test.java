package dev.wren.mqtt.codec.v5;

import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.testing.Bytes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link PublishEncoder#toProtocol311}: a 5.0 PUBLISH rewritten in place is byte for byte the 3.1.1 PUBLISH of the
 * same message, also when the shorter remaining length takes one byte fewer (the frame still starts at its offset).
 */
class PublishToProtocol311Test {

    @ParameterizedTest(name = "qos {0}, dup {1}, retain {2}, payload {3} B, properties {4}")
    @CsvSource({
            "0, false, false, 0, false",
            "1, false, true, 5, false",
            "1, true, false, 100, true",   // remaining length 127 -> 108: one byte either way
            "2, true, true, 118, true",    // remaining length 145 (two bytes) -> 126 (one byte)
            "2, false, false, 20000, true" // two bytes either way
    })
    void aRewritten5FrameIsThe311FrameOfTheSameMessage(int qos, boolean dup, boolean retain, int payloadLength,
                                                       boolean withProperties) {
        byte[] payload = new byte[payloadLength];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 7 + 1);
        }
        PropertiesWriter props = null;
        if (withProperties) { // 18 bytes: content type (13) and message expiry (5)
            props = new PropertiesWriter().wrap(new byte[64], 0, PacketType.PUBLISH)
                    .putString(Property.CONTENT_TYPE, "text/plain").putInt(Property.MESSAGE_EXPIRY_INTERVAL, 60);
        }
        int at = 3; // not at 0: the frame keeps its offset
        byte[] frame = new byte[at + PublishEncoder.length(4, qos, props, payloadLength)];
        PublishEncoder.encode(frame, at, "a/bc", qos, retain, dup, 77, props, payload, 0, payloadLength);

        byte[] expected = new byte[dev.wren.mqtt.codec.PublishEncoder.length(4, qos, payloadLength)];
        dev.wren.mqtt.codec.PublishEncoder.encode(expected, 0, "a/bc", qos, retain, dup, 77, payload, 0,
                payloadLength);
        int length = PublishEncoder.toProtocol311(frame, at);
        assertEquals(expected.length, length);
        assertEquals(Bytes.toHex(expected), Bytes.toHex(Arrays.copyOfRange(frame, at, at + length)));
    }
}
