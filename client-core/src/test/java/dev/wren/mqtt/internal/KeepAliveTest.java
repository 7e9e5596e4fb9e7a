package dev.wren.mqtt.internal;

import dev.wren.mqtt.testing.Covers;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Keep-alive as a pure function of time, including clock values that wrap around. */
class KeepAliveTest {

    private static final long S = 1_000_000_000L;

    @Test
    @Covers({"MQTT-3.1.2-23"})
    void pingIsDueAfterAnIntervalWithoutSendingAndTimesOutWithoutPingresp() {
        long sent = Long.MAX_VALUE - 3 * S; // wraps within the interval
        assertEquals(KeepAlive.IDLE, KeepAlive.due(sent + 9 * S, sent, sent, 10 * S, false, 0, 5 * S));
        assertEquals(KeepAlive.SEND_PINGREQ, KeepAlive.due(sent + 10 * S, sent, sent, 10 * S, false, 0, 5 * S));
        assertEquals(S, KeepAlive.nanosUntilDue(sent + 9 * S, sent, sent, 10 * S, false, 0, 5 * S));
        long ping = sent + 10 * S;
        assertEquals(KeepAlive.IDLE, KeepAlive.due(ping + 4 * S, ping, ping, 10 * S, true, ping, 5 * S));
        assertEquals(KeepAlive.TIMED_OUT, KeepAlive.due(ping + 5 * S, ping, ping, 10 * S, true, ping, 5 * S));
        assertEquals(0, KeepAlive.nanosUntilDue(ping + 6 * S, ping, ping, 10 * S, true, ping, 5 * S));
    }

    @Test
    @Covers({"MQTT-3.1.2-23"})
    void aPingrespQueuedBehindAPacketStillArrivingIsJudgedFromItsLastByteAndPingsGoOnEachInterval() {
        long ping = Long.MAX_VALUE - 2 * S; // PINGREQ sent; a large packet goes on arriving, its last byte at ping + 9 s
        long lastByte = ping + 9 * S;
        assertEquals(KeepAlive.IDLE, KeepAlive.due(ping + 9 * S, ping, ping, 10 * S, true, lastByte, 5 * S));
        assertEquals(S, KeepAlive.nanosUntilDue(ping + 9 * S, ping, ping, 10 * S, true, lastByte, 5 * S));
        assertEquals(KeepAlive.SEND_PINGREQ, KeepAlive.due(ping + 10 * S, ping, ping, 10 * S, true, lastByte, 5 * S),
                "nothing sent for an interval: another PINGREQ");
        long again = ping + 10 * S;
        assertEquals(KeepAlive.IDLE, KeepAlive.due(ping + 13 * S, again, again, 10 * S, true, lastByte, 5 * S));
        assertEquals(KeepAlive.TIMED_OUT, KeepAlive.due(ping + 14 * S, again, again, 10 * S, true, lastByte, 5 * S),
                "silent for the ping timeout since the last byte");
    }

    @Test
    void zeroIntervalDisablesKeepAlive() {
        assertEquals(KeepAlive.IDLE, KeepAlive.due(Long.MAX_VALUE, 0, 0, 0, false, 0, 0));
        assertEquals(Long.MAX_VALUE, KeepAlive.nanosUntilDue(5, 0, 0, 0, false, 0, 0));
    }
}
