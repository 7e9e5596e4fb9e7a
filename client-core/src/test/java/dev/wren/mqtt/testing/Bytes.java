package dev.wren.mqtt.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds byte fixtures for wire-level tests, field by field. */
public final class Bytes {

    private Bytes() {
    }

    /**
     * Concatenates the parts: an {@link Integer} is one byte (0..255), a {@link String} its UTF-8 bytes
     * (no length prefix; use {@link #str} for an MQTT string), a {@code byte[]} itself.
     */
    public static byte[] of(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof Integer) {
                int b = (Integer) part;
                if (b < 0 || b > 255) {
                    throw new IllegalArgumentException("byte value " + b + " not in 0..255");
                }
                out.write(b);
            } else if (part instanceof String) {
                out.writeBytes(((String) part).getBytes(StandardCharsets.UTF_8));
            } else if (part instanceof byte[]) {
                out.writeBytes((byte[]) part);
            } else {
                throw new IllegalArgumentException("unsupported part " + part);
            }
        }
        return out.toByteArray();
    }

    /** An MQTT UTF-8 string: two length bytes (big-endian) then the UTF-8 bytes (MQTT 3.1.1 §1.5.3). */
    public static byte[] str(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        return of(utf8.length >> 8, utf8.length & 0xFF, utf8);
    }

    /** Parses hex digits, ignoring spaces: {@code "30 0a 00"}. */
    public static byte[] hex(String hex) {
        String digits = hex.replace(" ", "");
        if (digits.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits in \"" + hex + "\"");
        }
        byte[] out = new byte[digits.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    /** Hex text of {@code b[off..off+len)}, bytes separated by spaces. */
    public static String toHex(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder(len * 3);
        for (int i = 0; i < len; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(Character.forDigit((b[off + i] >> 4) & 0xF, 16)).append(Character.forDigit(b[off + i] & 0xF, 16));
        }
        return sb.toString();
    }

    /** Hex text of all of {@code b}. */
    public static String toHex(byte[] b) {
        return toHex(b, 0, b.length);
    }
}
