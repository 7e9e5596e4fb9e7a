package dev.wren.node;

import dev.wren.device.DeviceException;
import dev.wren.device.Pause;
import dev.wren.device.bme280.Bme280Config;
import dev.wren.device.bme280.Bme280Driver;
import dev.wren.device.gpio.DebouncedInput;
import dev.wren.device.gpio.InterlockGroup;
import dev.wren.device.gpio.Relay;
import dev.wren.device.gpio.RelayConfig;
import dev.wren.device.sim.SimulatedBme280;
import dev.wren.device.sim.SimulatedDigitalInput;
import dev.wren.device.sim.SimulatedDigitalOutput;
import dev.wren.device.sim.SimulatedEnvironment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sensors, relays and inputs of one node, built from its configuration, in configuration order; arrays
 * indexed like {@link NodeConfig#sensors()}, {@link NodeConfig#relays()} and {@link NodeConfig#inputs()}.
 * Simulated IO keeps its line objects here so tests and the demo can drive inputs and watch relays.
 */
final class NodeHardware implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeHardware.class);
  /** Raw edges an input can hold between two loop passes (20 ms): far more than a bouncing contact makes. */
  private static final int INPUT_RING_CAPACITY = 256;
  /** Transitions a simulated relay line records, for tests. */
  private static final int SIMULATED_TRANSITIONS = 4096;
  /** Seed of the simulated room, so two runs drift alike. */
  private static final long SIMULATION_SEED = 0x5EED_0F_3E4L;

  final SensorPort[] sensors;
  final Relay[] relays;
  final DebouncedInput[] inputs;
  /** The simulated room; null on real hardware. */
  final SimulatedEnvironment environment;
  /** The simulated relay lines, like {@link #relays}; null on real hardware. */
  final SimulatedDigitalOutput[] relayLines;
  /** The simulated input lines, like {@link #inputs}; null on real hardware. */
  final SimulatedDigitalInput[] inputLines;

  private NodeHardware(SensorPort[] sensors, Relay[] relays, DebouncedInput[] inputs,
      SimulatedEnvironment environment, SimulatedDigitalOutput[] relayLines, SimulatedDigitalInput[] inputLines) {
    this.sensors = sensors;
    this.relays = relays;
    this.inputs = inputs;
    this.environment = environment;
    this.relayLines = relayLines;
    this.inputLines = inputLines;
  }

  /**
   * Builds everything simulated: BME280/BMP280 as register-level chips behind the real driver, the other
   * sensors reading the simulated room, relays and inputs on simulated lines. Relays start in their safe state.
   */
  static NodeHardware simulated(NodeConfig config, LongSupplier nanoClock) throws DeviceException {
    SimulatedEnvironment environment = new SimulatedEnvironment(nanoClock, SIMULATION_SEED);
    List<NodeConfig.Sensor> sensorConfigs = config.sensors();
    SensorPort[] sensors = new SensorPort[sensorConfigs.size()];
    for (int i = 0; i < sensors.length; i++) {
      NodeConfig.Sensor s = sensorConfigs.get(i);
      sensors[i] = switch (s.type()) {
        case BME280, BMP280 -> {
          int chipId = s.type() == SensorType.BME280 ? Bme280Driver.CHIP_ID_BME280 : Bme280Driver.CHIP_ID_BMP280;
          SimulatedBme280 chip = new SimulatedBme280(s.bus(), s.address(), chipId, environment);
          Bme280Driver driver = new Bme280Driver(chip, Bme280Config.WEATHER_MONITORING, Pause.NONE);
          yield new SensorPort.Climate(driver::read, s.readings());
        }
        default -> new SensorPort.Environment(environment, s.readings());
      };
    }
    List<NodeConfig.Relay> relayConfigs = config.relays();
    SimulatedDigitalOutput[] relayLines = new SimulatedDigitalOutput[relayConfigs.size()];
    Relay[] relays = new Relay[relayConfigs.size()];
    Map<String, InterlockGroup> groups = new HashMap<>();
    for (int i = 0; i < relays.length; i++) {
      NodeConfig.Relay r = relayConfigs.get(i);
      relayLines[i] = new SimulatedDigitalOutput("simulated GPIO " + r.pin(), nanoClock, SIMULATED_TRANSITIONS);
      relays[i] = new Relay(relayLines[i], relayConfig(r, groups), nanoClock);
    }
    List<NodeConfig.Input> inputConfigs = config.inputs();
    SimulatedDigitalInput[] inputLines = new SimulatedDigitalInput[inputConfigs.size()];
    DebouncedInput[] inputs = new DebouncedInput[inputConfigs.size()];
    for (int i = 0; i < inputs.length; i++) {
      NodeConfig.Input in = inputConfigs.get(i);
      // Idle level: low for an active-high sensor, high for a button to ground with pull-up.
      inputLines[i] = new SimulatedDigitalInput("simulated GPIO " + in.pin(), nanoClock, in.activeLow());
      inputs[i] = new DebouncedInput(inputLines[i], in.activeLow(), in.debounceMillis(), INPUT_RING_CAPACITY);
    }
    return new NodeHardware(sensors, relays, inputs, environment, relayLines, inputLines);
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
  }
}
