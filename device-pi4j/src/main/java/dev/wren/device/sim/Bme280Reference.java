package dev.wren.device.sim;

/**
 * The BME280 double-precision compensation (BME280 datasheet §8.1, Appendix A) and its inverse.
 * The simulated chip uses the inverse to turn a climate into raw ADC words; tests use the forward formulas as an
 * independent cross-check of the driver's integer variant (§4.2.3). Not for use on the node.
 */
public final class Bme280Reference {
    /** Calibration of the BMP280 datasheet §3.12 example (T1..T3, P1..P9). */
    public static final int[] DATASHEET_T = {27504, 26435, -1000};
    /** Calibration of the BMP280 datasheet §3.12 example (P1..P9). */
    public static final int[] DATASHEET_P = {36477, -10685, 3024, 2855, 140, -7, 15500, -14600, 6000};
    /** A humidity calibration (H1..H6) typical of production BME280 parts. */
    public static final int[] TYPICAL_H = {75, 362, 0, 313, 50, 30};

    private final int t1, t2, t3;
    private final int p1, p2, p3, p4, p5, p6, p7, p8, p9;
    private final int h1, h2, h3, h4, h5, h6;
    private double tFine;

    /**
     * Creates a reference for one calibration.
     *
     * @param t dig_T1..dig_T3
     * @param p dig_P1..dig_P9
     * @param h dig_H1..dig_H6
     */
    public Bme280Reference(int[] t, int[] p, int[] h) {
        t1 = t[0]; t2 = t[1]; t3 = t[2];
        p1 = p[0]; p2 = p[1]; p3 = p[2]; p4 = p[3]; p5 = p[4]; p6 = p[5]; p7 = p[6]; p8 = p[7]; p9 = p[8];
        h1 = h[0]; h2 = h[1]; h3 = h[2]; h4 = h[3]; h5 = h[4]; h6 = h[5];
    }

    /**
     * §8.1 compensate_T_double; sets t_fine for the next pressure/humidity call.
     *
     * @param adcT raw 20-bit temperature
     * @return °C
     */
    public double temperatureCelsius(int adcT) {
        double var1 = (adcT / 16384.0 - t1 / 1024.0) * t2;
        double var2 = (adcT / 131072.0 - t1 / 8192.0) * (adcT / 131072.0 - t1 / 8192.0) * t3;
        tFine = (int) (var1 + var2);
        return (var1 + var2) / 5120.0;
    }

    /**
     * §8.1 compensate_P_double, using t_fine of the last temperature call.
     *
     * @param adcP raw 20-bit pressure
     * @return Pa
     */
    public double pressurePascals(int adcP) {
        double var1 = tFine / 2.0 - 64000.0;
        double var2 = var1 * var1 * p6 / 32768.0;
        var2 = var2 + var1 * p5 * 2.0;
        var2 = var2 / 4.0 + p4 * 65536.0;
        var1 = (p3 * var1 * var1 / 524288.0 + p2 * var1) / 524288.0;
        var1 = (1.0 + var1 / 32768.0) * p1;
        if (var1 == 0.0) {
            return 0;
        }
        double p = 1048576.0 - adcP;
        p = (p - var2 / 4096.0) * 6250.0 / var1;
        var1 = p9 * p * p / 2147483648.0;
        var2 = p * p8 / 32768.0;
        return p + (var1 + var2 + p7) / 16.0;
    }

    /**
     * §8.1 compensate_H_double, using t_fine of the last temperature call; clamped to 0..100 %RH.
     *
     * @param adcH raw 16-bit humidity
     * @return %RH
     */
    public double humidityPercent(int adcH) {
        double v = tFine - 76800.0;
        v = (adcH - (h4 * 64.0 + h5 / 16384.0 * v))
                * (h2 / 65536.0 * (1.0 + h6 / 67108864.0 * v * (1.0 + h3 / 67108864.0 * v)));
        v = v * (1.0 - h1 * v / 524288.0);
        return v < 0 ? 0 : Math.min(v, 100.0);
    }

    /**
     * The raw temperature word whose compensated value is closest to {@code celsius} (bisection; T rises with adc_T).
     * Sets t_fine as {@link #temperatureCelsius} would.
     *
     * @param celsius target °C
     * @return adc_T, 20 bits
     */
    public int adcTemperatureFor(double celsius) {
        int lo = 0;
        int hi = (1 << 20) - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (temperatureCelsius(mid) < celsius) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        temperatureCelsius(lo);
        return lo;
    }

    /**
     * The raw pressure word for {@code pascals} at the current t_fine (bisection; P falls as adc_P rises).
     *
     * @param pascals target Pa
     * @return adc_P, 20 bits
     */
    public int adcPressureFor(double pascals) {
        int lo = 0;
        int hi = (1 << 20) - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (pressurePascals(mid) > pascals) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * The raw humidity word for {@code percent} at the current t_fine (bisection; RH rises with adc_H).
     *
     * @param percent target %RH
     * @return adc_H, 16 bits
     */
    public int adcHumidityFor(double percent) {
        int lo = 0;
        int hi = 0xFFFF;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (humidityPercent(mid) < percent) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
