package dev.wren.node;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds the Home Assistant MQTT discovery messages of a node once, at start: one retained config per reading
 * ({@code sensor}), input ({@code binary_sensor}) and relay ({@code switch}) on
 * {@code <prefix>/<component>/<node_id>/<object_id>/config}. Each names its state topic, the node's status
 * topic as availability, and one shared device block, so HA groups the entities under one device.
 *
 * <p>Every config also carries an {@code origin} block (the application that sent it, which HA names in its MQTT
 * discovery log): {@code name} Wren and {@code sw_version} the project version; {@code support_url} is left out
 * because the project publishes no README URL yet. Discovery is per entity by default (one config per topic), which
 * every HA version with discovery and openHAB read; {@code discovery.schema: device} sends HA's device-based single
 * message instead (2024.11 and later), with the device, origin and availability once at its root.
 *
 * <p>Uses {@code default_entity_id} ({@code <component>.<node_id>_<name>}), which replaced the deprecated
 * {@code object_id} in Home Assistant 2025.10. Relays are commanded with {@code retain: false} because the node
 * ignores retained commands.
 */
final class HomeAssistantDiscovery {
  /** The availability and relay payloads, shared with the node so the two cannot drift apart. */
  static final String ONLINE = "online";
  static final String OFFLINE = "offline";
  static final String ON = "ON";
  static final String OFF = "OFF";

  /** One discovery message: a retained config payload (UTF-8 JSON) for its topic. */
  record Message(String topic, byte[] payload) {
  }

  private HomeAssistantDiscovery() {
  }

  /**
   * Every discovery message of {@code config}: per entity (readings first, then inputs, then relays), or the one
   * device message whose {@code cmps} hold the same entities in that order.
   */
  static List<Message> build(NodeConfig config, String softwareVersion) {
    String device = deviceBlock(config, softwareVersion);
    String origin = new Json().field("name", "Wren").field("sw_version", softwareVersion).close();
    List<Entity> entities = entities(config);
    List<Message> messages = new ArrayList<>();
    if (config.discovery().schema() == NodeConfig.Discovery.Schema.DEVICE) {
      // Device, origin and availability once at the root (HA's shared options); each component names its platform.
      // No via_device: the node is the device itself, not a hub in front of one.
      Json components = new Json();
      for (Entity e : entities) {
        components.raw(e.objectId, e.json.field("p", e.component).close());
      }
      Json root = availability(new Json().raw("dev", device).raw("o", origin), config).raw("cmps", components.close());
      String topic = config.discovery().prefix() + "/device/" + config.nodeId() + "/config";
      messages.add(new Message(topic, root.close().getBytes(StandardCharsets.UTF_8)));
      return messages;
    }
    for (Entity e : entities) {
      Json json = availability(e.json, config).raw("device", device).raw("origin", origin);
      String topic = config.discovery().prefix() + "/" + e.component + "/" + config.nodeId() + "/" + e.name + "/config";
      messages.add(new Message(topic, json.close().getBytes(StandardCharsets.UTF_8)));
    }
    return messages;
  }

  /** One entity's own options (what is not shared with the node's other entities), by component. */
  private record Entity(String component, String name, String objectId, Json json) {
  }

  private static List<Entity> entities(NodeConfig config) {
    List<Entity> entities = new ArrayList<>();
    for (NodeConfig.Sensor s : config.sensors()) {
      for (NodeConfig.Reading r : s.readings()) {
        Entity e = entity(config, "sensor", r.name());
        e.json.field("device_class", r.quantity().deviceClass())
            .field("state_class", "measurement")
            .field("unit_of_measurement", r.quantity().unit())
            .number("suggested_display_precision", r.quantity().decimals());
        entities.add(e);
      }
    }
    for (NodeConfig.Input i : config.inputs()) {
      Entity e = entity(config, "binary_sensor", i.name());
      e.json.field("payload_on", ON).field("payload_off", OFF);
      if (i.deviceClass() != null) {
        e.json.field("device_class", i.deviceClass());
      }
      entities.add(e);
    }
    for (NodeConfig.Relay r : config.relays()) {
      Entity e = entity(config, "switch", r.name());
      e.json.field("command_topic", config.commandTopic(r.name()))
          .field("payload_on", ON)
          .field("payload_off", OFF)
          .field("state_on", ON)
          .field("state_off", OFF)
          .bool("retain", false)
          .bool("optimistic", false);
      entities.add(e);
    }
    return entities;
  }

  private static Entity entity(NodeConfig config, String component, String name) {
    String objectId = config.nodeId() + "_" + name;
    Json json = new Json()
        .field("name", humanName(name))
        .field("unique_id", objectId)
        .field("default_entity_id", component + "." + objectId.toLowerCase(Locale.ROOT))
        .field("state_topic", config.topic(name));
    return new Entity(component, name, objectId, json);
  }

  /** The node's status topic as availability, and the QoS HA subscribes with. */
  private static Json availability(Json json, NodeConfig config) {
    return json.field("availability_topic", config.statusTopic())
        .field("payload_available", ONLINE)
        .field("payload_not_available", OFFLINE)
        .number("qos", 1);
  }

  private static String deviceBlock(NodeConfig config, String softwareVersion) {
    return new Json()
        .raw("identifiers", "[" + Json.quote(config.nodeId()) + "]")
        .field("name", "Wren " + humanName(config.room()))
        .field("manufacturer", "Wren")
        .field("model", "Wren sensor node")
        .field("sw_version", softwareVersion)
        .field("suggested_area", humanName(config.room()))
        .close();
  }

  /** {@code living_room} → {@code Living room}: what HA shows until the user renames it. */
  static String humanName(String name) {
    String spaced = name.replace('_', ' ').replace('-', ' ');
    return spaced.isEmpty() ? spaced : Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
  }

  /** A flat JSON object writer: enough for discovery configs, built once at start. */
  static final class Json {
    private final StringBuilder text = new StringBuilder("{");

    Json field(String key, String value) {
      return raw(key, quote(value));
    }

    Json number(String key, long value) {
      return raw(key, Long.toString(value));
    }

    Json bool(String key, boolean value) {
      return raw(key, Boolean.toString(value));
    }

    Json raw(String key, String json) {
      if (text.length() > 1) {
        text.append(',');
      }
      text.append(quote(key)).append(':').append(json);
      return this;
    }

    String close() {
      return text.append('}').toString();
    }

    /** A JSON string literal (RFC 8259 §7): quotes, backslashes and control characters escaped. */
    static String quote(String s) {
      StringBuilder q = new StringBuilder(s.length() + 2).append('"');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        switch (c) {
          case '"' -> q.append("\\\"");
          case '\\' -> q.append("\\\\");
          case '\n' -> q.append("\\n");
          case '\r' -> q.append("\\r");
          case '\t' -> q.append("\\t");
          default -> {
            if (c < 0x20) {
              q.append(String.format("\\u%04x", (int) c));
            } else {
              q.append(c);
            }
          }
        }
      }
      return q.append('"').toString();
    }
  }
}
