package dev.wren.device.bme280;

/**
 * The Bosch integer compensation (BME280 datasheet §4.2.3, rev. 1.1 of the code; identical to BMP280 datasheet
 * §3.11.3 for temperature and pressure): 32-bit temperature in 0.01 °C, 64-bit pressure in Q24.8 Pa, 32-bit
 * humidity in Q22.10 %RH. Chosen over the double variant because it is the one the datasheet recommends for best
 * pressure accuracy, it is exact (golden vectors compare equal, not within a tolerance), and it needs no FPU.
 *
 * <p>Calibration words are held as ints already sign- or zero-extended as Table 16 (§4.2.2) types them.
 * Mutable only through {@link #load}; one instance per driver, reused for every reading.
 */
final class Bme280Compensation {
    int digT1, digT2, digT3;
    int digP1, digP2, digP3, digP4, digP5, digP6, digP7, digP8, digP9;
    int digH1, digH2, digH3, digH4, digH5, digH6;

    /** Carries fine temperature from {@link #temperatureCentiCelsius} to pressure and humidity (§4.2.3). */
    int tFine;

    /**
     * Decodes the calibration block (§4.2.2 Table 16).
     *
     * @param tp 26 bytes read from 0x88..0xA1 at {@code tpOff}
     * @param h 7 bytes read from 0xE1..0xE7 at {@code hOff}, or null on a BMP280
     */
    void load(byte[] tp, int tpOff, byte[] h, int hOff) {
        digT1 = u16le(tp, tpOff);
        digT2 = s16le(tp, tpOff + 2);
        digT3 = s16le(tp, tpOff + 4);
        digP1 = u16le(tp, tpOff + 6);
        digP2 = s16le(tp, tpOff + 8);
        digP3 = s16le(tp, tpOff + 10);
        digP4 = s16le(tp, tpOff + 12);
        digP5 = s16le(tp, tpOff + 14);
        digP6 = s16le(tp, tpOff + 16);
        digP7 = s16le(tp, tpOff + 18);
        digP8 = s16le(tp, tpOff + 20);
        digP9 = s16le(tp, tpOff + 22);
        digH1 = tp[tpOff + 25] & 0xFF;                       // 0xA1, unsigned char
        if (h != null) {
            digH2 = s16le(h, hOff);                           // 0xE1/0xE2, signed short
            digH3 = h[hOff + 2] & 0xFF;                       // 0xE3, unsigned char
            // dig_H4 = 0xE4[11:4] / 0xE5[3:0], dig_H5 = 0xE5[7:4] / 0xE6[11:4]: 12-bit signed, the MSB byte
            // carries the sign (Bosch's reference driver casts it through int8).
            digH4 = (h[hOff + 3] << 4) | (h[hOff + 4] & 0x0F);
            digH5 = (h[hOff + 5] << 4) | ((h[hOff + 4] & 0xFF) >> 4);
            digH6 = h[hOff + 6];                              // 0xE7, signed char
        }
    }

    /** BME280 §4.2.3 BME280_compensate_T_int32: °C × 100; sets {@link #tFine}. */
    int temperatureCentiCelsius(int adcT) {
        int var1 = (((adcT >> 3) - (digT1 << 1)) * digT2) >> 11;
        int var2 = (((((adcT >> 4) - digT1) * ((adcT >> 4) - digT1)) >> 12) * digT3) >> 14;
        tFine = var1 + var2;
        return (tFine * 5 + 128) >> 8;
    }

    /** BME280 §4.2.3 BME280_compensate_P_int64: Pa in Q24.8 (value / 256 = Pa); 0 when var1 is 0 (div-by-zero guard). */
    long pressureQ24p8(int adcP) {
        long var1 = (long) tFine - 128000;
        long var2 = var1 * var1 * digP6;
        var2 = var2 + ((var1 * digP5) << 17);
        var2 = var2 + (((long) digP4) << 35);
        var1 = ((var1 * var1 * digP3) >> 8) + ((var1 * digP2) << 12);
        var1 = (((1L << 47) + var1) * digP1) >> 33;
        if (var1 == 0) {
            return 0;
        }
        long p = 1048576 - adcP;
        p = (((p << 31) - var2) * 3125) / var1;
        var1 = (digP9 * (p >> 13) * (p >> 13)) >> 25;
        var2 = (digP8 * p) >> 19;
        return ((p + var1 + var2) >> 8) + (((long) digP7) << 4);
    }

    /** BME280 §4.2.3 bme280_compensate_H_int32: %RH in Q22.10 (value / 1024 = %RH), clamped to 0..100 %RH. */
    int humidityQ22p10(int adcH) {
        int v = tFine - 76800;
        v = ((((adcH << 14) - (digH4 << 20) - (digH5 * v)) + 16384) >> 15)
                * (((((((v * digH6) >> 10) * (((v * digH3) >> 11) + 32768)) >> 10) + 2097152) * digH2 + 8192) >> 14);
        v = v - (((((v >> 15) * (v >> 15)) >> 7) * digH1) >> 4);
        v = v < 0 ? 0 : v;
        v = v > 419430400 ? 419430400 : v;
        return v >> 12;
    }

    private static int u16le(byte[] b, int off) {
        return (b[off] & 0xFF) | ((b[off + 1] & 0xFF) << 8);
    }

    private static int s16le(byte[] b, int off) {
        return (short) u16le(b, off);
    }
}
