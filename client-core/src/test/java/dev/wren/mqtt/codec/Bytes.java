package dev.wren.mqtt.codec;

import java.io.ByteArrayOutputStream;

/** Byte fixtures written as int literals, and hex for failure messages. */
final class Bytes {
    private Bytes() {
    }

    static byte[] of(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0 || values[i] > 0xFF) {
                throw new IllegalArgumentException("byte value " + values[i] + " at index " + i);
            }
            b[i] = (byte) values[i];
        }
        return b;
    }

    /** The ASCII bytes of a string, spelled out so fixtures stay readable. */
    static int[] ascii(String s) {
        int[] v = new int[s.length()];
        for (int i = 0; i < v.length; i++) {
            v[i] = s.charAt(i);
        }
        return v;
    }

    static byte[] concat(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof byte[] b) {
                out.write(b, 0, b.length);
            } else if (p instanceof int[] v) {
                for (int x : v) {
                    out.write(x);
                }
            } else if (p instanceof Integer x) {
                out.write(x);
            } else {
                throw new IllegalArgumentException(String.valueOf(p));
            }
        }
        return out.toByteArray();
    }

    static byte[] repeat(int value, int count) {
        byte[] b = new byte[count];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }

    static String hex(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder();
        for (int i = off; i < off + len; i++) {
            sb.append(String.format("%02X ", b[i] & 0xFF));
        }
        return sb.toString().trim();
    }

    static String hex(byte[] b) {
        return hex(b, 0, b.length);
    }
}
