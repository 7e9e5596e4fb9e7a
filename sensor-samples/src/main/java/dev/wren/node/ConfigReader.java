package dev.wren.node;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Turns YAML into a {@link NodeConfig}, collecting every mistake with its line and key path instead of
 * stopping at the first. Works on SnakeYAML Engine's node tree (not on constructed maps) because only the
 * tree keeps the line of every key and value.
 *
 * <p>Each mapping is read through a {@link Section}: the reader asks for the keys it knows, and whatever the
 * document holds beyond them is reported as an unknown key, listing the known ones.
 */
final class ConfigReader {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");
  private static final Pattern DECIMAL = Pattern.compile("\\d{1,9}(\\.\\d{1,9})?");
  private static final Pattern SIZE = Pattern.compile("(\\d{1,10})(B|KiB|MiB|GiB)");
  /** Journal size bounds: the client needs room for 2 * 16 + 1 largest messages; an int holds the file size. */
  private static final long MIN_JOURNAL_BYTES = 128 * 1024;
  private static final long MAX_JOURNAL_BYTES = 1024 * 1024 * 1024;
  /** Largest MQTT 5.0 four byte integer (§1.5.3): the most seconds an expiry or delay interval can say. */
  private static final long MAX_FOUR_BYTE_SECONDS = 0xFFFF_FFFFL;
  /** Largest Topic Alias, a two byte integer (MQTT 5.0 §3.3.2.3.4). */
  private static final int MAX_TOPIC_ALIASES = 0xFFFF;
  private static final Pattern INTEGER = Pattern.compile("-?(0x[0-9A-Fa-f]{1,8}|\\d{1,10})");
  private static final Pattern ONE_WIRE_ID = Pattern.compile("28-[0-9a-f]{12}");
  private static final Pattern GPIO_CHIP = Pattern.compile("gpiochip\\d{1,2}");
  /** BCM numbers of the 40-pin header's GPIO lines. */
  private static final int MAX_PIN = 27;
  /** I2C-1's SDA and SCL on the 40-pin header (BCM 2 and 3): not free for inputs or relays when bus 1 is used. */
  private static final int I2C1_SDA = 2;
  private static final int I2C1_SCL = 3;
  /** Home Assistant binary_sensor device classes, so a typo is caught here rather than ignored by HA. */
  private static final Set<String> BINARY_SENSOR_CLASSES = Set.of("battery", "battery_charging",
      "carbon_monoxide", "cold", "connectivity", "door", "garage_door", "gas", "heat", "light", "lock", "moisture",
      "motion", "moving", "occupancy", "opening", "plug", "power", "presence", "problem", "running", "safety",
      "smoke", "sound", "tamper", "update", "vibration", "window");

  private final String source;
  private final Path baseDir;
  private final List<ConfigException.Problem> problems = new ArrayList<>();

  ConfigReader(String source, Path baseDir) {
    this.source = source;
    this.baseDir = baseDir;
  }

  NodeConfig read(String yaml) throws ConfigException {
    Node root = compose(yaml);
    NodeConfig config = problems.isEmpty() ? document(root) : null;
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return config;
  }

  private Node compose(String yaml) {
    LoadSettings settings = LoadSettings.builder().setLabel(source).build();
    try {
      return new Compose(settings).composeString(yaml).orElse(null);
    } catch (MarkedYamlEngineException e) {
      int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
      String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
      problem(line, "(YAML)", "not valid YAML: " + e.getProblem() + context);
    } catch (YamlEngineException e) {
      problem(0, "(YAML)", "not valid YAML: " + e.getMessage());
    }
    return null;
  }

  private NodeConfig document(Node root) {
    Section top = new Section(root, "", 1);
    Section node = top.section("node");
    String room = node.name("room", null);
    if (room == null && node.has("room") == false) {
      problem(node.line, key(node.path, "room"), "missing: the room name, e.g. living_room");
    }
    String roomOrDefault = room == null ? "room" : room;
    String nodeId = node.name("id", "wren_" + roomOrDefault);
    String topicPrefix = node.topicPrefix("topic_prefix", "home/" + roomOrDefault);
    long loopPeriodMillis = node.durationMillis("loop_period", 20, 1, 1_000);
    String gpioChip = node.matching("gpio_chip", "gpiochip0", GPIO_CHIP, "a GPIO chip name like gpiochip0");
    boolean simulate = node.bool("simulate", false);
    node.finish();

    NodeConfig.Broker broker = broker(top.section("broker"), nodeId);
    NodeConfig.Journal journal = journal(top.section("journal"), nodeId);
    Section publishSection = top.section("publish");
    // Whole seconds: the Message Expiry Interval counts seconds (MQTT 5.0 §3.3.2.3.3).
    long messageExpirySeconds = publishSection.seconds("message_expiry", NodeConfig.Publish.TWICE_HEARTBEAT,
        MAX_FOUR_BYTE_SECONDS, "MQTT 5.0 §3.3.2.3.3");
    // -1 until the sensors, inputs and relays are read: the default is one alias per state topic.
    int topicAliases = publishSection.integer("topic_aliases", -1, 0, MAX_TOPIC_ALIASES);
    publishSection.finish();
    Section discoverySection = top.section("discovery");
    NodeConfig.Discovery discovery = new NodeConfig.Discovery(discoverySection.bool("enabled", true),
        discoverySection.topicPrefix("prefix", "homeassistant"),
        discoverySection.choice("schema", NodeConfig.Discovery.Schema.ENTITY, NodeConfig.Discovery.Schema.class));
    discoverySection.finish();

    Map<String, String> usedNames = new HashMap<>();
    usedNames.put("status", "the status topic");
    Map<Integer, String> usedPins = new HashMap<>();
    List<NodeConfig.Sensor> sensors = new ArrayList<>();
    Map<String, String> usedDevices = new HashMap<>();
    for (Section s : top.list("sensors")) {
      NodeConfig.Sensor sensor = sensor(s, usedNames, usedDevices);
      if (sensor != null) {
        sensors.add(sensor);
        if (!sensor.type().isOneWire() && sensor.bus() == 1) {
          usedPins.putIfAbsent(I2C1_SDA, s.path + " (line " + s.line + ", I2C-1 SDA)");
          usedPins.putIfAbsent(I2C1_SCL, s.path + " (line " + s.line + ", I2C-1 SCL)");
        }
      }
    }
    List<NodeConfig.Input> inputs = new ArrayList<>();
    for (Section s : top.list("inputs")) {
      String name = s.uniqueName("name", usedNames);
      int pin = s.pin(usedPins);
      long debounceMillis = s.durationMillis("debounce", 20, 0, 1_000);
      NodeConfig.Pull pull = s.choice("pull", NodeConfig.Pull.DOWN, NodeConfig.Pull.class);
      boolean activeLow = s.bool("active_low", false);
      String deviceClass = s.string("device_class", null);
      if (deviceClass != null && !BINARY_SENSOR_CLASSES.contains(deviceClass)) {
        problem(s.lineOf("device_class"), key(s.path, "device_class"), "'" + deviceClass
            + "' is not a Home Assistant binary_sensor device class; one of " + String.join(", ",
            new java.util.TreeSet<>(BINARY_SENSOR_CLASSES)));
      }
      s.finish();
      inputs.add(new NodeConfig.Input(name, pin, debounceMillis, pull, activeLow, deviceClass));
    }
    List<NodeConfig.Relay> relays = new ArrayList<>();
    Map<String, String> groupOnAtSafeState = new HashMap<>();
    for (Section s : top.list("relays")) {
      String name = s.uniqueName("name", usedNames);
      int pin = s.pin(usedPins);
      boolean activeLow = s.bool("active_low", false);
      boolean safeOn = s.onOff("safe_state", false);
      String group = s.name("interlock", null);
      long maxOnMillis = s.durationMillis("max_on", 0, 0, 7L * 24 * 3_600_000);
      if (group != null && safeOn) {
        String first = groupOnAtSafeState.putIfAbsent(group, s.path + " (line " + s.line + ")");
        if (first != null) {
          problem(s.lineOf("safe_state"), key(s.path, "safe_state"), "interlock group '" + group
              + "' would have two relays on at start: " + first + " also has safe_state on");
        }
      }
      s.finish();
      relays.add(new NodeConfig.Relay(name, pin, activeLow, safeOn, group, maxOnMillis));
    }
    top.finish();
    List<String> mqtt5OnlyKeys = new ArrayList<>(broker.mqtt5OnlyKeys());
    if (publishSection.has("message_expiry")) {
      mqtt5OnlyKeys.add("publish.message_expiry");
      checkExpiryAgainstHeartbeats(messageExpirySeconds, publishSection.lineOf("message_expiry"), sensors);
    }
    if (publishSection.has("topic_aliases")) {
      mqtt5OnlyKeys.add("publish.topic_aliases");
    }
    if (topicAliases < 0) {
      topicAliases = inputs.size() + relays.size();
      for (NodeConfig.Sensor s : sensors) {
        topicAliases += s.readings().size();
      }
    }
    return new NodeConfig(source, roomOrDefault, nodeId, topicPrefix, loopPeriodMillis, gpioChip, simulate,
        broker.withMqtt5OnlyKeys(mqtt5OnlyKeys), journal, new NodeConfig.Publish(messageExpirySeconds, topicAliases),
        discovery, sensors, inputs, relays);
  }

  /**
   * A retained reading that expires before the sensor's next heartbeat vanishes from the broker while the node is
   * alive: a subscriber arriving then sees no value at all.
   */
  private void checkExpiryAgainstHeartbeats(long expirySeconds, int line, List<NodeConfig.Sensor> sensors) {
    if (expirySeconds == 0) {
      return;
    }
    for (NodeConfig.Sensor s : sensors) {
      if (expirySeconds * 1_000 < s.heartbeatMillis()) {
        problem(line, "publish.message_expiry", NodeConfig.durationText(expirySeconds * 1_000)
            + " is shorter than the heartbeat " + NodeConfig.durationText(s.heartbeatMillis()) + " of the "
            + s.location() + ": its retained readings would vanish between two publishes (0 for no expiry)");
      }
    }
  }

  private NodeConfig.Broker broker(Section b, String nodeId) {
    String url = b.string("url", null);
    // Not written: the default stands in, and requireBrokerUrl() reports it unless --broker names the broker.
    boolean urlWritten = url != null;
    int urlLine = urlWritten ? b.lineOf("url") : b.line;
    if (!urlWritten) {
      url = NodeConfig.Broker.DEFAULT_URL;
    }
    String urlProblem = BrokerUrl.check(url);
    if (urlProblem != null) {
      problem(b.lineOf("url"), key(b.path, "url"), urlProblem);
    }
    String clientId = b.string("client_id", nodeId);
    if (clientId.isEmpty() || clientId.length() > 256) {
      problem(b.lineOf("client_id"), key(b.path, "client_id"), "length " + clientId.length() + " is outside 1..256");
    }
    String userName = b.string("username", null);
    String password = b.string("password", null);
    Path passwordFile = b.file("password_file");
    byte[] passwordBytes = null;
    if (password != null && passwordFile != null) {
      problem(b.lineOf("password_file"), key(b.path, "password_file"),
          "give either password or password_file, not both");
    } else if (password != null) {
      passwordBytes = password.getBytes(StandardCharsets.UTF_8);
    } else if (passwordFile != null) {
      passwordBytes = readPassword(passwordFile, b.lineOf("password_file"), key(b.path, "password_file"));
    }
    if (passwordBytes != null && userName == null) {
      problem(b.lineOf(password != null ? "password" : "password_file"), key(b.path, "username"),
          "missing: a password needs a user name (MQTT 3.1.1 §3.1.2.9)");
    }
    Section tls = b.section("tls");
    Path caFile = tls.file("ca_file");
    Path certFile = tls.file("cert_file");
    Path keyFile = tls.file("key_file");
    if ((certFile == null) != (keyFile == null)) {
      problem(tls.line, key(tls.path, certFile == null ? "cert_file" : "key_file"),
          "missing: a client certificate needs both cert_file and key_file");
    }
    tls.finish();
    long keepAliveSeconds = b.seconds("keep_alive", 60, 65_535, "MQTT 3.1.1 §3.1.2.10");
    NodeConfig.Protocol protocol = b.protocol("protocol", NodeConfig.Protocol.AUTO);
    long willDelaySeconds = b.seconds("will_delay", NodeConfig.Broker.DEFAULT_WILL_DELAY_SECONDS,
        MAX_FOUR_BYTE_SECONDS, "MQTT 5.0 §3.1.3.2.2");
    long sessionExpirySeconds = b.seconds("session_expiry", NodeConfig.Broker.DEFAULT_SESSION_EXPIRY_SECONDS,
        MAX_FOUR_BYTE_SECONDS, "MQTT 5.0 §3.1.2.11.2");
    if (willDelaySeconds > sessionExpirySeconds && protocol != NodeConfig.Protocol.MQTT_3_1_1) {
      // The broker publishes the will when the session ends if that comes first (MQTT 5.0 §3.1.3.2.2).
      problem(b.lineOf(b.has("will_delay") ? "will_delay" : "session_expiry"), key(b.path, "will_delay"),
          NodeConfig.durationText(willDelaySeconds * 1_000) + " is longer than session_expiry "
              + (sessionExpirySeconds == 0 ? "0s" : NodeConfig.durationText(sessionExpirySeconds * 1_000))
              + ": the broker publishes the will when the session ends (MQTT 5.0 §3.1.3.2.2); make will_delay at"
              + " most session_expiry (0s for an offline at once)");
    }
    List<String> mqtt5OnlyKeys = new ArrayList<>();
    for (String k : new String[] {"will_delay", "session_expiry"}) {
      if (b.has(k)) {
        mqtt5OnlyKeys.add(key(b.path, k));
      }
    }
    long connectTimeoutMillis = b.durationMillis("connect_timeout", 10_000, 100, 300_000);
    Section reconnect = b.section("reconnect");
    long minDelay = reconnect.durationMillis("min_delay", 1_000, 10, 3_600_000);
    long maxDelay = reconnect.durationMillis("max_delay", 60_000, 10, 3_600_000);
    if (maxDelay < minDelay) {
      problem(reconnect.lineOf("max_delay"), key(reconnect.path, "max_delay"), maxDelay
          + " ms is shorter than min_delay " + minDelay + " ms");
    }
    double multiplier = reconnect.decimal("multiplier", 2.0, 1.0, 10.0);
    double jitter = reconnect.decimal("jitter", 0.5, 0.0, 1.0);
    reconnect.finish();
    b.finish();
    return new NodeConfig.Broker(url, urlWritten, urlLine, clientId, userName, passwordBytes, caFile, certFile,
        keyFile, (int) keepAliveSeconds, (int) connectTimeoutMillis, (int) minDelay, (int) maxDelay,
        multiplier, jitter, protocol, (int) Math.min(Integer.MAX_VALUE, willDelaySeconds), sessionExpirySeconds,
        mqtt5OnlyKeys);
  }

  private NodeConfig.Journal journal(Section j, String nodeId) {
    boolean enabled = j.bool("enabled", true);
    Path file = j.writableFile("file");
    if (file == null) {
      file = NodeConfig.defaultJournalFile(nodeId, System.getenv("STATE_DIRECTORY"));
    }
    long size = j.sizeBytes("size", NodeConfig.Journal.DEFAULT_SIZE_BYTES, MIN_JOURNAL_BYTES, MAX_JOURNAL_BYTES);
    int syncEvery = j.integer("sync_every_records", 1, 0, 1_000_000);
    long syncInterval = j.durationMillis("sync_interval", 0, 0, 3_600_000);
    j.finish();
    return new NodeConfig.Journal(enabled, file, (int) size, syncEvery, (int) syncInterval);
  }

  private byte[] readPassword(Path file, int line, String path) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      // A trailing newline is an editor's, not part of the password.
      return text.stripTrailing().getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      problem(line, path, "cannot read " + file + ": " + e);
      return null;
    }
  }

  private NodeConfig.Sensor sensor(Section s, Map<String, String> usedNames, Map<String, String> usedDevices) {
    SensorType type = s.choice("type", null, SensorType.class);
    if (type == null) {
      if (!s.has("type")) {
        problem(s.line, key(s.path, "type"), "missing: one of " + choices(SensorType.class));
      }
      s.ignoreRest();
      return null;
    }
    int bus = -1;
    int address = -1;
    String oneWireId = null;
    String device;
    if (type.isOneWire()) {
      oneWireId = s.matching("id", null, ONE_WIRE_ID, "a DS18B20 1-Wire id like 28-0316a2794cff");
      if (oneWireId == null && !s.has("id")) {
        problem(s.line, key(s.path, "id"), "missing: the 1-Wire id (ls /sys/bus/w1/devices shows 28-…)");
      }
      device = "1-Wire " + oneWireId;
    } else {
      bus = s.integer("bus", 1, 0, 31);
      address = s.integer("address", type.defaultAddress(), 0, 0x7F);
      if (!type.allowsAddress(address)) {
        problem(s.lineOf("address"), key(s.path, "address"), String.format("0x%02X is not a %s address (%s)",
            address, type.configName(), type.addressesText()));
      }
      device = String.format("i2c-%d address 0x%02X", bus, address);
    }
    String first = usedDevices.putIfAbsent(device, s.path + " (line " + s.line + ")");
    if (first != null) {
      problem(s.line, s.path, device + " is already used by " + first);
    }
    long intervalMillis = s.durationMillis("interval", 10_000, 100, 86_400_000);
    long heartbeatMillis = s.durationMillis("heartbeat", Math.max(300_000, intervalMillis), 100, 86_400_000);
    if (heartbeatMillis < intervalMillis) {
      problem(s.lineOf("heartbeat"), key(s.path, "heartbeat"), heartbeatMillis + " ms is shorter than interval "
          + intervalMillis + " ms");
    }
    boolean retain = s.bool("retain", true);
    Section readingsSection = s.section("readings");
    List<NodeConfig.Reading> readings = new ArrayList<>();
    for (Quantity q : type.quantities()) {
      // Keys that are not this chip's quantities stay unasked and are reported by finish(), listing these.
      Section r = readingsSection.section(q.key());
      boolean publish = r.bool("publish", true);
      String name = r.name("name", q.key());
      long deadband = r.deadbandScaled("deadband", q);
      r.finish();
      if (publish) {
        claimName(name, r.lineOf("name"), key(r.path, "name"), usedNames);
        readings.add(new NodeConfig.Reading(q, name, deadband));
      }
    }
    readingsSection.finish();
    s.finish();
    return new NodeConfig.Sensor(type, bus, address, oneWireId, intervalMillis, heartbeatMillis, retain, readings);
  }

  private void claimName(String name, int line, String path, Map<String, String> usedNames) {
    if (name == null) {
      return;
    }
    String first = usedNames.putIfAbsent(name, path + " (line " + line + ")");
    if (first != null) {
      problem(line, path, "topic name '" + name + "' is already used by " + first);
    }
  }

  private void problem(int line, String path, String message) {
    problems.add(new ConfigException.Problem(source, line, path.isEmpty() ? "(document)" : path, message));
  }

  private static String key(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }

  private static int lineOfNode(Node n) {
    return n.getStartMark().map(Mark::getLine).orElse(-1) + 1;
  }

  private static String describe(Node n) {
    if (n instanceof MappingNode) {
      return "a mapping";
    }
    if (n instanceof SequenceNode) {
      return "a list";
    }
    return "'" + ((ScalarNode) n).getValue() + "'";
  }

  private static <E extends Enum<E>> String choices(Class<E> type) {
    StringBuilder text = new StringBuilder();
    for (E e : type.getEnumConstants()) {
      text.append(text.length() == 0 ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT));
    }
    return text.toString();
  }

  /**
   * One YAML mapping being read: hands out values by key, converting and range-checking them, and reports
   * unknown and duplicate keys. An absent mapping reads as empty, so every default applies.
   */
  private final class Section {
    final String path;
    final int line;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
    private final Set<String> asked = new LinkedHashSet<>();
    private boolean ignoreRest;

    Section(Node node, String path, int fallbackLine) {
      this.path = path;
      this.line = node == null ? fallbackLine : lineOfNode(node);
      if (node == null || isNull(node)) {
        return;
      }
      if (!(node instanceof MappingNode mapping)) {
        problem(line, path, "expected a mapping of keys, got " + describe(node));
        return;
      }
      for (NodeTuple t : mapping.getValue()) {
        if (!(t.getKeyNode() instanceof ScalarNode k)) {
          problem(lineOfNode(t.getKeyNode()), path, "a key must be a plain name, got " + describe(t.getKeyNode()));
          continue;
        }
        NodeTuple first = entries.putIfAbsent(k.getValue(), t);
        if (first != null) {
          problem(lineOfNode(k), key(path, k.getValue()), "appears twice (first on line "
              + lineOfNode(first.getKeyNode()) + ")");
        }
      }
    }

    Set<String> keys() {
      return entries.keySet();
    }

    boolean has(String key) {
      return entries.containsKey(key);
    }

    int lineOf(String key) {
      NodeTuple t = entries.get(key);
      return t == null ? line : lineOfNode(t.getValueNode());
    }

    /** The value node of {@code key}, or null when absent or written as null; marks the key as known. */
    Node take(String key) {
      asked.add(key);
      NodeTuple t = entries.get(key);
      return t == null || isNull(t.getValueNode()) ? null : t.getValueNode();
    }

    /** The scalar text of {@code key}, null when absent; reports a mapping or list where a value belongs. */
    String scalar(String key) {
      Node n = take(key);
      if (n == null) {
        return null;
      }
      if (!(n instanceof ScalarNode s)) {
        problem(lineOfNode(n), key(path, key), "expected a single value, got " + describe(n));
        return null;
      }
      return s.getValue();
    }

    Section section(String key) {
      Node n = take(key);
      return new Section(n, key(path, key), lineOf(key));
    }

      List<Section> list(String key) {
      Node n = take(key);
      List<Section> items = new ArrayList<>();
      if (n == null) {
        return items;
      }
      if (!(n instanceof SequenceNode seq)) {
        problem(lineOfNode(n), key(path, key), "expected a list (items starting with '- '), got "
            + describe(n));
        return items;
      }
      int i = 0;
      for (Node item : seq.getValue()) {
        items.add(new Section(item, key(path, key) + "[" + i++ + "]", lineOfNode(item)));
      }
      return items;
    }

    String string(String key, String defaultValue) {
      String v = scalar(key);
      return v == null ? defaultValue : v;
    }

    String matching(String key, String defaultValue, Pattern pattern, String expected) {
      String v = scalar(key);
      if (v == null) {
        return defaultValue;
      }
      if (!pattern.matcher(v).matches()) {
        problem(lineOf(key), key(path, key), "'" + v + "' is not " + expected);
        return defaultValue;
      }
      return v;
    }

    String name(String key, String defaultValue) {
      return matching(key, defaultValue, NAME, "a name of 1..64 letters, digits, '_' or '-'");
    }

    String uniqueName(String key, Map<String, String> usedNames) {
      String name = name(key, null);
      if (name == null && !has(key)) {
        problem(line, key(path, key), "missing: the name, used as the last topic level");
      }
      claimName(name, lineOf(key), key(path, key), usedNames);
      return name == null ? "" : name;
    }

    String topicPrefix(String key, String defaultValue) {
      String v = scalar(key);
      if (v == null) {
        return defaultValue;
      }
      if (v.isEmpty() || v.length() > 200 || v.startsWith("/") || v.endsWith("/") || v.contains("//")
          || v.contains("+") || v.contains("#") || v.chars().anyMatch(Character::isISOControl)) {
        problem(lineOf(key), key(path, key), "'" + v + "' must be 1..200 characters of topic levels separated by"
            + " single '/', without leading or trailing '/', wildcards (+ #) or control characters (MQTT 3.1.1 §4.7)");
        return defaultValue;
      }
      return v;
    }

    boolean bool(String key, boolean defaultValue) {
      return either(key, defaultValue, "true", "false");
    }

    boolean onOff(String key, boolean defaultValue) {
      return either(key, defaultValue, "on", "off");
    }

    /** True for {@code yes}, false for {@code no} (any case); anything else is reported. */
    private boolean either(String key, boolean defaultValue, String yes, String no) {
      String v = scalar(key);
      if (v == null) {
        return defaultValue;
      }
      if (v.equalsIgnoreCase(yes) || v.equalsIgnoreCase(no)) {
        return v.equalsIgnoreCase(yes);
      }
      problem(lineOf(key), key(path, key), "expected " + yes + " or " + no + ", got '" + v + "'");
      return defaultValue;
    }

    int integer(String key, int defaultValue, int min, int max) {
      String v = scalar(key);
      if (v == null) {
        return defaultValue;
      }
      if (!INTEGER.matcher(v).matches()) {
        problem(lineOf(key), key(path, key), "expected a whole number (decimal or 0x hex), got '" + v + "'");
        return defaultValue;
      }
      long value = Long.decode(v);
      if (value < min || value > max) {
        problem(lineOf(key), key(path, key), v + " is outside " + min + ".." + max);
        return defaultValue;
      }
      return (int) value;
    }

    int pin(Map<Integer, String> usedPins) {
      if (!has("pin")) {
        problem(line, key(path, "pin"), "missing: the BCM GPIO number 0.." + MAX_PIN);
      }
      int pin = integer("pin", -1, 0, MAX_PIN);
      if (pin >= 0) {
        String first = usedPins.putIfAbsent(pin, path + " (line " + lineOf("pin") + ")");
        if (first != null) {
          problem(lineOf("pin"), key(path, "pin"), "GPIO " + pin + " is already used by " + first);
        }
      }
      return pin;
    }

    long durationMillis(String key, long defaultMillis, long minMillis, long maxMillis) {
      String v = scalar(key);
      if (v == null) {
        return defaultMillis;
      }
      Matcher m = DURATION.matcher(v);
      if (!m.matches()) {
        problem(lineOf(key), key(path, key), "expected a duration with a unit (ms, s, m, h or d), e.g. 10s, got '"
            + v + "'");
        return defaultMillis;
      }
      long amount = Long.parseLong(m.group(1));
      long millis = switch (m.group(2)) {
        case "ms" -> amount;
        case "s" -> amount * 1_000;
        case "m" -> amount * 60_000;
        case "h" -> amount * 3_600_000;
        default -> amount * 86_400_000;
      };
      if (millis < minMillis || millis > maxMillis) {
        problem(lineOf(key), key(path, key), v + " is outside " + minMillis + " ms.." + maxMillis + " ms");
        return defaultMillis;
      }
      return millis;
    }

    /**
     * A duration in whole seconds, 0..{@code maxSeconds}, for a field the protocol counts in seconds ({@code spec}
     * names where); {@code defaultSeconds} when absent.
     */
    long seconds(String key, long defaultSeconds, long maxSeconds, String spec) {
      long millis = durationMillis(key, defaultSeconds * 1_000, 0, maxSeconds * 1_000);
      if (millis % 1_000 != 0) {
        problem(lineOf(key), key(path, key), millis + " ms is not whole seconds (" + spec + " counts seconds)");
        return defaultSeconds;
      }
      return millis / 1_000;
    }

    /** {@code broker.protocol}: {@code 5}, {@code 3.1.1} or {@code auto}. */
    NodeConfig.Protocol protocol(String key, NodeConfig.Protocol defaultValue) {
      String v = scalar(key);
      if (v == null) {
        return defaultValue;
      }
      for (NodeConfig.Protocol p : NodeConfig.Protocol.values()) {
        if (p.configName().equalsIgnoreCase(v)) {
          return p;
        }
      }
      problem(lineOf(key), key(path, key), "'" + v + "' is not one of 5 (MQTT 5.0), 3.1.1 (MQTT 3.1.1) or auto"
          + " (5.0, falling back to 3.1.1 when the broker refuses it)");
      return defaultValue;
    }

    double decimal(String key, double defaultValue, double min, double max) {
      String v = scalar(key);
      if (v == null) {
        return defaultValue;
      }
      if (!DECIMAL.matcher(v).matches()) {
        problem(lineOf(key), key(path, key), "expected a number like 1.5, got '" + v + "'");
        return defaultValue;
      }
      double value = Double.parseDouble(v);
      if (value < min || value > max) {
        problem(lineOf(key), key(path, key), v + " is outside " + min + ".." + max);
        return defaultValue;
      }
      return value;
    }

    /** A size with a unit (B, KiB, MiB, GiB) within {@code [min, max]} bytes and a multiple of 128 bytes. */
    long sizeBytes(String key, long defaultBytes, long minBytes, long maxBytes) {
      String v = scalar(key);
      if (v == null) {
        return defaultBytes;
      }
      Matcher m = SIZE.matcher(v);
      if (!m.matches()) {
        problem(lineOf(key), key(path, key), "expected a size with a unit (B, KiB, MiB or GiB), e.g. 1MiB, got '"
            + v + "'");
        return defaultBytes;
      }
      long amount = Long.parseLong(m.group(1));
      long unit = switch (m.group(2)) {
        case "B" -> 1L;
        case "KiB" -> 1024L;
        case "MiB" -> 1024L * 1024;
        default -> 1024L * 1024 * 1024;
      };
      // amount <= maxBytes keeps the product far from overflowing (at most 2^30 * 2^30).
      long bytes = amount > maxBytes ? Long.MAX_VALUE : amount * unit;
      if (bytes < minBytes || bytes > maxBytes) {
        problem(lineOf(key), key(path, key), v + " is outside " + minBytes / 1024 + " KiB.."
            + maxBytes / (1024 * 1024) + " MiB");
        return defaultBytes;
      }
      if (bytes % 128 != 0) {
        problem(lineOf(key), key(path, key), v + " is not a multiple of 128 bytes (the journal's block)");
        return defaultBytes;
      }
      return bytes;
    }

    long deadbandScaled(String key, Quantity q) {
      String v = scalar(key);
      if (v == null) {
        return q.defaultDeadbandScaled();
      }
      if (!DECIMAL.matcher(v).matches()) {
        problem(lineOf(key), key(path, key), "expected a number >= 0 in " + q.unit() + ", e.g. 0.1, got '" + v + "'");
        return q.defaultDeadbandScaled();
      }
      BigDecimal scaled = new BigDecimal(v).movePointRight(q.decimals());
      if (scaled.stripTrailingZeros().scale() > 0) {
        problem(lineOf(key), key(path, key), v + " has more decimals than " + q.key() + " is published with ("
            + q.decimals() + ")");
        return q.defaultDeadbandScaled();
      }
      return scaled.longValueExact();
    }

    <E extends Enum<E>> E choice(String key, E defaultValue, Class<E> type) {
      String v = scalar(key);
      if (v == null) {
        return defaultValue;
      }
      for (E e : type.getEnumConstants()) {
        if (e.name().equalsIgnoreCase(v)) {
          return e;
        }
      }
      problem(lineOf(key), key(path, key), "'" + v + "' is not one of " + choices(type));
      return defaultValue;
    }

    Path file(String key) {
      String v = scalar(key);
      if (v == null) {
        return null;
      }
      Path file = baseDir.resolve(v);
      if (!Files.isReadable(file)) {
        problem(lineOf(key), key(path, key), "cannot read file " + file.toAbsolutePath());
      }
      return file;
    }

    /**
     * A file the node creates or rewrites, resolved against the config's folder: its folder must exist and be
     * writable, and an existing file must be a writable regular file. Null when absent.
     */
    Path writableFile(String key) {
      String v = scalar(key);
      if (v == null) {
        return null;
      }
      if (v.isBlank()) {
        problem(lineOf(key), key(path, key), "expected a file name, got an empty value");
        return null;
      }
      Path file = baseDir.resolve(v).toAbsolutePath().normalize();
      Path folder = file.getParent();
      if (Files.exists(file)) {
        if (!Files.isRegularFile(file) || !Files.isWritable(file) || !Files.isReadable(file)) {
          problem(lineOf(key), key(path, key), file + " exists but is not a readable and writable regular file");
        }
      } else if (folder == null || !Files.isDirectory(folder)) {
        problem(lineOf(key), key(path, key), "folder " + folder + " of " + file + " does not exist");
      } else if (!Files.isWritable(folder)) {
        problem(lineOf(key), key(path, key), "cannot create " + file + ": folder " + folder + " is not writable"
            + " (under systemd: StateDirectory=wren-node gives the node /var/lib/wren-node)");
      }
      return file;
    }

    /** After a fatal mistake in this mapping (no type): do not also report its other keys as unknown. */
    void ignoreRest() {
      ignoreRest = true;
    }

    /** Reports every key the reader did not ask for. */
    void finish() {
      if (ignoreRest) {
        return;
      }
      for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
        if (!asked.contains(e.getKey())) {
          problem(lineOfNode(e.getValue().getKeyNode()), key(path, e.getKey()), "unknown key; "
              + (asked.isEmpty() ? "this mapping takes no keys" : "known here: " + String.join(", ", asked)));
        }
      }
    }
  }

  private static boolean isNull(Node n) {
    return n instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
  }
}
