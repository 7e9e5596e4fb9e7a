package dev.wren.mqtt.codec;

import java.nio.charset.StandardCharsets;

/**
 * A reusable {@link CharSequence} over validated UTF-8 bytes, decoding on the fly (Agrona's AsciiSequenceView,
 * extended to full UTF-8).
 *
 * <p>ASCII-only text is indexed directly. Other text is decoded code point by code point from a cursor that
 * remembers the last position, so a front-to-back scan costs O(n) in all; a supplementary code point (4 UTF-8
 * bytes) appears as its surrogate pair, two chars, exactly as in a {@link String}. Random access backwards
 * rescans from the start. {@link #subSequence} and {@link #toString} allocate; nothing else does.
 */
public final class Utf8Chars implements CharSequence {
    private byte[] buf = new byte[0];
    private int off;
    private int byteLength;
    private int charLength;
    private boolean ascii = true;
    private int cursorChar;
    private int cursorByte;

    /**
     * Points this view at validated UTF-8 bytes.
     *
     * @param buf bytes, already checked with {@link Utf8#validate(byte[], int, int)}
     * @param off first byte
     * @param len byte count
     * @return this
     */
    public Utf8Chars wrap(byte[] buf, int off, int len) {
        this.buf = buf;
        this.off = off;
        this.byteLength = len;
        int chars = 0;
        int end = off + len;
        for (int pos = off; pos < end; ) {
            int n = Utf8.sequenceLength(buf[pos]);
            chars += n == 4 ? 2 : 1;
            pos += n;
        }
        this.charLength = chars;
        this.ascii = chars == len;
        this.cursorChar = 0;
        this.cursorByte = off;
        return this;
    }

    @Override
    public int length() {
        return charLength;
    }

    @Override
    public char charAt(int index) {
        if (index < 0 || index >= charLength) {
            throw new IndexOutOfBoundsException("index " + index + " outside [0, " + charLength + ")");
        }
        if (ascii) {
            return (char) buf[off + index];
        }
        if (index < cursorChar) {
            cursorChar = 0;
            cursorByte = off;
        }
        while (true) {
            int n = Utf8.sequenceLength(buf[cursorByte]);
            int units = n == 4 ? 2 : 1;
            if (index < cursorChar + units) {
                int cp = Utf8.codePointAt(buf, cursorByte);
                if (units == 1) {
                    return (char) cp;
                }
                return index == cursorChar ? Character.highSurrogate(cp) : Character.lowSurrogate(cp);
            }
            cursorChar += units;
            cursorByte += n;
        }
    }

    /** Allocates: returns {@code toString().subSequence(start, end)}. */
    @Override
    public CharSequence subSequence(int start, int end) {
        return toString().subSequence(start, end);
    }

    /** Allocates a new String with the decoded text. */
    @Override
    public String toString() {
        return new String(buf, off, byteLength, StandardCharsets.UTF_8);
    }
}
