package dev.wren.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** deploy/wren-node.service agrees with NodeMain's exit statuses and runs the launcher. */
class SystemdUnitTest {
  private static final Path UNIT = Path.of("deploy/wren-node.service");

  @Test
  void configurationErrorsAreNotRestartedAndMissingHardwareIsWithAGrowingDelay() throws Exception {
    List<String> lines = Files.readAllLines(UNIT);
    assertTrue(lines.contains("RestartPreventExitStatus=" + NodeMain.EXIT_USAGE + " " + NodeMain.EXIT_CONFIG), UNIT
        + " must not restart on " + NodeMain.EXIT_USAGE + " and " + NodeMain.EXIT_CONFIG);
    assertTrue(lines.contains("Restart=on-failure"));
    assertTrue(lines.contains("RestartSteps=5") && lines.contains("RestartMaxDelaySec=5min"));
    assertEquals(69, NodeMain.EXIT_HARDWARE, "sysexits.h EX_UNAVAILABLE, as the unit and README say");
    assertTrue(lines.contains("ExecStart=/opt/wren/wren-node --config /etc/wren/node.yaml"), "the launcher");
    assertTrue(NodeMain.STOP_TIMEOUT_MILLIS / 1000 < Integer.parseInt(lines.stream()
        .filter(l -> l.startsWith("TimeoutStopSec=")).findFirst().orElseThrow().substring(15)),
        "the node gives up on the broker before systemd kills it");
  }
}
