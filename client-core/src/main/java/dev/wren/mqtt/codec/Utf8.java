package dev.wren.mqtt.codec;

/**
 * UTF-8 as MQTT 3.1.1 §1.5.3 restricts it: well-formed per RFC 3629, no surrogate code points U+D800..U+DFFF
 * [MQTT-1.5.3-1], no U+0000 [MQTT-1.5.3-2]. A byte order mark 0xEF 0xBB 0xBF is an ordinary U+FEFF and is
 * kept [MQTT-1.5.3-3]. Nothing here allocates.
 */
public final class Utf8 {
    private Utf8() {
    }

    /**
     * Returns the UTF-8 size of a string as MQTT encodes it (§1.5.3).
     *
     * @param s text; a surrogate pair counts as one 4-byte code point
     * @return bytes, or -1 if {@code s} holds an unpaired surrogate or U+0000 (the caller rejects it)
     */
    public static int encodedLength(CharSequence s) {
        int n = lengthOrStatus(s);
        return n < 0 ? -1 : n;
    }

    /**
     * Checks that text can be sent as an MQTT UTF-8 string (§1.5.3).
     *
     * @param s text
     * @return {@link CodecStatus#OK}, {@link CodecStatus#UTF8_NULL} (U+0000, [MQTT-1.5.3-2]) or
     *     {@link CodecStatus#UTF8_SURROGATE} (an unpaired surrogate, [MQTT-1.5.3-1])
     */
    public static int validate(CharSequence s) {
        int n = lengthOrStatus(s);
        return n < 0 ? n : CodecStatus.OK;
    }

    /** Byte count of {@code s}, or a negative UTF8_* status. */
    static int lengthOrStatus(CharSequence s) {
        int bytes = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c == 0) {
                    return CodecStatus.UTF8_NULL;
                }
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                return CodecStatus.UTF8_SURROGATE;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * Writes the UTF-8 of {@code s}, without a length prefix (§1.5.3).
     *
     * <p>Assumes {@link #encodedLength} was checked: an unpaired surrogate, should one slip through, is written as
     * U+FFFD (3 bytes, the same size a surrogate would take) so the output stays well-formed.
     *
     * @param s text
     * @param dst destination with room for {@code encodedLength(s)} bytes
     * @param off first byte to write
     * @return bytes written
     */
    public static int encode(CharSequence s, byte[] dst, int off) {
        int pos = off;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                dst[pos++] = (byte) c;
                continue;
            }
            int cp = c;
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                cp = Character.toCodePoint(c, s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                cp = 0xFFFD;
            }
            pos += putCodePoint(cp, dst, pos);
        }
        return pos - off;
    }

    /** Writes one code point of 0x80 or more; returns 2..4. */
    private static int putCodePoint(int cp, byte[] dst, int pos) {
        if (cp < 0x800) {
            dst[pos] = (byte) (0xC0 | (cp >>> 6));
            dst[pos + 1] = (byte) (0x80 | (cp & 0x3F));
            return 2;
        }
        if (cp < 0x10000) {
            dst[pos] = (byte) (0xE0 | (cp >>> 12));
            dst[pos + 1] = (byte) (0x80 | ((cp >>> 6) & 0x3F));
            dst[pos + 2] = (byte) (0x80 | (cp & 0x3F));
            return 3;
        }
        dst[pos] = (byte) (0xF0 | (cp >>> 18));
        dst[pos + 1] = (byte) (0x80 | ((cp >>> 12) & 0x3F));
        dst[pos + 2] = (byte) (0x80 | ((cp >>> 6) & 0x3F));
        dst[pos + 3] = (byte) (0x80 | (cp & 0x3F));
        return 4;
    }

    /**
     * Validates received UTF-8 string data (§1.5.3, RFC 3629 §4).
     *
     * @param buf bytes
     * @param off first byte of the string data (after its length prefix)
     * @param len data length
     * @return {@link CodecStatus#OK} or the first fault: {@link CodecStatus#UTF8_NULL},
     *     {@link CodecStatus#UTF8_SURROGATE}, {@link CodecStatus#UTF8_OVERLONG}, {@link CodecStatus#UTF8_TRUNCATED}
     *     (a sequence ends early, at the end of the data or at a non-continuation byte) or
     *     {@link CodecStatus#UTF8_INVALID} (stray continuation byte, 0xF5..0xFF, above U+10FFFF)
     */
    public static int validate(byte[] buf, int off, int len) {
        int end = off + len;
        int pos = off;
        while (pos < end) {
            int b = buf[pos] & 0xFF;
            if (b < 0x80) {
                if (b == 0) {
                    return CodecStatus.UTF8_NULL;
                }
                pos++;
                continue;
            }
            int need;
            int min2 = 0x80; // allowed range of the second byte: RFC 3629 §4
            int max2 = 0xBF;
            if (b < 0xC0 || b > 0xF4) {
                return CodecStatus.UTF8_INVALID;
            } else if (b < 0xC2) {
                return CodecStatus.UTF8_OVERLONG; // 0xC0, 0xC1 only ever encode U+0000..U+007F
            } else if (b < 0xE0) {
                need = 1;
            } else if (b < 0xF0) {
                need = 2;
                if (b == 0xE0) {
                    min2 = 0xA0;
                } else if (b == 0xED) {
                    max2 = 0x9F;
                }
            } else {
                need = 3;
                if (b == 0xF0) {
                    min2 = 0x90;
                } else if (b == 0xF4) {
                    max2 = 0x8F;
                }
            }
            for (int k = 1; k <= need; k++) {
                if (pos + k >= end) {
                    return CodecStatus.UTF8_TRUNCATED;
                }
                int c = buf[pos + k] & 0xFF;
                if ((c & 0xC0) != 0x80) {
                    return CodecStatus.UTF8_TRUNCATED;
                }
                if (k == 1 && c < min2) {
                    return CodecStatus.UTF8_OVERLONG;
                }
                if (k == 1 && c > max2) {
                    return b == 0xED ? CodecStatus.UTF8_SURROGATE : CodecStatus.UTF8_INVALID;
                }
            }
            pos += need + 1;
        }
        return CodecStatus.OK;
    }

    /**
     * Compares text with UTF-8 bytes without decoding them into a string.
     *
     * @param s text
     * @param buf bytes
     * @param off first byte
     * @param len byte count
     * @return true when the UTF-8 encoding of {@code s} is exactly those bytes
     */
    public static boolean equals(CharSequence s, byte[] buf, int off, int len) {
        int end = off + len;
        int pos = off;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            int cp = Character.codePointAt(s, i);
            if (cp > 0xFFFF) {
                i++;
            }
            int matched = matchCodePoint(cp, buf, pos, end);
            if (matched < 0) {
                return false;
            }
            pos += matched;
        }
        return pos == end;
    }

    /**
     * Compares the UTF-8 encoding of one code point with the bytes at {@code pos}.
     *
     * @return bytes matched (1..4), or -1 on a difference or when {@code end} comes first
     */
    static int matchCodePoint(int cp, byte[] buf, int pos, int end) {
        if (cp < 0x80) {
            return pos < end && buf[pos] == (byte) cp ? 1 : -1;
        }
        if (cp >= 0xD800 && cp <= 0xDFFF) {
            cp = 0xFFFD; // encode() writes an unpaired surrogate as U+FFFD
        }
        int n = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        if (end - pos < n) {
            return -1;
        }
        int shift = 6 * (n - 1);
        int lead = (cp >>> shift) | (n == 2 ? 0xC0 : n == 3 ? 0xE0 : 0xF0);
        if (buf[pos] != (byte) lead) {
            return -1;
        }
        for (int k = 1; k < n; k++) {
            shift -= 6;
            if (buf[pos + k] != (byte) (0x80 | ((cp >>> shift) & 0x3F))) {
                return -1;
            }
        }
        return n;
    }

    /** Size of the sequence a valid lead byte starts: 1..4. */
    static int sequenceLength(int lead) {
        int b = lead & 0xFF;
        return b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    }

    /** Decodes the code point at {@code pos} of validated UTF-8. */
    static int codePointAt(byte[] buf, int pos) {
        int b = buf[pos] & 0xFF;
        switch (sequenceLength(b)) {
            case 1:
                return b;
            case 2:
                return ((b & 0x1F) << 6) | (buf[pos + 1] & 0x3F);
            case 3:
                return ((b & 0x0F) << 12) | ((buf[pos + 1] & 0x3F) << 6) | (buf[pos + 2] & 0x3F);
            default:
                return ((b & 0x07) << 18) | ((buf[pos + 1] & 0x3F) << 12) | ((buf[pos + 2] & 0x3F) << 6)
                        | (buf[pos + 3] & 0x3F);
        }
    }
}
