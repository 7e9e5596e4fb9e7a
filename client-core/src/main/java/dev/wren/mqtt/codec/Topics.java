package dev.wren.mqtt.codec;

/**
 * Topic names, topic filters and matching (MQTT 3.1.1 §4.7), over text or UTF-8 bytes, without allocation.
 *
 * <p>Matching works on bytes: the separator {@code /} and the wildcards {@code +} and {@code #} are ASCII and
 * never occur inside a multi-byte UTF-8 sequence, and §4.7.3 forbids any normalization [MQTT-4.7.3-4].
 */
public final class Topics {
    /** Longest topic name or filter, in UTF-8 bytes [MQTT-4.7.3-3]. */
    public static final int MAX_BYTES = 65_535;

    private static final int NONE = -1;

    private Topics() {
    }

    /**
     * Validates a topic filter before it is sent in SUBSCRIBE or UNSUBSCRIBE (§4.7).
     *
     * @param filter the filter
     * @return {@link CodecStatus#OK}, {@link CodecStatus#EMPTY_TOPIC_FILTER} [MQTT-4.7.3-1],
     *     {@link CodecStatus#TOPIC_TOO_LONG} [MQTT-4.7.3-3], {@link CodecStatus#UTF8_NULL} [MQTT-4.7.3-2],
     *     {@link CodecStatus#UTF8_SURROGATE} [MQTT-1.5.3-1],
     *     {@link CodecStatus#MULTI_LEVEL_WILDCARD_MISPLACED} [MQTT-4.7.1-2] or
     *     {@link CodecStatus#SINGLE_LEVEL_WILDCARD_MISPLACED} [MQTT-4.7.1-3]
     */
    public static int validateFilter(CharSequence filter) {
        int n = filter.length();
        if (n == 0) {
            return CodecStatus.EMPTY_TOPIC_FILTER;
        }
        int status = checkText(filter);
        for (int i = 0; i < n && status == CodecStatus.OK; i++) {
            status = wildcardPlacement(filter.charAt(i), i == 0 ? NONE : filter.charAt(i - 1),
                    i == n - 1 ? NONE : filter.charAt(i + 1));
        }
        return status;
    }

    /**
     * Validates a received topic filter given as UTF-8 bytes (§4.7, §1.5.3).
     *
     * @param buf bytes
     * @param off first byte
     * @param len byte count
     * @return as {@link #validateFilter(CharSequence)}, plus the UTF8_* statuses of {@link Utf8#validate}
     */
    public static int validateFilter(byte[] buf, int off, int len) {
        if (len == 0) {
            return CodecStatus.EMPTY_TOPIC_FILTER;
        }
        if (len > MAX_BYTES) {
            return CodecStatus.TOPIC_TOO_LONG;
        }
        int status = Utf8.validate(buf, off, len);
        int end = off + len;
        for (int i = off; i < end && status == CodecStatus.OK; i++) {
            status = wildcardPlacement(buf[i], i == off ? NONE : buf[i - 1], i == end - 1 ? NONE : buf[i + 1]);
        }
        return status;
    }

    /**
     * Validates a topic name before it is sent in PUBLISH or CONNECT (§4.7).
     *
     * @param name the name
     * @return {@link CodecStatus#OK}, {@link CodecStatus#EMPTY_TOPIC_NAME} [MQTT-4.7.3-1],
     *     {@link CodecStatus#TOPIC_TOO_LONG} [MQTT-4.7.3-3], {@link CodecStatus#UTF8_NULL} [MQTT-4.7.3-2],
     *     {@link CodecStatus#UTF8_SURROGATE} [MQTT-1.5.3-1] or {@link CodecStatus#WILDCARD_IN_TOPIC_NAME}
     *     [MQTT-3.3.2-2]
     */
    public static int validateName(CharSequence name) {
        int n = name.length();
        if (n == 0) {
            return CodecStatus.EMPTY_TOPIC_NAME;
        }
        int status = checkText(name);
        for (int i = 0; i < n && status == CodecStatus.OK; i++) {
            status = noWildcard(name.charAt(i));
        }
        return status;
    }

    /**
     * Validates a received topic name given as UTF-8 bytes (§3.3.2.1, §4.7, §1.5.3).
     *
     * @param buf bytes
     * @param off first byte
     * @param len byte count
     * @return as {@link #validateName(CharSequence)}, plus the UTF8_* statuses of {@link Utf8#validate}
     */
    public static int validateName(byte[] buf, int off, int len) {
        if (len == 0) {
            return CodecStatus.EMPTY_TOPIC_NAME;
        }
        if (len > MAX_BYTES) {
            return CodecStatus.TOPIC_TOO_LONG;
        }
        int status = Utf8.validate(buf, off, len);
        for (int i = off; i < off + len && status == CodecStatus.OK; i++) {
            status = noWildcard(buf[i]);
        }
        return status;
    }

    private static int checkText(CharSequence s) {
        int bytes = Utf8.lengthOrStatus(s);
        if (bytes < 0) {
            return bytes;
        }
        return bytes > MAX_BYTES ? CodecStatus.TOPIC_TOO_LONG : CodecStatus.OK;
    }

    private static int noWildcard(int c) {
        return c == '+' || c == '#' ? CodecStatus.WILDCARD_IN_TOPIC_NAME : CodecStatus.OK;
    }

    /** Checks one character of a filter against its neighbours ({@link #NONE} at either end). */
    private static int wildcardPlacement(int c, int previous, int next) {
        boolean levelStart = previous == NONE || previous == '/';
        if (c == '#' && !(levelStart && next == NONE)) {
            return CodecStatus.MULTI_LEVEL_WILDCARD_MISPLACED;
        }
        if (c == '+' && !(levelStart && (next == NONE || next == '/'))) {
            return CodecStatus.SINGLE_LEVEL_WILDCARD_MISPLACED;
        }
        return CodecStatus.OK;
    }

    /**
     * Tells whether a topic name matches a filter (§4.7). {@code +} matches exactly one level (possibly empty),
     * {@code #} the parent level and any number of child levels; a filter starting with a wildcard never
     * matches a name starting with {@code $} [MQTT-4.7.2-1].
     *
     * @param filter a filter that passed {@link #validateFilter(CharSequence)} (others get an answer, not an
     *     exception)
     * @param name UTF-8 topic name bytes
     * @param nameOff first byte of the name
     * @param nameLen name byte count
     * @return true on a match
     */
    public static boolean matches(CharSequence filter, byte[] name, int nameOff, int nameLen) {
        int fEnd = filter.length();
        int nEnd = nameOff + nameLen;
        if (startsWithDollar(name, nameOff, nameLen) && fEnd > 0 && isWildcard(filter.charAt(0))) {
            return false;
        }
        int fi = 0;
        int ni = nameOff;
        while (fi < fEnd) {
            char c = filter.charAt(fi);
            if (c == '#') {
                return true;
            }
            if (c == '+') {
                ni = endOfLevel(name, ni, nEnd);
                fi++;
                continue;
            }
            if (ni == nEnd) {
                // "a/#" also matches "a": the name ended exactly where "/#" begins.
                return fEnd - fi == 2 && c == '/' && filter.charAt(fi + 1) == '#';
            }
            int cp = Character.codePointAt(filter, fi);
            int matched = Utf8.matchCodePoint(cp, name, ni, nEnd);
            if (matched < 0) {
                return false;
            }
            ni += matched;
            fi += Character.charCount(cp);
        }
        return ni == nEnd;
    }

    /**
     * Tells whether a topic name matches a filter, both given as UTF-8 bytes; rules as in
     * {@link #matches(CharSequence, byte[], int, int)} (§4.7, [MQTT-4.7.2-1]).
     *
     * @param filter filter bytes
     * @param fOff first filter byte
     * @param fLen filter byte count
     * @param name name bytes
     * @param nOff first name byte
     * @param nLen name byte count
     * @return true on a match
     */
    public static boolean matches(byte[] filter, int fOff, int fLen, byte[] name, int nOff, int nLen) {
        int fEnd = fOff + fLen;
        int nEnd = nOff + nLen;
        if (startsWithDollar(name, nOff, nLen) && fLen > 0 && isWildcard(filter[fOff])) {
            return false;
        }
        int fi = fOff;
        int ni = nOff;
        while (fi < fEnd) {
            byte c = filter[fi];
            if (c == '#') {
                return true;
            }
            if (c == '+') {
                ni = endOfLevel(name, ni, nEnd);
                fi++;
                continue;
            }
            if (ni == nEnd) {
                return fEnd - fi == 2 && c == '/' && filter[fi + 1] == '#';
            }
            if (name[ni] != c) {
                return false;
            }
            ni++;
            fi++;
        }
        return ni == nEnd;
    }

    private static boolean startsWithDollar(byte[] name, int off, int len) {
        return len > 0 && name[off] == '$';
    }

    private static boolean isWildcard(int c) {
        return c == '+' || c == '#';
    }

    private static int endOfLevel(byte[] name, int pos, int end) {
        while (pos < end && name[pos] != '/') {
            pos++;
        }
        return pos;
    }
}
