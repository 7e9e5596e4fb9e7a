package dev.wren.device.bme280;

/**
 * Oversampling and IIR filter of a BME280/BMP280 in forced mode (BME280 datasheet §3.4, §3.5, §5.4.3–§5.4.6).
 * Oversampling is given as the factor: 0 (skipped), 1, 2, 4, 8 or 16. Immutable.
 */
public final class Bme280Config {

    /** Bosch's "weather monitoring" setting (BME280 datasheet §3.5.1): ×1 everywhere, filter off. */
    public static final Bme280Config WEATHER_MONITORING = new Bme280Config(1, 1, 1, 0);

    private final int temperatureOversampling;
    private final int pressureOversampling;
    private final int humidityOversampling;
    private final int filterCoefficient;

    /**
     * Creates a configuration.
     *
     * @param temperatureOversampling 1, 2, 4, 8 or 16 (temperature cannot be skipped: pressure and humidity
     *     compensation need t_fine, §4.2.3)
     * @param pressureOversampling 0 (skip), 1, 2, 4, 8 or 16
     * @param humidityOversampling 0 (skip), 1, 2, 4, 8 or 16; ignored on a BMP280
     * @param filterCoefficient IIR filter coefficient 0 (off), 2, 4, 8 or 16 (§3.4.4)
     * @throws IllegalArgumentException naming the bad value
     */
    public Bme280Config(int temperatureOversampling, int pressureOversampling, int humidityOversampling,
                        int filterCoefficient) {
        if (temperatureOversampling == 0) {
            throw new IllegalArgumentException("temperatureOversampling 0: temperature is needed for compensation");
        }
        oversamplingCode("temperatureOversampling", temperatureOversampling);
        oversamplingCode("pressureOversampling", pressureOversampling);
        oversamplingCode("humidityOversampling", humidityOversampling);
        filterCode(filterCoefficient);
        this.temperatureOversampling = temperatureOversampling;
        this.pressureOversampling = pressureOversampling;
        this.humidityOversampling = humidityOversampling;
        this.filterCoefficient = filterCoefficient;
    }

    /** Temperature oversampling factor. */
    public int temperatureOversampling() {
        return temperatureOversampling;
    }

    /** Pressure oversampling factor, 0 when skipped. */
    public int pressureOversampling() {
        return pressureOversampling;
    }

    /** Humidity oversampling factor, 0 when skipped. */
    public int humidityOversampling() {
        return humidityOversampling;
    }

    /** IIR filter coefficient, 0 when off. */
    public int filterCoefficient() {
        return filterCoefficient;
    }

    /** osrs_x field value for a factor (§5.4.3 Table 20, §5.4.5 Tables 23/24): 0→000, 1→001 … 16→101. */
    static int oversamplingCode(String name, int factor) {
        switch (factor) {
            case 0: return 0b000;
            case 1: return 0b001;
            case 2: return 0b010;
            case 4: return 0b011;
            case 8: return 0b100;
            case 16: return 0b101;
            default: throw new IllegalArgumentException(name + " " + factor + " not in {0, 1, 2, 4, 8, 16}");
        }
    }

    /** filter field value (§5.4.6 Table 28): 0→000, 2→001, 4→010, 8→011, 16→100. */
    static int filterCode(int coefficient) {
        switch (coefficient) {
            case 0: return 0b000;
            case 2: return 0b001;
            case 4: return 0b010;
            case 8: return 0b011;
            case 16: return 0b100;
            default: throw new IllegalArgumentException("filterCoefficient " + coefficient + " not in {0, 2, 4, 8, 16}");
        }
    }

    /**
     * Maximum measurement time in microseconds (BME280 datasheet §9.1):
     * t = 1.25 + 2.3·T_os + (2.3·P_os + 0.575) + (2.3·H_os + 0.575) ms, a term dropped when skipped.
     */
    long maxMeasurementMicros(boolean humidity) {
        long micros = 1250 + 2300L * temperatureOversampling;
        if (pressureOversampling > 0) {
            micros += 2300L * pressureOversampling + 575;
        }
        if (humidity && humidityOversampling > 0) {
            micros += 2300L * humidityOversampling + 575;
        }
        return micros;
    }

    /** For debugging only; allocates. */
    @Override
    public String toString() {
        return "Bme280Config{T×" + temperatureOversampling + ", P×" + pressureOversampling + ", H×"
                + humidityOversampling + ", filter " + filterCoefficient + "}";
    }
}
