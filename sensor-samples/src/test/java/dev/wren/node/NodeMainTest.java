package dev.wren.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line up to the point where the node would start: exit statuses and messages. */
class NodeMainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void brokenConfigFailsWithKeyAndLineBeforeAnythingStarts(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("node.yaml");
    Files.writeString(file, """
        node:
          room: hall
        relays:
          - { name: a, pin: 17 }
          - { name: b, pin: 17 }
        sensors:
          - type: bme280
            intervall: 10s
        """);

    int status = run("--config", file.toString(), "--simulate");

    assertEquals(NodeMain.EXIT_CONFIG, status);
    assertTrue(stderr().contains("node.yaml:5: relays[1].pin: GPIO 17 is already used by relays[0] (line 4)"),
        stderr());
    assertTrue(stderr().contains("node.yaml:8: sensors[0].intervall: unknown key"), stderr());
  }

  @Test
  void checkPrintsTheSummaryWithoutThePassword(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("node.yaml");
    Files.writeString(file, "node: {room: hall}\nbroker: {username: hall, password: hunter2}\n");

    int status = run("--config", file.toString(), "--broker", "tcp://10.0.0.2:1884", "--check");

    assertEquals(0, status, stderr());
    assertTrue(stdout().contains("broker tcp://10.0.0.2:1884 as wren_hall, user hall, password set"), stdout());
    assertFalse(stdout().contains("hunter2"), stdout());
    assertTrue(stdout().contains("configuration OK"), stdout());
  }

  @Test
  void configWithoutBrokerIsAConfigErrorUnlessBrokerIsGiven(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("node.yaml");
    Files.writeString(file, "node: {room: hall}\n");

    assertEquals(NodeMain.EXIT_CONFIG, run("--config", file.toString(), "--simulate", "--check"), stdout());
    assertTrue(stderr().contains("node.yaml:1: broker.url: missing"), stderr());
    assertFalse(stdout().contains("configuration OK"), stdout());

    assertEquals(0, run("--config", file.toString(), "--broker", "tcp://10.0.0.2:1883", "--check"), stderr());
  }

  @Test
  void simulateAloneChecksTheBuiltInExample() {
    assertEquals(0, run("--simulate", "--check"), stderr());
    assertTrue(stdout().contains("sensor bme280 on i2c-1 at 0x76"), stdout());
    assertTrue(stdout().contains("relay home/living_room/lights on GPIO 17, safe state OFF"), stdout());
  }

  @Test
  void wrongCommandLineExitsWithUsage() {
    assertEquals(NodeMain.EXIT_USAGE, run("--config"));
    assertTrue(stderr().contains("option --config needs a value"), stderr());
    assertTrue(stderr().contains("usage: java -jar wren-node.jar"), stderr());
  }

  @Test
  void missingFileAndBadBrokerAreConfigErrors() {
    assertEquals(NodeMain.EXIT_CONFIG, run("--config", "/nonexistent/node.yaml"));
    assertTrue(stderr().contains("configuration file /nonexistent/node.yaml does not exist"), stderr());

    assertEquals(NodeMain.EXIT_CONFIG, run("--simulate", "--broker", "http://x"));
    assertTrue(stderr().contains("--broker: 'http://x' must start with tcp://"), stderr());
  }

  private int run(String... args) {
    return NodeMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void versionIsTheProjectVersion() {
    assertEquals(0, run("--version"), stderr());
    assertTrue(stdout().matches("wren-node \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R"), stdout());
  }

  @Test
  void probeOfTheSimulatedExampleFindsEverythingAndExits0() {
    assertEquals(0, run("--simulate", "--probe"), stdout() + stderr());
    String screen = stdout();
    System.out.println(screen);
    assertTrue(screen.contains("wren-node probe of simulated IO for built-in example"), screen);
    assertTrue(screen.contains("  i2c-1 0x76: BME280 (chip id 0x60)"), screen);
    assertTrue(screen.contains("  GPIO 17 (relay lights): can be claimed"), screen);
    assertTrue(screen.contains("everything the configuration needs is there"), screen);
    assertTrue(screen.lines().count() <= 24, "one screen: " + screen.lines().count() + " lines");
  }

  @Test
  void probeNamesAConfiguredChipThatDoesNotAnswerAndExits69() throws Exception {
    NodeConfig config = NodeConfig.parse("""
        node: { room: hall }
        broker: { url: tcp://localhost:1883 }
        sensors:
          - { type: bme280, address: 0x76 }
        """, "hall.yaml", Path.of("."));
    Probe.Host host = ProbeHosts.simulated(config);
    NodeConfig other = NodeConfig.parse("""
        node: { room: hall }
        broker: { url: tcp://localhost:1883 }
        sensors:
          - { type: bme280, address: 0x77 }
          - type: ds18b20
            id: 28-0316a2794cff
            readings: { temperature: { name: water_temperature } }
        """, "hall.yaml", Path.of("."));
    Probe.Report report = Probe.run(other, host);
    assertFalse(report.complete(), report.text());
    assertTrue(report.text().contains("  i2c-1 0x76: BME280 (chip id 0x60)"), report.text());
    assertTrue(report.text().contains("configured bme280 on i2c-1 at 0x77: no answer (wiring? address?"),
        report.text());
    assertTrue(report.text().contains("configured ds18b20 28-0316a2794cff: not found"), report.text());
    assertTrue(report.text().endsWith("missing: bme280 on i2c-1 at 0x77, ds18b20 28-0316a2794cff"), report.text());
  }

  @Test
  void withoutAGpioChipTheNodeSaysWhatToCheckBeforePi4jAndExits69(@TempDir Path dev) throws Exception {
    NodeConfig config = NodeConfig.example();
    String problem = Node.gpioProblem(config, dev);
    assertTrue(problem.startsWith(dev.resolve("gpiochip0") + " does not exist: is this a Raspberry Pi"), problem);
    java.nio.file.Files.createFile(dev.resolve("gpiochip0"));
    assertEquals(null, Node.gpioProblem(config, dev));
    if (!java.nio.file.Files.exists(Path.of("/dev/gpiochip0"))) {
      assertEquals(NodeMain.EXIT_HARDWARE, run("--config", example(dev).toString()), stderr());
    }
  }

  /** The built-in example as a file, so the node runs it on real (here absent) hardware. */
  private static Path example(Path dir) throws Exception {
    Path file = dir.resolve("node.yaml");
    try (java.io.InputStream in = NodeConfig.class.getResourceAsStream(NodeConfig.EXAMPLE_RESOURCE)) {
      java.nio.file.Files.write(file, in.readAllBytes());
    }
    return file;
  }
}
