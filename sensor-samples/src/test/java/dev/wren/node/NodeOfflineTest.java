package dev.wren.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wren.mqtt.testing.MosquittoExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The broker stops under a running node and comes back: the node keeps sampling, every reading taken meanwhile
 * waits in its journal and arrives after the reconnect, in order, and the node is {@code online} again.
 *
 * <p>Observed without racing the node's reconnect: mosquitto runs with persistence and the watcher has a
 * persistent session, so whatever the node delivers before the watcher is back is queued for it by the broker.
 */
@Timeout(90)
class NodeOfflineTest {
  @RegisterExtension
  static final MosquittoExtension BROKER = MosquittoExtension.builder().persistence(true).build();

  /** Channel 0 of {@link NodeEndToEndTest#YAML}: the BME280's temperature, deadband 0.5 °C, read every 100 ms. */
  private static final int TEMPERATURE = 0;
  private static final int OFFLINE_READINGS = 12;

  private final String room = RunningNode.freshRoom();
  private final String prefix = "home/" + room;

  @Test
  void readingsTakenWhileTheBrokerIsStoppedAllArriveAfterItRestarts() throws Exception {
    String temperature = prefix + "/temperature";
    String status = prefix + "/status";
    String watcherId = "watcher-" + room;
    try (RunningNode node = RunningNode.start(NodeEndToEndTest.YAML, room, BROKER.uri())) {
      try (Subscriber watcher = new Subscriber(BROKER.uri(), watcherId, false, temperature, status)) {
        watcher.await("a first reading", r -> r.topic().equals(temperature), 5_000);
      } // DISCONNECT: the broker keeps the watcher's session and queues its QoS 1 messages
      BROKER.stop(); // SIGTERM: mosquitto saves the sessions to its database

      // Each value is 1 °C from the last, beyond the deadband: every one is a reading to deliver.
      List<Double> offline = new ArrayList<>();
      for (int i = 0; i < OFFLINE_READINGS; i++) {
        double celsius = 30.0 + i;
        node.onLoop(h -> {
          h.environment.hold(celsius, 45, 101_325, 100);
          return null;
        });
        awaitRead(node, Math.round(celsius * 100));
        offline.add(celsius);
      }
      assertFalse(node.node.isConnected(), "the broker is stopped");
      assertTrue(node.node.failedAttempts() >= 1, "the client kept trying: " + node.node.failedAttempts());
      assertTrue(node.loopAlive(), "the node does not exit because the broker is gone");

      BROKER.start();

      try (Subscriber watcher = new Subscriber(BROKER.uri(), watcherId, false, temperature, status)) {
        // Not retained: published by the node after the restart, not the broker's saved copy of the first one.
        watcher.await("online again", r -> r.topic().equals(status) && r.payload().equals("online") && !r.retain(),
            15_000);
        for (double celsius : offline) {
          watcher.await(celsius + " °C", r -> r.topic().equals(temperature) && near(r, celsius), 15_000);
        }
        List<Double> arrived = watcher.on(temperature).stream().map(r -> Double.parseDouble(r.payload()))
            .filter(v -> offline.stream().anyMatch(o -> Math.abs(o - v) < 0.05)).distinct().toList();
        assertEquals(OFFLINE_READINGS, arrived.size(), "0 lost: " + watcher.on(temperature));
        for (int i = 0; i < OFFLINE_READINGS; i++) {
          assertEquals(offline.get(i), arrived.get(i), 0.05, "in the order read: " + arrived);
        }
      }
      // The loop notes the connection after the poll that reconnected and sent the backlog returns, which may be
      // after the backlog arrived: wait for it with a deadline rather than read it at once.
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!node.node.isConnected() && System.nanoTime() - deadline < 0) {
        Thread.sleep(10); // the state is the loop thread's: polling with a deadline
      }
      assertTrue(node.node.isConnected(), "connected within 10 s of the backlog's arrival");
      assertEquals(2, node.node.connectionCount(), "one reconnect");
    }
  }

  /** Waits until the node's loop has read {@code scaled} (hundredths of °C) on the temperature channel. */
  private static void awaitRead(RunningNode node, long scaled) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    long latest;
    while ((latest = node.latestReading(TEMPERATURE)) != scaled) {
      assertTrue(System.nanoTime() - deadline < 0, "the node kept sampling: " + scaled + " not read, latest "
          + latest);
      Thread.sleep(10); // the reads are the loop thread's: polling with a deadline
    }
  }

  private static boolean near(Subscriber.Received r, double celsius) {
    return Math.abs(Double.parseDouble(r.payload()) - celsius) < 0.05;
  }
}
