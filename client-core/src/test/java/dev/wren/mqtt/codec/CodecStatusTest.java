package dev.wren.mqtt.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every status is distinct, named after its constant, and describes its rule with the spec id. */
class CodecStatusTest {
    @Test
    void everyConstantIsDistinctNamedAndDescribed() throws IllegalAccessException {
        Map<Integer, String> seen = new HashMap<>();
        int errors = 0;
        for (Field f : CodecStatus.class.getFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || f.getType() != int.class
                    || f.getName().equals("MALFORMED_REMAINING_LENGTH")) { // documented alias
                continue;
            }
            int status = f.getInt(null);
            String other = seen.put(status, f.getName());
            assertEquals(null, other, f.getName() + " shares value " + status + " with " + other);
            assertEquals(f.getName(), CodecStatus.name(status));
            String text = CodecStatus.describe(status);
            assertNotEquals("unknown status", text, f.getName());
            String rule = CodecStatus.ruleId(status);
            if (!rule.isEmpty()) {
                assertTrue(text.contains(rule), f.getName() + ": '" + text + "' does not cite " + rule);
            }
            if (CodecStatus.isError(status)) {
                errors++;
                assertTrue(text.contains("[MQTT") || text.contains("not a spec rule"),
                        f.getName() + ": '" + text + "' cites no spec rule");
            }
        }
        assertTrue(errors >= 30, "only " + errors + " error statuses");
        assertFalse(CodecStatus.isError(CodecStatus.OK));
        assertFalse(CodecStatus.isError(CodecStatus.NEED_MORE));
        assertEquals(CodecStatus.REMAINING_LENGTH_TOO_LONG, CodecStatus.MALFORMED_REMAINING_LENGTH);
        assertEquals("UNKNOWN_STATUS", CodecStatus.name(-1000));
        assertEquals("unknown status", CodecStatus.describe(7));
        assertEquals("", CodecStatus.ruleId(-1000));
        assertEquals("MQTT-2.2.2-2", CodecStatus.ruleId(CodecStatus.RESERVED_FLAGS));
    }

    @Test
    void packetTypesAreNamedAsInTheSpec() {
        assertEquals("PUBLISH", PacketType.name(PacketType.PUBLISH));
        assertEquals("DISCONNECT", PacketType.name(14));
        assertEquals("RESERVED", PacketType.name(0));
        assertEquals("RESERVED", PacketType.name(15));
    }

    @Test
    void setDupMarksAnEncodedPublishForResendOnly() {
        byte[] b = new byte[16];
        byte[] empty = {};
        int n = PublishEncoder.encode(b, 1, "t", 1, true, false, 9, empty, 0, 0);
        PublishEncoder.setDup(b, 1);
        PacketDecoder d = new PacketDecoder();
        assertEquals(CodecStatus.OK, d.decode(b, 1, n, true));
        assertTrue(d.publish.dup());
        assertTrue(d.publish.retain());
        assertEquals(1, d.publish.qos());
        assertEquals(9, d.publish.packetId());
    }
}
