package dev.wren.node;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wren.mqtt.testing.FaultProxy;
import dev.wren.mqtt.testing.MosquittoExtension;
import dev.wren.mqtt.testing.TestCertificates;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A broker that stops answering while a relay is on.
 *
 * <p>Over TLS the node's loop gets stuck in the network: its reconnect's TLS handshake, which blocking sockets cannot
 * resume, waits for a server hello that never comes, up to a 60 s connect timeout. The watchdog still puts the relay
 * in its safe state within its bound, and a stop (what SIGTERM does) returns within its bound with the relay held
 * safe. Over plain TCP the loop does not get stuck at all: the client's CONNACK wait goes on across polls, so the loop
 * keeps its ticks and the relay keeps its commanded state (no false trip).
 */
@Timeout(90)
class NodeStallTest {
  private static final TestCertificates PKI = TestCertificates.get();

  @RegisterExtension
  static final MosquittoExtension BROKER = MosquittoExtension.builder()
      .extraListener("mtls", PKI.listenerLines(PKI.serverPem, PKI.serverKey, "require_certificate true"))
      .build();

  private static final String YAML = """
      node:
        room: ROOM
        loop_period: 10ms
      broker:
        url: BROKER
        keep_alive: 30s
        connect_timeout: 60s
        reconnect: { min_delay: 100ms, max_delay: 400ms }
      discovery:
        enabled: false
      sensors:
        - { type: bme280, interval: 100ms }
      relays:
        - { name: lights, pin: 17 }
      """;
  private static final String TLS = """
        tls:
          ca_file: %s
          cert_file: %s
          key_file: %s
      """.formatted(PKI.caPem, PKI.clientEcPem, PKI.clientEcKey);
  /** Slack for a busy machine on top of each bound: orders of magnitude above what the work takes. */
  private static final long SLACK_MILLIS = 5_000;

  private final String room = RunningNode.freshRoom();
  private final String lights = "home/" + room + "/lights";

  @Test
  void relayGoesSafeWithinTheBoundAndStopReturnsWithinItsBoundWhileATlsHandshakeHangs() throws Exception {
    String yaml = YAML.replace("  reconnect:", TLS + "  reconnect:");
    try (FaultProxy proxy = FaultProxy.start(BROKER.host(), BROKER.port("mtls"), 80_000)) {
      RunningNode node = RunningNode.start(yaml, room, "ssl://localhost:" + proxy.port());
      try {
        switchOn(node);

        // The broker stops answering: the connection is reset, and the reconnect's TCP connect is accepted but its
        // TLS handshake never answered, so the loop waits in the open (60 s). The watchdog does not wait for it.
        proxy.mode(FaultProxy.Mode.BLACK_HOLE);
        long stallNanos = System.nanoTime();
        proxy.cut();
        long bound = TimeUnit.NANOSECONDS.toMillis(Watchdog.boundNanos(TimeUnit.MILLISECONDS.toNanos(10)));
        // The loop notices the reset within a tick, waits at most max_delay (400 ms) before the attempt, then
        // the watchdog trips within 1.25 bounds.
        awaitTrue("relay safe while the broker does not answer", () -> !lineHigh(node),
            400 + bound * 5 / 4 + SLACK_MILLIS);
        long safeAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stallNanos);
        assertFalse(node.node.isConnected());
        assertTrue(node.loopAlive());
        System.out.printf("relay safe %d ms after the broker stopped answering (watchdog bound %d ms)%n",
            safeAfterMillis, bound);

        long stopStart = System.nanoTime();
        boolean finished = node.node.stopWithin(NodeMain.STOP_TIMEOUT_MILLIS);
        long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopStart);
        assertFalse(finished, "the loop is still waiting for the TLS handshake");
        assertTrue(stopMillis < NodeMain.STOP_TIMEOUT_MILLIS + SLACK_MILLIS, "stop took " + stopMillis + " ms");
        assertFalse(lineHigh(node), "held safe");
        assertTrue(node.node.hardware().relays[0].isHeldSafe());
        System.out.printf("stop returned after %d ms with the loop stuck (bound %d ms)%n", stopMillis,
            NodeMain.STOP_TIMEOUT_MILLIS);
      } finally {
        proxy.close(); // resets the unanswered connection: the loop's attempt fails and the loop ends
        node.close();
      }
    }
  }

  @Test
  void loopKeepsRunningAndTheRelayItsStateWhileAConnackNeverComes() throws Exception {
    try (FaultProxy proxy = FaultProxy.start(BROKER.host(), BROKER.port(), 80_000)) {
      try (RunningNode node = RunningNode.start(YAML, room, "tcp://" + proxy.host() + ":" + proxy.port())) {
        switchOn(node);
        proxy.mode(FaultProxy.Mode.BLACK_HOLE);
        proxy.cut();
        // The reconnect is accepted and its CONNECT never answered (60 s connect timeout): the client waits for
        // the CONNACK across polls, so the loop goes on. Proven by the loop running tasks while the attempt waits.
        awaitTrue("a reconnect attempt under way", () -> proxy.acceptedCount() >= 2, 10_000 + SLACK_MILLIS);
        for (int i = 0; i < 3; i++) {
          assertTrue(node.relayLineHigh(0), "read on the loop thread while the attempt waits");
        }
        assertFalse(node.node.isConnected());
        assertTrue(lineHigh(node), "no safe state without a reason: the loop is alive and no on-time limit is set");
        assertFalse(node.node.hardware().relays[0].isHeldSafe());
        assertTrue(node.node.stopWithin(NodeMain.STOP_TIMEOUT_MILLIS), "a stop ends the loop: nothing is stuck");
      }
    }
  }

  private void switchOn(RunningNode node) throws Exception {
    try (Subscriber sub = new Subscriber(BROKER.uri(), lights)) {
      sub.await(lights, "OFF", 10_000);
      sub.publish(lights + "/set", "ON", false);
      sub.await(lights, "ON", 10_000);
    }
    assertTrue(lineHigh(node), "the command switched the relay on");
  }

  /** The simulated relay line's level, read directly: the loop thread is stuck and cannot run a task. */
  private static boolean lineHigh(RunningNode node) {
    return node.node.hardware().relayLines[0].levelHigh();
  }

  private static void awaitTrue(String what, BooleanSupplier condition, long timeoutMillis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(what + ": not within " + timeoutMillis + " ms");
      }
      Thread.onSpinWait();
      try {
        Thread.sleep(5); // polling a condition with a deadline, not a fixed wait
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
