package dev.wren.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wren.device.gpio.Relay;
import dev.wren.mqtt.testing.Packets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12's end-to-end proof: a broker on a real socket delivers relay commands, then trickles an oversize PUBLISH
 * (268,435,455 bytes announced, one byte every 200 ms) for as long as the test runs. The node's loop keeps ticking
 * through it (client-core's {@code poll} returns by its timeout and the drain goes on at the next one): the relay
 * with a {@code max_on} is switched off by the loop's max-on enforcement on time, the relay without one stays on
 * (the watchdog had no stall to act on), and a stop (what SIGTERM does) finishes the loop within
 * {@link NodeMain#STOP_TIMEOUT_MILLIS} with every relay held safe, {@code offline} published and DISCONNECT sent.
 * Rules about time are the watchdog's and the relay's own, proven with injected clocks (WatchdogTest, the relay's
 * tests); this test checks order and generous real-time bounds.
 */
@Timeout(90)
class NodeTrickleTest {
  private static final String YAML = """
      node:
        room: ROOM
        loop_period: 20ms
      broker:
        url: BROKER
        protocol: 3.1.1 # the scripted broker answers every CONNECT with a 3.1.1 CONNACK
        keep_alive: 60s
        connect_timeout: 5s
        reconnect: { min_delay: 100ms, max_delay: 400ms }
      discovery:
        enabled: false
      sensors:
        - { type: bme280, interval: 100ms }
      relays:
        - { name: lights, pin: 17, max_on: 2s }
        - { name: fan, pin: 22 }
      """;
  private static final long MAX_ON_MILLIS = 2_000;
  /** Slack for a busy machine on top of each bound: orders of magnitude above what the work takes. */
  private static final long SLACK_MILLIS = 10_000;

  private final String room = RunningNode.freshRoom();

  @Test
  void relayGoesOffAtItsMaxOnAndStopFinishesWithinItsBoundWhileAnOversizeMessageTricklesIn() throws Exception {
    try (LogTap log = new LogTap(); ScriptedSocketBroker broker = new ScriptedSocketBroker()) {
      RunningNode node = RunningNode.start(YAML, room, broker.uri());
      try {
        String lights = node.topic("lights");
        String fan = node.topic("fan");
        Relay lightsRelay = node.node.hardware().relays[0];
        Relay fanRelay = node.node.hardware().relays[1];

        // Announced: both states published after the command subscriptions were made.
        broker.awaitPublish(lights, "OFF", 0, SLACK_MILLIS);
        broker.awaitPublish(fan, "OFF", 0, SLACK_MILLIS);
        int mark = broker.received().size();
        broker.send(Packets.publish(lights + "/set", "ON", 0, false, false, 0));
        broker.send(Packets.publish(fan + "/set", "ON", 0, false, false, 0));
        broker.awaitPublish(lights, "ON", mark, SLACK_MILLIS);
        broker.awaitPublish(fan, "ON", mark, SLACK_MILLIS);
        assertTrue(lineHigh(node, 0) && lineHigh(node, 1), "both commands obeyed");
        long lightsOnSince = lightsRelay.onSinceNanos();

        broker.startTrickle();
        long trickleStart = System.nanoTime();
        int afterTrickle = broker.received().size();
        broker.awaitState("the trickle under way", b -> b.trickledBytes() >= 2, SLACK_MILLIS);

        // (a) The loop's max-on enforcement switches the lights off, and publishes it, while the bytes trickle in.
        ScriptedSocketBroker.Received off = broker.awaitPublish(lights, "OFF", afterTrickle,
            MAX_ON_MILLIS + SLACK_MILLIS);
        long onForMillis = TimeUnit.NANOSECONDS.toMillis(off.atNanos() - lightsOnSince);
        assertFalse(lineHigh(node, 0), "lights line low");
        assertEquals(1, lightsRelay.maxOnTimeOffCount(), "switched off by the max_on enforcement");
        assertTrue(onForMillis >= MAX_ON_MILLIS, "not before its max_on: off after " + onForMillis + " ms");
        assertTrue(onForMillis < MAX_ON_MILLIS + SLACK_MILLIS, "off after " + onForMillis + " ms");
        log.await("the max_on line", l -> l.contains("relay lights switched off: on longer than its max_on"),
            SLACK_MILLIS);
        int trickledAtOff = broker.trickledBytes();
        assertTrue(trickledAtOff > 0, "the trickle had begun before the relay went off");

        // The loop never stalled: the watchdog, which would have put the fan safe too, had nothing to do.
        assertTrue(lineHigh(node, 1), "fan still on as commanded");
        assertEquals(1, fanRelay.switchCount(), "fan switched once (on), never by the watchdog");
        assertTrue(log.lines().stream().noneMatch(l -> l.contains("node loop has not run")), "watchdog tripped: "
            + log.lines());

        // The trickle goes on over the same connection, which the client keeps (bytes keep coming).
        broker.awaitState("more bytes trickled after the relay went off",
            b -> b.trickledBytes() >= trickledAtOff + 2, SLACK_MILLIS);
        assertEquals(1, broker.connections());
        assertFalse(broker.clientClosed(), "the client kept the connection");
        assertTrue(node.node.isConnected());

        // (b) SIGTERM's path: relays safe at once, the loop publishes the states and offline, DISCONNECT.
        int beforeStop = broker.received().size();
        long stopStart = System.nanoTime();
        boolean finished = node.node.stopWithin(NodeMain.STOP_TIMEOUT_MILLIS);
        long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopStart);
        assertTrue(finished, "the loop finished within " + NodeMain.STOP_TIMEOUT_MILLIS + " ms");
        assertFalse(lineHigh(node, 0) || lineHigh(node, 1), "both relay lines low");
        assertTrue(lightsRelay.isHeldSafe() && fanRelay.isHeldSafe(), "held safe");
        broker.awaitPublish(fan, "OFF", beforeStop, SLACK_MILLIS);
        broker.awaitPublish(node.config.statusTopic(), "offline", beforeStop, SLACK_MILLIS);
        broker.await("DISCONNECT", beforeStop, r -> r.type() == 14, SLACK_MILLIS);
        assertTrue(broker.trickledBytes() > trickledAtOff, "still trickling when the node stopped");
        System.out.printf("trickle: lights off %d ms after ON (max_on %d ms), %d bytes trickled meanwhile;"
            + " stop took %d ms (bound %d ms), %d s of trickle in all%n", onForMillis, MAX_ON_MILLIS, trickledAtOff,
            stopMillis, NodeMain.STOP_TIMEOUT_MILLIS,
            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - trickleStart));
      } finally {
        node.close();
      }
    }
  }

  /** The simulated relay line's level (volatile), read directly, also when the loop is gone. */
  private static boolean lineHigh(RunningNode node, int relay) {
    return node.node.hardware().relayLines[relay].levelHigh();
  }
}
