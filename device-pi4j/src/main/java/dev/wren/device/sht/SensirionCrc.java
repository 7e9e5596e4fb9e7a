package dev.wren.device.sht;

/**
 * The Sensirion CRC-8 that protects every 16-bit word on SHT3x and SHT4x (SHT3x-DIS datasheet §4.12 Table 20,
 * SHT4x datasheet "Checksum Calculation"): polynomial 0x31 (x⁸ + x⁵ + x⁴ + 1), initial value 0xFF, no reflection,
 * no final XOR. Example from the datasheet: CRC(0xBEEF) = 0x92.
 */
public final class SensirionCrc {
    private SensirionCrc() {
    }

    /**
     * Computes the CRC over {@code len} bytes.
     *
     * @param data bytes
     * @param off first index
     * @param len byte count (2 for a data word)
     * @return the CRC, 0x00..0xFF
     */
    public static int crc8(byte[] data, int off, int len) {
        int crc = 0xFF;
        for (int i = off; i < off + len; i++) {
            crc ^= data[i] & 0xFF;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x80) != 0 ? ((crc << 1) ^ 0x31) & 0xFF : (crc << 1) & 0xFF;
            }
        }
        return crc;
    }
}
