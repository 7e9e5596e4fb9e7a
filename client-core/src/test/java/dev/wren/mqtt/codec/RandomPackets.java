package dev.wren.mqtt.codec;

import java.util.Random;

/** Random valid MQTT text for property tests: every UTF-8 length class, supplementary characters included. */
final class RandomPackets {
    private RandomPackets() {
    }

    /** A random code point that MQTT allows in a topic level: no U+0000, surrogate, '/', '+' or '#'. */
    static int levelCodePoint(Random r) {
        while (true) {
            int cp;
            switch (r.nextInt(4)) {
                case 0: cp = 0x20 + r.nextInt(0x5F); break;          // printable ASCII
                case 1: cp = 0x80 + r.nextInt(0x800 - 0x80); break;   // 2-byte
                case 2: cp = 0x800 + r.nextInt(0x10000 - 0x800); break; // 3-byte (surrogates filtered below)
                default: cp = 0x10000 + r.nextInt(0x110000 - 0x10000); // 4-byte, a surrogate pair in Java
            }
            if (cp != '/' && cp != '+' && cp != '#' && (cp < 0xD800 || cp > 0xDFFF)) {
                return cp;
            }
        }
    }

    static String level(Random r, int maxCodePoints) {
        StringBuilder sb = new StringBuilder();
        for (int n = r.nextInt(maxCodePoints + 1); n > 0; n--) {
            sb.appendCodePoint(levelCodePoint(r));
        }
        return sb.toString();
    }

    /** A valid topic name of 1..4 levels; levels may be empty, but the name is not. */
    static String topicName(Random r) {
        while (true) {
            StringBuilder sb = new StringBuilder(level(r, 6));
            for (int n = r.nextInt(4); n > 0; n--) {
                sb.append('/').append(level(r, 6));
            }
            if (r.nextInt(8) == 0) {
                sb.insert(0, '$');
            }
            if (sb.length() > 0) {
                return sb.toString();
            }
        }
    }

    /** A valid topic filter: levels of text or '+', optionally ending in '#'. */
    static String topicFilter(Random r) {
        StringBuilder sb = new StringBuilder();
        int levels = 1 + r.nextInt(4);
        for (int i = 0; i < levels; i++) {
            if (i > 0) {
                sb.append('/');
            }
            if (i == levels - 1 && r.nextInt(4) == 0) {
                sb.append('#');
            } else if (r.nextInt(3) == 0) {
                sb.append('+');
            } else {
                sb.append(level(r, 4));
            }
        }
        return sb.length() == 0 ? "+" : sb.toString();
    }

    static byte[] bytes(Random r, int maxLength) {
        byte[] b = new byte[r.nextInt(maxLength + 1)];
        r.nextBytes(b);
        return b;
    }
}
