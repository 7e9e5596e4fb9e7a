package dev.wren.mqtt.journal;

import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The journal's settings (formerly MqttConfig's): defaults, ranges, the messages naming bad values, and the window check. */
class JournalStoreTest {

    private static String rejected(Runnable setter) {
        return assertThrows(IllegalArgumentException.class, setter::run).getMessage();
    }

    @Test
    void defaultsAreOneMebibyteForcedAfterEveryRecord() {
        JournalStore j = JournalStore.builder(Paths.get("j")).build();
        assertEquals(1024 * 1024, j.capacityBytes());
        assertEquals(1, j.syncEveryRecords());
        assertEquals(0, j.syncIntervalMillis());
    }

    @Test
    void settingsAreKeptAndShownByTheClientConfig() {
        JournalStore j = JournalStore.builder(Paths.get("/var/lib/wren/node.journal")).capacityBytes(256 * 1024)
                .sync(10, 200).build();
        MqttConfig c = MqttConfig.builder().host("h").inflightStore(j).build();
        assertSame(j, c.inflightStore());
        assertEquals(Paths.get("/var/lib/wren/node.journal"), j.file());
        assertEquals(262_144, j.capacityBytes());
        assertEquals(10, j.syncEveryRecords());
        assertEquals(200, j.syncIntervalMillis());
        assertTrue(c.toString().contains("journal /var/lib/wren/node.journal 262144 bytes, sync every 10 records / 200 ms"),
                c.toString());
    }

    @Test
    void badValuesAreRejectedNamingValueAndRange() {
        Path j = Paths.get("j");
        assertTrue(rejected(() -> JournalStore.builder(j).capacityBytes(1000)).contains("capacityBytes 1000 not in 1024.."));
        assertTrue(rejected(() -> JournalStore.builder(j).capacityBytes(2000)).contains("2000 is not a multiple of 128"));
        assertTrue(rejected(() -> JournalStore.builder(null)).contains("journal file is null"));
        assertTrue(rejected(() -> JournalStore.builder(j).sync(-1, 0)).contains("everyRecords -1 not in 0..1000000"));
        assertTrue(rejected(() -> JournalStore.builder(j).sync(1, -5)).contains("intervalMillis -5 not in 0..3600000"));
    }

    @Test
    void aJournalTooSmallForTheWindowFailsWhenTheClientIsBuiltNamingTheMinimum(@TempDir Path dir) {
        MqttConfig c = MqttConfig.builder().host("h").maxInflight(16).transmitBufferBytes(16 * 1024)
                .inflightStore(JournalStore.builder(dir.resolve("j")).capacityBytes(64 * 1024).build()).build();
        String message = assertThrows(IllegalArgumentException.class, () -> new MqttClient(c)).getMessage();
        assertTrue(message.contains("65536") && message.contains("2 * maxTaken + 1 = 33"), message);
    }
}
