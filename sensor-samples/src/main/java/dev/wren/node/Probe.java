package dev.wren.node;

import dev.wren.device.DeviceException;
import dev.wren.device.I2cIo;
import dev.wren.device.Pause;
import dev.wren.device.bh1750.Bh1750Driver;
import dev.wren.device.bh1750.Bh1750Mode;
import dev.wren.device.bme280.Bme280Config;
import dev.wren.device.bme280.Bme280Driver;
import dev.wren.device.sht.ShtDriver;
import dev.wren.device.sht.ShtModel;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code wren-node --probe}: what this machine offers against what the configuration needs, on one screen: the
 * Java version, group membership ({@code gpio}, {@code i2c}), every I2C bus with the supported chips that answer
 * (verified by their drivers, BME280/BMP280 with chip id), the 1-Wire sensors, the GPIO chips and whether each
 * configured line can be claimed. A function of a {@link Host}, so it is tested on simulated IO.
 */
final class Probe {
  /** Addresses of the supported I2C chips, scanned on every bus (SensorType's). */
  private static final int[] CHIP_ADDRESSES = {0x23, 0x44, 0x45, 0x46, 0x5C, 0x76, 0x77};
  private static final int JAVA_NEEDED = 21;
  private static final int BH1750_MTREG = 69;

  /** Where the probe looks: this machine, or the simulation. */
  interface Host extends AutoCloseable {
    /** "simulated IO" or "this machine". */
    String name();

    /** The I2C bus numbers present ({@code /dev/i2c-N}). */
    List<Integer> i2cBuses();

    /**
     * A handle to whatever is at {@code address}; its transfers fail when nothing answers.
     *
     * @throws DeviceException the bus cannot be opened (named, with why)
     */
    I2cIo i2c(int bus, int address) throws DeviceException;

    /** How drivers wait for conversions. */
    Pause pause();

    /** The 1-Wire temperature sensors present ({@code 28-…}). */
    List<String> oneWireIds();

    /** The GPIO chips present ({@code gpiochip0}). */
    List<String> gpioChips();

    /**
     * Claims {@code line} of {@code chip} the way the node would (a relay as an output at its safe level) and
     * releases it.
     *
     * @return null when it could be claimed, else why not
     */
    String claim(String chip, int line, boolean output, boolean safeHigh);

    /** The process's groups; null when they do not matter (simulated IO). */
    List<String> groups();

    @Override
    void close();
  }

  /** The probe's screen and whether everything the configuration needs is there. */
  record Report(String text, boolean complete) {
  }

  private Probe() {
  }

  /** Looks at {@code host} for what {@code config} needs. */
  static Report run(NodeConfig config, Host host) {
    StringBuilder out = new StringBuilder();
    List<String> missing = new ArrayList<>();
    int java = Runtime.version().feature();
    out.append("wren-node probe of ").append(host.name()).append(" for ").append(config.source()).append('\n');
    out.append("Java ").append(Runtime.version()).append(" (").append(System.getProperty("java.home")).append("): ")
        .append(java >= JAVA_NEEDED ? "ok" : "needs " + JAVA_NEEDED + " or newer").append('\n');
    if (java < JAVA_NEEDED) {
      missing.add("Java " + JAVA_NEEDED);
    }

    boolean needsI2c = config.sensors().stream().anyMatch(s -> !s.type().isOneWire());
    boolean needsGpio = !config.relays().isEmpty() || !config.inputs().isEmpty();
    List<String> groups = host.groups();
    if (groups == null) {
      out.append("groups: not needed with simulated IO\n");
    } else {
      out.append("groups: ").append(String.join(" ", groups));
      for (String[] need : new String[][] {{"gpio", needsGpio ? "y" : ""}, {"i2c", needsI2c ? "y" : ""}}) {
        if (!need[1].isEmpty() && !groups.contains(need[0])) {
          out.append("; not in group ").append(need[0]).append(" (sudo usermod -aG ").append(need[0])
              .append(" $USER, then log in again)");
          missing.add("group " + need[0]);
        }
      }
      out.append('\n');
    }

    List<Integer> buses = host.i2cBuses();
    out.append("I2C buses: ").append(buses.isEmpty() ? "none (sudo raspi-config nonint do_i2c 0, then reboot)"
        : buses.stream().map(b -> "i2c-" + b).reduce((a, b) -> a + " " + b).orElse("")).append('\n');
    List<String> found = new ArrayList<>();
    for (int bus : buses) {
      for (int address : CHIP_ADDRESSES) {
        String chip = identify(host, bus, address);
        if (chip != null) {
          found.add(bus + "/" + address);
          out.append(String.format("  i2c-%d 0x%02X: %s%n", bus, address, chip));
        }
      }
    }
    for (NodeConfig.Sensor s : config.sensors()) {
      if (s.type().isOneWire()) {
        continue;
      }
      boolean there = found.contains(s.bus() + "/" + s.address());
      if (!there) {
        missing.add(s.location());
        out.append("  configured ").append(s.location()).append(": no answer (wiring? address? i2cdetect -y ")
            .append(s.bus()).append(")\n");
      }
    }

    List<String> oneWire = host.oneWireIds();
    out.append("1-Wire: ").append(oneWire.isEmpty() ? "no sensor (dtoverlay=w1-gpio in config.txt for GPIO 4)"
        : String.join(" ", oneWire)).append('\n');
    for (NodeConfig.Sensor s : config.sensors()) {
      if (s.type().isOneWire() && !oneWire.contains(s.oneWireId())) {
        missing.add(s.location());
        out.append("  configured ").append(s.location()).append(": not found in /sys/bus/w1/devices\n");
      }
    }

    List<String> chips = host.gpioChips();
    out.append("GPIO chips: ").append(chips.isEmpty() ? "none (is this a Raspberry Pi?)" : String.join(" ", chips))
        .append('\n');
    String chip = config.gpioChip() == null ? "gpiochip0" : config.gpioChip();
    if (needsGpio && !chips.contains(chip)) {
      missing.add(chip);
      out.append("  ").append(chip).append(" (node.gpio_chip) is not there\n");
    } else {
      for (NodeConfig.Relay r : config.relays()) {
        boolean safeHigh = r.safeStateOn() != r.activeLow();
        line(out, missing, "relay " + r.name(), r.pin(), host.claim(chip, r.pin(), true, safeHigh));
      }
      for (NodeConfig.Input in : config.inputs()) {
        line(out, missing, "input " + in.name(), in.pin(), host.claim(chip, in.pin(), false, false));
      }
    }
    out.append(missing.isEmpty() ? "everything the configuration needs is there"
        : "missing: " + String.join(", ", missing));
    return new Report(out.toString(), missing.isEmpty());
  }

  private static void line(StringBuilder out, List<String> missing, String what, int pin, String problem) {
    out.append("  GPIO ").append(pin).append(" (").append(what).append("): ")
        .append(problem == null ? "can be claimed" : problem).append('\n');
    if (problem != null) {
      missing.add("GPIO " + pin);
    }
  }

  /** What answers at {@code address}, verified by the driver of the chips that may sit there; null: nothing. */
  private static String identify(Host host, int bus, int address) {
    try {
      return switch (address) {
        case 0x76, 0x77 -> {
          try (I2cIo io = host.i2c(bus, address)) {
            Bme280Driver d = new Bme280Driver(io, Bme280Config.WEATHER_MONITORING, host.pause());
            yield String.format("%s (chip id 0x%02X)", d.hasHumidity() ? "BME280" : "BMP280", d.chipId());
          }
        }
        case 0x44, 0x45, 0x46 -> answers(host, bus, address, ShtModel.SHT4X) ? "SHT4x"
            : answers(host, bus, address, ShtModel.SHT3X) ? "SHT3x" : null;
        default -> {
          try (I2cIo io = host.i2c(bus, address)) {
            new Bh1750Driver(io, Bh1750Mode.CONTINUOUS_HIGH_RES, BH1750_MTREG, host.pause());
            yield "BH1750";
          }
        }
      };
    } catch (DeviceException e) {
      return switch (e.reason()) {
        case WRONG_CHIP_ID -> "an unsupported chip: " + e.getMessage();
        case NOT_RESPONDING, NOT_FOUND, TIMEOUT, CRC_MISMATCH -> null;
        default -> "answers, but: " + e.getMessage();
      };
    }
  }

  private static boolean answers(Host host, int bus, int address, ShtModel model) throws DeviceException {
    try (I2cIo io = host.i2c(bus, address)) {
      new ShtDriver(io, model, host.pause());
      return true;
    } catch (DeviceException e) {
      if (e.reason() == DeviceException.Reason.NOT_RESPONDING || e.reason() == DeviceException.Reason.CRC_MISMATCH) {
        return false;
      }
      throw e;
    }
  }
}
