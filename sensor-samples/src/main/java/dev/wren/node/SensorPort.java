package dev.wren.node;

import dev.wren.device.ClimateReading;
import dev.wren.device.DeviceException;
import dev.wren.device.sim.SimulatedEnvironment;
import java.util.List;

/**
 * One sensor as the node's loop sees it: a read that stores the value of each configured reading, in the unit
 * of its {@link Quantity}, into caller storage. No allocation per read.
 */
interface SensorPort {
  /**
   * Reads the chip once and stores one value per configured reading into {@code out[off..]}, in configuration
   * order.
   *
   * @throws DeviceException the chip did not answer or the reading was rejected (CRC, range); nothing stored
   */
  void read(double[] out, int off) throws DeviceException;

  /** Opens a sensor's driver (probe, chip id check, calibration); may fail while the sensor is missing. */
  @FunctionalInterface
  interface Opener {
    /** A ready port, or the reason the chip cannot be used now. */
    SensorPort open() throws DeviceException;
  }

  /**
   * Opens its driver on the first read and again after a failed open, so a sensor plugged in late (or one
   * that failed its probe at boot) starts reading without a restart. Allocates only when it (re)opens.
   */
  final class Reopening implements SensorPort {
    private final Opener opener;
    private SensorPort port;

    Reopening(Opener opener) {
      this.opener = opener;
    }

    @Override
    public void read(double[] out, int off) throws DeviceException {
      if (port == null) {
        port = opener.open();
      }
      port.read(out, off);
    }
  }

  /** A driver that fills a {@link ClimateReading} (BME280/BMP280, SHT3x/SHT4x). */
  @FunctionalInterface
  interface ClimateSensor {
    /** One measurement into {@code out}. */
    void read(ClimateReading out) throws DeviceException;
  }

  /** Adapts a climate driver: temperature °C, humidity %RH, pressure hPa picked out of one reading. */
  final class Climate implements SensorPort {
    private final ClimateSensor sensor;
    private final Quantity[] quantities;
    private final ClimateReading reading = new ClimateReading();

    Climate(ClimateSensor sensor, List<NodeConfig.Reading> readings) {
      this.sensor = sensor;
      this.quantities = quantitiesOf(readings);
    }

    @Override
    public void read(double[] out, int off) throws DeviceException {
      sensor.read(reading);
      for (int i = 0; i < quantities.length; i++) {
        out[off + i] = switch (quantities[i]) {
          case TEMPERATURE -> reading.temperatureCelsius();
          case HUMIDITY -> reading.humidityPercent();
          case PRESSURE -> reading.pressureHectopascals();
          case ILLUMINANCE -> Double.NaN;
        };
      }
    }
  }

  /**
   * Reads the simulated room directly, for chips whose register-level simulation device-pi4j does not have;
   * the BME280/BMP280 go through their real driver over a simulated chip instead.
   */
  final class Environment implements SensorPort {
    private final SimulatedEnvironment environment;
    private final Quantity[] quantities;

    Environment(SimulatedEnvironment environment, List<NodeConfig.Reading> readings) {
      this.environment = environment;
      this.quantities = quantitiesOf(readings);
    }

    @Override
    public void read(double[] out, int off) {
      environment.update();
      for (int i = 0; i < quantities.length; i++) {
        out[off + i] = switch (quantities[i]) {
          case TEMPERATURE -> environment.temperatureCelsius();
          case HUMIDITY -> environment.humidityPercent();
          case PRESSURE -> environment.pressurePascals() / 100.0;
          case ILLUMINANCE -> environment.illuminanceLux();
        };
      }
    }
  }

  private static Quantity[] quantitiesOf(List<NodeConfig.Reading> readings) {
    Quantity[] q = new Quantity[readings.size()];
    for (int i = 0; i < q.length; i++) {
      q[i] = readings.get(i).quantity();
    }
    return q;
  }
}
