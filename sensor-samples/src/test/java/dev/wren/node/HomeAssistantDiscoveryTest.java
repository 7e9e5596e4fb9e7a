package dev.wren.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class HomeAssistantDiscoveryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> COMMON_KEYS = List.of("name", "unique_id", "default_entity_id", "state_topic",
      "availability_topic", "payload_available", "payload_not_available", "device");

  @Test
  void exampleAnnouncesThreeSensorsAndOneSwitchOnTheDiscoveryTopics() {
    List<HomeAssistantDiscovery.Message> messages = HomeAssistantDiscovery.build(NodeConfig.example(), "1.2.3");

    assertEquals(List.of(
        "homeassistant/sensor/wren_living_room/temperature/config",
        "homeassistant/sensor/wren_living_room/humidity/config",
        "homeassistant/sensor/wren_living_room/pressure/config",
        "homeassistant/switch/wren_living_room/lights/config"),
        messages.stream().map(HomeAssistantDiscovery.Message::topic).toList());
  }

  @Test
  void sensorConfigCarriesClassUnitAndAvailability() throws Exception {
    JsonNode t = parse(HomeAssistantDiscovery.build(NodeConfig.example(), "1.2.3").get(0));

    for (String key : COMMON_KEYS) {
      assertTrue(t.has(key), key);
    }
    assertFalse(t.has("object_id"), "object_id is deprecated since HA 2025.10");
    assertEquals("wren_living_room_temperature", t.get("unique_id").asText());
    assertEquals("sensor.wren_living_room_temperature", t.get("default_entity_id").asText());
    assertEquals("home/living_room/temperature", t.get("state_topic").asText());
    assertEquals("home/living_room/status", t.get("availability_topic").asText());
    assertEquals("temperature", t.get("device_class").asText());
    assertEquals("measurement", t.get("state_class").asText());
    assertEquals("°C", t.get("unit_of_measurement").asText());
    assertEquals("wren_living_room", t.get("device").get("identifiers").get(0).asText());
    assertEquals("1.2.3", t.get("device").get("sw_version").asText());
  }

  @Test
  void switchConfigCommandsOnTheSetTopicWithoutRetain() throws Exception {
    JsonNode s = parse(HomeAssistantDiscovery.build(NodeConfig.example(), "1.2.3").get(3));

    assertEquals("switch.wren_living_room_lights", s.get("default_entity_id").asText());
    assertEquals("home/living_room/lights/set", s.get("command_topic").asText());
    assertEquals("home/living_room/lights", s.get("state_topic").asText());
    assertEquals("ON", s.get("payload_on").asText());
    assertEquals("OFF", s.get("payload_off").asText());
    assertFalse(s.get("retain").asBoolean());
  }

  @Test
  void inputBecomesABinarySensorWithItsDeviceClass() throws Exception {
    NodeConfig c = NodeConfig.parse("node: {room: hall}\ninputs:\n  - {name: motion, pin: 27, device_class: motion}\n",
        "t.yaml", Path.of("."));

    HomeAssistantDiscovery.Message m = HomeAssistantDiscovery.build(c, "x").get(0);
    JsonNode b = parse(m);

    assertEquals("homeassistant/binary_sensor/wren_hall/motion/config", m.topic());
    assertEquals("motion", b.get("device_class").asText());
    assertEquals("ON", b.get("payload_on").asText());
    assertEquals("Hall", b.get("device").get("suggested_area").asText());
  }

  @Test
  void everyConfigNamesWrenAsItsOriginWithTheVersionAndKeepsItsOwnEntity() throws Exception {
    NodeConfig c = NodeConfig.parse("node: {room: hall}\ninputs:\n  - {name: motion, pin: 27}\n"
        + "relays:\n  - {name: fan, pin: 5}\nsensors:\n  - {type: bh1750}\n", "t.yaml", Path.of("."));

    List<HomeAssistantDiscovery.Message> messages = HomeAssistantDiscovery.build(c, "1.2.3");

    assertEquals(3, messages.size(), "per-entity discovery: one config per reading, input and relay");
    for (HomeAssistantDiscovery.Message m : messages) {
      JsonNode config = parse(m);
      JsonNode origin = config.get("origin");
      assertTrue(origin != null && origin.isObject(), m.topic() + ": " + config);
      assertEquals("Wren", origin.get("name").asText(), m.topic());
      assertEquals("1.2.3", origin.get("sw_version").asText(), m.topic());
      // The project publishes no README URL yet: HA's support_url is left out rather than invented.
      assertFalse(origin.has("support_url"), m.topic() + ": " + origin);
      assertTrue(config.get("default_entity_id").asText().endsWith(".wren_hall_" + m.topic().split("/")[3]),
          m.topic() + ": " + config);
    }
  }

  @Test
  void deviceSchemaSendsOneConfigWithEveryEntityUnderCmpsAndTheSharedPartsOnce() throws Exception {
    NodeConfig c = NodeConfig.parse("node: {room: hall}\ndiscovery: {schema: device}\n"
        + "inputs:\n  - {name: motion, pin: 27, device_class: motion}\n"
        + "relays:\n  - {name: fan, pin: 5}\nsensors:\n  - {type: bh1750}\n", "t.yaml", Path.of("."));

    List<HomeAssistantDiscovery.Message> messages = HomeAssistantDiscovery.build(c, "1.2.3");

    assertEquals(1, messages.size(), "device discovery: one config for the node");
    assertEquals("homeassistant/device/wren_hall/config", messages.get(0).topic());
    JsonNode root = parse(messages.get(0));
    assertEquals("wren_hall", root.get("dev").get("identifiers").get(0).asText());
    assertEquals("Wren", root.get("o").get("name").asText());
    assertEquals("1.2.3", root.get("o").get("sw_version").asText());
    assertEquals("home/hall/status", root.get("availability_topic").asText());
    assertEquals("offline", root.get("payload_not_available").asText());
    assertEquals(1, root.get("qos").asInt());
    JsonNode cmps = root.get("cmps");
    assertEquals(List.of("wren_hall_illuminance", "wren_hall_motion", "wren_hall_fan"), fieldNames(cmps));
    assertEquals("sensor", cmps.get("wren_hall_illuminance").get("p").asText());
    assertEquals("lx", cmps.get("wren_hall_illuminance").get("unit_of_measurement").asText());
    assertEquals("binary_sensor", cmps.get("wren_hall_motion").get("p").asText());
    assertEquals("motion", cmps.get("wren_hall_motion").get("device_class").asText());
    JsonNode fan = cmps.get("wren_hall_fan");
    assertEquals("switch", fan.get("p").asText());
    assertEquals("home/hall/fan/set", fan.get("command_topic").asText());
    assertEquals("switch.wren_hall_fan", fan.get("default_entity_id").asText());
    for (JsonNode component : cmps) {
      assertTrue(component.hasNonNull("unique_id"), component.toString()); // HA requires it per component
      assertTrue(component.hasNonNull("state_topic"), component.toString());
      assertFalse(component.has("device") || component.has("origin"), "shared once at the root: " + component);
    }
    // The node is the device; a via_device naming itself would make HA show it as its own hub.
    assertFalse(new String(messages.get(0).payload(), java.nio.charset.StandardCharsets.UTF_8).contains("via_device"));
  }

  @Test
  void perEntityIsTheDefaultSchemaAndNeverNamesAViaDevice() throws Exception {
    for (HomeAssistantDiscovery.Message m : HomeAssistantDiscovery.build(NodeConfig.example(), "1.2.3")) {
      assertFalse(m.topic().startsWith("homeassistant/device/"), m.topic());
      assertFalse(parse(m).get("device").has("via_device"), m.topic());
    }
  }

  @Test
  void nodeAnnouncesTheProjectVersion() {
    assertTrue(NodeMain.version().matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), NodeMain.version());
    assertEquals(NodeMain.version(), Node.softwareVersion());
  }

  @Test
  void quotesAndControlCharactersAreEscaped() throws Exception {
    String quoted = HomeAssistantDiscovery.Json.quote("a\"b\\c\n\u0001");

    assertEquals("a\"b\\c\n\u0001", JSON.readTree(quoted).asText());
  }

  private static List<String> fieldNames(JsonNode object) {
    List<String> names = new java.util.ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static JsonNode parse(HomeAssistantDiscovery.Message m) throws Exception {
    return JSON.readTree(m.payload());
  }
}
