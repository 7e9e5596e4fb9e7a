package dev.wren.mqtt.internal;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicAliasTableTest {

    private static boolean put(TopicAliasTable t, int alias, String topic) {
        byte[] b = ("##" + topic).getBytes(StandardCharsets.UTF_8);
        return t.put(alias, b, 2, b.length - 2);
    }

    private static String name(TopicAliasTable t, int alias) {
        int len = t.length(alias);
        return len < 0 ? null : new String(t.array(), t.offset(alias), len, StandardCharsets.UTF_8);
    }

    @Test
    void remappingAnAliasClosesItsGapAndKeepsTheOthers() {
        TopicAliasTable t = new TopicAliasTable(3, 16);
        assertTrue(put(t, 1, "aaaa"));
        assertTrue(put(t, 2, "bb"));
        assertTrue(put(t, 3, "cccccc"));
        assertTrue(put(t, 1, "dddddddd")); // 4 + 2 + 6 - 4 + 8 = 16 bytes: fits only because the gap closed
        assertEquals("dddddddd", name(t, 1));
        assertEquals("bb", name(t, 2));
        assertEquals("cccccc", name(t, 3));
        assertFalse(put(t, 2, "eeeeeeeeeee"), "16 - 2 + 11 > 16");
        assertEquals(null, name(t, 2));
        assertEquals("dddddddd", name(t, 1));
        assertEquals("cccccc", name(t, 3));
        t.clear();
        assertEquals(null, name(t, 1));
        assertTrue(put(t, 2, "0123456789abcdef"));
        assertEquals("0123456789abcdef", name(t, 2));
    }
}
