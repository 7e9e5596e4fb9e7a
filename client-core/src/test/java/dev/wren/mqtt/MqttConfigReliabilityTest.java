package dev.wren.mqtt;

import org.junit.jupiter.api.Test;

import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reconnect and journal settings: defaults, ranges, and the messages naming bad values. */
class MqttConfigReliabilityTest {

    private static MqttConfig.Builder base() {
        return MqttConfig.builder().host("h");
    }

    private static String rejected(Runnable setter) {
        return assertThrows(IllegalArgumentException.class, setter::run).getMessage();
    }

    @Test
    void defaultsAreNoReconnectAndNoJournal() {
        MqttConfig c = base().build();
        assertFalse(c.automaticReconnect());
        assertEquals(1_000, c.reconnectMinDelayMillis());
        assertEquals(60_000, c.reconnectMaxDelayMillis());
        assertEquals(2.0, c.reconnectMultiplier());
        assertEquals(0.5, c.reconnectJitter());
        assertNull(c.journalFile());
        assertEquals(1024 * 1024, c.journalCapacityBytes());
        assertEquals(1, c.journalSyncEveryRecords());
        assertEquals(0, c.journalSyncIntervalMillis());
    }

    @Test
    void settingsAreKeptAndShown() {
        MqttConfig c = base().automaticReconnect(true).reconnectBackoff(50, 5_000, 1.5, 0.25)
                .journal(Paths.get("/var/lib/wren/node.journal"), 256 * 1024).journalSync(10, 200).build();
        assertTrue(c.automaticReconnect());
        assertEquals(50, c.reconnectMinDelayMillis());
        assertEquals(5_000, c.reconnectMaxDelayMillis());
        assertEquals(1.5, c.reconnectMultiplier());
        assertEquals(0.25, c.reconnectJitter());
        assertEquals(Paths.get("/var/lib/wren/node.journal"), c.journalFile());
        assertEquals(262_144, c.journalCapacityBytes());
        assertEquals(10, c.journalSyncEveryRecords());
        assertEquals(200, c.journalSyncIntervalMillis());
        assertTrue(c.toString().contains("journal /var/lib/wren/node.journal 262144 bytes"), c.toString());
        assertTrue(c.toString().contains("reconnect 50..5000 ms"), c.toString());
    }

    @Test
    void badValuesAreRejectedNamingValueAndRange() {
        assertTrue(rejected(() -> base().reconnectBackoff(0, 10, 2, 0.5)).contains("minDelayMillis 0 not in 1..3600000"));
        assertTrue(rejected(() -> base().reconnectBackoff(100, 50, 2, 0.5)).contains("maxDelayMillis 50 not in 100..3600000"));
        assertTrue(rejected(() -> base().reconnectBackoff(1, 10, 0.9, 0.5)).contains("multiplier 0.9 not in 1.0..10.0"));
        assertTrue(rejected(() -> base().reconnectBackoff(1, 10, 2, 1.5)).contains("jitter 1.5 not in 0.0..1.0"));
        assertTrue(rejected(() -> base().journal(Paths.get("j"), 1000)).contains("capacityBytes 1000 not in 1024.."));
        assertTrue(rejected(() -> base().journal(Paths.get("j"), 2000)).contains("2000 is not a multiple of 128"));
        assertTrue(rejected(() -> base().journal(null, 4096)).contains("journal file is null"));
        assertTrue(rejected(() -> base().journalSync(-1, 0)).contains("everyRecords -1 not in 0..1000000"));
        assertTrue(rejected(() -> base().journalSync(1, -5)).contains("intervalMillis -5 not in 0..3600000"));
    }

    @Test
    void aJournalTooSmallForTheWindowFailsWhenTheClientIsBuiltNamingTheMinimum(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        MqttConfig c = base().maxInflight(16).transmitBufferBytes(16 * 1024).journal(dir.resolve("j"), 64 * 1024).build();
        String message = assertThrows(IllegalArgumentException.class, () -> new MqttClient(c)).getMessage();
        assertTrue(message.contains("65536") && message.contains("2 * maxTaken + 1 = 33"), message);
    }
}
