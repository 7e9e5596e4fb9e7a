package dev.wren.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wren.mqtt.testing.FaultProxy;
import dev.wren.mqtt.testing.MosquittoExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The node at MQTT 5.0 against mosquitto: will delay, retain handling on the command topics, message expiry on the
 * readings, session expiry. The node's connection is cut by a {@link FaultProxy} between it and the broker (a
 * reset, no DISCONNECT: what a network fault or a crash looks like to the broker); the observers talk to the broker
 * directly. mosquitto counts will delay and message expiry in wall-clock seconds, so each absence is proven by an
 * ordered marker, never by a wait, and each time bound allows the broker's whole-second rounding.
 */
@Timeout(120)
@SuppressWarnings("try") // a try-with-resources node runs for its block even where the block never names it
class NodeMqtt5Test {
  @RegisterExtension
  static final MosquittoExtension BROKER = new MosquittoExtension();

  private final String room = RunningNode.freshRoom();
  private final String prefix = "home/" + room;
  private final String status = prefix + "/status";
  private final String lights = prefix + "/lights";

  /** {@link NodeEndToEndTest#YAML} at 5.0 with {@code brokerLines} added to the broker section. */
  private static String five(String... brokerLines) {
    StringBuilder lines = new StringBuilder("  keep_alive: 5s\n  protocol: 5\n  connect_timeout: 1s\n");
    for (String line : brokerLines) {
      lines.append("  ").append(line).append('\n');
    }
    return NodeEndToEndTest.YAML.replace("  keep_alive: 5s\n", lines.toString());
  }

  @Test
  void connectionBackWithinTheWillDelayPublishesNoOffline() throws Exception {
    try (FaultProxy proxy = FaultProxy.start(BROKER.host(), BROKER.port(), 100_000);
         RunningNode node = RunningNode.start(five("will_delay: 10s"), room, uri(proxy));
         Subscriber sub = subscribe(status, prefix + "/marker")) {
      sub.await(status, "online", 10_000);
      assertEquals("MQTT 5.0", node.node.protocol());

      proxy.cut();
      awaitConnections(node, 2);
      sub.await("online again", r -> sub.on(status).stream().filter(m -> m.payload().equals("online")).count() >= 2,
          10_000);
      sub.publish(prefix + "/marker", "after the reconnect", false);
      sub.await(prefix + "/marker", "after the reconnect", 10_000);

      // Without the delay (3.1.1, or will_delay 0) the broker publishes offline at the cut, before the reconnect.
      assertTrue(sub.on(status).stream().noneMatch(r -> r.payload().equals("offline")), sub.all().toString());
    }
  }

  @Test
  void nodeAwayLongerThanTheWillDelayIsOfflineAfterTheDelay() throws Exception {
    int delaySeconds = 3;
    try (FaultProxy proxy = FaultProxy.start(BROKER.host(), BROKER.port(), 100_000);
         RunningNode node = RunningNode.start(five("will_delay: " + delaySeconds + "s"), room, uri(proxy));
         Subscriber sub = subscribe(status)) {
      sub.await(status, "online", 10_000);

      proxy.mode(FaultProxy.Mode.BLACK_HOLE); // the node's reconnects get no CONNACK: it stays away
      long cutNanos = System.nanoTime();
      proxy.cut();
      Subscriber.Received offline = sub.await(status, "offline", 30_000);

      long afterMillis = (offline.atNanos() - cutNanos) / 1_000_000;
      System.out.printf("offline %d ms after the cut (will delay %d s)%n", afterMillis, delaySeconds);
      // mosquitto sets the will's time in whole seconds of the wall clock: up to 1 s early.
      assertTrue(afterMillis >= (delaySeconds - 1) * 1_000L, "offline not before the will delay: " + afterMillis
          + " ms after the cut");

      proxy.mode(FaultProxy.Mode.PASS);
      sub.await("online after coming back", r -> r.payload().equals("online") && sub.all().indexOf(r)
          > sub.all().indexOf(offline), 30_000);
    }
  }

  @Test
  void retainedCommandPublishedBeforeTheNodeConnectsIsNotDelivered() throws Exception {
    try (Subscriber sub = subscribe(lights); LogTap log = new LogTap()) {
      sub.publish(lights + "/set", "ON", true);
      try (RunningNode node = RunningNode.start(five(), room, BROKER.uri())) {
        sub.await(lights, "OFF", 10_000); // published after the command subscription was acknowledged

        // A live command after it: the retained one, had the broker sent it at subscribe time, came first.
        sub.publish(lights + "/set", "ON", false);
        sub.await(lights, "ON", 10_000);

        assertEquals(2, node.relayTransitions(0), "the safe-state write and the live ON only");
        assertTrue(log.containing("ignoring a retained command").isEmpty(),
            "retain handling 2: the retained command was not even delivered:\n" + log.text());
      } finally {
        sub.publish(lights + "/set", "", true);
      }
    }
  }

  @Test
  void retainedCommandPublishedWhileTheNodeIsConnectedIsIgnored() throws Exception {
    try (RunningNode node = RunningNode.start(five(), room, BROKER.uri());
         Subscriber sub = subscribe(lights); LogTap log = new LogTap()) {
      sub.await(lights, "OFF", 10_000);
      try {
        sub.publish(lights + "/set", "ON", true);

        // Retain as published: the broker forwards it with RETAIN 1 (at 3.1.1 it would arrive as RETAIN 0).
        log.awaitCount("ignoring a retained command on " + lights + "/set", 1, 10_000);
        assertFalse(node.relayLineHigh(0), "a retained ON must not switch the relay");
        assertEquals(1, node.relayTransitions(0), "only the safe-state write");
      } finally {
        sub.publish(lights + "/set", "", true);
      }
    }
  }

  @Test
  void deadNodesReadingsExpireWhileItsOfflineStays() throws Exception {
    int expirySeconds = 5;
    String temperature = prefix + "/temperature";
    String yaml = five("will_delay: 0s") + "publish:\n  message_expiry: " + expirySeconds + "s\n";
    try (FaultProxy proxy = FaultProxy.start(BROKER.host(), BROKER.port(), 100_000);
         RunningNode node = RunningNode.start(yaml, room, uri(proxy));
         Subscriber sub = subscribe(status, temperature)) {
      sub.await(status, "online", 10_000);
      sub.await("a reading", r -> r.topic().equals(temperature), 10_000);

      proxy.mode(FaultProxy.Mode.BLACK_HOLE);
      long cutNanos = System.nanoTime();
      proxy.cut();
      sub.await(status, "offline", 10_000);
      // The node published its temperature at most a heartbeat (1 s) before the cut: still retained now.
      assertTrue(retainedSeenBy(temperature).stream().anyMatch(r -> r.topic().equals(temperature)),
          "the last reading is retained right after the node died");

      long goneMillis;
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (true) {
        List<Subscriber.Received> retained = retainedSeenBy(temperature);
        if (retained.stream().noneMatch(r -> r.topic().equals(temperature))) {
          goneMillis = (System.nanoTime() - cutNanos) / 1_000_000;
          assertTrue(retained.stream().anyMatch(r -> r.topic().equals(status) && r.payload().equals("offline")),
              "the retained status says offline: " + retained);
          break;
        }
        assertTrue(System.nanoTime() - deadline < 0, "the temperature still retained 30 s after the cut: " + retained);
        sub.collectFor(200); // pacing the next look, not a proof
      }
      System.out.printf("retained temperature gone %d ms after the cut (message expiry %d s)%n", goneMillis,
          expirySeconds);
      // Expiry counts from the last publish, at most 1 s before the cut; mosquitto rounds to whole seconds.
      assertTrue(goneMillis >= (expirySeconds - 2) * 1_000L, "not before its expiry: " + goneMillis + " ms");
    }
  }

  @Test
  void commandQueuedWhileTheConnectionIsDownArrivesAfterTheReconnect() throws Exception {
    try (FaultProxy proxy = FaultProxy.start(BROKER.host(), BROKER.port(), 100_000);
         RunningNode node = RunningNode.start(five(), room, uri(proxy));
         Subscriber sub = subscribe(lights)) {
      sub.await(lights, "OFF", 10_000);

      proxy.mode(FaultProxy.Mode.BLACK_HOLE);
      proxy.cut();
      sub.publish(lights + "/set", "ON", false); // QoS 1: the broker keeps it in the node's session
      proxy.mode(FaultProxy.Mode.PASS);

      sub.await(lights, "ON", 30_000);
      assertTrue(node.relayLineHigh(0), "the queued command switched the relay");
      assertTrue(node.node.connectionCount() >= 2, "it came over a new connection: " + node.node.connectionCount());
    }
  }

  @Test
  void commandQueuedWhileTheNodeIsStoppedArrivesWhenItStartsWithinTheSessionExpiry() throws Exception {
    try (Subscriber sub = subscribe(lights)) {
      try (RunningNode first = RunningNode.start(five(), room, BROKER.uri())) {
        sub.await(lights, "OFF", 10_000);
      } // a clean stop (DISCONNECT): the broker keeps the session for session_expiry (1 h)
      sub.publish(lights + "/set", "ON", false);

      try (RunningNode again = RunningNode.start(five(), room, BROKER.uri())) {
        // Delivered right after CONNACK, before the node subscribes again: the default handler takes it.
        sub.await("ON from the restarted node", r -> r.payload().equals("ON"), 10_000);
        assertTrue(again.relayLineHigh(0), "the command sent during the reboot switched the relay");
      }
    }
  }

  /** What a new subscriber to {@code topic} and the status gets retained, once its status has arrived. */
  private List<Subscriber.Received> retainedSeenBy(String topic) throws Exception {
    // Subscribed in this order on one connection: a retained reading arrives before the retained status.
    try (Subscriber late = subscribe(topic, status)) {
      late.await(status + " retained", r -> r.topic().equals(status) && r.retain(), 10_000);
      return late.all().stream().filter(Subscriber.Received::retain).toList();
    }
  }

  /** Waits until the node has connected {@code count} times. */
  private static void awaitConnections(RunningNode node, long count) throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (node.node.connectionCount() < count) {
      assertTrue(System.nanoTime() - deadline < 0, "connections " + node.node.connectionCount() + ", not " + count);
      Thread.sleep(10); // the count is the loop thread's: polling with a deadline
    }
  }

  private static String uri(FaultProxy proxy) {
    return "tcp://" + proxy.host() + ":" + proxy.port();
  }

  private static Subscriber subscribe(String... filters) throws Exception {
    return new Subscriber(BROKER.uri(), filters);
  }
}
