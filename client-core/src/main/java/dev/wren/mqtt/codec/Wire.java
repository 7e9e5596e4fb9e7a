package dev.wren.mqtt.codec;

/**
 * Big-endian 16-bit fields, length-prefixed fields and fixed headers shared by the encoders and views of both
 * codecs (MQTT 3.1.1 §1.5.2, §2.2; MQTT 5.0 §1.5.2, §2.1). Public only so that {@code dev.wren.mqtt.codec.v5}
 * can share it; not for applications.
 */
public final class Wire {
    private Wire() {
    }

    /** Reads a Two Byte Integer, big-endian (§1.5.2). */
    public static int readU16(byte[] buf, int off) {
        return ((buf[off] & 0xFF) << 8) | (buf[off + 1] & 0xFF);
    }

    /** Writes a Two Byte Integer, big-endian (§1.5.2); returns 2. */
    public static int writeU16(byte[] dst, int off, int value) {
        dst[off] = (byte) (value >>> 8);
        dst[off + 1] = (byte) value;
        return 2;
    }

    /** Writes byte 1 and the remaining length; returns the header size. */
    public static int writeHeader(byte[] dst, int off, int type, int flags, int remainingLength) {
        dst[off] = (byte) ((type << 4) | flags);
        return 1 + RemainingLength.encode(remainingLength, dst, off + 1);
    }

    /** Whole-frame size for a given remaining length. */
    public static int frameLength(int remainingLength) {
        return 1 + RemainingLength.size(remainingLength) + remainingLength;
    }

    /** Writes a 2-byte length and the UTF-8 of {@code s}; returns bytes written. */
    public static int writeString(byte[] dst, int off, CharSequence s) {
        int n = Utf8.encode(s, dst, off + 2);
        writeU16(dst, off, n);
        return 2 + n;
    }

    /** Writes a 2-byte length and the bytes; returns bytes written. */
    public static int writeBinary(byte[] dst, int off, byte[] src, int srcOff, int len) {
        writeU16(dst, off, len);
        System.arraycopy(src, srcOff, dst, off + 2, len);
        return 2 + len;
    }

    /**
     * Checks that a length-prefixed field starting at {@code pos} lies inside {@code [pos, end)}.
     *
     * @return the field's data length (0..65535), or {@link CodecStatus#TRUNCATED_STRING}
     */
    public static int fieldLength(byte[] buf, int pos, int end) {
        if (end - pos < 2) {
            return CodecStatus.TRUNCATED_STRING;
        }
        int n = readU16(buf, pos);
        return n > end - pos - 2 ? CodecStatus.TRUNCATED_STRING : n;
    }

    /** True when {@code [off, off+len)} lies inside {@code buf}. */
    public static boolean inBounds(byte[] buf, int off, int len) {
        return off >= 0 && len >= 0 && len <= buf.length - off;
    }

    /**
     * Returns code {@code i} of a list of one-byte codes read in place: SUBACK return codes (MQTT 3.1.1 §3.9.3),
     * SUBACK and UNSUBACK reason codes (MQTT 5.0 §3.9.3, §3.11.3).
     *
     * @param buf bytes
     * @param off offset of the first code
     * @param count number of codes
     * @param i 0..count-1
     * @param what what a code is called, for the exception message
     * @return the code, 0..255
     * @throws IndexOutOfBoundsException when {@code i} is outside [0, count), naming both
     */
    public static int codeAt(byte[] buf, int off, int count, int i, String what) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException(what + " " + i + " outside [0, " + count + ")");
        }
        return buf[off + i] & 0xFF;
    }
}
