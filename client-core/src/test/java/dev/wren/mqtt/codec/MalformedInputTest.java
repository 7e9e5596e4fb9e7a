package dev.wren.mqtt.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.wren.mqtt.codec.GoldenFixtures.Fixture;
import dev.wren.mqtt.codec.MalformedCases.Case;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What the peer sends is untrusted: every malformed frame gets its named status, never an exception. */
class MalformedInputTest {
    private static final List<Integer> VARIABLE_BODIES =
            List.of(PacketType.PUBLISH, PacketType.SUBSCRIBE, PacketType.SUBACK, PacketType.UNSUBSCRIBE);

    static List<Case> cases() {
        return MalformedCases.all();
    }

    static List<Fixture> fixtures() {
        return GoldenFixtures.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void malformedFrameIsRejectedWithItsNamedStatus(Case c) {
        int status = new PacketDecoder().decode(c.frame(), 0, c.frame().length, c.clientSide());
        assertEquals(CodecStatus.name(c.expected()), CodecStatus.name(status),
                () -> c.name() + " [" + Bytes.hex(c.frame()) + "]: " + CodecStatus.describe(status));
        assertTrue(CodecStatus.isError(status));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void malformedFrameTruncatedAnywhereNeedsMoreOrFailsCleanly(Case c) {
        PacketDecoder d = new PacketDecoder();
        for (int k = 0; k < c.frame().length; k++) {
            int len = k;
            int status = d.decode(c.frame(), 0, len, c.clientSide());
            assertTrue(status == CodecStatus.NEED_MORE || CodecStatus.isError(status),
                    () -> c.name() + " cut to " + len + " bytes gave " + CodecStatus.name(status));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void goldenFrameTruncatedAtEveryOffsetNeedsMore(Fixture f) {
        PacketDecoder d = new PacketDecoder();
        byte[] frame = f.frame();
        for (int k = 0; k < frame.length; k++) {
            int len = k;
            // The bytes so far, in a buffer just as long: nothing may read past it.
            byte[] prefix = Arrays.copyOf(frame, k);
            int status = d.decode(prefix, 0, len, false);
            assertEquals(CodecStatus.NEED_MORE, status,
                    () -> f.name() + " cut to " + len + " bytes: " + CodecStatus.name(status));
            // A caller that trusts the header and passes the full length over a short buffer is told to wait too.
            int claimed = d.decode(prefix, 0, frame.length, false);
            assertEquals(CodecStatus.NEED_MORE, claimed, () -> f.name() + " in a buffer of " + len + " bytes");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void bodyDecodedWithTooShortARemainingLengthFailsCleanly(Fixture f) {
        PacketDecoder d = new PacketDecoder();
        byte[] frame = f.frame();
        assertEquals(CodecStatus.OK, d.header.decode(frame, 0, frame.length));
        int bodyOff = d.header.headerLength();
        int full = d.header.remainingLength();
        for (int len = 0; len < full; len++) {
            int n = len;
            int status = d.decodeBody(frame, bodyOff, len);
            // A list or a payload may end early at an element boundary and still be a valid, shorter packet;
            // nothing else may pass, and nothing may ask for more bytes than the length it was given.
            assertNotEquals(CodecStatus.NEED_MORE, status, () -> f.name() + " body cut to " + n);
            if (status == CodecStatus.OK) {
                assertTrue(VARIABLE_BODIES.contains(d.header.type()),
                        () -> f.name() + " body cut to " + n + " bytes was accepted");
            } else {
                assertTrue(CodecStatus.isError(status), () -> f.name() + " body cut to " + n);
            }
        }
    }

    @Test
    @Timeout(60)
    void randomGarbageNeverEscapesAsAnException() {
        long seed = Long.getLong("wren.seed", System.nanoTime());
        Random random = new Random(seed);
        PacketDecoder d = new PacketDecoder();
        List<Fixture> golden = fixtures();
        byte[] buf = new byte[300];
        for (int i = 0; i < 200_000; i++) {
            int len;
            if (random.nextBoolean()) {
                len = random.nextInt(buf.length);
                random.nextBytes(buf);
            } else {
                // Mutated valid frames reach deeper into the body decoders than pure noise.
                byte[] frame = golden.get(random.nextInt(golden.size())).frame();
                System.arraycopy(frame, 0, buf, 0, frame.length);
                len = frame.length;
                for (int m = 1 + random.nextInt(3); m > 0; m--) {
                    buf[random.nextInt(len)] = (byte) random.nextInt(256);
                }
                len = random.nextInt(len + 1);
            }
            int off = random.nextInt(4);
            int avail = Math.max(0, len - off);
            try {
                int status = d.decode(buf, off, avail, random.nextBoolean());
                assertNotEquals("UNKNOWN_STATUS", CodecStatus.name(status));
                if (d.header.decode(buf, off, avail) == CodecStatus.OK) {
                    d.decodeBody(buf, off + d.header.headerLength(), random.nextInt(avail + 1));
                }
            } catch (RuntimeException e) {
                fail("seed " + seed + " iteration " + i + " input [" + Bytes.hex(buf, off, avail) + "]: " + e, e);
            }
        }
    }
}
