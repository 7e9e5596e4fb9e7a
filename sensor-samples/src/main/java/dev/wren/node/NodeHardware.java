package dev.wren.node;

import com.pi4j.context.Context;
import dev.wren.device.DeviceException;
import dev.wren.device.DigitalInputIo;
import dev.wren.device.DigitalOutputIo;
import dev.wren.device.I2cIo;
import dev.wren.device.Pause;
import dev.wren.device.Pull;
import dev.wren.device.bh1750.Bh1750Driver;
import dev.wren.device.bh1750.Bh1750Mode;
import dev.wren.device.bme280.Bme280Config;
import dev.wren.device.bme280.Bme280Driver;
import dev.wren.device.ds18b20.Ds18b20Bus;
import dev.wren.device.ds18b20.Ds18b20Sensor;
import dev.wren.device.gpio.DebouncedInput;
import dev.wren.device.gpio.InterlockGroup;
import dev.wren.device.gpio.Relay;
import dev.wren.device.gpio.RelayConfig;
import dev.wren.device.pi4j.Pi4jIoFactory;
import dev.wren.device.sht.ShtDriver;
import dev.wren.device.sht.ShtModel;
import dev.wren.device.sim.SimulatedBh1750;
import dev.wren.device.sim.SimulatedBme280;
import dev.wren.device.sim.SimulatedDigitalInput;
import dev.wren.device.sim.SimulatedDigitalOutput;
import dev.wren.device.sim.SimulatedEnvironment;
import dev.wren.device.sim.SimulatedSht;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sensors, relays and inputs of one node, built from its configuration, in configuration order; arrays
 * indexed like {@link NodeConfig#sensors()}, {@link NodeConfig#relays()} and {@link NodeConfig#inputs()}.
 * The same drivers run on Pi4J's IO ({@link #pi4j}) and on simulated chips and lines ({@link #simulated}), which
 * are kept here so tests and the demo can drive inputs and watch relays.
 *
 * <p>A sensor that does not answer at start does not stop the node: its driver is opened again at each
 * interval until it answers, and the loop logs the failure once (issue: "keeps running its other sensors").
 */
final class NodeHardware implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeHardware.class);
  /** Raw edges an input can hold between two loop passes (20 ms): far more than a bouncing contact makes. */
  private static final int INPUT_RING_CAPACITY = 256;
  /** Transitions a simulated relay line records, for tests. */
  private static final int SIMULATED_TRANSITIONS = 4096;
  /** Seed of the simulated room, so two runs drift alike. */
  private static final long SIMULATION_SEED = 0x5EED_0F_3E4L;
  /**
   * How much faster than the clock the simulated room lives: a day in 24 minutes. At real speed its drift stays
   * inside the default deadbands for minutes on end and {@code --simulate} looks dead; at 60x every reading moves past
   * its default deadband within every minute, still within a room's range ({@code NodeSimulationTest}).
   */
  static final long SIMULATED_TIME_FACTOR = 60;
  /** BH1750 measurement time register default (datasheet "Adjust measurement result", MTreg 69). */
  private static final int BH1750_MTREG = 69;

  final SensorPort[] sensors;
  final Relay[] relays;
  final DebouncedInput[] inputs;
  /** The simulated room; null on real hardware. */
  final SimulatedEnvironment environment;
  /** The simulated relay lines, like {@link #relays}; null on real hardware. */
  final SimulatedDigitalOutput[] relayLines;
  /** The simulated input lines, like {@link #inputs}; null on real hardware. */
  final SimulatedDigitalInput[] inputLines;
  private final Context pi4jContext;

  /** Where the IO comes from: Pi4J or the simulation. */
  private interface IoSource {
    I2cIo i2c(NodeConfig.Sensor sensor) throws DeviceException;

    SensorPort oneWire(NodeConfig.Sensor sensor) throws DeviceException;

    DigitalInputIo input(int index, NodeConfig.Input input) throws DeviceException;

    DigitalOutputIo output(int index, NodeConfig.Relay relay) throws DeviceException;

    Pause pause();
  }

  private NodeHardware(NodeConfig config, IoSource io, LongSupplier nanoClock, SimulatedEnvironment environment,
      SimulatedDigitalOutput[] relayLines, SimulatedDigitalInput[] inputLines, Context pi4jContext)
      throws DeviceException {
    this.environment = environment;
    this.relayLines = relayLines;
    this.inputLines = inputLines;
    this.pi4jContext = pi4jContext;
    List<NodeConfig.Sensor> sensorConfigs = config.sensors();
    sensors = new SensorPort[sensorConfigs.size()];
    for (int i = 0; i < sensors.length; i++) {
      NodeConfig.Sensor s = sensorConfigs.get(i);
      sensors[i] = new SensorPort.Reopening(() -> open(s, io));
    }
    List<NodeConfig.Relay> relayConfigs = config.relays();
    relays = new Relay[relayConfigs.size()];
    Map<String, InterlockGroup> groups = new HashMap<>();
    for (int i = 0; i < relays.length; i++) {
      NodeConfig.Relay r = relayConfigs.get(i);
      relays[i] = new Relay(io.output(i, r), relayConfig(r, groups), nanoClock);
    }
    List<NodeConfig.Input> inputConfigs = config.inputs();
    inputs = new DebouncedInput[inputConfigs.size()];
    for (int i = 0; i < inputs.length; i++) {
      NodeConfig.Input in = inputConfigs.get(i);
      inputs[i] = new DebouncedInput(io.input(i, in), in.activeLow(), in.debounceMillis(), INPUT_RING_CAPACITY);
    }
  }

  /** Opens the driver of one sensor; called again at each interval until it succeeds. */
  private static SensorPort open(NodeConfig.Sensor s, IoSource io) throws DeviceException {
    return switch (s.type()) {
      case BME280, BMP280 -> {
        Bme280Driver driver = new Bme280Driver(io.i2c(s), Bme280Config.WEATHER_MONITORING, io.pause());
        if (s.type() == SensorType.BME280 && !driver.hasHumidity()) {
          LOG.warn("{} is a BMP280 (no humidity sensor): configure type bmp280", s.location());
        }
        yield new SensorPort.Climate(driver::read, s.readings());
      }
      case SHT3X, SHT4X -> {
        ShtModel model = s.type() == SensorType.SHT3X ? ShtModel.SHT3X : ShtModel.SHT4X;
        yield new SensorPort.Climate(new ShtDriver(io.i2c(s), model, io.pause())::read, s.readings());
      }
      case BH1750 -> {
        Bh1750Driver driver = new Bh1750Driver(io.i2c(s), Bh1750Mode.CONTINUOUS_HIGH_RES, BH1750_MTREG, io.pause());
        yield (out, off) -> out[off] = driver.readLux();
      }
      case DS18B20 -> io.oneWire(s);
    };
  }

  /**
   * Builds everything simulated: BME280/BMP280, SHT3x/SHT4x and BH1750 as register-level chips behind their real
   * drivers, the DS18B20 reading the simulated room (living {@value #SIMULATED_TIME_FACTOR}x faster than
   * {@code nanoClock}), relays and inputs on simulated lines.
   */
  static NodeHardware simulated(NodeConfig config, LongSupplier nanoClock) throws DeviceException {
    long startNanos = nanoClock.getAsLong();
    // Only the room runs fast: relays, inputs and the chips' timing keep the node's clock.
    SimulatedEnvironment environment = new SimulatedEnvironment(
        () -> startNanos + (nanoClock.getAsLong() - startNanos) * SIMULATED_TIME_FACTOR, SIMULATION_SEED);
    SimulatedDigitalOutput[] relayLines = new SimulatedDigitalOutput[config.relays().size()];
    SimulatedDigitalInput[] inputLines = new SimulatedDigitalInput[config.inputs().size()];
    IoSource io = new IoSource() {
      @Override
      public I2cIo i2c(NodeConfig.Sensor s) {
        return switch (s.type()) {
          case BME280 -> new SimulatedBme280(s.bus(), s.address(), Bme280Driver.CHIP_ID_BME280, environment);
          case BMP280 -> new SimulatedBme280(s.bus(), s.address(), Bme280Driver.CHIP_ID_BMP280, environment);
          case SHT3X -> new SimulatedSht(s.bus(), s.address(), ShtModel.SHT3X, environment);
          case SHT4X -> new SimulatedSht(s.bus(), s.address(), ShtModel.SHT4X, environment);
          case BH1750 -> new SimulatedBh1750(s.bus(), s.address(), environment);
          case DS18B20 -> throw new IllegalArgumentException("a DS18B20 is not on I2C");
        };
      }

      @Override
      public SensorPort oneWire(NodeConfig.Sensor s) {
        return new SensorPort.Environment(environment, s.readings());
      }

      @Override
      public DigitalInputIo input(int index, NodeConfig.Input in) {
        // Idle level: low for an active-high sensor, high for a button to ground with pull-up.
        inputLines[index] = new SimulatedDigitalInput("simulated GPIO " + in.pin(), nanoClock, in.activeLow());
        return inputLines[index];
      }

      @Override
      public DigitalOutputIo output(int index, NodeConfig.Relay r) {
        relayLines[index] = new SimulatedDigitalOutput("simulated GPIO " + r.pin(), nanoClock, SIMULATED_TRANSITIONS);
        return relayLines[index];
      }

      @Override
      public Pause pause() {
        return Pause.NONE;
      }
    };
    return new NodeHardware(config, io, nanoClock, environment, relayLines, inputLines, null);
  }

  /**
   * Builds everything on the Raspberry Pi through Pi4J (gpiod for GPIO, linuxfs for I2C) and the Linux 1-Wire
   * driver in sysfs. Relays are claimed at their safe level, which Pi4J also applies when the context shuts down.
   */
  static NodeHardware pi4j(NodeConfig config, LongSupplier nanoClock) throws DeviceException {
    Context context = Pi4jIoFactory.newContext(config.gpioChip());
    Pi4jIoFactory factory = new Pi4jIoFactory(context);
    Ds18b20Bus oneWire = new Ds18b20Bus(Ds18b20Bus.DEFAULT_ROOT);
    IoSource io = new IoSource() {
      @Override
      public I2cIo i2c(NodeConfig.Sensor s) throws DeviceException {
        return factory.i2c(s.bus(), s.address());
      }

      @Override
      public SensorPort oneWire(NodeConfig.Sensor s) throws DeviceException {
        Ds18b20Sensor sensor = oneWire.open(s.oneWireId());
        return (out, off) -> out[off] = sensor.readCelsius();
      }

      @Override
      public DigitalInputIo input(int index, NodeConfig.Input in) throws DeviceException {
        Pull pull = switch (in.pull()) {
          case UP -> Pull.UP;
          case DOWN -> Pull.DOWN;
          case NONE -> Pull.OFF;
        };
        return factory.digitalInput(in.pin(), pull);
      }

      @Override
      public DigitalOutputIo output(int index, NodeConfig.Relay r) throws DeviceException {
        boolean safeHigh = r.safeStateOn() != r.activeLow();
        return factory.digitalOutput(r.pin(), safeHigh, safeHigh);
      }

      @Override
      public Pause pause() {
        return Pause.SLEEP;
      }
    };
    try {
      return new NodeHardware(config, io, nanoClock, null, null, null, context);
    } catch (DeviceException | RuntimeException e) {
      context.shutdown();
      throw e;
    }
  }

  private static RelayConfig relayConfig(NodeConfig.Relay r, Map<String, InterlockGroup> groups) {
    InterlockGroup group = r.interlockGroup() == null ? null
        : groups.computeIfAbsent(r.interlockGroup(), InterlockGroup::new);
    return new RelayConfig(r.name(), r.activeLow(), r.safeStateOn(), r.maxOnMillis(), group);
  }

  /** Applies every relay's safe state and releases every line; logs what fails and goes on. Idempotent. */
  @Override
  public void close() {
    for (Relay r : relays) {
      try {
        r.close();
      } catch (DeviceException e) {
        LOG.error("relay {} did not reach its safe state on close: {}", r.name(), e.getMessage());
      }
    }
    for (DebouncedInput in : inputs) {
      in.close();
    }
    if (pi4jContext != null) {
      pi4jContext.shutdown();
    }
  }
}
