package dev.wren.mqtt.codec.v5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.ConnectFields;
import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.testing.Bytes;
import dev.wren.mqtt.testing.Covers5;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random property sets round-trip through {@link PropertiesWriter}, each packet's encoder, the whole-frame
 * decoder and {@link PropertiesView}: every property in every packet it may appear in (Table 2-4), repeatable ones
 * repeated, in wire order. Run with {@code -Dwren.seed=...} to replay a failure.
 */
class PropertyRoundTripTest {
    private static final int ITERATIONS = 400;
    private static final String[] TEXT = {"a", "é", "\ud83d\ude00", "r/1", "x y", "\u0800"};

    /** Every packet type with properties, and {@link Property#WILL}. */
    @ParameterizedTest(name = "packet type {0}")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 14, 15})
    @Covers5({"MQTT-1.5.7-1", "MQTT-1.5.5-1", "MQTT-2.2.2-1", "MQTT-3.1.2-9", "MQTT-1.5.4-3"})
    void randomPropertySetsRoundTripInWireOrder(int packetType) {
        long seed = Long.getLong("wren.seed", System.nanoTime()) + packetType;
        Random random = new Random(seed);
        PacketDecoder5 d = new PacketDecoder5();
        byte[] scratch = new byte[4096];
        byte[] frame = new byte[8192];
        PropertiesWriter w = new PropertiesWriter();
        TreeSet<Integer> seenIds = new TreeSet<>();
        ConnectFields connect = GoldenFixtures5.fullConnect();
        for (int i = 0; i < ITERATIONS; i++) {
            w.wrap(scratch, 0, packetType);
            List<String> expected = new ArrayList<>();
            for (int id = 1; id <= Property.MAX_ID; id++) {
                if (!Property.allowedIn(id, packetType) || random.nextInt(3) == 0) {
                    continue;
                }
                int times = Property.repeatable(id, packetType) ? 1 + random.nextInt(3) : 1;
                for (int k = 0; k < times; k++) {
                    expected.add(put(w, id, random));
                    seenIds.add(id);
                }
            }
            if (expected.stream().anyMatch(e -> e.startsWith(Property.AUTHENTICATION_DATA + "="))
                    && expected.stream().noneMatch(e -> e.startsWith(Property.AUTHENTICATION_METHOD + "="))) {
                expected.add(put(w, Property.AUTHENTICATION_METHOD, random));
            }
            int len = Packets5.encode(packetType, frame, w, connect);
            int status = d.decode(frame, 0, len, Packets5.toClient(packetType));
            String where = "seed " + seed + " iteration " + i + " [" + Bytes.toHex(frame, 0, len) + "]";
            assertEquals(CodecStatus.OK, status, () -> where + ": " + CodecStatus.describe(status));
            PropertiesView p = Packets5.view(d, packetType);
            assertEquals(expected, read(p), where);
            assertEquals(w.length(), p.propertyLength(), where);
        }
        for (int id = 1; id <= Property.MAX_ID; id++) {
            assertEquals(Property.allowedIn(id, packetType), seenIds.contains(id), "property " + id);
        }
    }

    /** Puts a random valid value; returns "id=value" as {@link #read} renders it. */
    private static String put(PropertiesWriter w, int id, Random random) {
        switch (Property.type(id)) {
            case Property.BYTE:
            case Property.TWO_BYTE_INTEGER:
            case Property.FOUR_BYTE_INTEGER:
            case Property.VARIABLE_BYTE_INTEGER: {
                int v = intValue(id, random);
                w.putInt(id, v);
                return id + "=" + v;
            }
            case Property.UTF8_STRING: {
                String s = id == Property.RESPONSE_TOPIC ? "r/" + random.nextInt(100)
                        : TEXT[random.nextInt(TEXT.length)] + (random.nextBoolean() ? "\ufeff" : "");
                w.putString(id, s);
                return id + "=" + s;
            }
            case Property.BINARY_DATA: {
                byte[] b = new byte[random.nextInt(6)];
                random.nextBytes(b);
                w.putBinary(id, b, 0, b.length);
                return id + "=" + Bytes.toHex(b);
            }
            default: {
                String k = TEXT[random.nextInt(TEXT.length)];
                String v = TEXT[random.nextInt(TEXT.length)];
                w.putUserProperty(k, v);
                return id + "=" + k + ":" + v;
            }
        }
    }

    private static int intValue(int id, Random random) {
        switch (Property.type(id)) {
            case Property.BYTE:
                return random.nextInt(2);
            case Property.TWO_BYTE_INTEGER:
                return 1 + random.nextInt(0xFFFF);
            case Property.FOUR_BYTE_INTEGER:
                int v = random.nextInt();
                return v == 0 ? 1 : v;
            default: {
                int[] edges = {1, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, VariableByteInteger.MAX};
                return random.nextBoolean() ? edges[random.nextInt(edges.length)]
                        : 1 + random.nextInt(VariableByteInteger.MAX);
            }
        }
    }

    /** Renders a decoded block in wire order, and checks the direct accessors agree with the first of each id. */
    private static List<String> read(PropertiesView p) {
        List<String> out = new ArrayList<>();
        TreeSet<Integer> firsts = new TreeSet<>();
        for (p.reset(); p.next(); ) {
            int id = p.id();
            String value;
            switch (p.type()) {
                case Property.UTF8_STRING:
                    value = p.valueText().toString();
                    assertEquals(value, text(p, p.valueOffset(), p.valueLength()));
                    break;
                case Property.BINARY_DATA:
                    value = Bytes.toHex(p.buffer(), p.valueOffset(), p.valueLength());
                    break;
                case Property.UTF8_STRING_PAIR:
                    value = text(p, p.keyOffset(), p.keyLength()) + ":" + text(p, p.valueOffset(), p.valueLength());
                    break;
                default:
                    value = Integer.toString(p.intValue());
                    if (firsts.add(id)) {
                        assertEquals(p.intValue(), p.intValue(id, ~p.intValue()), "direct " + id);
                    }
                    break;
            }
            if (p.type() >= Property.UTF8_STRING && firsts.add(id)) {
                assertEquals(p.valueOffset(), p.valueOffset(id), "direct offset " + id);
                assertEquals(p.valueLength(), p.valueLength(id), "direct length " + id);
            }
            assertTrue(p.has(id));
            out.add(id + "=" + value);
        }
        return out;
    }

    private static String text(PropertiesView p, int off, int len) {
        return new String(p.buffer(), off, len, StandardCharsets.UTF_8);
    }

    @Test
    @Covers5("MQTT-3.3.2-8")
    void theWriterRefusesWhatASenderMustNotSend() {
        PropertiesWriter w = new PropertiesWriter().wrap(new byte[64], 0, PacketType.PUBLISH);
        assertThrows(IllegalArgumentException.class, () -> w.putInt(Property.TOPIC_ALIAS, 0));
        assertThrows(IllegalArgumentException.class, () -> w.putInt(Property.SUBSCRIPTION_IDENTIFIER, 0));
        assertThrows(IllegalArgumentException.class, () -> w.putInt(Property.PAYLOAD_FORMAT_INDICATOR, 2));
        assertThrows(IllegalArgumentException.class, () -> w.putInt(Property.SESSION_EXPIRY_INTERVAL, 1));
        assertThrows(IllegalArgumentException.class, () -> w.putString(Property.TOPIC_ALIAS, "x"));
        assertThrows(IllegalArgumentException.class, () -> w.putString(Property.RESPONSE_TOPIC, "a/#"));
        assertThrows(IllegalArgumentException.class, () -> w.putString(Property.CONTENT_TYPE, "a\u0000"));
        assertThrows(IllegalArgumentException.class, () -> w.putUserProperty("k", "\ud800"));
        w.putInt(Property.TOPIC_ALIAS, 1);
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> w.putInt(Property.TOPIC_ALIAS, 2));
        assertEquals("property 0x23 (Topic Alias) is already written and may appear once", twice.getMessage());
        assertEquals(3, w.length(), "refused puts wrote nothing");
        PropertiesWriter connack = new PropertiesWriter().wrap(new byte[16], 0, PacketType.CONNACK);
        assertThrows(IllegalArgumentException.class, () -> connack.putInt(Property.RECEIVE_MAXIMUM, 0));
        assertThrows(IllegalArgumentException.class, () -> connack.putInt(Property.MAXIMUM_PACKET_SIZE, 0));
    }

    @Test
    @Covers5("MQTT-4.7.3-3")
    void theWriterRefusesStringsOver65535Bytes() {
        PropertiesWriter w = new PropertiesWriter().wrap(new byte[70_000 * 2], 0, PacketType.PUBLISH);
        String tooLong = "a".repeat(65_536);
        assertThrows(IllegalArgumentException.class, () -> w.putString(Property.RESPONSE_TOPIC, tooLong));
        assertThrows(IllegalArgumentException.class, () -> w.putString(Property.CONTENT_TYPE, tooLong));
        assertThrows(IllegalArgumentException.class, () -> w.putUserProperty("k", tooLong));
        assertEquals(0, w.length());
        w.putString(Property.RESPONSE_TOPIC, tooLong.substring(1));
        assertEquals(3 + 65_535, w.length());
    }

    @Test
    void sizeFirstMatchesWhatIsWritten() {
        PropertiesWriter w = new PropertiesWriter().wrap(new byte[64], 5, PacketType.PUBLISH);
        int size = PropertiesWriter.sizeOfInt(Property.SUBSCRIPTION_IDENTIFIER, 16_384)
                + PropertiesWriter.sizeOfInt(Property.MESSAGE_EXPIRY_INTERVAL, 1)
                + PropertiesWriter.sizeOfInt(Property.PAYLOAD_FORMAT_INDICATOR, 1)
                + PropertiesWriter.sizeOfInt(Property.TOPIC_ALIAS, 1)
                + PropertiesWriter.sizeOfString("\u00e9") + PropertiesWriter.sizeOfBinary(3)
                + PropertiesWriter.sizeOfUserProperty("k", "\ud83d\ude00");
        w.putInt(Property.SUBSCRIPTION_IDENTIFIER, 16_384).putInt(Property.MESSAGE_EXPIRY_INTERVAL, 1)
                .putInt(Property.PAYLOAD_FORMAT_INDICATOR, 1).putInt(Property.TOPIC_ALIAS, 1)
                .putString(Property.CONTENT_TYPE, "\u00e9").putBinary(Property.CORRELATION_DATA, new byte[3], 0, 3)
                .putUserProperty("k", "\ud83d\ude00");
        assertEquals(size, w.length());
        assertEquals(1 + size, w.encodedLength());
    }

    @Test
    @Covers5("MQTT-1.5.5-1")
    void variableByteIntegersAreMinimalBothWays() {
        byte[] b = new byte[5];
        int[] values = {0, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, VariableByteInteger.MAX};
        for (int v : values) {
            int n = VariableByteInteger.encode(v, b, 0);
            assertEquals(VariableByteInteger.length(v), n);
            int r = VariableByteInteger.decode(b, 0, n);
            assertEquals(v, VariableByteInteger.value(r));
            assertEquals(n, VariableByteInteger.size(r));
            assertEquals(CodecStatus.NEED_MORE, VariableByteInteger.decode(b, 0, n - 1));
        }
        assertEquals(CodecStatus.MALFORMED_VARIABLE_BYTE_INTEGER,
                VariableByteInteger.decode(Bytes.hex("80 80 00"), 0, 3));
        assertEquals(CodecStatus.MALFORMED_VARIABLE_BYTE_INTEGER,
                VariableByteInteger.decode(Bytes.hex("ff ff ff ff 01"), 0, 5));
    }

    @Test
    void reasonCodeTablesNameEveryCodeAsTheSpecDoes() {
        assertEquals("Normal disconnection", ReasonCode.name(PacketType.DISCONNECT, 0));
        assertEquals("Granted QoS 0", ReasonCode.name(PacketType.SUBACK, 0));
        assertEquals("Success", ReasonCode.name(PacketType.PUBACK, 0));
        assertEquals("Session taken over", ReasonCode.name(PacketType.DISCONNECT, 0x8E));
        assertEquals("unknown reason code", ReasonCode.name(PacketType.DISCONNECT, 0x03));
        int codes = 0;
        for (int c = 0; c < 256; c++) {
            boolean any = false;
            for (int t = 1; t <= 15; t++) {
                any |= ReasonCode.allowedIn(t, c);
            }
            codes += any ? 1 : 0;
            assertEquals(any, !"unknown reason code".equals(ReasonCode.name(PacketType.PUBACK, c)), "code " + c);
        }
        assertEquals(43, codes, "Table 2-6 lists 43 reason codes");
        int properties = 0;
        for (int id = 0; id < 256; id++) {
            properties += Property.type(id) != 0 ? 1 : 0;
        }
        assertEquals(27, properties, "Table 2-4 lists 27 properties");
    }
}
