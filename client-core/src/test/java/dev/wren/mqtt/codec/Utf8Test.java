package dev.wren.mqtt.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wren.mqtt.testing.Covers;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** MQTT UTF-8 (§1.5.3): encoding text without String.getBytes, validating what is received. */
class Utf8Test {
    @Test
    @Covers({"MQTT-1.5.3-1"})
    void encodesLikeTheJdkForEveryLengthClass() {
        long seed = Long.getLong("wren.seed", System.nanoTime());
        Random r = new Random(seed);
        byte[] dst = new byte[200];
        for (int i = 0; i < 20_000; i++) {
            String s = RandomPackets.level(r, 30);
            byte[] expected = s.getBytes(StandardCharsets.UTF_8);
            assertEquals(expected.length, Utf8.encodedLength(s), "seed " + seed + ": " + s);
            assertEquals(expected.length, Utf8.encode(s, dst, 1), "seed " + seed);
            assertEquals(Bytes.hex(expected), Bytes.hex(dst, 1, expected.length), "seed " + seed);
            assertEquals(CodecStatus.OK, Utf8.validate(dst, 1, expected.length), "seed " + seed);
            assertTrue(Utf8.equals(s, dst, 1, expected.length), "seed " + seed);
        }
    }

    @Test
    @Covers({"MQTT-1.5.3-1", "MQTT-1.5.3-2"})
    void textThatCannotBeSentIsRefusedBeforeEncoding() {
        assertEquals(-1, Utf8.encodedLength("a\u0000"));
        assertEquals(-1, Utf8.encodedLength("\ud83d"));          // high surrogate at the end
        assertEquals(-1, Utf8.encodedLength("\ude00x"));         // low surrogate first
        assertEquals(-1, Utf8.encodedLength("\ud83d\ud83d"));    // two highs
        assertEquals(CodecStatus.UTF8_NULL, Utf8.validate("a\u0000"));
        assertEquals(CodecStatus.UTF8_SURROGATE, Utf8.validate("x\udfff"));
        assertEquals(CodecStatus.OK, Utf8.validate("\ud83d\ude00"));
    }

    @Test
    @Covers({"MQTT-1.5.3-3"})
    void byteOrderMarkIsKeptAsUfeff() {
        byte[] frame = Bytes.of(0x30, 0x06, 0x00, 0x04, 0xEF, 0xBB, 0xBF, 'a'); // PUBLISH topic U+FEFF 'a'
        PacketDecoder d = new PacketDecoder();
        assertEquals(CodecStatus.OK, d.decode(frame, 0, frame.length, true));
        assertEquals(4, d.publish.topicLength());
        assertEquals(2, d.publish.topic().length());
        assertEquals('\ufeff', d.publish.topic().charAt(0));
        assertEquals("\ufeffa", d.publish.topic().toString());
        assertFalse(Utf8.equals("a", frame, 4, 4));
    }

    @Test
    void validationAcceptsTheBoundariesOfEachRange() {
        int[][] valid = {
            {0x01}, {0x7F}, {0xC2, 0x80}, {0xDF, 0xBF}, {0xE0, 0xA0, 0x80}, {0xED, 0x9F, 0xBF},
            {0xEE, 0x80, 0x80}, {0xEF, 0xBF, 0xBF}, {0xF0, 0x90, 0x80, 0x80}, {0xF4, 0x8F, 0xBF, 0xBF},
        };
        for (int[] v : valid) {
            byte[] b = Bytes.of(v);
            assertEquals(CodecStatus.OK, Utf8.validate(b, 0, b.length), Bytes.hex(b));
        }
    }

    @Test
    void topicViewAnswersLikeAStringAndRefusesOutOfRangeIndexes() {
        byte[] frame = Bytes.of(0x30, 0x0A, 0x00, 0x08, 'a', 0xC3, 0xA9, 0xF0, 0x9F, 0x98, 0x80, 'z');
        PacketDecoder d = new PacketDecoder();
        assertEquals(CodecStatus.OK, d.decode(frame, 0, frame.length, true));
        CharSequence t = d.publish.topic();
        String expected = "a\u00e9\ud83d\ude00z";
        assertEquals(expected.length(), t.length());
        for (int k : new int[] {4, 0, 3, 2, 1, 4, 2}) { // random order exercises the cursor reset
            assertEquals(expected.charAt(k), t.charAt(k), "index " + k);
        }
        assertEquals("\u00e9\ud83d", t.subSequence(1, 3).toString());
        assertThrows(IndexOutOfBoundsException.class, () -> t.charAt(5));
        assertThrows(IndexOutOfBoundsException.class, () -> t.charAt(-1));
    }
}
