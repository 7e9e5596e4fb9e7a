package dev.wren.node;

/**
 * A physical quantity the node publishes, with its unit, the fixed number of decimals on the wire and its
 * Home Assistant sensor device class. A reading is carried as a {@code long} scaled by 10^{@link #decimals()}
 * (21.53 °C with 2 decimals is 2153), so formatting and the deadband need no floating point.
 */
public enum Quantity {
  /** Air or water temperature in degrees Celsius, 2 decimals (BME280 resolution 0.01 °C, datasheet §4.2.3). */
  TEMPERATURE("temperature", "°C", 2, "temperature", 10),
  /** Relative humidity in percent, 1 decimal (sensor accuracy is ±2–3 %RH). */
  HUMIDITY("humidity", "%", 1, "humidity", 5),
  /** Atmospheric pressure in hectopascal, 2 decimals (1 Pa). */
  PRESSURE("pressure", "hPa", 2, "atmospheric_pressure", 10),
  /** Illuminance in lux, 1 decimal (BH1750 high-resolution mode 2 resolves 0.5 lx). */
  ILLUMINANCE("illuminance", "lx", 1, "illuminance", 50);

  private final String key;
  private final String unit;
  private final int decimals;
  private final String deviceClass;
  private final long defaultDeadbandScaled;

  Quantity(String key, String unit, int decimals, String deviceClass, long defaultDeadbandScaled) {
    this.key = key;
    this.unit = unit;
    this.decimals = decimals;
    this.deviceClass = deviceClass;
    this.defaultDeadbandScaled = defaultDeadbandScaled;
  }

  /** The name in the configuration ({@code readings: temperature:}) and the default topic level. */
  public String key() {
    return key;
  }

  /** The unit of measurement as Home Assistant expects it, e.g. {@code °C}. */
  public String unit() {
    return unit;
  }

  /** Decimals written after the point on the wire; the scale of every reading of this quantity. */
  public int decimals() {
    return decimals;
  }

  /** The Home Assistant {@code device_class} of a sensor entity of this quantity. */
  public String deviceClass() {
    return deviceClass;
  }

  /** The deadband used when the configuration gives none, in units of 10^-{@link #decimals()}. */
  public long defaultDeadbandScaled() {
    return defaultDeadbandScaled;
  }

  /** The quantity whose {@link #key()} is {@code key}, or null. */
  static Quantity byKey(String key) {
    for (Quantity q : values()) {
      if (q.key.equals(key)) {
        return q;
      }
    }
    return null;
  }
}
