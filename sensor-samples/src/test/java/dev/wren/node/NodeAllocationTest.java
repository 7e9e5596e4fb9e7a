package dev.wren.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wren.mqtt.testing.AllocationMeter;
import dev.wren.mqtt.testing.MosquittoExtension;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The steady loop (read sensors, format, publish QoS 1, drain input edges, switch relays on commands, poll)
 * allocates nothing on the loop thread, measured with ThreadMXBean#getThreadAllocatedBytes over thousands of
 * passes against a real broker while another client sends relay commands and another thread toggles an input.
 */
@Timeout(60)
class NodeAllocationTest {
  @RegisterExtension
  static final MosquittoExtension BROKER = new MosquittoExtension();

  private static final int WARM_UP_PASSES = 3_000;
  private static final int MEASURED_PASSES = 3_000;

  @Test
  void steadyLoopAllocatesZeroBytes() throws Exception {
    String room = RunningNode.freshRoom();
    String prefix = "home/" + room;
    NodeConfig config = NodeConfig.parse(NodeEndToEndTest.YAML
            .replace("ROOM", room).replace("BROKER", BROKER.uri())
            .replace("loop_period: 10ms", "loop_period: 1ms")
            // Deadband 0: every drift of the simulated room is published, so publishing is measured too.
            .replace("deadband: 0.5", "deadband: 0").replace("deadband: 10", "deadband: 0"),
        "allocation.yaml", Path.of(".")).withSimulate(true);
    Node node = Node.create(config);
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger received = new AtomicInteger();
    Thread peer = new Thread(() -> commandAndWatch(prefix, node, running, received), "peer");
    try {
      for (int i = 0; i < WARM_UP_PASSES; i++) {
        node.step();
      }
      assertTrue(node.isConnected(), "connected during warm-up");
      peer.start();
      for (int i = 0; i < WARM_UP_PASSES; i++) {
        node.step();
      }
      int receivedBefore = received.get();
      long cost = AllocationMeter.readingCost();

      long before = AllocationMeter.allocatedBytes();
      for (int i = 0; i < MEASURED_PASSES; i++) {
        node.step();
      }
      long allocated = AllocationMeter.allocatedBytes() - before - cost;

      int messages = received.get() - receivedBefore;
      System.out.printf("node loop: %d passes, %d messages seen by a peer, %d bytes allocated on the loop thread%n",
          MEASURED_PASSES, messages, allocated);
      assertTrue(messages > 10, "the measured passes published and switched: " + messages + " messages");
      assertEquals(1, node.connectionCount(), "no reconnect during the measurement");
      assertEquals(0, allocated, "bytes allocated by " + MEASURED_PASSES + " loop passes");
    } finally {
      running.set(false);
      peer.join(5_000);
      node.close();
    }
  }

  /** Sends ON/OFF every 20 ms, toggles the motion input, and counts what the node publishes. */
  private static void commandAndWatch(String prefix, Node node, AtomicBoolean running, AtomicInteger received) {
    try (Subscriber peer = new Subscriber(BROKER.uri(), prefix + "/#")) {
      boolean on = false;
      while (running.get()) {
        on = !on;
        peer.publish(prefix + "/lights/set", on ? "ON" : "OFF", false);
        node.hardware().inputLines[0].set(on);
        peer.collectFor(20);
        received.set(peer.all().size());
      }
    } catch (Exception e) {
      if (running.get()) {
        throw new AssertionError("peer failed", e);
      }
    }
  }
}
