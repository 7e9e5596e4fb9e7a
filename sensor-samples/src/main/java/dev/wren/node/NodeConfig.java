package dev.wren.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the node needs to run, validated as a whole: read from YAML by {@link #load(Path)} or
 * {@link #parse(String, String, Path)}, or the built-in example {@link #example()} (the mission's living room:
 * a BME280 and a relay {@code lights}). Immutable; {@link #toString()} and {@link #summary()} never show the
 * password.
 *
 * <p>Every topic is {@code <topicPrefix>/<name>}: readings, inputs and relay states; relays are commanded on
 * {@code <topicPrefix>/<relay>/set}; the status (online/offline) is {@code <topicPrefix>/status}.
 *
 * @param source           where the configuration came from, for messages (a file name or {@code built-in example})
 * @param room             the room name, default topic level and Home Assistant area hint
 * @param nodeId           the Home Assistant node id and the default MQTT client id
 * @param topicPrefix      first levels of every topic, default {@code home/<room>}
 * @param loopPeriodMillis the longest the loop waits for the broker before it looks at inputs and sensors again
 * @param gpioChip         the Linux GPIO chip for inputs and relays, e.g. {@code gpiochip0}
 * @param simulate         replace every sensor, input and relay with its simulation
 * @param broker           where and how to connect
 * @param journal          the crash-safe outbound journal that keeps readings while the broker is away
 * @param publish          how readings are published (MQTT 5.0 message expiry)
 * @param discovery        Home Assistant discovery settings
 * @param sensors          the sensors, in configuration order
 * @param inputs           the digital inputs (motion, buttons, contacts)
 * @param relays           the relays (digital outputs)
 */
public record NodeConfig(
    String source,
    String room,
    String nodeId,
    String topicPrefix,
    long loopPeriodMillis,
    String gpioChip,
    boolean simulate,
    Broker broker,
    Journal journal,
    Publish publish,
    Discovery discovery,
    List<Sensor> sensors,
    List<Input> inputs,
    List<Relay> relays) {

  /** The classpath resource holding the built-in example, a copy of {@code deploy/node.yaml}. */
  static final String EXAMPLE_RESOURCE = "/dev/wren/node/node.yaml";

  /** Copies the lists, so a config never changes after it was validated. */
  public NodeConfig {
    sensors = List.copyOf(sensors);
    inputs = List.copyOf(inputs);
    relays = List.copyOf(relays);
  }

  /**
   * The broker connection.
   *
   * @param url                     {@code tcp://host[:port]}, {@code mqtt://}, {@code ssl://} or {@code mqtts://};
   *                                {@link #DEFAULT_URL} when not written
   * @param urlWritten              whether the configuration (or {@code --broker}) named the URL; a node started
   *                                from the command line needs it ({@link NodeConfig#requireBrokerUrl()})
   * @param urlLine                 line of {@code broker.url}, or of the mapping where it is missing; 0 when it
   *                                came from the command line
   * @param clientId                MQTT client identifier (MQTT 3.1.1 §3.1.3.1)
   * @param userName                user name, or null for none
   * @param password                password bytes (UTF-8), or null for none; never logged
   * @param caFile                  PEM file of the CA to trust for {@code ssl://}, or null for the JDK's
   * @param certFile                PEM client certificate for mutual TLS, or null
   * @param keyFile                 PEM private key of {@code certFile}, or null
   * @param keepAliveSeconds        MQTT keep-alive (MQTT 3.1.1 §3.1.2.10), 0..65535
   * @param connectTimeoutMillis    longest wait for the TCP connection and the CONNACK
   * @param reconnectMinDelayMillis first wait after losing the broker
   * @param reconnectMaxDelayMillis longest wait between two attempts (the backoff grows up to it)
   * @param reconnectMultiplier     growth of the wait after each failed attempt, 1.0..10.0
   * @param reconnectJitter         fraction of each wait that is random (0.5: between half and all of it), 0..1
   * @param protocol                the MQTT version to speak ({@code broker.protocol})
   * @param willDelaySeconds        MQTT 5.0 Will Delay Interval (§3.1.3.2.2) of the {@code offline} will: a
   *                                connection back within it publishes no {@code offline}; 0 = at once
   * @param sessionExpirySeconds    MQTT 5.0 Session Expiry Interval (§3.1.2.11.2): how long the broker keeps the
   *                                node's session (command subscriptions, QoS 1 commands queued meanwhile) after the
   *                                connection ends; 0 = a clean session on every connection, as at 3.1.1
   * @param mqtt5OnlyKeys           the keys written in the configuration that only MQTT 5.0 honours (for the
   *                                warning when 3.1.1 is spoken), e.g. {@code broker.will_delay}
   */
  public record Broker(
      String url,
      boolean urlWritten,
      int urlLine,
      String clientId,
      String userName,
      byte[] password,
      Path caFile,
      Path certFile,
      Path keyFile,
      int keepAliveSeconds,
      int connectTimeoutMillis,
      int reconnectMinDelayMillis,
      int reconnectMaxDelayMillis,
      double reconnectMultiplier,
      double reconnectJitter,
      Protocol protocol,
      int willDelaySeconds,
      long sessionExpirySeconds,
      List<String> mqtt5OnlyKeys) {

    /** Default {@code broker.will_delay}: a network blip or a broker restart shorter than this shows no offline. */
    public static final int DEFAULT_WILL_DELAY_SECONDS = 30;
    /** Default {@code broker.session_expiry}: a reboot of the node (a minute or two) stays well within it. */
    public static final long DEFAULT_SESSION_EXPIRY_SECONDS = 3_600;

    /** Copies the list. */
    public Broker {
      mqtt5OnlyKeys = List.copyOf(mqtt5OnlyKeys);
    }

    /** The broker on the node's own machine: what {@code broker.url} means when written so, never silently. */
    public static final String DEFAULT_URL = "tcp://localhost:1883";

    /** True when the URL asks for TLS ({@code ssl://} or {@code mqtts://}). */
    public boolean tls() {
      return url.startsWith("ssl://") || url.startsWith("mqtts://");
    }

    /** Names every field but shows only whether a password is set. */
    @Override
    public String toString() {
      return "Broker[url=" + url + (urlWritten ? "" : " (not written)") + ", clientId=" + clientId + ", userName=" + userName
          + ", password=" + (password == null ? "none" : "(set)") + ", caFile=" + caFile + ", certFile=" + certFile
          + ", keyFile=" + keyFile + ", keepAliveSeconds=" + keepAliveSeconds
          + ", connectTimeoutMillis=" + connectTimeoutMillis + ", reconnectMinDelayMillis=" + reconnectMinDelayMillis
          + ", reconnectMaxDelayMillis=" + reconnectMaxDelayMillis + ", reconnectMultiplier=" + reconnectMultiplier
          + ", reconnectJitter=" + reconnectJitter + ", protocol=" + protocol.configName()
          + ", willDelaySeconds=" + willDelaySeconds + ", sessionExpirySeconds=" + sessionExpirySeconds + "]";
    }

    /** The same settings with another broker URL (already validated). */
    Broker withUrl(String newUrl) {
      return new Broker(newUrl, true, 0, clientId, userName, password, caFile, certFile, keyFile, keepAliveSeconds,
          connectTimeoutMillis, reconnectMinDelayMillis, reconnectMaxDelayMillis, reconnectMultiplier,
          reconnectJitter, protocol, willDelaySeconds, sessionExpirySeconds, mqtt5OnlyKeys);
    }

    /** The same settings naming {@code keys} as the MQTT 5.0 options written (the reader adds other sections'). */
    Broker withMqtt5OnlyKeys(List<String> keys) {
      return new Broker(url, urlWritten, urlLine, clientId, userName, password, caFile, certFile, keyFile,
          keepAliveSeconds, connectTimeoutMillis, reconnectMinDelayMillis, reconnectMaxDelayMillis,
          reconnectMultiplier, reconnectJitter, protocol, willDelaySeconds, sessionExpirySeconds, keys);
    }
  }

  /** The MQTT version the node speaks ({@code broker.protocol}). */
  public enum Protocol {
    /** MQTT 5.0 only: a broker that does not speak it refuses the connection. */
    MQTT_5("5"),
    /** MQTT 3.1.1 only: no will delay, no session or message expiry (a clean session on every connection). */
    MQTT_3_1_1("3.1.1"),
    /** MQTT 5.0, and 3.1.1 for good when the broker refuses 5.0 (the default). */
    AUTO("auto");

    private final String configName;

    Protocol(String configName) {
      this.configName = configName;
    }

    /** How {@code broker.protocol} writes it: {@code 5}, {@code 3.1.1} or {@code auto}. */
    public String configName() {
      return configName;
    }
  }

  /**
   * How readings and states are published (MQTT 5.0 options; both ignored at 3.1.1).
   *
   * @param messageExpirySeconds MQTT 5.0 Message Expiry Interval (§3.3.2.3.3) on every reading: the broker drops a
   *                             retained reading (and one queued for an absent subscriber) this long after receiving
   *                             it, so a dead node's last temperature does not look current; {@link #TWICE_HEARTBEAT}
   *                             (the default) for 2 × the heartbeat of the reading's sensor, 0 for none
   * @param topicAliases         MQTT 5.0 Topic Aliases (§3.3.2.3.4) the client may set up per connection, 0..65535,
   *                             0 = off; default one per state topic (readings, inputs, relays: {@link
   *                             NodeConfig#stateTopics()}), so every repeated publish names its topic by a 2-byte
   *                             alias. The broker's Topic Alias Maximum bounds it (mosquitto: 10 by default),
   *                             with the journal on or off
   */
  public record Publish(long messageExpirySeconds, int topicAliases) {
    /** {@code publish.message_expiry} not written: each sensor's readings expire after 2 × its heartbeat. */
    public static final long TWICE_HEARTBEAT = -1;

    /**
     * The message expiry of the readings of {@code sensor} in seconds, 0 for none: the configured one, or 2 × its
     * heartbeat rounded up to whole seconds.
     */
    public long messageExpirySeconds(Sensor sensor) {
      return messageExpirySeconds != TWICE_HEARTBEAT ? messageExpirySeconds
          : (2 * sensor.heartbeatMillis() + 999) / 1_000;
    }
  }

  /**
   * The outbound journal: a preallocated file that holds every reading, input and relay state published at QoS 1
   * until the broker acknowledges it, across broker outages, crashes and power cuts
   * (client-journal's {@code JournalStore}). When it is full, the oldest message not yet sent is dropped to make room
   * and the drop is logged with the running total.
   *
   * @param enabled            false: messages wait in memory only (the in-flight window, 16 messages) and
   *                           readings taken while the window is full are not sent
   * @param file               the journal file; default {@link #defaultJournalFile}
   * @param sizeBytes          the file's fixed size, a multiple of 128 bytes
   * @param syncEveryRecords   force to the medium after this many records; 0 = not by count
   * @param syncIntervalMillis force this long after the first unforced record; 0 = not by time
   */
  public record Journal(boolean enabled, Path file, int sizeBytes, int syncEveryRecords, int syncIntervalMillis) {
    /** Default size: about 8,000 readings (a reading takes one 128-byte block). */
    public static final int DEFAULT_SIZE_BYTES = 1024 * 1024;
  }

  /**
   * Where the journal lives when {@code journal.file} is not given: {@code $STATE_DIRECTORY/journal} when systemd
   * runs the node with {@code StateDirectory=wren-node} ({@code /var/lib/wren-node/journal}, the unit in
   * {@code deploy/}); otherwise {@code wren-node-<node id>.journal} in {@code java.io.tmpdir}, writable by any user
   * (a {@code --simulate} run; a tmpfs {@code /tmp} does not keep it across a reboot).
   *
   * @param nodeId         the node id, so two nodes on one machine do not share a file
   * @param stateDirectory the value of {@code STATE_DIRECTORY}, or null; systemd separates several with ':'
   */
  static Path defaultJournalFile(String nodeId, String stateDirectory) {
    if (stateDirectory != null && !stateDirectory.isBlank()) {
      return Path.of(stateDirectory.split(":", 2)[0], "journal");
    }
    return Path.of(System.getProperty("java.io.tmpdir"), "wren-node-" + nodeId + ".journal");
  }

  /**
   * Home Assistant MQTT discovery.
   *
   * @param enabled whether discovery configs are published (retained) on connect and on HA's birth message
   * @param prefix  the discovery prefix, {@code homeassistant} unless HA was configured otherwise
   * @param schema  one config per entity (the default: every HA version and openHAB read it) or one per device
   */
  public record Discovery(boolean enabled, String prefix, Schema schema) {
    /** The shape of the discovery messages (Home Assistant's MQTT integration, "Discovery messages"). */
    public enum Schema {
      /** One retained config per entity on {@code <prefix>/<component>/<node_id>/<object_id>/config}. */
      ENTITY,
      /** One retained config for the whole node on {@code <prefix>/device/<node_id>/config}, entities under {@code cmps}
       * (Home Assistant 2024.11 and later). */
      DEVICE
    }

    /** The topic on which Home Assistant announces itself ({@code <prefix>/status}, payload {@code online}). */
    public String birthTopic() {
      return prefix + "/status";
    }
  }

  /**
   * One sensor chip and what it publishes.
   *
   * @param type            the chip
   * @param bus             I2C bus number ({@code /dev/i2c-<bus>}); -1 for 1-Wire
   * @param address         I2C address; -1 for 1-Wire
   * @param oneWireId       the 1-Wire id ({@code 28-…}) of a DS18B20; null for I2C
   * @param intervalMillis  how often the chip is read
   * @param heartbeatMillis longest time between two publishes of a reading, even when it did not move
   * @param retain          whether readings are published retained
   * @param readings        the quantities published, each with its topic name and deadband
   */
  public record Sensor(
      SensorType type,
      int bus,
      int address,
      String oneWireId,
      long intervalMillis,
      long heartbeatMillis,
      boolean retain,
      List<Reading> readings) {

    /** Copies the list. */
    public Sensor {
      readings = List.copyOf(readings);
    }

    /** Where the chip sits, for messages: {@code bme280 on i2c-1 at 0x76} or {@code ds18b20 28-…}. */
    public String location() {
      return type.isOneWire()
          ? type.configName() + " " + oneWireId
          : String.format("%s on i2c-%d at 0x%02X", type.configName(), bus, address);
    }
  }

  /**
   * One published quantity of a sensor.
   *
   * @param quantity       what is measured (fixes unit and decimals)
   * @param name           the last topic level and the Home Assistant object id
   * @param deadbandScaled publish only when the value moved by more than this, in units of
   *                       10^-{@link Quantity#decimals()}
   */
  public record Reading(Quantity quantity, String name, long deadbandScaled) {
  }

  /** Input pull resistor. */
  public enum Pull {
    /** Pull-up: the line reads high when nothing drives it. */
    UP,
    /** Pull-down: the line reads low when nothing drives it. */
    DOWN,
    /** No pull: the sensor drives the line both ways (most PIR modules). */
    NONE
  }

  /**
   * One digital input published as {@code ON}/{@code OFF}.
   *
   * @param name           the last topic level and Home Assistant object id
   * @param pin            BCM GPIO number 0..27
   * @param debounceMillis edges closer than this are merged
   * @param pull           pull resistor
   * @param activeLow      true when a low level means {@code ON} (buttons to ground)
   * @param deviceClass    Home Assistant binary_sensor device class (e.g. {@code motion}), or null for none
   */
  public record Input(String name, int pin, long debounceMillis, Pull pull, boolean activeLow, String deviceClass) {
  }

  /**
   * One relay (digital output) commanded on {@code <prefix>/<name>/set}.
   *
   * @param name           the last topic level and Home Assistant object id
   * @param pin            BCM GPIO number 0..27
   * @param activeLow      true when a low level switches the relay on (most relay boards)
   * @param safeStateOn    the state at start, on shutdown and when the node stops: false = off
   * @param interlockGroup relays of one group are never on together; null for none
   * @param maxOnMillis    switched off after being on this long; 0 for no limit
   */
  public record Relay(String name, int pin, boolean activeLow, boolean safeStateOn, String interlockGroup,
      long maxOnMillis) {
  }

  /** The topic of a reading, input or relay state: {@code <topicPrefix>/<name>}. */
  public String topic(String name) {
    return topicPrefix + "/" + name;
  }

  /** The topic on which a relay is commanded: {@code <topicPrefix>/<name>/set}. */
  public String commandTopic(String relayName) {
    return topicPrefix + "/" + relayName + "/set";
  }

  /** The status topic carrying {@code online} and, as the last will, {@code offline}. */
  public String statusTopic() {
    return topicPrefix + "/status";
  }

  /**
   * Reads and validates a YAML file; a relative {@code password_file} or TLS file is resolved against the
   * file's folder.
   *
   * @throws IOException     the file cannot be read
   * @throws ConfigException the content is wrong: every problem with its line and key path
   */
  public static NodeConfig load(Path file) throws IOException, ConfigException {
    String yaml = Files.readString(file, StandardCharsets.UTF_8);
    Path folder = file.toAbsolutePath().getParent();
    return parse(yaml, file.getFileName().toString(), folder);
  }

  /**
   * Validates YAML text.
   *
   * @param yaml    the document
   * @param source  a label for messages, e.g. the file name
   * @param baseDir the folder against which relative file names are resolved
   * @throws ConfigException every problem found, each with its line and key path
   */
  public static NodeConfig parse(String yaml, String source, Path baseDir) throws ConfigException {
    return new ConfigReader(source, baseDir).read(yaml);
  }

  /**
   * The built-in example ({@code deploy/node.yaml}, bundled in the jar): room {@code living_room}, a BME280
   * publishing {@code home/living_room/temperature|humidity|pressure}, the relay {@code lights}, broker
   * {@code tcp://localhost:1883}.
   */
  public static NodeConfig example() {
    try (InputStream in = NodeConfig.class.getResourceAsStream(EXAMPLE_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the built-in example " + EXAMPLE_RESOURCE + " is missing from the jar");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "built-in example", Path.of(""));
    } catch (IOException | ConfigException e) {
      throw new IllegalStateException("the built-in example does not load: " + e.getMessage(), e);
    }
  }

  /**
   * The same configuration with another broker URL (the {@code --broker} option).
   *
   * @throws ConfigException the URL is not {@code tcp|mqtt|ssl|mqtts://host[:port]}
   */
  public NodeConfig withBrokerUrl(String url) throws ConfigException {
    String problem = BrokerUrl.check(url);
    if (problem != null) {
      throw new ConfigException(List.of(new ConfigException.Problem("command line", 0, "--broker", problem)));
    }
    return new NodeConfig(source, room, nodeId, topicPrefix, loopPeriodMillis, gpioChip, simulate,
        broker.withUrl(url), journal, publish, discovery, sensors, inputs, relays);
  }

  /**
   * This configuration, when it names its broker: {@code broker.url} is written (the default
   * {@code tcp://localhost:1883} too, when meant) or {@code --broker} gave it. A node started from the command line
   * must not connect to a broker the user never chose.
   *
   * @throws ConfigException {@code broker.url} is missing, with the line of the mapping where it belongs
   */
  public NodeConfig requireBrokerUrl() throws ConfigException {
    if (broker.urlWritten()) {
      return this;
    }
    throw new ConfigException(List.of(new ConfigException.Problem(source, broker.urlLine(), "broker.url",
        "missing: the broker to connect to, e.g. url: " + Broker.DEFAULT_URL + " for one on this machine"
            + " (or give --broker URL)")));
  }

  /** The same configuration with every sensor, input and relay simulated (the {@code --simulate} option). */
  public NodeConfig withSimulate(boolean simulated) {
    return new NodeConfig(source, room, nodeId, topicPrefix, loopPeriodMillis, gpioChip, simulated, broker,
        journal, publish, discovery, sensors, inputs, relays);
  }

  /** The same configuration with Home Assistant discovery switched on or off. */
  public NodeConfig withDiscovery(boolean enabled) {
    return new NodeConfig(source, room, nodeId, topicPrefix, loopPeriodMillis, gpioChip, simulate, broker,
        journal, publish, new Discovery(enabled, discovery.prefix(), discovery.schema()), sensors, inputs, relays);
  }

  /** The same configuration with another journal (tests and embedders; the YAML has the {@code journal} section). */
  public NodeConfig withJournal(Journal newJournal) {
    return new NodeConfig(source, room, nodeId, topicPrefix, loopPeriodMillis, gpioChip, simulate, broker,
        newJournal, publish, discovery, sensors, inputs, relays);
  }

  /** Every topic the node publishes readings, inputs and relay states on, in configuration order. */
  public List<String> stateTopics() {
    List<String> topics = new ArrayList<>();
    for (Sensor s : sensors) {
      for (Reading r : s.readings()) {
        topics.add(topic(r.name()));
      }
    }
    for (Input i : inputs) {
      topics.add(topic(i.name()));
    }
    for (Relay r : relays) {
      topics.add(topic(r.name()));
    }
    return topics;
  }

  private String syncText() {
    if (journal.syncEveryRecords() == 0 && journal.syncIntervalMillis() == 0) {
      return "never (survives a crash, not a power cut)";
    }
    String byCount = journal.syncEveryRecords() == 0 ? ""
        : journal.syncEveryRecords() == 1 ? "every record" : "every " + journal.syncEveryRecords() + " records";
    String byTime = journal.syncIntervalMillis() == 0 ? "" : "within " + durationText(journal.syncIntervalMillis());
    return byCount.isEmpty() ? byTime : byTime.isEmpty() ? byCount : byCount + " or " + byTime;
  }

  /**
   * A duration as the configuration writes it, in the largest unit that holds it whole: {@code 10s}, {@code 5m},
   * {@code 1500ms}, in the config's own notation ({@code 60s} reads {@code 1m}: the same duration).
   */
  static String durationText(long millis) {
    long[] unitMillis = {86_400_000, 3_600_000, 60_000, 1_000};
    String[] unitNames = {"d", "h", "m", "s"};
    for (int i = 0; i < unitMillis.length; i++) {
      if (millis != 0 && millis % unitMillis[i] == 0) {
        return millis / unitMillis[i] + unitNames[i];
      }
    }
    return millis + "ms";
  }

  /**
   * The protocol and its 5.0 options as configured, e.g. {@code auto (5.0, else 3.1.1), will delay 30s, session
   * expiry 1h, readings expire after 2 x heartbeat}; which version was negotiated is logged at connect.
   */
  String mqttText() {
    if (broker.protocol() == Protocol.MQTT_3_1_1) {
      return "3.1.1: clean session, last will at once, readings do not expire"
          + (broker.mqtt5OnlyKeys().isEmpty() ? "" : " (ignored: " + String.join(", ", broker.mqtt5OnlyKeys()) + ")");
    }
    long expiry = publish.messageExpirySeconds();
    return (broker.protocol() == Protocol.AUTO ? "auto (5.0, else 3.1.1)" : "5.0")
        + ", will delay " + (broker.willDelaySeconds() == 0 ? "none" : durationText(broker.willDelaySeconds() * 1_000L))
        + ", session expiry " + (broker.sessionExpirySeconds() == 0 ? "none (clean session)"
            : durationText(broker.sessionExpirySeconds() * 1_000L))
        + ", readings expire " + (expiry == Publish.TWICE_HEARTBEAT ? "after 2 x heartbeat"
            : expiry == 0 ? "never" : "after " + durationText(expiry * 1_000L))
        + ", topic aliases " + (publish.topicAliases() == 0 ? "off" : "up to " + publish.topicAliases());
  }

  /** A multi-line summary for the start-up log: broker, topics, hardware. Never shows the password. */
  public String summary() {
    String nl = System.lineSeparator();
    StringBuilder text = new StringBuilder();
    text.append("node ").append(nodeId).append(" (room ").append(room).append(", from ").append(source)
        .append(simulate ? ", SIMULATED IO" : "").append(")").append(nl);
    text.append("  broker ").append(broker.url()).append(" as ").append(broker.clientId())
        .append(broker.userName() == null ? "" : ", user " + broker.userName())
        .append(broker.password() == null ? "" : ", password set")
        .append(", keep-alive ").append(broker.keepAliveSeconds() == 0 ? "off"
            : durationText(broker.keepAliveSeconds() * 1_000L))
        .append(!broker.tls() ? "" : ", TLS trusting " + (broker.caFile() == null ? "the JVM's CAs" : broker.caFile())
            + (broker.certFile() == null ? "" : ", client certificate " + broker.certFile()))
        .append(nl);
    text.append("  mqtt ").append(mqttText()).append(nl);
    text.append("  journal ").append(journal.enabled() ? journal.file() + ", " + journal.sizeBytes() / 1024
        + " KiB, forced " + syncText() : "off: messages wait in memory only (16)").append(nl);
    text.append("  status ").append(statusTopic()).append(", discovery ")
        .append(discovery.enabled()
        ? "on under " + discovery.prefix() + (discovery.schema() == Discovery.Schema.DEVICE ? " (one device config)" : "")
        : "off").append(nl);
    for (Sensor s : sensors) {
      text.append("  sensor ").append(s.location()).append(", every ").append(durationText(s.intervalMillis()))
          .append(", heartbeat ").append(durationText(s.heartbeatMillis())).append(':');
      for (Reading r : s.readings()) {
        text.append(' ').append(topic(r.name()));
      }
      text.append(nl);
    }
    for (Input i : inputs) {
      text.append("  input ").append(topic(i.name())).append(" on GPIO ").append(i.pin()).append(nl);
    }
    for (Relay r : relays) {
      text.append("  relay ").append(topic(r.name())).append(" on GPIO ").append(r.pin()).append(", safe state ")
          .append(r.safeStateOn() ? "ON" : "OFF")
          .append(r.maxOnMillis() == 0 ? "" : ", max on " + durationText(r.maxOnMillis())).append(nl);
    }
    return text.toString().stripTrailing();
  }
}
