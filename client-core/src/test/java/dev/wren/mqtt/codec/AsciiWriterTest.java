package dev.wren.mqtt.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Numbers written as ASCII straight into a buffer, sized first. */
class AsciiWriterTest {
    private static String fixed(long scaled, int decimals) {
        byte[] b = new byte[40];
        int n = AsciiWriter.putFixedAscii(b, 2, scaled, decimals);
        assertEquals(AsciiWriter.fixedAsciiLength(scaled, decimals), n);
        return new String(b, 2, n, StandardCharsets.US_ASCII);
    }

    @ParameterizedTest(name = "{0}, {1} -> {2}")
    @CsvSource({
        "2153, 2, 21.53", "-5, 2, -0.05", "7, 0, 7", "0, 0, 0", "0, 3, 0.000", "-2153, 1, -215.3",
        "100, 2, 1.00", "-9223372036854775808, 0, -9223372036854775808",
        "9223372036854775807, 18, 9.223372036854775807", "-1, 18, -0.000000000000000001",
    })
    void writesFixedPointDecimals(long scaled, int decimals, String expected) {
        assertEquals(expected, fixed(scaled, decimals));
    }

    @Test
    void agreesWithBigDecimalAndIntegerToString() {
        long seed = Long.getLong("wren.seed", System.nanoTime());
        Random r = new Random(seed);
        byte[] b = new byte[40];
        for (int i = 0; i < 20_000; i++) {
            int value = i < 2 ? (i == 0 ? Integer.MIN_VALUE : Integer.MAX_VALUE) : r.nextInt() >> r.nextInt(32);
            int n = AsciiWriter.putIntAscii(b, 0, value);
            assertEquals(Integer.toString(value), new String(b, 0, n, StandardCharsets.US_ASCII), "seed " + seed);
            assertEquals(n, AsciiWriter.intAsciiLength(value));
            long scaled = r.nextLong() >> r.nextInt(64);
            int decimals = r.nextInt(6);
            assertEquals(BigDecimal.valueOf(scaled, decimals).toPlainString(), fixed(scaled, decimals),
                    "seed " + seed);
        }
    }
}
