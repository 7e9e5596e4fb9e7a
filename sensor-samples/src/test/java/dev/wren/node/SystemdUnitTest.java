package dev.wren.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/wren-node.service agrees with NodeMain's exit statuses and runs the launcher; systemd itself accepts it
 * ({@code systemd-analyze verify}) and rates its hardening at most 3.0 ({@code systemd-analyze security}). The
 * systemd-analyze of the machine's systemd is used ({@code .ci/setup} installs it where it is missing).
 */
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

  @Test
  void systemdRatesTheHardeningAtMostThree() throws Exception {
    Result r = run("systemd-analyze", "security", "--offline=true", UNIT.toString());
    Matcher m = Pattern.compile("Overall exposure level for wren-node.service: (\\d+\\.\\d)").matcher(r.output);
    assertTrue(m.find(), "systemd-analyze security printed no overall level (exit " + r.exit + "):\n" + r.output);
    double exposure = Double.parseDouble(m.group(1));
    System.out.println("systemd-analyze security wren-node.service: " + exposure);
    assertTrue(exposure <= 3.0, "exposure " + exposure + " > 3.0:\n" + r.output);
  }

  @Test
  void systemdVerifiesTheUnit(@TempDir Path dir) throws Exception {
    // The installed unit runs /opt/wren/wren-node, which verify checks exists: point a copy at the repository's.
    Path launcher = Path.of("deploy/wren-node").toAbsolutePath();
    String unit = Files.readString(UNIT).replace("ExecStart=/opt/wren/wren-node", "ExecStart=" + launcher);
    Path copy = Files.writeString(dir.resolve("wren-node.service"), unit);
    Result r = run("systemd-analyze", "verify", copy.toString());
    assertEquals(0, r.exit, "systemd-analyze verify:\n" + r.output);
    for (String line : r.output.split("\n")) {
      // systemd before 254 does not know the growing restart delay's keys, and says so; nothing else may be said.
      assertTrue(line.isBlank() || line.contains("Unknown key 'RestartSteps'")
          || line.contains("Unknown key 'RestartMaxDelaySec'"), "systemd-analyze verify: " + line);
    }
  }

  private record Result(int exit, String output) {}

  private static Result run(String... command) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(command));
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError(command[0] + " is needed by this test (Debian package systemd; .ci/setup installs it)", e);
    }
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not end within 60 s");
    return new Result(p.exitValue(), out);
  }
}
