package dev.wren.node;

import com.pi4j.context.Context;
import dev.wren.device.DeviceException;
import dev.wren.device.I2cIo;
import dev.wren.device.Pause;
import dev.wren.device.Pull;
import dev.wren.device.bme280.Bme280Driver;
import dev.wren.device.pi4j.Pi4jIoFactory;
import dev.wren.device.sht.ShtModel;
import dev.wren.device.sim.SimulatedBh1750;
import dev.wren.device.sim.SimulatedBme280;
import dev.wren.device.sim.SimulatedEnvironment;
import dev.wren.device.sim.SimulatedI2cChip;
import dev.wren.device.sim.SimulatedSht;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The two {@link Probe.Host}s: the simulation the configuration describes, and this machine. */
final class ProbeHosts {
  private ProbeHosts() {
  }

  /** The simulated node: the configured chips at their addresses, nothing elsewhere; every line free. */
  static Probe.Host simulated(NodeConfig config) {
    SimulatedEnvironment room = new SimulatedEnvironment(System::nanoTime, 1);
    return new Probe.Host() {
      @Override
      public String name() {
        return "simulated IO";
      }

      @Override
      public List<Integer> i2cBuses() {
        List<Integer> buses = config.sensors().stream().filter(s -> !s.type().isOneWire()).map(NodeConfig.Sensor::bus)
            .distinct().sorted().toList();
        return buses.isEmpty() ? List.of(1) : buses;
      }

      @Override
      public I2cIo i2c(int bus, int address) {
        for (NodeConfig.Sensor s : config.sensors()) {
          if (!s.type().isOneWire() && s.bus() == bus && s.address() == address) {
            return switch (s.type()) {
              case BME280 -> new SimulatedBme280(bus, address, Bme280Driver.CHIP_ID_BME280, room);
              case BMP280 -> new SimulatedBme280(bus, address, Bme280Driver.CHIP_ID_BMP280, room);
              case SHT3X -> new SimulatedSht(bus, address, ShtModel.SHT3X, room);
              case SHT4X -> new SimulatedSht(bus, address, ShtModel.SHT4X, room);
              case BH1750 -> new SimulatedBh1750(bus, address, room);
              case DS18B20 -> throw new IllegalStateException("not on I2C");
            };
          }
        }
        SimulatedI2cChip nothing = new SimulatedBh1750(bus, address, room);
        nothing.setResponding(false);
        return nothing;
      }

      @Override
      public Pause pause() {
        return Pause.NONE;
      }

      @Override
      public List<String> oneWireIds() {
        return config.sensors().stream().filter(s -> s.type().isOneWire()).map(NodeConfig.Sensor::oneWireId).toList();
      }

      @Override
      public List<String> gpioChips() {
        return List.of(config.gpioChip() == null ? "gpiochip0" : config.gpioChip());
      }

      @Override
      public String claim(String chip, int line, boolean output, boolean safeHigh) {
        return null;
      }

      @Override
      public List<String> groups() {
        return null;
      }

      @Override
      public void close() {
      }
    };
  }

  /**
   * This machine: {@code /dev/i2c-*}, {@code /dev/gpiochip*}, {@code /sys/bus/w1/devices}, the groups in
   * {@code /proc/self/status} named by {@code /etc/group}; chips and lines through Pi4J, whose context is made only
   * once a bus or chip is there (so its board detection speaks after the probe's own lines).
   */
  static Probe.Host system(NodeConfig config) {
    return new Probe.Host() {
      private Context context;
      private Pi4jIoFactory factory;

      private Pi4jIoFactory factory() {
        if (factory == null) {
          context = Pi4jIoFactory.newContext(config.gpioChip());
          factory = new Pi4jIoFactory(context);
        }
        return factory;
      }

      @Override
      public String name() {
        return "this machine";
      }

      @Override
      public List<Integer> i2cBuses() {
        return list(Path.of("/dev"), "i2c-").stream().filter(n -> n.matches("i2c-\\d+"))
            .map(n -> Integer.parseInt(n.substring(4))).sorted().toList();
      }

      @Override
      public I2cIo i2c(int bus, int address) throws DeviceException {
        Path dev = Path.of("/dev/i2c-" + bus);
        if (!Files.isReadable(dev) || !Files.isWritable(dev)) {
          throw new DeviceException(DeviceException.Reason.NOT_FOUND, dev + ": no read/write access (group i2c?)");
        }
        return factory().i2c(bus, address);
      }

      @Override
      public Pause pause() {
        return Pause.SLEEP;
      }

      @Override
      public List<String> oneWireIds() {
        return list(Path.of("/sys/bus/w1/devices"), "28-");
      }

      @Override
      public List<String> gpioChips() {
        return list(Path.of("/dev"), "gpiochip");
      }

      @Override
      public String claim(String chip, int line, boolean output, boolean safeHigh) {
        Path dev = Path.of("/dev", chip);
        if (!Files.isReadable(dev) || !Files.isWritable(dev)) {
          return "no read/write access to " + dev + " (group gpio?)";
        }
        try {
          AutoCloseable io = output ? factory().digitalOutput(line, safeHigh, safeHigh)
              : factory().digitalInput(line, Pull.OFF);
          io.close();
          return null;
        } catch (Exception e) {
          return "cannot be claimed: " + e.getMessage();
        }
      }

      @Override
      public List<String> groups() {
        try {
          String gids = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Groups:"))
              .findFirst().orElse("Groups:").substring(7).trim();
          List<String> names = new ArrayList<>();
          List<String> table = Files.readAllLines(Path.of("/etc/group"));
          for (String gid : gids.isEmpty() ? new String[0] : gids.split("\\s+")) {
            names.add(table.stream().map(l -> l.split(":")).filter(f -> f.length > 2 && f[2].equals(gid))
                .map(f -> f[0]).findFirst().orElse(gid));
          }
          return names;
        } catch (IOException e) {
          return List.of("(unknown: " + e.getMessage() + ")");
        }
      }

      @Override
      public void close() {
        if (context != null) {
          context.shutdown();
        }
      }
    };
  }

  /** Names in {@code dir} starting with {@code prefix}, sorted; none when the folder is not there. */
  private static List<String> list(Path dir, String prefix) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }
}
