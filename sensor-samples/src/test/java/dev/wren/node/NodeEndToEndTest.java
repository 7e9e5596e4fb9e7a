package dev.wren.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wren.mqtt.testing.MosquittoExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The node in-process with simulated IO against a real mosquitto, observed through a second MQTT client. */
@Timeout(60)
@SuppressWarnings("try") // a try-with-resources node runs for its block even where the block never names it
class NodeEndToEndTest {
  @RegisterExtension
  static final MosquittoExtension BROKER = new MosquittoExtension();

  /** Short intervals so the behaviour shows within a second or two. */
  static final String YAML = """
      node:
        room: ROOM
        loop_period: 10ms
      broker:
        url: BROKER
        keep_alive: 5s
        reconnect: { min_delay: 100ms, max_delay: 400ms }
      sensors:
        - type: bme280
          interval: 100ms
          heartbeat: 1s
          readings:
            temperature: { deadband: 0.5 }
            humidity: { deadband: 10 }
            pressure: { deadband: 10 }
      inputs:
        - { name: motion, pin: 27, device_class: motion }
      relays:
        - { name: lights, pin: 17 }
      """;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String room = RunningNode.freshRoom();
  private final String prefix = "home/" + room;

  @Test
  void subscriberConnectingAfterTheNodeGetsRetainedReadingsAndOnline() throws Exception {
    try (RunningNode node = start(YAML); Subscriber early = subscribe(prefix + "/#")) {
      // Everything the late subscriber should get retained is out first: readings taken before the connection
      // went out of the journal ahead of "online", and a busy machine can hold the node between two publishes.
      early.await(prefix + "/status", "online", 10_000);
      for (String reading : new String[] {"temperature", "humidity", "pressure"}) {
        early.await(reading, r -> r.topic().equals(prefix + "/" + reading), 10_000);
      }

      try (Subscriber late = subscribe(prefix + "/#")) {
        Subscriber.Received status = late.await(prefix + "/status", "online", 10_000);
        Subscriber.Received t = late.await("temperature", r -> r.topic().equals(prefix + "/temperature"), 10_000);
        Subscriber.Received h = late.await("humidity", r -> r.topic().equals(prefix + "/humidity"), 10_000);
        Subscriber.Received p = late.await("pressure", r -> r.topic().equals(prefix + "/pressure"), 10_000);

        assertTrue(status.retain() && t.retain() && h.retain() && p.retain(), late.all().toString());
        assertTrue(t.payload().matches("-?\\d{1,2}\\.\\d{2}"), "temperature, 2 decimals: " + t.payload());
        assertTrue(h.payload().matches("\\d{1,3}\\.\\d"), "humidity, 1 decimal: " + h.payload());
        assertTrue(p.payload().matches("\\d{3,4}\\.\\d{2}"), "pressure in hPa, 2 decimals: " + p.payload());
        double celsius = Double.parseDouble(t.payload());
        assertTrue(celsius > 10 && celsius < 35, "a plausible room: " + celsius);
      }
    }
  }

  @Test
  void onCommandSwitchesTheRelayAndTheRetainedStateFollows() throws Exception {
    String lights = prefix + "/lights";
    try (RunningNode node = start(YAML); Subscriber sub = subscribe(prefix + "/#")) {
      sub.await(lights, "OFF", 10_000);
      assertFalse(node.relayLineHigh(0), "safe state off at start");

      sub.publish(lights + "/set", "on", false);

      sub.await(lights, "ON", 10_000);
      assertTrue(node.relayLineHigh(0), "the simulated line was driven high");
      try (Subscriber late = subscribe(lights)) {
        Subscriber.Received state = late.await(lights, "ON", 10_000);
        assertTrue(state.retain(), "the state is retained");
      }

      sub.publish(lights + "/set", "TOGGLE", false);
      sub.await("OFF after TOGGLE", r -> r.topic().equals(lights) && r.payload().equals("OFF")
          && sub.on(lights).indexOf(r) > 1, 10_000);
      assertFalse(node.relayLineHigh(0));

      sub.publish(lights + "/set", "bright please", false);
      sub.collectFor(300);
      assertEquals(3, sub.on(lights).size(), "an invalid command switches nothing: " + sub.on(lights));
      assertFalse(node.relayLineHigh(0));
    }
  }

  @Test
  void retainedOnCommandIsIgnored() throws Exception {
    String lights = prefix + "/lights";
    try (Subscriber sub = subscribe(prefix + "/#")) {
      sub.publish(lights + "/set", "ON", true);
      try (RunningNode node = start(YAML)) {
        sub.await(prefix + "/status", "online", 10_000);
        sub.await(lights, "OFF", 10_000);
        sub.collectFor(500);

        assertFalse(node.relayLineHigh(0), "a retained ON must not switch the relay");
        assertTrue(sub.on(lights).stream().allMatch(r -> r.payload().equals("OFF")), sub.on(lights).toString());
        assertEquals(1, node.relayTransitions(0), "only the safe-state write");
      } finally {
        sub.publish(lights + "/set", "", true);
      }
    }
  }

  /**
   * The deadband and heartbeat as a user sees them, on the real clock: the rules' exact times are ReadingTableTest's
   * (injected time); here each wait is at least what the rule demands (load only lengthens waits) and seconds at most.
   */
  @Test
  void deadbandHoldsSmallMovesUntilTheHeartbeat() throws Exception {
    String temperature = prefix + "/temperature";
    try (RunningNode node = start(YAML); Subscriber sub = subscribe(temperature)) {
      node.onLoop(h -> {
        h.environment.hold(21.0, 45, 101_325, 100);
        return null;
      });
      Subscriber.Received first = sub.await("21 °C", r -> near(r, 21.0), 10_000);
      Subscriber.Received beat = sub.await("heartbeat", r -> r.atNanos() > first.atNanos() && near(r, 21.0), 10_000);
      long beatMillis = (beat.atNanos() - first.atNanos()) / 1_000_000;
      assertTrue(beatMillis >= 900, "unchanged value repeated after the 1 s heartbeat, not before: " + beatMillis);

      // +0.3 °C is inside the 0.5 °C deadband: nothing until the next heartbeat, which carries it.
      node.onLoop(h -> {
        h.environment.hold(21.3, 45, 101_325, 100);
        return null;
      });
      Subscriber.Received small = sub.await("21.3 °C", r -> near(r, 21.3), 10_000);
      long smallMillis = (small.atNanos() - beat.atNanos()) / 1_000_000;
      assertTrue(smallMillis >= 900, "a move within the deadband waits for the heartbeat: " + smallMillis + " ms");
    }
  }

  /** With a 60 s heartbeat, a move beyond the deadband arriving within seconds was not held for the heartbeat. */
  @Test
  void moveBeyondTheDeadbandGoesOutAtTheNextReadNotAtTheHeartbeat() throws Exception {
    String temperature = prefix + "/temperature";
    try (RunningNode node = start(YAML.replace("heartbeat: 1s", "heartbeat: 60s"));
         Subscriber sub = subscribe(temperature)) {
      Subscriber.Received first = sub.await("a first temperature", r -> true, 10_000);
      // +5 °C from it is far outside the 0.5 °C deadband: published at the next read (100 ms).
      double moved = Double.parseDouble(first.payload()) + 5;
      node.onLoop(h -> {
        h.environment.hold(moved, 45, 101_325, 100);
        return null;
      });
      Subscriber.Received large = sub.await(moved + " °C", r -> near(r, moved), 20_000);
      long largeMillis = (large.atNanos() - first.atNanos()) / 1_000_000;
      System.out.printf("move beyond the deadband published %d ms after the first reading%n", largeMillis);
      assertTrue(largeMillis < 30_000, "a move beyond the deadband goes out well before the 60 s heartbeat: "
          + largeMillis + " ms");
    }
  }

  @Test
  void brokerRestartedUnderTheNodeSeesItComeBackOnlineByItself() throws Exception {
    try (RunningNode node = start(YAML)) {
      try (Subscriber sub = subscribe(prefix + "/status")) {
        sub.await(prefix + "/status", "online", 10_000);
      }

      BROKER.kill();
      BROKER.start();

      try (Subscriber sub = subscribe(prefix + "/status")) {
        sub.await(prefix + "/status", "online", 10_000);
      }
      try (Subscriber late = subscribe(prefix + "/#")) {
        assertTrue(late.await(prefix + "/status", "online", 5_000).retain(), "republished retained on the new broker");
        // Live or retained: this subscriber may have subscribed before the node republished its readings.
        late.await("temperature again", r -> r.topic().equals(prefix + "/temperature"), 10_000);
        late.await(prefix + "/lights", "OFF", 10_000);
      }
      try (Subscriber later = subscribe(prefix + "/temperature")) {
        later.await("temperature retained on the new broker",
            r -> r.topic().equals(prefix + "/temperature") && r.retain(), 10_000);
      }
      assertTrue(node.node.connectionCount() >= 2, "connections: " + node.node.connectionCount());
    }
  }

  @Test
  void discoveryConfigsParseAsJsonAndComeAgainWhenHomeAssistantStarts() throws Exception {
    String nodeId = "wren_" + room;
    String filter = "homeassistant/+/" + nodeId + "/+/config";
    try (RunningNode node = start(YAML); Subscriber first = subscribe(prefix + "/lights")) {
      first.await(prefix + "/lights", "OFF", 10_000); // the configs went out before the states
      try (Subscriber sub = subscribe(filter, prefix + "/#")) {
        checkDiscoveryConfigs(sub, nodeId);

        int statesBefore = sub.on(prefix + "/lights").size();
        sub.publish("homeassistant/status", "online", false);

        sub.await("the switch config again",
            r -> sub.on("homeassistant/switch/" + nodeId + "/lights/config").size() == 2, 10_000);
        sub.await("the relay state after it", r -> sub.on(prefix + "/lights").size() > statesBefore, 10_000);
      }
    }
  }

  private void checkDiscoveryConfigs(Subscriber sub, String nodeId) throws Exception {
    List<String> expected = List.of("sensor/" + nodeId + "/temperature", "sensor/" + nodeId + "/humidity",
        "sensor/" + nodeId + "/pressure", "binary_sensor/" + nodeId + "/motion", "switch/" + nodeId + "/lights");
    for (String e : expected) {
      String topic = "homeassistant/" + e + "/config";
      Subscriber.Received r = sub.await(topic, m -> m.topic().equals(topic), 10_000);
      JsonNode json = JSON.readTree(r.payload());
      for (String key : List.of("unique_id", "default_entity_id", "device", "availability_topic", "state_topic")) {
        assertTrue(json.hasNonNull(key), e + " lacks " + key + ": " + r.payload());
      }
      assertFalse(json.has("object_id"), e);
      assertTrue(r.retain(), e + " retained");
      assertEquals(prefix + "/status", json.get("availability_topic").asText());
    }
    JsonNode sw = JSON.readTree(sub.on("homeassistant/switch/" + nodeId + "/lights/config").get(0).payload());
    assertEquals(prefix + "/lights/set", sw.get("command_topic").asText());
    JsonNode t = JSON.readTree(sub.on("homeassistant/sensor/" + nodeId + "/temperature/config").get(0).payload());
    assertEquals("°C", t.get("unit_of_measurement").asText());
    assertEquals("measurement", t.get("state_class").asText());
    assertEquals("temperature", t.get("device_class").asText());
  }

  @Test
  void deviceSchemaPublishesOneRetainedConfigForTheNodeAndNoEntityConfigs() throws Exception {
    String yaml = YAML + "discovery:\n  schema: device\n";
    String nodeId = "wren_" + room;
    String deviceTopic = "homeassistant/device/" + nodeId + "/config";
    try (RunningNode node = start(yaml); Subscriber first = subscribe(prefix + "/lights")) {
      first.await(prefix + "/lights", "OFF", 10_000); // the config went out before the states
      try (Subscriber sub = subscribe("homeassistant/+/" + nodeId + "/#")) {
        Subscriber.Received r = sub.await(deviceTopic, m -> m.topic().equals(deviceTopic), 10_000);
        assertTrue(r.retain(), "retained");
        JsonNode cmps = JSON.readTree(r.payload()).get("cmps");
        assertEquals(5, cmps.size(), r.payload());
        assertEquals(prefix + "/lights/set", cmps.get(nodeId + "_lights").get("command_topic").asText());
        sub.publish("homeassistant/status", "online", false);
        sub.await("the device config again", m -> sub.on(deviceTopic).size() == 2, 10_000);

        assertTrue(sub.all().stream().allMatch(m -> m.topic().equals(deviceTopic)), sub.all().toString());
      }
    }
  }

  @Test
  void discoveryCanBeTurnedOff() throws Exception {
    String yaml = YAML + "discovery:\n  enabled: false\n";
    String ownConfigs = "homeassistant/+/wren_" + room + "/+/config";
    try (Subscriber sub = subscribe(ownConfigs, prefix + "/status"); RunningNode node = start(yaml)) {
      sub.await(prefix + "/status", "online", 10_000);
      sub.collectFor(500);

      assertTrue(sub.all().stream().noneMatch(r -> r.topic().startsWith("homeassistant/")), sub.all().toString());
    }
  }

  @Test
  void inputEdgesArePublishedOnAndOff() throws Exception {
    String motion = prefix + "/motion";
    try (RunningNode node = start(YAML); Subscriber sub = subscribe(motion)) {
      sub.await(motion, "OFF", 10_000);

      // The test thread plays Pi4J's GPIO event thread: the input's ring hands the edge to the loop.
      long edgeNanos = System.nanoTime();
      node.node.hardware().inputLines[0].set(true);
      Subscriber.Received on = sub.await(motion, "ON", 10_000);
      // Printed, not asserted: a shared CI machine makes latency a measurement, not a test (debounce 20 ms).
      System.out.printf("input edge to subscriber: %.1f ms%n", (on.atNanos() - edgeNanos) / 1e6);
      node.node.hardware().inputLines[0].set(false);
      sub.await("OFF again", r -> r.payload().equals("OFF") && sub.on(motion).size() >= 3, 10_000);
    }
  }

  @Test
  void secondNodeOnTheSameJournalFileRefusesToStartNamingIt(@TempDir Path dir) throws Exception {
    Path journal = dir.resolve("shared.journal");
    String yaml = RunningNode.withJournal(YAML, journal);
    try (RunningNode node = start(yaml)) {
      NodeStartException e = assertThrows(NodeStartException.class,
          () -> RunningNode.start(atProtocol(yaml), RunningNode.freshRoom(), BROKER.uri()));

      assertTrue(e.getMessage().contains("journal " + journal) && e.getMessage().contains("in use"), e.getMessage());
      assertTrue(node.node.isConnected() || node.loopAlive(), "the first node runs on");
    }
  }

  private static boolean near(Subscriber.Received r, double celsius) {
    return Math.abs(Double.parseDouble(r.payload()) - celsius) < 0.05;
  }

  private RunningNode start(String yaml) throws Exception {
    return RunningNode.start(atProtocol(yaml), room, BROKER.uri());
  }

  /** The configuration as this class runs it: the default ({@code auto}: 5.0 with mosquitto). */
  String atProtocol(String yaml) {
    return yaml;
  }

  private static Subscriber subscribe(String... filters) throws Exception {
    return new Subscriber(BROKER.uri(), filters);
  }
}
