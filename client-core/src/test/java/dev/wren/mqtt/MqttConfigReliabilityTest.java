package dev.wren.mqtt;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reconnect and store settings: defaults, ranges, and the messages naming bad values (journal: client-journal). */
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
        assertNull(c.inflightStore(), "in memory");
    }

    @Test
    void settingsAreKeptAndShown() {
        MqttConfig c = base().automaticReconnect(true).reconnectBackoff(50, 5_000, 1.5, 0.25).build();
        assertTrue(c.automaticReconnect());
        assertEquals(50, c.reconnectMinDelayMillis());
        assertEquals(5_000, c.reconnectMaxDelayMillis());
        assertEquals(1.5, c.reconnectMultiplier());
        assertEquals(0.25, c.reconnectJitter());
        assertTrue(c.toString().contains("reconnect 50..5000 ms"), c.toString());
    }

    @Test
    void badValuesAreRejectedNamingValueAndRange() {
        assertTrue(rejected(() -> base().reconnectBackoff(0, 10, 2, 0.5)).contains("minDelayMillis 0 not in 1..3600000"));
        assertTrue(rejected(() -> base().reconnectBackoff(100, 50, 2, 0.5)).contains("maxDelayMillis 50 not in 100..3600000"));
        assertTrue(rejected(() -> base().reconnectBackoff(1, 10, 0.9, 0.5)).contains("multiplier 0.9 not in 1.0..10.0"));
        assertTrue(rejected(() -> base().reconnectBackoff(1, 10, 2, 1.5)).contains("jitter 1.5 not in 0.0..1.0"));
        assertTrue(rejected(() -> base().inflightStore(null)).contains("inflightStore factory is null"));
    }
}
