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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built {@code wren-node.jar} as a real process (run by failsafe after {@code package}): killed with SIGKILL
 * the broker publishes its last will {@code offline}, and the readings its journal held go out after the restart;
 * stopped with SIGTERM it publishes the relays' safe state and {@code offline} itself and disconnects cleanly.
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
      sub.await(prefix + "/status", "offline", 10_000); // after the node's will_delay of 1 s
      assertTrue(BROKER.log().contains("Client wren_" + room + " closed its connection"), BROKER.log());
    }
  }

  @Test
  void sigtermPublishesSafeRelayStateAndOfflineThenDisconnects() throws Exception {
    String lights = prefix + "/lights";
    try (Subscriber sub = new Subscriber(BROKER.uri(), prefix + "/#")) {
      Process node = startNode();
      sub.await(prefix + "/status", "online", 20_000);
      sub.await(lights, "OFF", 10_000); // states follow the subscriptions: the node now hears commands
      sub.publish(lights + "/set", "ON", false);
      sub.await(lights, "ON", 10_000);

      node.destroy();
      assertTrue(node.waitFor(20, TimeUnit.SECONDS), "stopped within systemd's TimeoutStopSec");

      assertEquals(143, node.exitValue(), "JVM exit status after SIGTERM");
      Subscriber.Received offline = sub.await(prefix + "/status", "offline", 10_000);
      Subscriber.Received safe = sub.await("lights back to the safe state", r -> r.topic().equals(lights)
          && r.payload().equals("OFF") && sub.on(lights).size() >= 3, 10_000);
      assertTrue(safe.atNanos() <= offline.atNanos(), "relay state before offline: " + sub.all());
      String log = log();
      assertTrue(log.contains("stopped"), log);
      assertFalse(log.contains("could not say offline"), log);
      assertTrue(BROKER.log().contains("Client wren_" + room + " disconnected"), BROKER.log());
    }
  }

  @Test
  void readingsJournaledByANodeKilledWithSigkillAreDeliveredAfterItsRestart() throws Exception {
    Path journal = dir.resolve("node.journal");
    // The killed node publishes under its own room: anything arriving there after its death came from the journal.
    String killedRoom = RunningNode.freshRoom();
    String killedPrefix = "home/" + killedRoom;
    String noBroker = "tcp://127.0.0.1:" + MosquittoExtension.freePort();
    try (Subscriber sub = new Subscriber(BROKER.uri(), killedPrefix + "/#")) {
      Process killed = startNode(killedRoom, noBroker, journal, "killed.log");
      // Three failed attempts take at least 100 + 200 + 400 ms (jitter halves at most): several readings by then.
      awaitLog("killed.log", Pattern.quote("still not reachable (attempt 3)"), 20_000);
      killed.destroyForcibly();
      assertTrue(killed.waitFor(10, TimeUnit.SECONDS));
      assertEquals(137, killed.exitValue(), "killed by SIGKILL");

      startNode(room, BROKER.uri(), journal, "node.log");
      Matcher held = awaitLog("node.log", "journal \\S+ holds (\\d+) messages not yet acknowledged", 20_000);
      int kept = Integer.parseInt(held.group(1));
      assertTrue(kept >= 3, "readings journaled before the kill: " + kept);

      sub.await(kept + " journaled readings", r -> sub.all().size() >= kept, 20_000);
      sub.collectFor(500); // and no more than those
      assertEquals(kept, sub.all().size(), "0 lost, none invented: " + sub.all());
      assertTrue(sub.all().stream().allMatch(r -> r.topic().startsWith(killedPrefix + "/")
          && r.payload().matches("-?\\d+\\.\\d+")), sub.all().toString());
      assertTrue(sub.on(killedPrefix + "/temperature").size() >= 1, sub.all().toString());
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
    return startNode(room, BROKER.uri(), dir.resolve("node.journal"), "node.log");
  }

  /** The jar with {@link NodeEndToEndTest#YAML} for {@code nodeRoom}, simulated, its output in {@code logName}. */
  private Process startNode(String nodeRoom, String brokerUrl, Path journal, String logName) throws Exception {
    Path config = dir.resolve(nodeRoom + ".yaml");
    // MQTT 5.0 named, not auto: auto journals nothing before its first connection has settled the version, and
    // the journal test kills a node that never reached a broker. A will delay of 1 s: the SIGKILL's offline is soon.
    Files.writeString(config, RunningNode.withJournal(NodeEndToEndTest.YAML, journal)
        .replace("  keep_alive: 5s\n", "  keep_alive: 5s\n  protocol: 5\n  will_delay: 1s\n")
        .replace("ROOM", nodeRoom).replace("BROKER", brokerUrl));
    List<String> command = new ArrayList<>(List.of(JAVA, "-Xmx16m", "-jar", JAR.toString(),
        "--config", config.toString(), "--simulate"));
    Process node = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve(logName).toFile()).start();
    started.add(node);
    return node;
  }

  /** Waits until the log {@code logName} has a match of {@code regex}; fails showing the log. */
  private Matcher awaitLog(String logName, String regex, long timeoutMillis) throws Exception {
    Pattern pattern = Pattern.compile(regex);
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    while (true) {
      String log = Files.readString(dir.resolve(logName), StandardCharsets.UTF_8);
      Matcher m = pattern.matcher(log);
      if (m.find()) {
        return m;
      }
      assertTrue(System.nanoTime() - deadline < 0, "no /" + regex + "/ in " + logName + " within " + timeoutMillis
          + " ms:\n" + log);
      Thread.sleep(50); // the process writes the log: polling with a deadline
    }
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
