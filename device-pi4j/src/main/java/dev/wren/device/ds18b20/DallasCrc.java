package dev.wren.device.ds18b20;

/**
 * The 1-Wire CRC-8 of the DS18B20 scratchpad (DS18B20 datasheet, "CRC Generation"): polynomial x⁸ + x⁵ + x⁴ + 1,
 * computed LSB first (reflected constant 0x8C), initial value 0. Byte 8 of the scratchpad is the CRC of bytes 0..7.
 */
public final class DallasCrc {
    private DallasCrc() {
    }

    /**
     * Computes the CRC over {@code len} bytes.
     *
     * @param data bytes
     * @param off first index
     * @param len byte count (8 for a scratchpad)
     * @return the CRC, 0x00..0xFF
     */
    public static int crc8(byte[] data, int off, int len) {
        int crc = 0;
        for (int i = off; i < off + len; i++) {
            int b = data[i] & 0xFF;
            for (int bit = 0; bit < 8; bit++) {
                int mix = (crc ^ b) & 0x01;
                crc >>= 1;
                if (mix != 0) {
                    crc ^= 0x8C;
                }
                b >>= 1;
            }
        }
        return crc;
    }
}
