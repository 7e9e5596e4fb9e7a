package dev.wren.mqtt.codec;

/**
 * Writes numbers as ASCII digits straight into a buffer, for payloads such as sensor readings (Agrona's
 * {@code putIntAscii}). Size first with the {@code *Length} methods, then write. Nothing here allocates.
 */
public final class AsciiWriter {
    private AsciiWriter() {
    }

    /**
     * Returns how many bytes {@link #putIntAscii} writes for a value.
     *
     * @param value any int
     * @return 1..11
     */
    public static int intAsciiLength(int value) {
        return fixedAsciiLength(value, 0);
    }

    /**
     * Writes a decimal integer, with a leading {@code '-'} when negative ({@link Integer#MIN_VALUE} included).
     *
     * @param dst destination with room for {@link #intAsciiLength} bytes
     * @param off first byte to write
     * @param value any int
     * @return bytes written
     */
    public static int putIntAscii(byte[] dst, int off, int value) {
        return putFixedAscii(dst, off, value, 0);
    }

    /**
     * Returns how many bytes {@link #putFixedAscii} writes.
     *
     * @param scaledValue the value times 10^decimals
     * @param decimals digits after the point, 0..18
     * @return bytes
     */
    public static int fixedAsciiLength(long scaledValue, int decimals) {
        int digits = Math.max(digitCount(scaledValue), decimals + 1);
        return (scaledValue < 0 ? 1 : 0) + digits + (decimals > 0 ? 1 : 0);
    }

    /**
     * Writes a fixed-point decimal: {@code (2153, 2)} gives {@code "21.53"}, {@code (-5, 2)} gives
     * {@code "-0.05"}, {@code (7, 0)} gives {@code "7"}. There is always a digit before the point.
     *
     * @param dst destination with room for {@link #fixedAsciiLength} bytes
     * @param off first byte to write
     * @param scaledValue the value times 10^decimals, any long ({@link Long#MIN_VALUE} included)
     * @param decimals digits after the point, 0..18
     * @return bytes written
     */
    public static int putFixedAscii(byte[] dst, int off, long scaledValue, int decimals) {
        int length = fixedAsciiLength(scaledValue, decimals);
        if (scaledValue < 0) {
            dst[off] = '-';
        }
        // Digits are produced from a non-positive value so that Long.MIN_VALUE needs no special case.
        long rest = scaledValue > 0 ? -scaledValue : scaledValue;
        int pos = off + length;
        int digits = Math.max(digitCount(scaledValue), decimals + 1);
        for (int i = 0; i < digits; i++) {
            if (i == decimals && decimals > 0) {
                dst[--pos] = '.';
            }
            dst[--pos] = (byte) ('0' - (rest % 10));
            rest /= 10;
        }
        return length;
    }

    private static int digitCount(long value) {
        long rest = value > 0 ? -value : value;
        int n = 1;
        while (rest <= -10) {
            rest /= 10;
            n++;
        }
        return n;
    }
}
