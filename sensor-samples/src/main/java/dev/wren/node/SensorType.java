package dev.wren.node;

import java.util.List;

/**
 * The sensor chips the node reads (drivers in {@code device-pi4j}), what each measures and where it can sit
 * on the bus. The configuration names them in lower case ({@code type: bme280}).
 */
public enum SensorType {
  /** Bosch BME280: temperature, humidity, pressure; I2C 0x76 (SDO low) or 0x77 (datasheet §6.2). */
  BME280(List.of(Quantity.TEMPERATURE, Quantity.HUMIDITY, Quantity.PRESSURE), 0x76, 0x77),
  /** Bosch BMP280: temperature, pressure; I2C 0x76 or 0x77 (datasheet §5.2). */
  BMP280(List.of(Quantity.TEMPERATURE, Quantity.PRESSURE), 0x76, 0x77),
  /** Sensirion SHT3x: temperature, humidity; I2C 0x44 (ADDR low) or 0x45 (datasheet Table 7). */
  SHT3X(List.of(Quantity.TEMPERATURE, Quantity.HUMIDITY), 0x44, 0x45),
  /** Sensirion SHT4x: temperature, humidity; I2C 0x44, 0x45 or 0x46 depending on the part (datasheet §4). */
  SHT4X(List.of(Quantity.TEMPERATURE, Quantity.HUMIDITY), 0x44, 0x45, 0x46),
  /** Rohm BH1750: illuminance; I2C 0x23 (ADDR low) or 0x5C (datasheet p.10). */
  BH1750(List.of(Quantity.ILLUMINANCE), 0x23, 0x5C),
  /** Maxim DS18B20 on the Linux 1-Wire bus, named by its 1-Wire id ({@code 28-xxxxxxxxxxxx}). */
  DS18B20(List.of(Quantity.TEMPERATURE));

  private final List<Quantity> quantities;
  private final int[] addresses;

  SensorType(List<Quantity> quantities, int... addresses) {
    this.quantities = quantities;
    this.addresses = addresses;
  }

  /** What this chip measures, in publishing order. */
  public List<Quantity> quantities() {
    return quantities;
  }

  /** True for a 1-Wire sensor named by id; false for an I2C sensor named by bus and address. */
  public boolean isOneWire() {
    return addresses.length == 0;
  }

  /** The chip's default I2C address (the first strap option); -1 for 1-Wire. */
  public int defaultAddress() {
    return addresses.length == 0 ? -1 : addresses[0];
  }

  /** True when the chip can answer at {@code address} on I2C. */
  public boolean allowsAddress(int address) {
    for (int a : addresses) {
      if (a == address) {
        return true;
      }
    }
    return false;
  }

  /** The addresses the chip can use, as text for error messages: {@code 0x76 or 0x77}. */
  String addressesText() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < addresses.length; i++) {
      if (i > 0) {
        text.append(i == addresses.length - 1 ? " or " : ", ");
      }
      text.append(String.format("0x%02X", addresses[i]));
    }
    return text.toString();
  }

  /** The name used in the configuration, e.g. {@code bme280}. */
  public String configName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
