package dev.wren.mqtt.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wren.mqtt.codec.GoldenFixtures.Fixture;
import dev.wren.mqtt.testing.Covers;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every golden frame is what the encoder writes and decodes back to its fields, for all 14 packet types. */
class GoldenFixtureTest {
    static List<Fixture> fixtures() {
        return GoldenFixtures.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    @Covers({"MQTT-2.2.2-1"})
    void encoderWritesTheGoldenFrameAtAnOffsetAndSizesItFirst(Fixture f) {
        int off = 3; // a non-zero offset catches encoders that ignore it
        byte[] dst = new byte[f.frame().length + off + 4];
        assertEquals(f.frame().length, f.length().getAsInt(), f.name() + ": length()");
        int written = f.encoder().encode(dst, off);
        assertEquals(f.frame().length, written, f.name() + ": bytes written");
        GoldenFixtures.assertFrame(f.frame(), dst, off, written, f.name());
        for (int i = off + written; i < dst.length; i++) {
            assertEquals(0, dst[i], f.name() + ": wrote past the frame at " + i);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void goldenFrameDecodesToItsFields(Fixture f) {
        int off = 2;
        byte[] buf = new byte[f.frame().length + off];
        System.arraycopy(f.frame(), 0, buf, off, f.frame().length);
        PacketDecoder d = new PacketDecoder();
        int status = d.decode(buf, off, f.frame().length, false);
        assertEquals(CodecStatus.OK, status, () -> f.name() + ": " + CodecStatus.describe(status));
        assertEquals(f.frame()[0] >> 4 & 0x0F, d.header.type());
        assertEquals(f.frame().length, d.header.frameLength());
        f.check().accept(d);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void aClientAcceptsExactlyTheServerToClientTypes(Fixture f) {
        int expected = f.serverToClient() ? CodecStatus.OK : CodecStatus.FORBIDDEN_FROM_SERVER;
        int status = new PacketDecoder().decode(f.frame(), 0, f.frame().length, true);
        assertEquals(expected, status, () -> f.name() + ": " + CodecStatus.name(status));
    }

    @Test
    void fixturesCoverAll14PacketTypes() {
        Set<Integer> types = new HashSet<>();
        for (Fixture f : fixtures()) {
            types.add(f.frame()[0] >> 4 & 0x0F);
        }
        for (int t = PacketType.CONNECT; t <= PacketType.DISCONNECT; t++) {
            assertTrue(types.contains(t), "no fixture for " + PacketType.name(t));
        }
    }
}
