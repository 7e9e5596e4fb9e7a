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
}
