package dev.wren.mqtt.codec.v5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.v5.GoldenFixtures5.Fixture;
import dev.wren.mqtt.testing.Bytes;
import dev.wren.mqtt.testing.Covers5;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every MQTT 5.0 golden frame is what the encoder writes and decodes back to its fields, all 15 types. */
class GoldenFixture5Test {
    static List<Fixture> fixtures() {
        return GoldenFixtures5.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    @Covers5({"MQTT-2.1.3-1", "MQTT-1.5.5-1"})
    void encoderWritesTheGoldenFrameAtAnOffsetAndSizesItFirst(Fixture f) {
        int off = 3;
        byte[] dst = new byte[f.frame().length + off + 4];
        assertEquals(f.frame().length, f.length().getAsInt(), f.name() + ": length()");
        int written = f.encoder().encode(dst, off);
        assertEquals(Bytes.toHex(f.frame()), Bytes.toHex(dst, off, written), f.name());
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
        PacketDecoder5 d = new PacketDecoder5();
        int status = d.decode(buf, off, f.frame().length, f.serverToClient());
        assertEquals(CodecStatus.OK, status, () -> f.name() + ": " + CodecStatus.describe(status));
        assertEquals(f.frame().length, d.header.frameLength());
        f.check().accept(d);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void aClientAcceptsExactlyTheServerToClientTypes(Fixture f) {
        int type = f.frame()[0] >> 4 & 0x0F;
        boolean clientOnly = type == 1 || type == 8 || type == 10 || type == 12; // CONNECT, (UN)SUBSCRIBE, PINGREQ
        int status = new PacketDecoder5().decode(f.frame(), 0, f.frame().length, true);
        assertEquals(clientOnly ? CodecStatus.FORBIDDEN_FROM_SERVER : CodecStatus.OK, status,
                () -> f.name() + ": " + CodecStatus.name(status));
    }

    @Test
    void fixturesCoverAll15PacketTypesWithAndWithoutProperties() {
        Set<Integer> types = new HashSet<>();
        for (Fixture f : fixtures()) {
            types.add(f.frame()[0] >> 4 & 0x0F);
        }
        for (int t = 1; t <= 15; t++) {
            assertTrue(types.contains(t), "no fixture for " + PacketType5.name(t));
        }
    }
}
