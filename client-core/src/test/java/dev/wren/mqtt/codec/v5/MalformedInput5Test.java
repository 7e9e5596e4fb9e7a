package dev.wren.mqtt.codec.v5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.codec.v5.GoldenFixtures5.Fixture;
import dev.wren.mqtt.codec.v5.MalformedCases5.Case;
import dev.wren.mqtt.testing.Bytes;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** MQTT 5.0 input is untrusted: every malformed frame gets its named status, never an exception. */
class MalformedInput5Test {
    private static final List<Integer> VARIABLE_BODIES = List.of(PacketType.PUBLISH, PacketType.SUBSCRIBE,
            PacketType.SUBACK, PacketType.UNSUBSCRIBE, PacketType.UNSUBACK, PacketType.PUBACK, PacketType.PUBREC,
            PacketType.PUBREL, PacketType.PUBCOMP, PacketType.DISCONNECT, PacketType5.AUTH);

    static List<Case> cases() {
        return MalformedCases5.all();
    }

    static List<Fixture> fixtures() {
        return GoldenFixtures5.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void malformedFrameIsRejectedWithItsNamedStatus(Case c) {
        int status = new PacketDecoder5().decode(c.frame(), 0, c.frame().length, c.clientSide());
        assertEquals(CodecStatus.name(c.expected()), CodecStatus.name(status),
                () -> c.name() + " [" + Bytes.toHex(c.frame()) + "]: " + CodecStatus.describe(status));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void malformedFrameTruncatedAnywhereNeedsMoreOrFailsCleanly(Case c) {
        PacketDecoder5 d = new PacketDecoder5();
        for (int k = 0; k < c.frame().length; k++) {
            int len = k;
            int status = d.decode(Arrays.copyOf(c.frame(), k), 0, len, c.clientSide());
            assertTrue(status == CodecStatus.NEED_MORE || CodecStatus.isError(status),
                    () -> c.name() + " cut to " + len + " bytes gave " + CodecStatus.name(status));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void goldenFrameTruncatedAtEveryOffsetNeedsMore(Fixture f) {
        PacketDecoder5 d = new PacketDecoder5();
        byte[] frame = f.frame();
        for (int k = 0; k < frame.length; k++) {
            int len = k;
            byte[] prefix = Arrays.copyOf(frame, k);
            int status = d.decode(prefix, 0, len, false);
            assertEquals(CodecStatus.NEED_MORE, status,
                    () -> f.name() + " cut to " + len + " bytes: " + CodecStatus.name(status));
            int claimed = d.decode(prefix, 0, frame.length, false);
            assertEquals(CodecStatus.NEED_MORE, claimed, () -> f.name() + " in a buffer of " + len + " bytes");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void bodyDecodedWithTooShortARemainingLengthFailsCleanly(Fixture f) {
        PacketDecoder5 d = new PacketDecoder5();
        byte[] frame = f.frame();
        assertEquals(CodecStatus.OK, d.header.decode(frame, 0, frame.length));
        int type = d.header.type();
        int bodyOff = d.header.headerLength();
        for (int len = 0; len < d.header.remainingLength(); len++) {
            int n = len;
            int status = d.decodeBody(frame, bodyOff, len, false);
            // A list, a payload or an optional tail may end early and still be a valid, shorter packet; nothing
            // may ask for more bytes than the length it was given.
            assertNotEquals(CodecStatus.NEED_MORE, status, () -> f.name() + " body cut to " + n);
            if (status == CodecStatus.OK) {
                assertTrue(VARIABLE_BODIES.contains(type), () -> f.name() + " body cut to " + n + " was accepted");
            } else {
                assertTrue(CodecStatus.isError(status), () -> f.name() + " body cut to " + n);
            }
        }
    }

    @Test
    void aPayloadMarkedUtf8ThatIsNotFailsTheOptionalPayloadCheck() {
        PacketDecoder5 d = new PacketDecoder5();
        byte[] utf8Marked = Bytes.hex("30 08 00 01 74 02 01 01 c3 28"); // PFI 1, payload C3 28: cut 2-byte sequence
        assertEquals(CodecStatus.OK, d.decode(utf8Marked, 0, utf8Marked.length, true));
        assertEquals("PAYLOAD_NOT_UTF8", CodecStatus.name(d.publish.checkPayloadFormat()));
        byte[] bytesMarked = Bytes.hex("30 08 00 01 74 02 01 00 c3 28"); // PFI 0: unspecified bytes
        assertEquals(CodecStatus.OK, d.decode(bytesMarked, 0, bytesMarked.length, true));
        assertEquals(CodecStatus.OK, d.publish.checkPayloadFormat());
        byte[] unmarked = Bytes.hex("30 06 00 01 74 00 c3 28");
        assertEquals(CodecStatus.OK, d.decode(unmarked, 0, unmarked.length, true));
        assertEquals(CodecStatus.OK, d.publish.checkPayloadFormat());
        byte[] valid = Bytes.hex("30 08 00 01 74 02 01 01 c3 a9");
        assertEquals(CodecStatus.OK, d.decode(valid, 0, valid.length, true));
        assertEquals(CodecStatus.OK, d.publish.checkPayloadFormat());
    }

    @Test
    @Timeout(60)
    void randomGarbageNeverEscapesAsAnException() {
        long seed = Long.getLong("wren.seed", System.nanoTime());
        Random random = new Random(seed);
        PacketDecoder5 d = new PacketDecoder5();
        List<Fixture> golden = fixtures();
        byte[] buf = new byte[300];
        for (int i = 0; i < 200_000; i++) {
            int len;
            if (random.nextInt(4) == 0) {
                len = random.nextInt(buf.length);
                random.nextBytes(buf);
            } else {
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
                if (status == CodecStatus.OK) {
                    iterateEveryPropertyBlock(d);
                }
            } catch (RuntimeException e) {
                fail("seed " + seed + " iteration " + i + " input [" + Bytes.toHex(buf, off, avail) + "]: " + e, e);
            }
        }
    }

    /** After OK, iteration of the decoded packet's property block stays inside it and sees only known ids. */
    private static void iterateEveryPropertyBlock(PacketDecoder5 d) {
        PropertiesView p;
        switch (d.header.type()) {
            case PacketType.CONNACK: p = d.connack.properties(); break;
            case PacketType.PUBLISH: p = d.publish.properties(); break;
            case PacketType.SUBACK: case PacketType.UNSUBACK: p = d.suback.properties(); break;
            case PacketType.DISCONNECT: case PacketType5.AUTH: p = d.reason.properties(); break;
            case PacketType.PUBACK: case PacketType.PUBREC: case PacketType.PUBREL: case PacketType.PUBCOMP:
                p = d.ack.properties();
                break;
            default: return;
        }
        int n = 0;
        for (p.reset(); p.next(); n++) {
            assertTrue(Property.type(p.id()) != 0 && n <= p.propertyLength(), "property " + p.id());
        }
    }
}
