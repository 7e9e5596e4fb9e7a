package dev.wren.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A broker whose ACL changes while the node is away: it granted the relay's command subscription on the first
 * connection and refuses it (0x80) on the re-subscribe after a reconnect. The node stays connected and says so in a
 * warning that names the filter and the return code, so a Pi owner sees why commands stopped arriving.
 */
@Timeout(60)
class NodeResubscribeRefusedTest {
  /** A node on a {@link ScriptedSocketBroker}, at the default protocol ({@code auto}). */
  static final String SCRIPTED_YAML = """
      node:
        room: ROOM
        loop_period: 20ms
      broker:
        url: BROKER
        keep_alive: 60s
        reconnect: { min_delay: 100ms, max_delay: 400ms }
      discovery:
        enabled: false
      sensors:
        - { type: bme280, interval: 100ms }
      relays:
        - { name: lights, pin: 17 }
      """;
  /** At 3.1.1: the scripted broker answers every CONNECT with a 3.1.1 CONNACK. */
  private static final String YAML = SCRIPTED_YAML.replace("  keep_alive: 60s\n", "  keep_alive: 60s\n  protocol: 3.1.1\n");
  /** Generous for a busy machine: orders of magnitude above what the work takes. */
  private static final long DEADLINE_MILLIS = 10_000;

  @Test
  void aCommandSubscriptionRefusedAfterAReconnectIsLoggedAsAWarningNamingTheFilterAndTheCode() throws Exception {
    try (LogTap log = new LogTap(); ScriptedSocketBroker broker = new ScriptedSocketBroker();
        RunningNode node = RunningNode.start(YAML, RunningNode.freshRoom(), broker.uri())) {
      String command = node.topic("lights") + "/set";
      broker.await("the command subscription", 0, r -> r.type() == 8 && r.topic().equals(command), DEADLINE_MILLIS);
      broker.awaitPublish(node.topic("lights"), "OFF", 0, DEADLINE_MILLIS);

      broker.refuseSubscriptions();
      broker.dropConnection();
      broker.await("the re-subscription on the second connection", 0,
          r -> r.connection() == 2 && r.type() == 8 && r.topic().equals(command), DEADLINE_MILLIS);
      String warning = log.await("the refusal", l -> l.contains("refused the subscription to " + command),
          DEADLINE_MILLIS);
      assertTrue(warning.contains("WARN") && warning.contains("0x80") && warning.contains(broker.uri())
          && warning.contains("ACL"), warning);

      // The connection stays: the node announces itself on it and no third connection follows.
      broker.await("online on the second connection", 0, r -> r.connection() == 2 && r.type() == 3
          && r.topic().equals(node.config.statusTopic()) && r.payload().equals("online"), DEADLINE_MILLIS);
      assertTrue(node.node.isConnected());
      assertEquals(2, broker.connections(), broker.received().toString());
    }
  }
}
