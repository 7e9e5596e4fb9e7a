package dev.wren.mqtt.codec;

/**
 * The remaining length of the fixed header: a variable byte integer of 1 to 4 bytes, 7 bits per byte, least
 * significant group first, bit 7 set when another byte follows (MQTT 3.1.1 §2.2.3).
 */
public final class RemainingLength {
    /** Largest encodable value, 268,435,455 (0xFF 0xFF 0xFF 0x7F), §2.2.3. */
    public static final int MAX = 268_435_455;

    private RemainingLength() {
    }

    /**
     * Returns how many bytes {@link #encode} writes for a value.
     *
     * @param value 0..{@link #MAX}
     * @return 1..4
     */
    public static int size(int value) {
        if (value < 0x80) {
            return 1;
        }
        if (value < 0x4000) {
            return 2;
        }
        return value < 0x20_0000 ? 3 : 4;
    }

    /**
     * Writes a value as a variable byte integer (§2.2.3).
     *
     * @param value 0..{@link #MAX} (not checked: the caller sized the packet)
     * @param dst destination
     * @param off first byte to write
     * @return bytes written, 1..4
     */
    public static int encode(int value, byte[] dst, int off) {
        int pos = off;
        int rest = value;
        do {
            int digit = rest & 0x7F;
            rest >>>= 7;
            dst[pos++] = (byte) (rest > 0 ? digit | 0x80 : digit);
        } while (rest > 0);
        return pos - off;
    }
}
