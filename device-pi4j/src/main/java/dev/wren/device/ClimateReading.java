package dev.wren.device;

/**
 * A reusable holder for one climate reading: the caller allocates it once and passes it to every read.
 * A quantity the chip does not measure is {@link Double#NaN} (humidity on a BMP280, pressure on an SHT).
 * Drivers write all three fields on success and leave the holder untouched on failure.
 */
public final class ClimateReading {
    private double temperatureCelsius = Double.NaN;
    private double humidityPercent = Double.NaN;
    private double pressurePascals = Double.NaN;

    /** Creates an empty holder (all NaN). */
    public ClimateReading() {
    }

    /** Air temperature in °C. */
    public double temperatureCelsius() {
        return temperatureCelsius;
    }

    /** Relative humidity in %RH, or NaN when not measured. */
    public double humidityPercent() {
        return humidityPercent;
    }

    /** Barometric pressure in Pa, or NaN when not measured. */
    public double pressurePascals() {
        return pressurePascals;
    }

    /** Barometric pressure in hPa (Pa / 100), or NaN when not measured. */
    public double pressureHectopascals() {
        return pressurePascals / 100.0;
    }

    /**
     * Stores one complete reading.
     *
     * @param temperatureCelsius °C
     * @param humidityPercent %RH or NaN
     * @param pressurePascals Pa or NaN
     * @return this
     */
    public ClimateReading set(double temperatureCelsius, double humidityPercent, double pressurePascals) {
        this.temperatureCelsius = temperatureCelsius;
        this.humidityPercent = humidityPercent;
        this.pressurePascals = pressurePascals;
        return this;
    }

    /** For debugging only; allocates. */
    @Override
    public String toString() {
        return "ClimateReading{" + temperatureCelsius + " °C, " + humidityPercent + " %RH, " + pressurePascals + " Pa}";
    }
}
