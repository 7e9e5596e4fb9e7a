package dev.wren.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wren.node.ScriptedSocketBroker.Received;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code broker.protocol: auto} against a broker that speaks 3.1.1 only (a scripted one refusing a level 5 CONNECT
 * with return code 1): the node falls back once, says so once, and ends up on a clean 3.1.1 session, never on the
 * CleanSession 0 session that its 5.0 Clean Start 0 would mean at 3.1.1 (kept by the broker for ever).
 */
@Timeout(60)
@SuppressWarnings("try") // a try-with-resources node runs for its block even where the block never names it
class NodeProtocolFallbackTest {
  private static final String YAML = NodeResubscribeRefusedTest.SCRIPTED_YAML;
  /** Generous for a busy machine: orders of magnitude above what the work takes. */
  private static final long DEADLINE_MILLIS = 10_000;

  @Test
  void autoFallsBackOnceAndAnnouncesOnACleanThreePointOneOneSession() throws Exception {
    try (LogTap log = new LogTap(); ScriptedSocketBroker broker = new ScriptedSocketBroker()) {
      broker.refuseProtocol5();
      try (RunningNode node = RunningNode.start(YAML, RunningNode.freshRoom(), broker.uri())) {
        Received online = awaitOnline(broker, node);

        // 5.0 refused; 3.1.1 with the session the 5.0 client asked for, ended at once; 3.1.1 clean, announced on.
        assertEquals(List.of("level 5 clean 0", "level 4 clean 0", "level 4 clean 1"), connects(broker));
        assertEquals(3, online.connection(), broker.received().toString());
        assertTrue(broker.received().stream().anyMatch(r -> r.connection() == 2 && r.type() == 14),
            "the fallback connection ended with DISCONNECT (no will): " + broker.received());
        assertTrue(broker.received().stream().noneMatch(r -> r.connection() < 3 && r.type() == 3),
            "nothing published before the version was settled: " + broker.received());
        broker.await("the command subscription", 0, r -> r.connection() == 3 && r.type() == 8
            && r.topic().equals(node.topic("lights") + "/set"), DEADLINE_MILLIS);
        assertEquals("MQTT 3.1.1 (the broker does not speak 5.0)", node.node.protocol());
        assertEquals(1, node.node.connectionCount(), "the replaced connection is not counted");
        log.await("the connect line", l -> l.contains("over MQTT 3.1.1 (the broker does not speak 5.0)"),
            DEADLINE_MILLIS);
        assertEquals(1, log.containing("does not speak MQTT 5.0").size(), log.text());
      }
    }
  }

  @Test
  void withoutASessionExpiryTheFallbackConnectionIsKept() throws Exception {
    String yaml = YAML.replace("  keep_alive: 60s\n", "  keep_alive: 60s\n  session_expiry: 0s\n  will_delay: 0s\n");
    try (ScriptedSocketBroker broker = new ScriptedSocketBroker()) {
      broker.refuseProtocol5();
      try (RunningNode node = RunningNode.start(yaml, RunningNode.freshRoom(), broker.uri())) {
        Received online = awaitOnline(broker, node);

        assertEquals(List.of("level 5 clean 1", "level 4 clean 1"), connects(broker));
        assertEquals(2, online.connection(), broker.received().toString());
        assertEquals("MQTT 3.1.1 (the broker does not speak 5.0)", node.node.protocol());
      }
    }
  }

  private static Received awaitOnline(ScriptedSocketBroker broker, RunningNode node) throws Exception {
    return broker.awaitPublish(node.config.statusTopic(), "online", 0, DEADLINE_MILLIS);
  }

  private static List<String> connects(ScriptedSocketBroker broker) {
    return broker.received().stream().filter(r -> r.type() == 1).map(Received::payload).toList();
  }
}
