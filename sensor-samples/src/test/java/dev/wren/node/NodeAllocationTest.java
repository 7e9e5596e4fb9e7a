package dev.wren.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttConfig;
import dev.wren.mqtt.PublishProperties;
import dev.wren.mqtt.testing.AllocationMeter;
import dev.wren.mqtt.testing.MosquittoExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The steady loop (read sensors, format, publish QoS 1 through the journal, drain input edges, switch relays on
 * commands, poll) allocates nothing on the loop thread in the steady state ({@link
 * AllocationMeter#assertSteadyStateAllocatesNothing} over rounds of {@value #PASSES_PER_ROUND} passes) against a real
 * broker while other clients send relay commands (every other one with a Response Topic, which the node answers)
 * and another thread toggles an input.
 * The relay command log (one INFO line per command, formatted by slf4j-simple) is switched off for the measurement.
 * The module's surefire runs it under C1 only ({@code -XX:TieredStopAtLevel=1}, as the systemd unit runs the
 * node): no escape analysis hides an allocation; see the pom for what the default tiered JIT adds.
 */
@Timeout(120)
class NodeAllocationTest {
  @RegisterExtension
  static final MosquittoExtension BROKER = new MosquittoExtension();

  private static final int WARM_UP_PASSES = 3_000;
  private static final int PASSES_PER_ROUND = 1_000;

  @Test
  void steadyLoopAllocatesZeroBytes(@TempDir Path dir) throws Exception {
    // The journal as deployed (on, every record forced): each published reading is appended to it.
    assertLoopAllocatesNothing(RunningNode.withJournal(NodeEndToEndTest.YAML, dir.resolve("node.journal")),
        BROKER.uri(), null);
  }

  /**
   * With the journal off each reading goes straight into the window and out, where client-core sets up and uses
   * the topic aliases: the aliased publishes allocate nothing either.
   */
  @Test
  void steadyLoopWithTopicAliasesAllocatesZeroBytes() throws Exception {
    try (PublishTap tap = new PublishTap(BROKER.host(), BROKER.port())) {
      assertLoopAllocatesNothing(NodeEndToEndTest.YAML + "journal:\n  enabled: false\n", tap.uri(), tap);
    }
  }

  /**
   * Measures the loop of a node on {@code yaml} connected to {@code brokerUri}; with a {@code tap} on that
   * connection, also that the rounds sent PUBLISHes by their topic alias alone.
   */
  private static void assertLoopAllocatesNothing(String yaml, String brokerUri, PublishTap tap) throws Exception {
    String room = RunningNode.freshRoom();
    String prefix = "home/" + room;
    NodeConfig config = NodeConfig.parse(yaml
            .replace("ROOM", room).replace("BROKER", brokerUri)
            .replace("loop_period: 10ms", "loop_period: 1ms")
            // Deadband 0: every drift of the simulated room is published, so publishing is measured too.
            .replace("deadband: 0.5", "deadband: 0").replace("deadband: 10", "deadband: 0"),
        "allocation.yaml", Path.of(".")).withSimulate(true);
    Node node = Node.create(config);
    // Each relay command is logged at INFO, and a log line allocates: the claim is about the loop around it.
    node.commandLog(org.slf4j.helpers.NOPLogger.NOP_LOGGER);
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger received = new AtomicInteger();
    AtomicInteger replies = new AtomicInteger();
    Thread peer = new Thread(() -> commandAndWatch(prefix, node, running, received, replies), "peer");
    try {
      for (int i = 0; i < WARM_UP_PASSES; i++) {
        node.step();
      }
      assertTrue(node.isConnected(), "connected during warm-up");
      peer.start();
      int receivedBefore = received.get();
      int repliesBefore = replies.get();
      int framesBefore = tap == null ? 0 : tap.frames().size();
      AllocationMeter.assertSteadyStateAllocatesNothing("node loop passes on the loop thread", PASSES_PER_ROUND, n -> {
        for (int i = 0; i < n; i++) {
          node.step();
        }
      });
      int messages = received.get() - receivedBefore;
      System.out.printf("node loop: %d messages seen by a peer during the rounds%n", messages);
      assertTrue(messages > 10, "the rounds published and switched: " + messages + " messages");
      int answered = replies.get() - repliesBefore;
      assertTrue(answered > 2, "the rounds answered commands on their response topic: " + answered + " replies");
      assertEquals(1, node.connectionCount(), "no reconnect during the measurement");
      if (tap != null) {
        long aliased = tap.frames().stream().skip(framesBefore).filter(f -> f.alias() > 0 && f.topicSent() == 0)
            .count();
        assertTrue(aliased > 10, "the rounds sent by topic alias alone: " + aliased + " PUBLISHes");
      }
    } finally {
      running.set(false);
      peer.join(5_000);
      node.close();
    }
  }

  /**
   * Sends ON/OFF every 20 ms, every other one at MQTT 5.0 with a Response Topic and Correlation Data (the node
   * replies), toggles the motion input, and counts what the node publishes and the replies among it.
   */
  private static void commandAndWatch(String prefix, Node node, AtomicBoolean running, AtomicInteger received,
      AtomicInteger replies) {
    String replyTopic = prefix + "/replies";
    MqttClient requester = new MqttClient(MqttConfig.builder().serverUri(BROKER.uri())
        .clientId("requester-" + prefix.replace('/', '_')).protocolVersion(MqttConfig.MQTT_5).build());
    PublishProperties request = new PublishProperties(64);
    try (Subscriber peer = new Subscriber(BROKER.uri(), prefix + "/#")) {
      requester.connect();
      boolean on = false;
      int count = 0;
      while (running.get()) {
        on = !on;
        byte[] command = (on ? "ON" : "OFF").getBytes(StandardCharsets.US_ASCII);
        if (++count % 2 == 0) {
          byte[] correlation = ("command-" + count).getBytes(StandardCharsets.US_ASCII);
          request.clear().responseTopic(replyTopic).correlationData(correlation, 0, correlation.length);
          requester.publish(prefix + "/lights/set", command, 0, command.length, 1, false, request);
          requester.awaitInflight(5_000);
        } else {
          peer.publish(prefix + "/lights/set", on ? "ON" : "OFF", false);
        }
        node.hardware().inputLines[0].set(on);
        peer.collectFor(20);
        received.set(peer.all().size());
        replies.set(peer.on(replyTopic).size());
      }
    } catch (Exception e) {
      if (running.get()) {
        throw new AssertionError("peer failed", e);
      }
    } finally {
      requester.close();
    }
  }
}
