package dev.wren.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CommandLineTest {
  @Test
  void configBrokerAndSimulateAreRead() {
    CommandLine c = CommandLine.parse("--config", "/etc/wren/node.yaml", "--broker", "ssl://b:8883", "--simulate");

    assertEquals(new CommandLine(Path.of("/etc/wren/node.yaml"), "ssl://b:8883", true, false, false, false, false, null), c);
  }

  @Test
  void valuesMayFollowAnEqualsSign() {
    CommandLine c = CommandLine.parse("--config=node.yaml", "--broker=tcp://h:1", "--check");

    assertEquals(new CommandLine(Path.of("node.yaml"), "tcp://h:1", false, true, false, false, false, null), c);
  }

  @Test
  void simulateAloneRunsTheBuiltInExample() {
    assertEquals(new CommandLine(null, null, true, false, false, false, false, null), CommandLine.parse("--simulate"));
  }

  @Test
  void helpStopsReadingAndNeedsNoConfig() {
    assertTrue(CommandLine.parse("--help", "--not-read").help());
    assertTrue(CommandLine.parse("-h").help());
  }

  @Test
  void mistakesAreNamed() {
    assertEquals("give --config FILE (or --simulate to run the built-in example)", error());
    assertEquals("unknown option '--bogus'", error("--simulate", "--bogus"));
    assertEquals("option --config needs a value", error("--config"));
    assertEquals("option --broker needs a value", error("--simulate", "--broker", "--config"));
    assertEquals("option --simulate takes no value, got '--simulate=yes'", error("--simulate=yes"));
  }

  private static String error(String... args) {
    return assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(args)).getMessage();
  }
}
