package dev.wren.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeConfigTest {
  private static final String MINIMAL = "node:\n  room: kitchen\n";

  @Test
  void builtInExampleIsTheMissionsLivingRoom() {
    NodeConfig c = NodeConfig.example();

    assertEquals("living_room", c.room());
    assertEquals("home/living_room", c.topicPrefix());
    assertEquals("tcp://localhost:1883", c.broker().url());
    assertEquals("home/living_room/status", c.statusTopic());
    assertEquals(List.of("home/living_room/temperature", "home/living_room/humidity",
        "home/living_room/pressure", "home/living_room/lights"), c.stateTopics());
    assertEquals(SensorType.BME280, c.sensors().get(0).type());
    assertEquals(0x76, c.sensors().get(0).address());
    assertEquals("home/living_room/lights/set", c.commandTopic(c.relays().get(0).name()));
    assertFalse(c.relays().get(0).safeStateOn());
    assertTrue(c.discovery().enabled());
  }

  @Test
  void deployedExampleFileIsTheBuiltInExample() throws Exception {
    NodeConfig fromFile = NodeConfig.load(Path.of("deploy/node.yaml"));
    NodeConfig builtIn = NodeConfig.example();

    assertEquals(builtIn.stateTopics(), fromFile.stateTopics());
    assertEquals(builtIn.sensors(), fromFile.sensors());
    assertEquals(builtIn.relays(), fromFile.relays());
  }

  @Test
  void minimalConfigTakesDocumentedDefaults() throws Exception {
    NodeConfig c = parse(MINIMAL);

    assertEquals("home/kitchen", c.topicPrefix());
    assertEquals("wren_kitchen", c.nodeId());
    assertEquals("wren_kitchen", c.broker().clientId());
    assertEquals("tcp://localhost:1883", c.broker().url());
    assertEquals(60, c.broker().keepAliveSeconds());
    assertEquals(1_000, c.broker().reconnectMinDelayMillis());
    assertEquals(60_000, c.broker().reconnectMaxDelayMillis());
    assertEquals(2.0, c.broker().reconnectMultiplier());
    assertEquals(0.5, c.broker().reconnectJitter());
    assertEquals(new NodeConfig.Journal(true, NodeConfig.defaultJournalFile("wren_kitchen",
        System.getenv("STATE_DIRECTORY")), 1024 * 1024, 1, 0), c.journal());
    assertEquals(20, c.loopPeriodMillis());
    assertEquals("homeassistant", c.discovery().prefix());
    assertTrue(c.sensors().isEmpty());
  }

  @Test
  void sensorReadingsTakeNamesDeadbandsAndDurations() throws Exception {
    NodeConfig c = parse(MINIMAL + """
        sensors:
          - type: sht3x
            address: 0x45
            interval: 250ms
            heartbeat: 2s
            readings:
              temperature: { name: fridge, deadband: 0.25 }
              humidity: { publish: false }
          - type: ds18b20
            id: 28-0316a2794cff
        """);

    NodeConfig.Sensor sht = c.sensors().get(0);
    assertEquals(0x45, sht.address());
    assertEquals(250, sht.intervalMillis());
    assertEquals(2_000, sht.heartbeatMillis());
    assertEquals(List.of(new NodeConfig.Reading(Quantity.TEMPERATURE, "fridge", 25)), sht.readings());
    NodeConfig.Sensor ds = c.sensors().get(1);
    assertEquals("28-0316a2794cff", ds.oneWireId());
    assertEquals(List.of(new NodeConfig.Reading(Quantity.TEMPERATURE, "temperature", 10)), ds.readings());
  }

  @Test
  void passwordFileIsReadRelativeToTheConfigAndNeverShown(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("secret"), "s3cr3t-pw\n");
    Path file = dir.resolve("node.yaml");
    Files.writeString(file, MINIMAL + "broker:\n  username: kitchen\n  password_file: secret\n");

    NodeConfig c = NodeConfig.load(file);

    assertEquals("s3cr3t-pw", new String(c.broker().password(), StandardCharsets.UTF_8));
    assertFalse(c.toString().contains("s3cr3t"), c.toString());
    assertFalse(c.summary().contains("s3cr3t"), c.summary());
    assertTrue(c.summary().contains("password set"), c.summary());
  }

  @Test
  void journalDefaultsToTheSystemdStateDirectoryElseTheTemporaryFolder() {
    assertEquals(Path.of("/var/lib/wren-node/journal"),
        NodeConfig.defaultJournalFile("wren_hall", "/var/lib/wren-node"));
    assertEquals(Path.of("/var/lib/wren-node/journal"),
        NodeConfig.defaultJournalFile("wren_hall", "/var/lib/wren-node:/var/lib/other"));
    assertEquals(Path.of(System.getProperty("java.io.tmpdir"), "wren-node-wren_hall.journal"),
        NodeConfig.defaultJournalFile("wren_hall", null));
  }

  @Test
  void journalSectionTakesFileSizeAndSyncPolicy(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("node.yaml");
    Files.writeString(file, MINIMAL + """
        journal:
          file: state/readings.journal
          size: 256KiB
          sync_every_records: 0
          sync_interval: 5s
        broker:
          reconnect: { multiplier: 1.5, jitter: 0 }
        """);
    Files.createDirectory(dir.resolve("state"));

    NodeConfig c = NodeConfig.load(file);

    assertEquals(new NodeConfig.Journal(true, dir.resolve("state/readings.journal").toAbsolutePath(), 256 * 1024, 0,
        5_000), c.journal());
    assertEquals(1.5, c.broker().reconnectMultiplier());
    assertEquals(0.0, c.broker().reconnectJitter());
    assertTrue(c.summary().contains("journal " + c.journal().file() + ", 256 KiB, forced within 5s"),
        c.summary());
    assertFalse(parse(MINIMAL + "journal: { enabled: false }\n").journal().enabled());
  }

  @Test
  void summaryShowsDurationsAsWrittenNotInMilliseconds() throws Exception {
    NodeConfig c = parse("""
        node:
          room: kitchen
          loop_period: 250ms
        broker:
          url: tcp://localhost:1883
          keep_alive: 2m
        sensors:
          - { type: bme280, interval: 10s, heartbeat: 5m }
          - { type: bh1750, interval: 1500ms, heartbeat: 1h }
        relays:
          - { name: fan, pin: 5, max_on: 30m }
        """);

    String summary = c.summary();

    assertTrue(summary.contains("keep-alive 2m"), summary);
    assertTrue(summary.contains("sensor bme280 on i2c-1 at 0x76, every 10s, heartbeat 5m:"), summary);
    assertTrue(summary.contains("sensor bh1750 on i2c-1 at 0x23, every 1500ms, heartbeat 1h:"), summary);
    assertTrue(summary.contains("relay home/kitchen/fan on GPIO 5, safe state OFF, max on 30m"), summary);
    assertFalse(summary.contains("000 ms"), summary);
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
        Arguments.of("unknown key", MINIMAL + "brokr:\n  url: tcp://h:1\n", 3, "brokr", "unknown key"),
        Arguments.of("unknown nested key", MINIMAL + "sensors:\n  - type: bme280\n    adress: 0x76\n", 5,
            "sensors[0].adress", "known here: type, bus, address"),
        Arguments.of("wrong type: text for a number", MINIMAL + "sensors:\n  - type: bme280\n    bus: one\n", 5,
            "sensors[0].bus", "expected a whole number"),
        Arguments.of("wrong type: mapping for a value", MINIMAL + "broker:\n  url:\n    host: x\n", 5,
            "broker.url", "expected a single value, got a mapping"),
        Arguments.of("wrong type: value for a list", MINIMAL + "relays: lights\n", 3, "relays",
            "expected a list"),
        Arguments.of("missing room", "node:\n  id: x\n", 2, "node.room", "missing"),
        Arguments.of("missing pin", MINIMAL + "relays:\n  - name: lights\n", 4, "relays[0].pin", "missing"),
        Arguments.of("missing sensor type", MINIMAL + "sensors:\n  - bus: 1\n", 4, "sensors[0].type",
            "missing: one of bme280"),
        Arguments.of("pin used twice",
            MINIMAL + "inputs:\n  - name: motion\n    pin: 17\nrelays:\n  - name: lights\n    pin: 17\n", 8,
            "relays[0].pin", "GPIO 17 is already used by inputs[0] (line 5)"),
        Arguments.of("I2C pin taken for a relay",
            MINIMAL + "sensors:\n  - type: bh1750\nrelays:\n  - name: fan\n    pin: 3\n", 7, "relays[0].pin",
            "GPIO 3 is already used by sensors[0] (line 4, I2C-1 SCL)"),
        Arguments.of("pin out of range", MINIMAL + "relays:\n  - name: lights\n    pin: 40\n", 5, "relays[0].pin",
            "40 is outside 0..27"),
        Arguments.of("address not of the chip", MINIMAL + "sensors:\n  - type: bme280\n    address: 0x44\n", 5,
            "sensors[0].address", "0x44 is not a bme280 address (0x76 or 0x77)"),
        Arguments.of("unknown sensor type", MINIMAL + "sensors:\n  - type: dht22\n", 4, "sensors[0].type",
            "'dht22' is not one of bme280, bmp280, sht3x, sht4x, bh1750, ds18b20"),
        Arguments.of("duration without unit", MINIMAL + "sensors:\n  - type: bme280\n    interval: 10\n", 5,
            "sensors[0].interval", "expected a duration with a unit"),
        Arguments.of("duration out of range", MINIMAL + "sensors:\n  - type: bme280\n    interval: 10ms\n", 5,
            "sensors[0].interval", "10ms is outside 100 ms"),
        Arguments.of("heartbeat shorter than interval",
            MINIMAL + "sensors:\n  - type: bme280\n    interval: 10s\n    heartbeat: 5s\n", 6,
            "sensors[0].heartbeat", "shorter than interval"),
        Arguments.of("deadband finer than published",
            MINIMAL + "sensors:\n  - type: bme280\n    readings:\n      humidity: { deadband: 0.05 }\n", 6,
            "sensors[0].readings.humidity.deadband", "more decimals than humidity is published with (1)"),
        Arguments.of("quantity the chip does not measure",
            MINIMAL + "sensors:\n  - type: bh1750\n    readings:\n      temperature: { deadband: 1 }\n", 6,
            "sensors[0].readings.temperature", "known here: illuminance"),
        Arguments.of("topic name used twice",
            MINIMAL + "sensors:\n  - type: bmp280\n  - type: ds18b20\n    id: 28-0316a2794cff\n", 5,
            "sensors[1].readings.temperature.name", "topic name 'temperature' is already used by sensors[0]"),
        Arguments.of("same chip twice", MINIMAL + "sensors:\n  - type: bme280\n  - type: bmp280\n", 5,
            "sensors[1]", "i2c-1 address 0x76 is already used by sensors[0] (line 4)"),
        Arguments.of("bad broker URL", MINIMAL + "broker:\n  url: http://broker:1883\n", 4, "broker.url",
            "must start with tcp://, mqtt://, ssl:// or mqtts://"),
        Arguments.of("password without user", MINIMAL + "broker:\n  password: pw\n", 4, "broker.username",
            "a password needs a user name"),
        Arguments.of("keep-alive not whole seconds", MINIMAL + "broker:\n  keep_alive: 1500ms\n", 4,
            "broker.keep_alive", "not whole seconds"),
        Arguments.of("duplicate key", MINIMAL + "discovery:\n  enabled: true\n  enabled: false\n", 5,
            "discovery.enabled", "appears twice (first on line 4)"),
        Arguments.of("not a boolean", MINIMAL + "discovery:\n  enabled: yes\n", 4, "discovery.enabled",
            "expected true or false, got 'yes'"),
        Arguments.of("unknown discovery schema", MINIMAL + "discovery:\n  schema: devices\n", 4, "discovery.schema",
            "'devices' is not one of entity, device"),
        Arguments.of("safe state not on/off", MINIMAL + "relays:\n  - name: l\n    pin: 5\n    safe_state: 1\n", 6,
            "relays[0].safe_state", "expected on or off"),
        Arguments.of("two relays of an interlock group on at start", MINIMAL
                + "relays:\n  - {name: up, pin: 5, interlock: blind, safe_state: on}\n"
                + "  - {name: down, pin: 6, interlock: blind, safe_state: on}\n", 5,
            "relays[1].safe_state", "interlock group 'blind' would have two relays on"),
        Arguments.of("name is reserved", MINIMAL + "relays:\n  - name: status\n    pin: 5\n", 4, "relays[0].name",
            "'status' is already used by the status topic"),
        Arguments.of("topic prefix with wildcard", "node:\n  room: a\n  topic_prefix: home/+/x\n", 3,
            "node.topic_prefix", "wildcards"),
        Arguments.of("unknown HA device class", MINIMAL + "inputs:\n  - {name: m, pin: 5, device_class: motoin}\n",
            4, "inputs[0].device_class", "not a Home Assistant binary_sensor device class"),
        Arguments.of("journal size without unit", MINIMAL + "journal:\n  size: 1048576\n", 4, "journal.size",
            "expected a size with a unit (B, KiB, MiB or GiB)"),
        Arguments.of("journal too small", MINIMAL + "journal:\n  size: 64KiB\n", 4, "journal.size",
            "64KiB is outside 128 KiB..1024 MiB"),
        Arguments.of("journal size not whole blocks", MINIMAL + "journal:\n  size: 131136B\n", 4, "journal.size",
            "not a multiple of 128 bytes"),
        Arguments.of("journal in a missing folder", MINIMAL + "journal:\n  file: /nonexistent/wren/journal\n", 4,
            "journal.file", "folder /nonexistent/wren of /nonexistent/wren/journal does not exist"),
        Arguments.of("journal sync count negative", MINIMAL + "journal:\n  sync_every_records: -1\n", 4,
            "journal.sync_every_records", "-1 is outside 0..1000000"),
        Arguments.of("unknown journal key", MINIMAL + "journal:\n  path: /tmp/j\n", 4, "journal.path",
            "known here: enabled, file, size, sync_every_records, sync_interval"),
        Arguments.of("reconnect jitter above 1", MINIMAL + "broker:\n  reconnect: { jitter: 1.5 }\n", 4,
            "broker.reconnect.jitter", "1.5 is outside 0.0..1.0"),
        Arguments.of("reconnect multiplier below 1", MINIMAL + "broker:\n  reconnect:\n    multiplier: 0.5\n", 5,
            "broker.reconnect.multiplier", "0.5 is outside 1.0..10.0"),
        Arguments.of("unknown protocol", MINIMAL + "broker:\n  protocol: 5.1\n", 4, "broker.protocol",
            "'5.1' is not one of 5 (MQTT 5.0), 3.1.1 (MQTT 3.1.1) or auto"),
        Arguments.of("will delay not whole seconds", MINIMAL + "broker:\n  will_delay: 2500ms\n", 4,
            "broker.will_delay", "2500 ms is not whole seconds (MQTT 5.0 §3.1.3.2.2 counts seconds)"),
        Arguments.of("will delay beyond the session", MINIMAL + "broker:\n  session_expiry: 10s\n", 4,
            "broker.will_delay", "30s is longer than session_expiry 10s: the broker publishes the will when the"
                + " session ends"),
        Arguments.of("session expiry beyond four bytes", MINIMAL + "broker:\n  session_expiry: 50000d\n", 4,
            "broker.session_expiry", "50000d is outside 0 ms..4294967295000 ms"),
        Arguments.of("message expiry shorter than a heartbeat",
            MINIMAL + "publish:\n  message_expiry: 1m\nsensors:\n  - { type: bme280, heartbeat: 5m }\n", 4,
            "publish.message_expiry", "1m is shorter than the heartbeat 5m of the bme280 on i2c-1 at 0x76"),
        Arguments.of("unknown publish key", MINIMAL + "publish:\n  topic_alias: true\n", 4, "publish.topic_alias",
            "known here: message_expiry, topic_aliases"),
        Arguments.of("topic aliases beyond a two byte integer", MINIMAL + "publish:\n  topic_aliases: 65536\n", 4,
            "publish.topic_aliases", "65536 is outside 0..65535"),
        Arguments.of("YAML syntax", MINIMAL + "sensors:\n  - type: bme280\n   bus: 1\n", 5, "(YAML)",
            "not valid YAML"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void everyMistakeIsReportedWithItsLineAndKey(String what, String yaml, int line, String keyPath, String text) {
    ConfigException e = assertThrows(ConfigException.class, () -> parse(yaml));

    ConfigException.Problem p = e.problems().get(0);
    assertEquals(keyPath, p.keyPath(), e.getMessage());
    assertEquals(line, p.line(), e.getMessage());
    assertTrue(p.message().contains(text), () -> "expected '" + text + "' in: " + e.getMessage());
    assertTrue(e.getMessage().contains("node.yaml:" + line + ": " + keyPath + ": "), e.getMessage());
  }

  @Test
  void everyProblemOfOneFileIsReportedAtOnce() {
    String yaml = """
        node:
          room: hall
          colour: blue
        broker:
          keep_alive: forever
        relays:
          - name: door
            pin: 99
        """;

    ConfigException e = assertThrows(ConfigException.class, () -> parse(yaml));

    assertEquals(List.of("node.colour", "broker.keep_alive", "relays[0].pin"),
        e.problems().stream().map(ConfigException.Problem::keyPath).toList(), e.getMessage());
    assertEquals(List.of(3, 5, 8), e.problems().stream().map(ConfigException.Problem::line).toList());
  }

  @Test
  void missingPasswordFileNamesThePath(@TempDir Path dir) {
    String yaml = MINIMAL + "broker:\n  username: u\n  password_file: nope.txt\n";

    ConfigException e = assertThrows(ConfigException.class,
        () -> NodeConfig.parse(yaml, "node.yaml", dir));

    assertEquals("broker.password_file", e.problems().get(0).keyPath());
    assertTrue(e.getMessage().contains(dir.resolve("nope.txt").toString()), e.getMessage());
  }

  @Test
  void brokerOverrideIsCheckedAndNamesTheOption() throws Exception {
    NodeConfig c = NodeConfig.example().withBrokerUrl("tcp://127.0.0.1:18830");
    assertEquals("tcp://127.0.0.1:18830", c.broker().url());

    ConfigException e = assertThrows(ConfigException.class, () -> c.withBrokerUrl("tcp://:1883"));
    assertEquals("--broker", e.problems().get(0).keyPath());
    assertTrue(e.getMessage().contains("names no host"), e.getMessage());
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"tcp://user:secret@host:1883",
      "http://user:secret@host:1883", "tcp://user:secret@host:1883/path", "tcp://user:secret@host:1883 x",
      "tcp://user:secret@host:99999"})
  void brokerOverrideRefusalMasksThePassword(String url) {
    ConfigException e = assertThrows(ConfigException.class, () -> NodeConfig.example().withBrokerUrl(url));
    assertFalse(e.getMessage().contains("secret"), e.getMessage());
    assertTrue(e.getMessage().contains("user:****@host"), e.getMessage());
  }

  @Test
  void brokerUrlMustBeWrittenOrGivenOnTheCommandLine() throws Exception {
    ConfigException noSection = assertThrows(ConfigException.class, () -> parse(MINIMAL).requireBrokerUrl());
    assertEquals("broker.url", noSection.problems().get(0).keyPath(), noSection.getMessage());
    assertTrue(noSection.getMessage().contains("node.yaml:1: broker.url: missing: the broker to connect to"),
        noSection.getMessage());
    assertTrue(noSection.getMessage().contains("--broker"), noSection.getMessage());

    ConfigException noUrl = assertThrows(ConfigException.class,
        () -> parse(MINIMAL + "broker:\n  username: kitchen\n").requireBrokerUrl());
    assertEquals(4, noUrl.problems().get(0).line(), noUrl.getMessage());
    assertEquals("broker.url", noUrl.problems().get(0).keyPath(), noUrl.getMessage());

    // The default, written out, is a choice; so is --broker.
    NodeConfig written = parse(MINIMAL + "broker:\n  url: tcp://localhost:1883\n");
    assertEquals("tcp://localhost:1883", written.requireBrokerUrl().broker().url());
    assertEquals("tcp://10.0.0.2:1883", parse(MINIMAL).withBrokerUrl("tcp://10.0.0.2:1883").requireBrokerUrl()
        .broker().url());
    assertEquals("tcp://localhost:1883", NodeConfig.example().requireBrokerUrl().broker().url());
  }

  @Test
  void inputDefaultsAreIdleLowWithoutDeviceClass() throws Exception {
    NodeConfig.Input in = parse(MINIMAL + "inputs:\n  - {name: button, pin: 22}\n").inputs().get(0);

    assertEquals(new NodeConfig.Input("button", 22, 20, NodeConfig.Pull.DOWN, false, null), in);
    assertNull(in.deviceClass());
  }

  @Test
  void mqtt5DefaultsAreAutoWithWillDelaySessionExpiryAndTwiceTheHeartbeat() throws Exception {
    NodeConfig c = parse(MINIMAL + "sensors:\n  - { type: bme280, heartbeat: 5m }\n"
        + "  - { type: bh1750, interval: 1s, heartbeat: 1500ms }\n");

    assertEquals(NodeConfig.Protocol.AUTO, c.broker().protocol());
    assertEquals(30, c.broker().willDelaySeconds());
    assertEquals(3_600, c.broker().sessionExpirySeconds());
    assertEquals(List.of(), c.broker().mqtt5OnlyKeys());
    assertEquals(600, c.publish().messageExpirySeconds(c.sensors().get(0)), "2 x 5 min");
    assertEquals(3, c.publish().messageExpirySeconds(c.sensors().get(1)), "2 x 1.5 s, whole seconds");
    assertTrue(c.summary().contains("  mqtt auto (5.0, else 3.1.1), will delay 30s, session expiry 1h, readings"
        + " expire after 2 x heartbeat"), c.summary());
  }

  @Test
  void topicAliasesDefaultToOnePerStateTopicAndZeroTurnsThemOff() throws Exception {
    String hardware = "sensors:\n  - { type: bme280 }\n  - { type: bh1750 }\ninputs:\n  - { name: motion, pin: 27 }\n"
        + "relays:\n  - { name: lights, pin: 17 }\n";
    NodeConfig c = parse(MINIMAL + hardware);
    assertEquals(6, c.publish().topicAliases(), "temperature, humidity, pressure, illuminance, motion, lights");
    assertEquals(c.stateTopics().size(), c.publish().topicAliases());
    assertEquals(List.of(), c.broker().mqtt5OnlyKeys(), "the default is not written");
    assertTrue(c.summary().contains(", topic aliases up to 6"), c.summary());
    assertFalse(c.summary().contains("unused"), c.summary());
    NodeConfig noJournal = parse(MINIMAL + "journal:\n  enabled: false\n" + hardware);
    assertTrue(noJournal.summary().contains(", topic aliases up to 6" + System.lineSeparator()), noJournal.summary());

    NodeConfig off = parse(MINIMAL + "publish:\n  topic_aliases: 0\n" + hardware);
    assertEquals(0, off.publish().topicAliases());
    assertTrue(off.summary().contains(", topic aliases off"), off.summary());

    NodeConfig old = parse(MINIMAL + "broker:\n  protocol: 3.1.1\npublish:\n  topic_aliases: 4\n" + hardware);
    assertEquals(List.of("publish.topic_aliases"), old.broker().mqtt5OnlyKeys(), "named in the 3.1.1 warning");
    assertTrue(old.summary().contains("(ignored: publish.topic_aliases)"), old.summary());
  }

  @Test
  void mqtt5KeysAreReadAndNamedWhenThreePointOneOneIgnoresThem() throws Exception {
    NodeConfig five = parse(MINIMAL + "broker:\n  protocol: 5\n  will_delay: 0s\n  session_expiry: 0s\n"
        + "publish:\n  message_expiry: 0s\n");
    assertEquals(NodeConfig.Protocol.MQTT_5, five.broker().protocol());
    assertEquals(0, five.broker().willDelaySeconds());
    assertEquals(0, five.broker().sessionExpirySeconds());
    assertEquals(0, five.publish().messageExpirySeconds(), "no expiry");
    assertTrue(five.summary().contains("  mqtt 5.0, will delay none, session expiry none (clean session), readings"
        + " expire never"), five.summary());

    NodeConfig old = parse(MINIMAL + "broker:\n  protocol: 3.1.1\n  will_delay: 1m\n  session_expiry: 10s\n"
        + "publish:\n  message_expiry: 1h\n");
    assertEquals(NodeConfig.Protocol.MQTT_3_1_1, old.broker().protocol());
    assertEquals(List.of("broker.will_delay", "broker.session_expiry", "publish.message_expiry"),
        old.broker().mqtt5OnlyKeys());
    assertTrue(old.summary().contains("  mqtt 3.1.1: clean session, last will at once, readings do not expire"
        + " (ignored: broker.will_delay, broker.session_expiry, publish.message_expiry)"), old.summary());
  }

  private static NodeConfig parse(String yaml) throws ConfigException, IOException {
    return NodeConfig.parse(yaml, "node.yaml", Path.of("."));
  }
}
