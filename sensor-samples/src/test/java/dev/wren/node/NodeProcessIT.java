package dev.wren.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wren.mqtt.testing.MosquittoExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built {@code wren-node.jar} as a real process (run by failsafe after {@code package}): killed with SIGKILL
 * the broker publishes its last will {@code offline}; stopped with SIGTERM it publishes the relays' safe state
 * and {@code offline} itself and disconnects cleanly.
 */
@Timeout(90)
class NodeProcessIT {
  @RegisterExtension
  static final MosquittoExtension BROKER = new MosquittoExtension();

  private static final Path JAR = Path.of(System.getProperty("wren.node.jar", "target/wren-node.jar"));
  private static final String JAVA = ProcessHandle.current().info().command().orElse("java");

  @TempDir
  Path dir;
  /** Every node process a test started, killed after it whatever the test's outcome. */
  private final List<Process> started = new ArrayList<>();
  private final String room = RunningNode.freshRoom();
  private final String prefix = "home/" + room;

  @Test
  void sigkillMakesTheBrokerPublishTheWillOffline() throws Exception {
    try (Subscriber sub = new Subscriber(BROKER.uri(), prefix + "/status")) {
      Process node = startNode();
      sub.await(prefix + "/status", "online", 20_000);

      node.destroyForcibly();
      assertTrue(node.waitFor(10, TimeUnit.SECONDS));

      assertEquals(137, node.exitValue(), "killed by SIGKILL");
      sub.await(prefix + "/status", "offline", 10_000);
      assertTrue(BROKER.log().contains("Client wren_" + room + " closed its connection"), BROKER.log());
    }
  }

  @Test
  void sigtermPublishesSafeRelayStateAndOfflineThenDisconnects() throws Exception {
    String lights = prefix + "/lights";
    try (Subscriber sub = new Subscriber(BROKER.uri(), prefix + "/#")) {
      Process node = startNode();
      sub.await(prefix + "/status", "online", 20_000);
      sub.await(lights, "OFF", 5_000); // states follow the subscriptions: the node now hears commands
      sub.publish(lights + "/set", "ON", false);
      sub.await(lights, "ON", 5_000);

      node.destroy();
      assertTrue(node.waitFor(20, TimeUnit.SECONDS), "stopped within systemd's TimeoutStopSec");

      assertEquals(143, node.exitValue(), "JVM exit status after SIGTERM");
      Subscriber.Received offline = sub.await(prefix + "/status", "offline", 5_000);
      Subscriber.Received safe = sub.await("lights back to the safe state", r -> r.topic().equals(lights)
          && r.payload().equals("OFF") && sub.on(lights).size() >= 3, 5_000);
      assertTrue(safe.atNanos() <= offline.atNanos(), "relay state before offline: " + sub.all());
      String log = log();
      assertTrue(log.contains("stopped"), log);
      assertFalse(log.contains("could not say offline"), log);
      assertTrue(BROKER.log().contains("Client wren_" + room + " disconnected"), BROKER.log());
    }
  }

  @Test
  void brokenConfigurationStopsTheJarWithKeyAndLine() throws Exception {
    Path config = dir.resolve("node.yaml");
    Files.writeString(config, "node:\n  room: hall\nrelays:\n  - { name: pump, pin: 28 }\n");
    Process node = new ProcessBuilder(JAVA, "-jar", JAR.toString(), "--config", config.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("node.log").toFile()).start();
    started.add(node);

    assertTrue(node.waitFor(20, TimeUnit.SECONDS));

    assertEquals(NodeMain.EXIT_CONFIG, node.exitValue());
    assertTrue(log().contains("node.yaml:4: relays[0].pin: 28 is outside 0..27"), log());
  }

  private Process startNode() throws Exception {
    Path config = dir.resolve("node.yaml");
    Files.writeString(config, NodeEndToEndTest.YAML.replace("ROOM", room).replace("BROKER", BROKER.uri()));
    List<String> command = new ArrayList<>(List.of(JAVA, "-Xmx16m", "-jar", JAR.toString(),
        "--config", config.toString(), "--simulate"));
    Process node = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("node.log").toFile()).start();
    started.add(node);
    return node;
  }

  @AfterEach
  void killLeftovers() throws InterruptedException {
    for (Process p : started) {
      if (p.isAlive()) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private String log() throws Exception {
    return Files.readString(dir.resolve("node.log"), StandardCharsets.UTF_8);
  }
}
