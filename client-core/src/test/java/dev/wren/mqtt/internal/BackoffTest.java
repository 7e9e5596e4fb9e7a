package dev.wren.mqtt.internal;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    @Test
    void withoutJitterDelaysGrowByTheMultiplierUpToTheMaximum() {
        Backoff b = new Backoff(100, 2_000, 2.0, 0.0, 1);
        long[] expected = {100, 200, 400, 800, 1600, 2000, 2000};
        for (long e : expected) {
            assertEquals(e, millis(b.failed()));
        }
        assertEquals(7, b.failures());
    }

    @Test
    void resetStartsAgainFromTheMinimum() {
        Backoff b = new Backoff(250, 10_000, 3.0, 0.0, 1);
        b.failed();
        b.failed();
        assertEquals(750, millis(b.nominalNanos()));
        b.reset();
        assertEquals(0, b.failures());
        assertEquals(250, millis(b.failed()));
    }

    @Test
    void jitterKeepsEachDelayWithinItsShareOfTheNominalDelayAndSpreadsThem() {
        Backoff b = new Backoff(1_000, 60_000, 1.5, 0.5, 42);
        double nominal = 1_000;
        long below = 0;
        for (int i = 0; i < 10_000; i++) {
            if (i % 12 == 0) {
                b.reset();
                nominal = 1_000;
            }
            long d = b.failed();
            long n = b.nominalNanos();
            assertEquals((long) Math.min(60_000, Math.floor(nominal)), millis(n), "nominal at failure " + b.failures());
            assertTrue(d <= n && d >= n / 2, "delay " + d + " outside [" + n / 2 + ", " + n + "]");
            if (d < n * 3 / 4) {
                below++;
            }
            nominal = Math.min(60_000, nominal * 1.5);
        }
        assertTrue(below > 4_000 && below < 6_000, "uniform: about half below 3/4 of nominal, got " + below);
    }

    @Test
    void twoSeedsGiveDifferentDelaysSoAFleetDoesNotReconnectInStep() {
        Backoff a = new Backoff(1_000, 60_000, 2.0, 0.5, 1);
        Backoff b = new Backoff(1_000, 60_000, 2.0, 0.5, 2);
        int same = 0;
        for (int i = 0; i < 6; i++) {
            if (a.failed() == b.failed()) {
                same++;
            }
        }
        assertTrue(same < 2, same + " of 6 delays equal");
    }

    @Test
    void badSettingsAreRejectedWithTheValues() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Backoff(0, 10, 2, 0, 1))
                .getMessage().contains("min 0 ms"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Backoff(100, 50, 2, 0, 1))
                .getMessage().contains("max 50 ms"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Backoff(1, 10, 0.5, 0, 1))
                .getMessage().contains("0.5"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Backoff(1, 10, 2, 1.5, 1))
                .getMessage().contains("1.5"));
    }
}
