package dev.wren.mqtt.codec.v5;

import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.RemainingLength;

/**
 * Variable byte integers of MQTT 5.0 §1.5.5: 1 to 4 bytes, 7 bits each, least significant first, bit 7 set when
 * another byte follows, and always in the fewest bytes that hold the value [MQTT-1.5.5-1]. Used for the remaining
 * length, the property length, property identifiers and the Subscription Identifier.
 *
 * <p>{@link #decode} returns value and size packed in one non-negative int, so decoding allocates nothing:
 * {@link #value(int)} and {@link #size(int)} unpack it.
 */
public final class VariableByteInteger {
    /** Largest value, 268,435,455 (0xFF 0xFF 0xFF 0x7F), §1.5.5. */
    public static final int MAX = RemainingLength.MAX;

    private static final int SIZE_SHIFT = 28;

    private VariableByteInteger() {
    }

    /**
     * Returns how many bytes a value takes.
     *
     * @param value 0..{@link #MAX}
     * @return 1..4
     */
    public static int length(int value) {
        return RemainingLength.size(value);
    }

    /**
     * Writes a value in its minimal encoding [MQTT-1.5.5-1].
     *
     * @param value 0..{@link #MAX} (not checked: the caller sized it)
     * @param dst destination
     * @param off first byte to write
     * @return bytes written, 1..4
     */
    public static int encode(int value, byte[] dst, int off) {
        return RemainingLength.encode(value, dst, off);
    }

    /**
     * Reads a variable byte integer.
     *
     * @param buf bytes
     * @param pos first byte
     * @param end end of the readable bytes (exclusive)
     * @return value and size packed (unpack with {@link #value(int)} and {@link #size(int)}, always at least
     *     2<sup>28</sup>), {@link CodecStatus#NEED_MORE} when {@code end} comes before the last byte, or
     *     {@link CodecStatus#MALFORMED_VARIABLE_BYTE_INTEGER} when a 4th byte has its continuation bit set or the
     *     encoding is not minimal (a last byte of 0 after others) [MQTT-1.5.5-1]
     */
    public static int decode(byte[] buf, int pos, int end) {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            if (pos + i >= end) {
                return CodecStatus.NEED_MORE;
            }
            int digit = buf[pos + i] & 0xFF;
            value |= (digit & 0x7F) << (7 * i);
            if ((digit & 0x80) == 0) {
                if (digit == 0 && i > 0) {
                    return CodecStatus.MALFORMED_VARIABLE_BYTE_INTEGER;
                }
                return ((i + 1) << SIZE_SHIFT) | value;
            }
        }
        return CodecStatus.MALFORMED_VARIABLE_BYTE_INTEGER;
    }

    /** Returns the value of a successful {@link #decode} result. */
    public static int value(int decoded) {
        return decoded & MAX;
    }

    /** Returns the size in bytes, 1..4, of a successful {@link #decode} result. */
    public static int size(int decoded) {
        return decoded >>> SIZE_SHIFT;
    }
}
