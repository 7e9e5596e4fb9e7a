package dev.wren.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wren.mqtt.MonotonicClock;
import dev.wren.mqtt.testing.MosquittoExtension;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the node logs, read from its real log output (slf4j-simple writes to {@code System.err}, captured here):
 * every relay command at INFO with its topic and the new state; an invalid command every time, at most one line a
 * minute per relay; once per reading, that the deadband holds it back and until when. Rules about time are proven
 * by moving the node's clock, not by waiting.
 */
@Timeout(60)
class NodeLogTest {
  @RegisterExtension
  static final MosquittoExtension BROKER = new MosquittoExtension();

  /** A node without discovery and with a keep-alive far beyond the clock jumps of the tests. */
  private static final String NODE = """
      node:
        room: ROOM
        loop_period: 10ms
      broker:
        url: BROKER
        keep_alive: 600s
      discovery:
        enabled: false
      """;

  private final String room = RunningNode.freshRoom();
  private final String lights = "home/" + room + "/lights";
  /** The node's clock: the system's plus what a test adds to move time on without waiting. */
  private final AtomicLong offsetNanos = new AtomicLong();
  private final MonotonicClock clock = () -> System.nanoTime() + offsetNanos.get();
  /** How long a line may take to be logged: seconds, for a busy machine. */
  private static final long WAIT_MILLIS = 10_000;
  private LogTap log;

  @BeforeEach
  void tapTheLog() {
    log = new LogTap();
  }

  @AfterEach
  void closeTheTap() {
    log.close();
  }

  @Test
  void everyCommandIsLoggedAtInfoAndInvalidOnesAtMostOncePerMinuteWithTheCountLeftOut() throws Exception {
    try (RunningNode node = RunningNode.start(NODE + "relays:\n  - { name: lights, pin: 17 }\n", room, BROKER.uri(),
        clock);
        Subscriber sub = new Subscriber(BROKER.uri(), lights)) {
      sub.await(lights, "OFF", 10_000);

      sub.publish(lights + "/set", "ON", false);
      log.awaitCount("[INFO] Node - relay lights: ON from " + lights + "/set, now ON", 1, WAIT_MILLIS);
      sub.publish(lights + "/set", "toggle", false);
      log.awaitCount("[INFO] Node - relay lights: TOGGLE from " + lights + "/set, now OFF", 1, WAIT_MILLIS);

      for (int i = 0; i < 3; i++) {
        sub.publish(lights + "/set", "blink", false);
      }
      sub.publish(lights + "/set", "ON", false); // handled after the three: their lines are written by then
      log.awaitCount("relay lights: ON from " + lights + "/set, now ON", 2, WAIT_MILLIS);
      assertEquals(1, log.containing("ignoring 'blink' on " + lights + "/set").size(), log.text());

      offsetNanos.addAndGet(Node.INVALID_COMMAND_LOG_NANOS + TimeUnit.SECONDS.toNanos(1));
      sub.publish(lights + "/set", "blink", false);
      String next = log.awaitCount("ignoring 'blink' on " + lights + "/set: expected ON, OFF or TOGGLE (and 2"
          + " more on it since the last such line, not logged: one line per 1m at most)", 1, WAIT_MILLIS);
      assertTrue(next.contains("[WARN]"), next);
      assertEquals(2, log.containing("ignoring 'blink' on " + lights + "/set").size(), log.text());
    }
  }

  @Test
  void deadbandHoldIsSaidOnceWithTheHeartbeatThatEndsIt() throws Exception {
    String yaml = NODE + """
        sensors:
          - type: bme280
            interval: 100ms
            heartbeat: 1m
            readings:
              temperature: { deadband: 40 }
              humidity: { publish: false }
              pressure: { publish: false }
        """;
    String temperature = "home/" + room + "/temperature";
    try (Subscriber sub = new Subscriber(BROKER.uri(), temperature);
        RunningNode node = RunningNode.start(yaml, room, BROKER.uri(), clock)) {
      Subscriber.Received first = sub.await(temperature, r -> true, 10_000);
      String held = log.awaitCount(temperature + ": ", 1, WAIT_MILLIS);
      assertTrue(held.contains("[INFO]"), held);
      assertTrue(held.contains("is within the deadband (40.00 °C) of the last published " + first.payload()
          + " °C: not published until it moves further, or by the heartbeat in 1m at the latest (said once)"), held);

      // Two heartbeats later (the clock moved, nobody waited), each followed by reads the deadband held back: the
      // line is not repeated.
      for (int beat = 1; beat <= 2; beat++) {
        offsetNanos.addAndGet(TimeUnit.SECONDS.toNanos(61));
        int count = beat + 1;
        sub.await("heartbeat " + beat, r -> sub.on(temperature).size() >= count, 10_000);
      }
      // The room keeps drifting (under the 40 °C deadband): a read that differs from the last heartbeat's value
      // was taken, and held back, after it.
      long beatScaled = Math.round(Double.parseDouble(sub.on(temperature).get(2).payload()) * 100);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (node.latestReading(0) == beatScaled) {
        assertTrue(System.nanoTime() - deadline < 0, "no read after the heartbeat within 10 s");
        Thread.sleep(10); // polling a condition with a deadline
      }
      assertEquals(1, log.containing(temperature + ": ").size(), log.text());
    }
  }
}
