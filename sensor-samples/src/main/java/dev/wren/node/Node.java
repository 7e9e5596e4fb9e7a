package dev.wren.node;

import dev.wren.device.DeviceException;
import dev.wren.device.gpio.InputEventHandler;
import dev.wren.mqtt.MessageHandler;
import dev.wren.mqtt.MonotonicClock;
import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttConfig;
import dev.wren.mqtt.MqttException;
import dev.wren.mqtt.MqttListener;
import dev.wren.mqtt.MqttMessage;
import dev.wren.mqtt.MqttTopic;
import dev.wren.mqtt.PublishProperties;
import dev.wren.mqtt.codec.AsciiWriter;
import dev.wren.mqtt.codec.v5.PropertiesView;
import dev.wren.mqtt.codec.v5.Property;
import dev.wren.mqtt.journal.JournalStore;
import dev.wren.mqtt.tls.TlsConfig;
import dev.wren.mqtt.tls.TlsTransportFactory;
import dev.wren.mqtt.transport.TransportFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sensor node: one thread that reads the sensors, formats readings into a reused buffer, publishes them,
 * drains input events, switches relays on command and polls the broker, forever. Reconnecting is the client's
 * ({@link MqttConfig.Builder#automaticReconnect}): each {@code poll} makes the attempt that is due, with
 * exponential backoff and jitter, so the loop goes on sampling while the broker is away. Embeddable:
 * {@code wren demo} runs one in-process with {@link NodeConfig#withSimulate simulated IO}.
 *
 * <pre>
 *   new ──run()──▶ OFFLINE (poll attempts, backoff) ──onConnected──▶ announce in step() ──▶ ONLINE ──lost──▶ OFFLINE
 *                      │                                                                      │
 *                      └──────────────────────────── stop() ──────────────────────────────────┴──▶ relays safe,
 *                                                               "offline", DISCONNECT (when online) ▶ STOPPED
 * </pre>
 *
 * <p>Nothing is lost while the broker is away: every message is QoS 1 and waits in the client's journal
 * ({@link NodeConfig.Journal}, a preallocated file that survives a crash or a power cut) until the broker
 * acknowledges it; after a reconnect, or a restart of the node, the journal sends it first, in order. When the
 * journal is full its oldest unsent message is dropped and logged.
 *
 * <p>On the wire: the last will {@code offline} (retained, QoS 1) on {@code <prefix>/status}; on every connect
 * what waited in the journal, then {@code online} (retained), the relay command subscriptions (made once: with
 * a clean session the client makes them again itself after every reconnect), the Home Assistant discovery
 * configs (if on) and the current state of every reading, input and relay. Readings are published at QoS 1 as
 * plain ASCII numbers when they move by more than their deadband or their heartbeat is due. A relay command that
 * arrives retained is ignored: a stale command must not switch a load at boot. At MQTT 5.0 a command that carries a
 * Response Topic is answered there with the relay's resulting state and the command's Correlation Data
 * ({@code RelayCommands#reply}), and the client may name repeated topics by Topic Alias ({@code publish.topic_aliases}).
 *
 * <p>Safety never waits on the network: the loop never asks the client to wait longer than one tick
 * ({@code node.loop_period}), but the client can still block it for longer (a reconnect waits up to
 * {@code broker.connect_timeout} for CONNACK, the first subscribe up to 10 s for SUBACK, a write to a broker that
 * stopped reading up to {@code connect_timeout}). The node's {@link Watchdog} thread therefore puts every relay in
 * its safe state when the loop has not ticked for 3 loop periods (at least 1 s), and {@link #stop()} does so at
 * once on the stopping thread, before anything waits for the loop.
 *
 * <p>The client's {@link MqttListener} only sets flags and logs: the loop's {@link #step()} acts on them, so the
 * client is never called from inside its own callbacks.
 *
 * <p>The steady loop allocates nothing in Wren's own code with simulated IO ({@code NodeAllocationTest}), relay
 * commands included except their INFO log line, which the test turns off.
 * Logging happens on connection changes, failures, relay commands (each at INFO; a person's or an automation's
 * act, not a stream) and rate-limited warnings only, never per reading.
 */
public final class Node implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Node.class);
  private static final byte[] ONLINE = HomeAssistantDiscovery.ONLINE.getBytes(StandardCharsets.US_ASCII);
  private static final byte[] OFFLINE = HomeAssistantDiscovery.OFFLINE.getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ON = HomeAssistantDiscovery.ON.getBytes(StandardCharsets.US_ASCII);
  private static final byte[] OFF = HomeAssistantDiscovery.OFF.getBytes(StandardCharsets.US_ASCII);
  private static final int QOS = 1;
  /** Commands and HA's birth message are tiny: the largest message the node receives. */
  private static final int RECEIVE_BUFFER_BYTES = 2_048;
  /** Powers of ten for scaling a reading to its fixed decimals; {@link Quantity} uses 0..2. */
  private static final double[] POW10 = {1, 10, 100, 1_000, 10_000};
  /** An invalid command is logged at most once per this long per relay; the next line counts those left out. */
  static final long INVALID_COMMAND_LOG_NANOS = TimeUnit.SECONDS.toNanos(60);
  /** How long a clean stop waits for the broker to acknowledge the last states and {@code offline}. */
  private static final long STOP_FLUSH_MILLIS = 2_000;
  /**
   * How long a clean stop then waits for the broker to close the connection after DISCONNECT (client-core would
   * wait its operation timeout, 10 s): flush and this stay well within {@link NodeMain#STOP_TIMEOUT_MILLIS}, also
   * against a broker that never closes, or keeps trickling a message.
   */
  private static final long STOP_DISCONNECT_WAIT_MILLIS = 1_000;

  private final NodeConfig config;
  private final NodeHardware hardware;
  private final MonotonicClock clock;
  /** Replaced once at most: when AUTO falls back to 3.1.1 with a session expiry set ({@link #rebuildAt311}). */
  private MqttClient client;
  private final int largestDiscovery;
  /**
   * Loop thread: the client speaks MQTT 5.0, or tries it first (AUTO before its first connection); false at 3.1.1
   * and after AUTO fell back. Decides the command subscriptions' options and the readings' message expiry.
   */
  private boolean speaks5;
  /**
   * Loop thread: the protocol version of the messages the client stores is settled. Not so with AUTO before the
   * first connection: the client keeps a queued QoS 1 message as a frame of the level it was published at, so
   * nothing is published until the broker has said which (what was read meanwhile goes out at the announcement).
   */
  private boolean levelSettled;
  /** Set by the listener when AUTO fell back and the client must be replaced ({@link #rebuildAt311}). */
  private boolean rebuildDue;
  /** The protocol of the last connection, for the log and the demo; null before the first one. */
  private volatile String protocolText;
  private final long loopPeriodNanos;
  /** Puts the relays safe when the loop stalls, and at once on stop; see {@link Watchdog}. */
  private final Watchdog watchdog;
  /** The watchdog's trip count the loop last published the relay states for (loop thread only). */
  private long watchdogTripsSeen;

  private final MqttTopic statusTopic;
  private final MqttTopic[] discoveryTopics;
  private final byte[][] discoveryPayloads;

  private final ReadingTable readings;
  private final MqttTopic[] readingTopics;
  private final int[] readingDecimals;
  private final boolean[] readingRetain;
  /** Per reading: its MQTT 5.0 Message Expiry Interval in seconds, 0 for none ({@link NodeConfig.Publish}). */
  private final long[] readingExpirySeconds;
  /** The properties of a reading (its message expiry) at 5.0: refilled in place for each one, nothing allocated. */
  private final PublishProperties readingProperties = new PublishProperties(8);
  /**
   * The properties of a reply to a command (its Correlation Data), refilled for each one: a received command is at
   * most {@link #RECEIVE_BUFFER_BYTES}, so its correlation data fits.
   */
  private final PublishProperties replyProperties = new PublishProperties(RECEIVE_BUFFER_BYTES);
  private final NodeConfig.Reading[] readingConfigs;
  /** Per reading: the deadband held a value back once, which was logged (once per reading and run). */
  private final boolean[] readingHeldLogged;
  private final int[] sensorFirstChannel;
  private final long[] sensorIntervalNanos;
  private final long[] sensorNextDueNanos;
  private final boolean[] sensorFailing;
  private final double[] sampleValues;
  private final byte[] payload = new byte[32];

  private final MqttTopic[] relayStateTopics;
  private final MqttTopic[] relayCommandTopics;
  private final boolean[] relayStateDirty;
  private final boolean[] relayRetainedWarned;
  /** Per relay: an invalid command was logged, when (clock time), and how many were left out since. */
  private final boolean[] relayInvalidLogged;
  private final long[] relayInvalidLoggedAtNanos;
  private final int[] relayInvalidSuppressed;
  /**
   * Where relay commands are logged (at INFO, each one: what, from which topic, the new state). A log line
   * allocates (slf4j-simple formats it), unlike the rest of the loop: {@code NodeAllocationTest} measures the loop
   * with this set to a no-op logger ({@link #commandLog(Logger)}). Loop thread only.
   */
  private Logger commandLog = LOG;

  private final MqttTopic[] inputTopics;
  private final boolean[] inputActive;
  private final InputPublisher inputPublisher = new InputPublisher();
  private final RelayCommands relayCommands = new RelayCommands();
  private final MessageHandler homeAssistantStatus = this::onHomeAssistantStatus;
  /**
   * Messages for no subscription of this client: those a resumed session delivers right after CONNACK, before the
   * node (restarted within {@code broker.session_expiry}) has subscribed again. A relay command among them is a
   * command; anything else is logged at debug.
   */
  private final MessageHandler unsubscribed = message -> {
    if (!relayCommands.handle(message)) {
      LOG.debug("unexpected message on {}", message.topic());
    }
  };

  /** Work handed to the loop thread by others (tests, the demo): the simulated IO is not thread-safe. */
  private final Queue<Runnable> loopTasks = new ConcurrentLinkedQueue<>();
  private volatile boolean stopRequested;
  private volatile Thread loopThread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  /** The client's view after the last poll, for other threads. */
  private volatile boolean connected;
  /** Set by the listener on every accepted connection; the loop announces the node ({@link #announce}). */
  private boolean announceDue;
  /**
   * Since when the node has had no connection (construction, or the last loss): a reading published since then
   * waits in the journal and goes out before the announcement, which therefore does not repeat it.
   */
  private long offlineSinceNanos;
  /** Set when Home Assistant announces itself: discovery configs and states go out again. */
  private boolean discoveryDue;
  /** The command subscriptions were made; the client renews them after every reconnect by itself. */
  private boolean subscribed;
  /** A failed publish or poll was logged since the last connect: repeats go to debug. */
  private boolean failureLogged;
  /** Dropped-message total at which the next drop is logged (doubles: an outage does not flood the log). */
  private long nextDropLogAt = 1;
  private volatile long connectionCount;
  private volatile int failedAttempts;

  /**
   * Builds the node: allocates every buffer and topic once and takes over the IO (relays go to their safe
   * state now); connects only in {@link #run()}. Simulated IO when {@link NodeConfig#simulate()}.
   *
   * @throws NodeStartException an input or relay line could not be claimed (names the line), Pi4J found no
   *                            GPIO, or a TLS file cannot be used (names the file); a sensor
   *                            that does not answer is no reason: the loop keeps trying it
   */
  public static Node create(NodeConfig config) {
    return create(config, MonotonicClock.SYSTEM);
  }

  static Node create(NodeConfig config, MonotonicClock clock) {
    if (!config.simulate()) {
      String problem = gpioProblem(config, Path.of("/dev"));
      if (problem != null) {
        throw new NodeStartException(problem, null); // before Pi4J, whose board detection logs errors of its own
      }
    }
    NodeHardware hardware;
    try {
      hardware = config.simulate() ? NodeHardware.simulated(config, clock::nanoTime)
          : NodeHardware.pi4j(config, clock::nanoTime);
    } catch (DeviceException e) {
      throw new NodeStartException("cannot set up the hardware: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      // Pi4J reports a missing platform (no GPIO chip, not a Pi) with its own runtime exceptions.
      throw new NodeStartException("cannot set up the hardware (is this a Raspberry Pi? --simulate runs"
          + " without one): " + e, e);
    }
    try {
      return new Node(config, hardware, clock);
    } catch (RuntimeException e) {
      hardware.close();
      throw e;
    }
  }

  /**
   * Why the configured GPIO chip cannot be used, naming what to check, or null: it is in {@code dev} and readable
   * and writable (a node without relays and inputs needs none).
   */
  static String gpioProblem(NodeConfig config, Path dev) {
    if (config.relays().isEmpty() && config.inputs().isEmpty()) {
      return null;
    }
    Path chip = dev.resolve(config.gpioChip() == null ? "gpiochip0" : config.gpioChip());
    if (!Files.exists(chip)) {
      return chip + " does not exist: is this a Raspberry Pi (a Pi 5 with a kernel before 6.6.45: node.gpio_chip:"
          + " gpiochip4)? wren-node --probe lists what is there; --simulate runs without hardware";
    }
    if (!Files.isReadable(chip) || !Files.isWritable(chip)) {
      return "no read/write access to " + chip + " as user " + System.getProperty("user.name")
          + ": is the user in group gpio (sudo usermod -aG gpio USER)? wren-node --probe shows the groups";
    }
    return null;
  }

  Node(NodeConfig config, NodeHardware hardware, MonotonicClock clock) {
    this.config = config;
    this.hardware = hardware;
    this.clock = clock;
    this.loopPeriodNanos = TimeUnit.MILLISECONDS.toNanos(config.loopPeriodMillis());
    this.watchdog = new Watchdog(clock, hardware.relays, loopPeriodNanos);

    statusTopic = MqttTopic.of(config.statusTopic());
    List<HomeAssistantDiscovery.Message> discovery = HomeAssistantDiscovery.build(config, softwareVersion());
    discoveryTopics = new MqttTopic[discovery.size()];
    discoveryPayloads = new byte[discovery.size()][];
    int largest = 0;
    for (int i = 0; i < discoveryTopics.length; i++) {
      discoveryTopics[i] = MqttTopic.of(discovery.get(i).topic());
      discoveryPayloads[i] = discovery.get(i).payload();
      largest = Math.max(largest, discoveryPayloads[i].length + discovery.get(i).topic().length());
    }
    largestDiscovery = largest;
    speaks5 = config.broker().protocol() != NodeConfig.Protocol.MQTT_3_1_1;
    levelSettled = config.broker().protocol() != NodeConfig.Protocol.AUTO;

    List<NodeConfig.Sensor> sensors = config.sensors();
    readings = new ReadingTable(sensors);
    readingTopics = new MqttTopic[readings.size()];
    readingDecimals = new int[readings.size()];
    readingRetain = new boolean[readings.size()];
    readingExpirySeconds = new long[readings.size()];
    readingConfigs = new NodeConfig.Reading[readings.size()];
    readingHeldLogged = new boolean[readings.size()];
    sensorFirstChannel = new int[sensors.size()];
    sensorIntervalNanos = new long[sensors.size()];
    sensorNextDueNanos = new long[sensors.size()];
    sensorFailing = new boolean[sensors.size()];
    sampleValues = new double[readings.size()];
    int channel = 0;
    long now = clock.nanoTime();
    offlineSinceNanos = now;
    for (int s = 0; s < sensors.size(); s++) {
      NodeConfig.Sensor sensor = sensors.get(s);
      sensorFirstChannel[s] = channel;
      sensorIntervalNanos[s] = TimeUnit.MILLISECONDS.toNanos(sensor.intervalMillis());
      sensorNextDueNanos[s] = now;
      for (NodeConfig.Reading r : sensor.readings()) {
        readingTopics[channel] = MqttTopic.of(config.topic(r.name()));
        readingDecimals[channel] = r.quantity().decimals();
        readingRetain[channel] = sensor.retain();
        readingExpirySeconds[channel] = config.publish().messageExpirySeconds(sensor);
        readingConfigs[channel] = r;
        channel++;
      }
    }

    List<NodeConfig.Relay> relays = config.relays();
    relayStateTopics = new MqttTopic[relays.size()];
    relayCommandTopics = new MqttTopic[relays.size()];
    relayStateDirty = new boolean[relays.size()];
    relayRetainedWarned = new boolean[relays.size()];
    relayInvalidLogged = new boolean[relays.size()];
    relayInvalidLoggedAtNanos = new long[relays.size()];
    relayInvalidSuppressed = new int[relays.size()];
    for (int i = 0; i < relays.size(); i++) {
      relayStateTopics[i] = MqttTopic.of(config.topic(relays.get(i).name()));
      relayCommandTopics[i] = MqttTopic.of(config.commandTopic(relays.get(i).name()));
    }
    List<NodeConfig.Input> inputs = config.inputs();
    inputTopics = new MqttTopic[inputs.size()];
    inputActive = new boolean[inputs.size()];
    for (int i = 0; i < inputs.size(); i++) {
      inputTopics[i] = MqttTopic.of(config.topic(inputs.get(i).name()));
      inputActive[i] = hardware.inputs[i].active();
    }

    client = openClient(mqttConfig(config, clock, largestDiscovery, protocolLevel(config.broker().protocol())),
        config.journal());
    client.setDefaultHandler(unsubscribed);
  }

  /** client-core's protocol level for {@code broker.protocol}. */
  private static int protocolLevel(NodeConfig.Protocol protocol) {
    return switch (protocol) {
      case MQTT_5 -> MqttConfig.MQTT_5;
      case MQTT_3_1_1 -> MqttConfig.MQTT_3_1_1;
      case AUTO -> MqttConfig.MQTT_AUTO;
    };
  }

  /** Builds the client, which opens the journal; a journal that cannot be used stops the start, naming it. */
  private static MqttClient openClient(MqttConfig mqtt, NodeConfig.Journal journal) {
    MqttClient c;
    try {
      c = new MqttClient(mqtt);
    } catch (UncheckedIOException | IllegalArgumentException e) {
      // Journal messages name the journal; anything else (a CONNECT larger than the buffer) is the client's.
      throw new NodeStartException(journal.enabled() && e.getMessage().contains("journal")
          ? "journal " + journal.file() + " (" + journal.sizeBytes() + " bytes, config keys journal.file and"
              + " journal.size): " + e.getMessage()
          : "cannot set up the MQTT client: " + e.getMessage(), e, false);
    }
    int waiting = c.inflightCount() + c.queuedCount();
    if (waiting > 0) {
      LOG.info("journal {} holds {} messages not yet acknowledged; they go out first", journal.file(), waiting);
    }
    return c;
  }

  /**
   * The client's configuration at protocol {@code level}. At 5.0 (and AUTO) with a session expiry: Clean Start 0
   * and the Session Expiry Interval, so the broker keeps the session (and holds back the will for its delay) across
   * a lost connection; the will carries the Will Delay Interval. At 3.1.1 a clean session on every connection, as
   * ever: CleanSession 0 there would be a session the broker keeps forever (MQTT 3.1.1 §3.1.2.4).
   */
  private MqttConfig mqttConfig(NodeConfig c, MonotonicClock clock, int largestDiscovery, int level) {
    NodeConfig.Broker b = c.broker();
    boolean keepSession = level != MqttConfig.MQTT_3_1_1 && b.sessionExpirySeconds() > 0;
    MqttConfig.Builder m = MqttConfig.builder()
        .serverUri(b.url())
        .clientId(b.clientId())
        .protocolVersion(level)
        .cleanSession(!keepSession)
        .keepAliveSeconds(b.keepAliveSeconds())
        .connectTimeoutMillis(b.connectTimeoutMillis())
        .will(c.statusTopic(), OFFLINE, QOS, true)
        // Discovery configs are the largest thing sent.
        .receiveBufferBytes(RECEIVE_BUFFER_BYTES)
        .transmitBufferBytes(Math.max(2_048, largestDiscovery + 64))
        .maxSubscriptions(c.relays().size() + 1)
        .clock(clock)
        .listener(new ConnectionEvents())
        .automaticReconnect(true)
        .reconnectBackoff(b.reconnectMinDelayMillis(), b.reconnectMaxDelayMillis(), b.reconnectMultiplier(),
            b.reconnectJitter());
    if (keepSession) {
      m.sessionExpiryIntervalSeconds(b.sessionExpirySeconds());
    }
    if (level != MqttConfig.MQTT_3_1_1 && b.willDelaySeconds() > 0) {
      m.willProperties(b.willDelaySeconds(), -1, false, null, null, null);
    }
    if (level != MqttConfig.MQTT_3_1_1 && c.publish().topicAliases() > 0) {
      m.topicAliases(c.publish().topicAliases(), longestStateTopicBytes(c));
    }
    NodeConfig.Journal j = c.journal();
    if (j.enabled()) {
      m.inflightStore(JournalStore.builder(j.file()).capacityBytes(j.sizeBytes())
          .sync(j.syncEveryRecords(), j.syncIntervalMillis()).build());
    }
    if (b.tls()) {
      m.transportFactory(tlsTransport(b));
    }
    if (b.userName() != null) {
      m.userName(b.userName());
    }
    if (b.password() != null) {
      m.password(b.password());
    }
    return m.build();
  }

  /**
   * The UTF-8 size of the longest state topic (at least 4, client-core's least): the topic aliases map topics up to
   * this long, so the table holds the state topics and no longer one: a discovery config topic (as a rule longer,
   * and published once per connection) is sent whole and does not evict a reading's alias.
   */
  private static int longestStateTopicBytes(NodeConfig c) {
    int longest = 4;
    for (String topic : c.stateTopics()) {
      longest = Math.max(longest, topic.getBytes(StandardCharsets.UTF_8).length);
    }
    return longest;
  }

  /**
   * TLS as the broker section asks: trust the CA in {@code tls.ca_file} (else the JVM's trust store), present
   * {@code tls.cert_file}/{@code tls.key_file} for mutual TLS when given; hostnames always verified.
   */
  private static TransportFactory tlsTransport(NodeConfig.Broker b) {
    TlsConfig.Builder tls = TlsConfig.builder().warningSink(warning -> LOG.warn("TLS: {}", warning));
    if (b.caFile() != null) {
      tls.trustPemFile(b.caFile());
    }
    if (b.certFile() != null) {
      tls.clientCertificatePem(b.certFile(), b.keyFile());
    }
    try {
      return TlsTransportFactory.create(tls.build());
    } catch (IOException | RuntimeException e) {
      throw new NodeStartException("broker " + b.url() + ": cannot set up TLS: " + e.getMessage(), e, false);
    }
  }

  /** The configuration this node runs. */
  public NodeConfig config() {
    return config;
  }

  /** True while the broker connection is up (as the client saw it after the loop's last poll). */
  public boolean isConnected() {
    return connected;
  }

  /**
   * The protocol of the current (or last) connection: {@code MQTT 5.0}, {@code MQTT 3.1.1}, or {@code MQTT 3.1.1
   * (the broker does not speak 5.0)} after AUTO fell back; null before the first connection.
   */
  public String protocol() {
    return protocolText;
  }

  /** Successful connections since start; a reconnect after a broker restart adds one. */
  public long connectionCount() {
    return connectionCount;
  }

  /**
   * Runs the loop on the calling thread until {@link #stop()}: never returns because the broker is gone. On
   * the way out, switches the relays to their safe state, publishes their state and {@code offline}, waits up
   * to 2 s for the broker's acknowledgements, sends DISCONNECT (waiting up to 1 s for the broker to close) and
   * releases the IO.
   */
  public void run() {
    if (loopThread != null) {
      throw new IllegalStateException("node " + config.nodeId() + " runs already (or ran) on " + loopThread.getName());
    }
    loopThread = Thread.currentThread();
    LOG.info("starting {}", config.summary());
    if (config.broker().protocol() == NodeConfig.Protocol.MQTT_3_1_1 && !config.broker().mqtt5OnlyKeys().isEmpty()) {
      LOG.warn("broker.protocol is 3.1.1: {} {} MQTT 5.0 only and ignored", String.join(", ",
          config.broker().mqtt5OnlyKeys()), config.broker().mqtt5OnlyKeys().size() == 1 ? "is" : "are");
    }
    watchdog.start(loopThread);
    try {
      while (!stopRequested) {
        try {
          step();
        } catch (RuntimeException e) {
          // A bug or a device surprise must not end a node that runs unattended for months: log, breathe (one
          // tick: the loop never waits longer), go on.
          LOG.error("unexpected failure in the node loop; going on", e);
          LockSupport.parkNanos(loopPeriodNanos);
        }
      }
    } finally {
      try {
        shutdown();
      } finally {
        watchdog.stop();
        stopped.countDown();
      }
    }
  }

  /**
   * Asks the loop to stop and puts every relay in its safe state now, on the calling thread, for good (a command
   * the loop is still handling cannot switch one back): the safe state never waits for the loop or the network.
   * Returns once the relay lines are written; once the node has stopped (relays safe, lines released) does
   * nothing. Safe from any thread, e.g. a shutdown hook.
   */
  public void stop() {
    stopRequested = true;
    if (stopped.getCount() == 0) {
      return; // stopped already: the relays were left safe and their lines released
    }
    watchdog.holdSafe();
    Thread t = loopThread;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  /**
   * What SIGTERM does: {@link #stop()} (relays safe at once), then waits up to {@code timeoutMillis} for the loop
   * to publish the relay states and {@code offline} and disconnect. A loop stuck in the network (a broker that
   * stopped answering) is left behind: the caller exits all the same, and the broker publishes the last will.
   *
   * @return true when the loop finished in time
   */
  public boolean stopWithin(long timeoutMillis) throws InterruptedException {
    stop();
    if (awaitStopped(timeoutMillis)) {
      return true;
    }
    LOG.warn("node loop did not finish within {} ms (the broker does not answer?); relays are in their safe"
        + " state, exiting without DISCONNECT: the broker publishes the last will", timeoutMillis);
    return false;
  }

  /** Waits until {@link #run()} has published {@code offline} and released everything; false on timeout. */
  public boolean awaitStopped(long timeoutMillis) throws InterruptedException {
    return stopped.await(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  /** Stops the loop, if running, and waits for it up to 10 s; releases the IO if it never ran. */
  @Override
  public void close() {
    stop();
    if (loopThread == null) {
      client.close();
      hardware.close();
      return;
    }
    try {
      awaitStopped(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Failed connection attempts since the last success, as the client reports them (a hint from another thread). */
  int failedAttempts() {
    return failedAttempts;
  }

  /** The IO the node drives, for tests and the demo. */
  NodeHardware hardware() {
    return hardware;
  }

  /** The readings table, for tests: read it on the loop thread ({@link #runOnLoop}). */
  ReadingTable readings() {
    return readings;
  }

  /** Replaces the relay command log, for tests: call before {@link #run()} or from the loop thread. */
  void commandLog(Logger log) {
    commandLog = log;
  }

  /** Runs {@code task} on the loop thread at the start of its next pass (wakes a waiting loop soon enough). */
  void runOnLoop(Runnable task) {
    loopTasks.add(task);
  }

  /**
   * One pass of the loop: enforce relay limits, sample, drain inputs, publish (queued by the client while the
   * broker is away), poll (which also makes a due reconnect attempt), then act on what the poll brought: a new
   * connection to announce, Home Assistant's birth, relay commands.
   */
  void step() {
    for (Runnable task = loopTasks.poll(); task != null; task = loopTasks.poll()) {
      task.run();
    }
    long now = clock.nanoTime();
    watchdog.tick(now);
    long trips = watchdog.tripCount();
    if (trips != watchdogTripsSeen) {
      watchdogTripsSeen = trips; // the watchdog put the relays safe while the loop stalled: say so
      for (int i = 0; i < relayStateDirty.length; i++) {
        relayStateDirty[i] = true;
      }
    }
    enforceRelayLimits();
    try {
      sampleDueSensors(now);
      drainInputs(now);
      publishDirtyRelays();
    } catch (IOException | MqttException | UncheckedIOException e) {
      failed("publish", e);
    }
    try {
      // Rounded up: a wait under 1 ms must not become poll(0), a busy loop.
      client.poll((waitNanos(now) + 999_999) / 1_000_000);
    } catch (IOException | MqttException e) {
      failed("poll", e);
      LockSupport.parkNanos(waitNanos(now)); // a poll that keeps failing must not spin the loop
    }
    if (rebuildDue) {
      rebuildAt311();
    }
    connected = client.isConnected();
    try {
      if (announceDue) {
        announce();
      } else if (discoveryDue && connected) {
        publishDiscoveryAndStates(false);
      }
      publishDirtyRelays();
    } catch (IOException | MqttException | UncheckedIOException e) {
      failed("publish", e);
    }
  }

  /**
   * AUTO fell back to 3.1.1 with a session expiry set: the client, built for 5.0 with Clean Start 0, has just made
   * a 3.1.1 connection with CleanSession 0, a session the broker would keep forever (MQTT 3.1.1 §3.1.2.4). Ends it
   * with DISCONNECT (no will: no {@code offline}) and replaces the client by one at 3.1.1 with a clean session, over
   * the same journal; its first connection discards that session. The node announces itself on that one.
   */
  private void rebuildAt311() {
    rebuildDue = false;
    try {
      if (client.isConnected()) {
        client.disconnect(STOP_DISCONNECT_WAIT_MILLIS);
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("DISCONNECT of the fallback connection failed: {}", e.getMessage());
    }
    client.close();
    client = openClient(mqttConfig(config, clock, largestDiscovery, MqttConfig.MQTT_3_1_1), config.journal());
    client.setDefaultHandler(unsubscribed);
    subscribed = false;
    announceDue = false;
    levelSettled = true;
  }

  /** How long the loop may wait now: the loop period, shortened by the next sensor due or input settling. */
  private long waitNanos(long now) {
    long wait = loopPeriodNanos;
    for (long due : sensorNextDueNanos) {
      wait = Math.min(wait, due - now);
    }
    for (int i = 0; i < hardware.inputs.length; i++) {
      long settle = hardware.inputs[i].nanosUntilSettled(now);
      if (settle > 0) {
        wait = Math.min(wait, settle);
      }
    }
    return Math.max(0, wait);
  }

  /**
   * After the client connected (it has already sent what waited in the journal and, the session being clean,
   * renewed the subscriptions it holds): {@code online}, the command subscriptions the first time, discovery
   * configs and states.
   */
  private void announce() throws IOException, MqttException {
    announceDue = false;
    if (!client.isConnected()) {
      return; // lost again within the same poll: the next connection announces
    }
    failureLogged = false;
    int backlog = client.inflightCount() + client.queuedCount();
    LOG.info("connected to {} as {} over {}{}", config.broker().url(), config.broker().clientId(), protocolText,
        backlog == 0 ? "" : "; sending " + backlog + " messages kept while offline");
    client.publish(statusTopic, ONLINE, 0, ONLINE.length, QOS, true);
    if (!subscribed) {
      try {
        subscribeCommands();
      } catch (MqttException e) {
        // No SUBACK in time, or the connection went meanwhile: start over from a clean connection, on which the
        // client subscribes again to every filter it holds; the node subscribes the rest at the next announce.
        LOG.warn("subscribing to the relay commands failed ({}); reconnecting", e.getMessage());
        client.disconnect();
        connected = false;
        offlineSinceNanos = clock.nanoTime();
        return;
      }
    }
    publishDiscoveryAndStates(true);
  }

  /**
   * The relay command subscriptions and Home Assistant's birth. At 5.0 a command subscription asks for Retain
   * Handling 2 (no retained command at subscribe time, MQTT 5.0 §3.3.1.3 [MQTT-3.3.1-11]) and Retain As Published
   * (a retained command published while subscribed arrives with its RETAIN flag [MQTT-3.3.1-13], which
   * {@link RelayCommands} refuses): a retained command never switches a relay. At 3.1.1 only the first holds: a
   * command published retained while the node is subscribed arrives with RETAIN 0 (§3.3.1.3) and is obeyed.
   */
  private void subscribeCommands() throws IOException, MqttException {
    int commandQos = speaks5 ? QOS | MqttClient.RETAIN_HANDLING_NEVER | MqttClient.RETAIN_AS_PUBLISHED : QOS;
    for (NodeConfig.Relay r : config.relays()) {
      subscribeOrWarn(config.commandTopic(r.name()), commandQos, relayCommands);
    }
    if (config.discovery().enabled()) {
      subscribeOrWarn(config.discovery().birthTopic(), QOS, homeAssistantStatus);
    }
    subscribed = true;
  }

  /** Subscribes; a refusal (the broker's ACL) is logged and not retried: reconnecting would not change it. */
  private void subscribeOrWarn(String filter, int qos, MessageHandler handler) throws IOException, MqttException {
    try {
      client.subscribe(filter, qos, handler);
    } catch (MqttException e) {
      if (e.reason() != MqttException.Reason.SUBSCRIBE_REFUSED) {
        throw e;
      }
      LOG.error("broker {} refused the subscription to {} (check its ACL); the node runs without it until"
          + " restarted", config.broker().url(), filter);
    }
  }

  /**
   * A publish or poll failed other than by a lost connection (the client reconnects by itself): with the journal
   * off, the in-flight window is full while the broker is away; with it on, the journal's file could not be
   * written. Logged once per connection, then at debug: the loop goes on sampling and polling.
   */
  private void failed(String what, Exception e) {
    if (!failureLogged) {
      failureLogged = true;
      LOG.warn("{} failed: {}{}", what, e.getMessage(), config.journal().enabled() ? ""
          : " (journal.enabled is false: messages beyond the in-flight window are not kept)");
    } else {
      LOG.debug("{} failed: {}", what, e.getMessage());
    }
  }

  /**
   * Discovery configs (if on), then the current state of every reading, input and relay. {@code afterOutage}: a
   * reading whose latest value went out since the connection was lost is left out, being in the journal ahead of
   * this.
   */
  private void publishDiscoveryAndStates(boolean afterOutage) throws IOException, MqttException {
    discoveryDue = false;
    if (config.discovery().enabled()) {
      for (int i = 0; i < discoveryTopics.length; i++) {
        client.publish(discoveryTopics[i], discoveryPayloads[i], 0, discoveryPayloads[i].length, QOS, true);
      }
    }
    long now = clock.nanoTime();
    for (int c = 0; c < readingTopics.length; c++) {
      if (readings.hasValue(c) && !(afterOutage && readings.latestPublishedSince(c, offlineSinceNanos))) {
        publishReading(c, readings.latestScaled(c), now);
      }
    }
    for (int i = 0; i < inputTopics.length; i++) {
      publishState(inputTopics[i], inputActive[i]);
    }
    for (int i = 0; i < relayStateDirty.length; i++) {
      relayStateDirty[i] = true;
    }
    publishDirtyRelays();
  }

  private void sampleDueSensors(long now) throws IOException, MqttException {
    for (int s = 0; s < hardware.sensors.length; s++) {
      if (now - sensorNextDueNanos[s] < 0) {
        continue;
      }
      sensorNextDueNanos[s] = now + sensorIntervalNanos[s];
      int first = sensorFirstChannel[s];
      try {
        hardware.sensors[s].read(sampleValues, first);
      } catch (DeviceException e) {
        if (!sensorFailing[s]) {
          sensorFailing[s] = true;
          LOG.error("{}: {} (keeps trying every {}; other sensors go on)", config.sensors().get(s).location(),
              e.getMessage(), NodeConfig.durationText(config.sensors().get(s).intervalMillis()));
        }
        continue;
      }
      if (sensorFailing[s]) {
        sensorFailing[s] = false;
        LOG.info("{} reads again", config.sensors().get(s).location());
      }
      int end = first + config.sensors().get(s).readings().size();
      for (int c = first; c < end; c++) {
        double value = sampleValues[c];
        if (Double.isNaN(value)) {
          continue; // not measured by this chip variant (e.g. humidity on a BMP280)
        }
        long scaled = Math.round(value * POW10[readingDecimals[c]]);
        if (readings.offer(c, scaled, now)) {
          publishReading(c, scaled, now); // offline: waits in the journal
        } else if (!readingHeldLogged[c]) {
          readingHeldLogged[c] = true;
          logHeld(c, scaled, now);
        }
      }
    }
  }

  /**
   * Says once per reading why nothing is published although the sensor reads: the value stays within its deadband
   * of the last one published, and until when at the latest (the heartbeat). Without it a quiet room looks like a
   * dead node.
   */
  private void logHeld(int channel, long scaled, long now) {
    NodeConfig.Reading r = readingConfigs[channel];
    int decimals = r.quantity().decimals();
    String unit = r.quantity().unit();
    long heartbeatInMillis = (TimeUnit.NANOSECONDS.toMillis(readings.heartbeatDueNanos(channel) - now) + 999)
        / 1_000 * 1_000; // whole seconds, rounded up
    LOG.info("{}: {} {} is within the deadband ({} {}) of the last published {} {}: not published until it moves"
            + " further, or by the heartbeat in {} at the latest (said once)", config.topic(r.name()),
        BigDecimal.valueOf(scaled, decimals), unit, BigDecimal.valueOf(r.deadbandScaled(), decimals), unit,
        BigDecimal.valueOf(readings.publishedScaled(channel), decimals), unit,
        NodeConfig.durationText(Math.max(0, heartbeatInMillis)));
  }

  /**
   * Publishes a reading, at 5.0 with its message expiry. Not before the protocol level is settled
   * ({@link #levelSettled}): the reading then stays unpublished in the table and goes out at the announcement.
   */
  private void publishReading(int channel, long scaled, long now) throws IOException, MqttException {
    if (!levelSettled) {
      return;
    }
    int length = AsciiWriter.putFixedAscii(payload, 0, scaled, readingDecimals[channel]);
    if (speaks5 && readingExpirySeconds[channel] != 0) {
      readingProperties.clear().messageExpiryIntervalSeconds(readingExpirySeconds[channel]);
      client.publish(readingTopics[channel], payload, 0, length, QOS, readingRetain[channel], readingProperties);
    } else {
      client.publish(readingTopics[channel], payload, 0, length, QOS, readingRetain[channel]);
    }
    readings.markPublished(channel, scaled, now);
  }

  private void drainInputs(long now) throws IOException, MqttException {
    for (int i = 0; i < hardware.inputs.length; i++) {
      inputPublisher.index = i;
      hardware.inputs[i].drain(now, inputPublisher);
      if (inputPublisher.failure != null) {
        Exception failure = inputPublisher.failure;
        inputPublisher.failure = null;
        if (failure instanceof IOException io) {
          throw io;
        }
        throw (MqttException) failure;
      }
    }
  }

  private void enforceRelayLimits() {
    for (int i = 0; i < hardware.relays.length; i++) {
      try {
        if (hardware.relays[i].enforceMaxOnTime()) {
          relayStateDirty[i] = true;
          LOG.info("relay {} switched off: on longer than its max_on", config.relays().get(i).name());
        }
      } catch (DeviceException e) {
        LOG.error("relay {}: {}", config.relays().get(i).name(), e.getMessage());
      }
    }
  }

  private void publishDirtyRelays() throws IOException, MqttException {
    if (!levelSettled) {
      return; // stay dirty: the announcement publishes every state
    }
    for (int i = 0; i < relayStateDirty.length; i++) {
      if (relayStateDirty[i]) {
        publishState(relayStateTopics[i], actualState(i));
        relayStateDirty[i] = false;
      }
    }
  }

  /** The relay's state as read back from the line; the commanded state if the read-back fails. */
  private boolean actualState(int relay) {
    try {
      return hardware.relays[relay].readBackOn();
    } catch (DeviceException e) {
      LOG.error("relay {}: {}", config.relays().get(relay).name(), e.getMessage());
      return hardware.relays[relay].isOn();
    }
  }

  /** Publishes an input or relay state, retained; not before the level is settled (the announcement does). */
  private void publishState(MqttTopic topic, boolean on) throws IOException, MqttException {
    if (!levelSettled) {
      return;
    }
    byte[] word = on ? ON : OFF;
    client.publish(topic, word, 0, word.length, QOS, true);
  }

  private void onHomeAssistantStatus(MqttMessage message) {
    // A retained "online" arrives right after subscribing, when the configs were just sent: not a new birth.
    if (!message.retain() && message.payloadEqualsAscii(HomeAssistantDiscovery.ONLINE)) {
      LOG.info("Home Assistant came online: publishing discovery and states again");
      discoveryDue = true;
    }
  }

  private void shutdown() {
    watchdog.holdSafe(); // done already by stop(); again in case the loop ended otherwise
    watchdog.stop(); // the loop no longer ticks while it says goodbye: that is no stall to report
    for (int i = 0; i < relayStateDirty.length; i++) {
      relayStateDirty[i] = true;
    }
    // The client's own view: the connection may have dropped during the last pass, unnoticed by the loop yet.
    connected = client.isConnected();
    if (connected) {
      try {
        publishDirtyRelays();
        client.publish(statusTopic, OFFLINE, 0, OFFLINE.length, QOS, true);
        if (!client.awaitInflight(STOP_FLUSH_MILLIS)) {
          LOG.warn("broker did not acknowledge the last messages within {} ms", STOP_FLUSH_MILLIS);
        }
        client.disconnect(STOP_DISCONNECT_WAIT_MILLIS);
      } catch (IOException | MqttException | RuntimeException e) {
        LOG.warn("could not say offline on stop ({}); the broker publishes the last will instead", e.getMessage());
      }
    }
    int kept = client.inflightCount() + client.queuedCount();
    if (kept > 0) {
      LOG.warn("stopping with {} messages not acknowledged by the broker{}", kept, config.journal().enabled()
          ? "; they stay in the journal " + config.journal().file() + " for the next start" : ": they are lost");
    }
    connected = false;
    client.close();
    hardware.close();
    LOG.info("stopped");
  }

  /** The project version, as {@code --version} prints it: what Home Assistant shows as the software version. */
  static String softwareVersion() {
    return NodeMain.version();
  }

  /** Relay commands on {@code <prefix>/<relay>/set}; runs inside {@code poll}, on the loop thread. */
  private final class RelayCommands implements MessageHandler {
    @Override
    public void onMessage(MqttMessage message) {
      handle(message);
    }

    /** Acts on a command; false when {@code message} is on no relay's command topic. */
    boolean handle(MqttMessage message) {
      int relay = -1;
      for (int i = 0; i < relayCommandTopics.length; i++) {
        if (message.topicEquals(relayCommandTopics[i])) {
          relay = i;
          break;
        }
      }
      if (relay < 0) {
        return false;
      }
      String name = config.relays().get(relay).name();
      if (message.retain()) {
        if (!relayRetainedWarned[relay]) {
          relayRetainedWarned[relay] = true;
          LOG.warn("ignoring a retained command on {} (a stale command must not switch {}); clear it with"
              + " mosquitto_pub -r -n -t {}", message.topic(), name, message.topic());
        }
        return true;
      }
      int command = RelayCommand.parse(message.payloadBuffer(), message.payloadOffset(), message.payloadLength());
      if (command == RelayCommand.INVALID) {
        invalidCommand(relay, message);
        reply(relay, message); // the state, unchanged: the requester need not wait for its timeout
        return true;
      }
      try {
        hardware.relays[relay].set(RelayCommand.apply(command, hardware.relays[relay].isOn()));
        if (commandLog.isInfoEnabled()) { // guarded: the varargs array is built before the level check
          commandLog.info("relay {}: {} from {}, now {}", name, RelayCommand.name(command), message.topic(),
              hardware.relays[relay].isOn() ? HomeAssistantDiscovery.ON : HomeAssistantDiscovery.OFF);
        }
      } catch (DeviceException e) {
        LOG.warn("relay {} not switched by {} from {}: {}", name, RelayCommand.name(command), message.topic(),
            e.getMessage());
      }
      // Publish what the relay actually is now, also after a refusal, so a dashboard does not show a lie.
      relayStateDirty[relay] = true;
      reply(relay, message);
      return true;
    }

    /**
     * MQTT 5.0 request/response (§4.10): a command that carries a Response Topic (§3.3.2.3.5) gets the relay's
     * resulting state as read back ({@code ON} or {@code OFF}) on that topic, with the command's Correlation Data
     * (§3.3.2.3.6) when it has one, at the command's QoS, not retained; without a Response Topic nothing is sent.
     * Published from the handler, not by the loop: the response topic and correlation data are a view valid only
     * while the handler runs, and keeping copies for the loop would need room for every command one poll may bring.
     * A failed reply is logged; the command stands.
     */
    private void reply(int relay, MqttMessage message) {
      PropertiesView p = message.properties();
      if (p == null || !p.has(Property.RESPONSE_TOPIC)) {
        return;
      }
      byte[] word = actualState(relay) ? ON : OFF;
      try {
        replyProperties.clear();
        if (p.has(Property.CORRELATION_DATA)) {
          replyProperties.correlationData(p.buffer(), p.valueOffset(Property.CORRELATION_DATA),
              p.valueLength(Property.CORRELATION_DATA));
        }
        client.publish(p.text(Property.RESPONSE_TOPIC), word, 0, word.length, message.qos(), false, replyProperties);
      } catch (IOException | MqttException | RuntimeException e) {
        LOG.warn("relay {}: no reply to the command from {} on its response topic {}: {}",
            config.relays().get(relay).name(), message.topic(), p.text(Property.RESPONSE_TOPIC), e.getMessage());
      }
    }
  }

  /**
   * Logs an invalid command each time, at most once per {@link #INVALID_COMMAND_LOG_NANOS} per relay: a
   * misconfigured automation must show up in the log for as long as it sends, without flooding it. The line after
   * a quiet spell says how many were left out.
   */
  private void invalidCommand(int relay, MqttMessage message) {
    long now = clock.nanoTime();
    if (relayInvalidLogged[relay] && now - relayInvalidLoggedAtNanos[relay] < INVALID_COMMAND_LOG_NANOS) {
      relayInvalidSuppressed[relay]++;
      return;
    }
    int suppressed = relayInvalidSuppressed[relay];
    LOG.warn("ignoring '{}' on {}: expected ON, OFF or TOGGLE{}", message.payloadAsString(), message.topic(),
        suppressed == 0 ? "" : " (and " + suppressed + " more on it since the last such line, not logged: one"
            + " line per " + NodeConfig.durationText(TimeUnit.NANOSECONDS.toMillis(INVALID_COMMAND_LOG_NANOS))
            + " at most)");
    relayInvalidLogged[relay] = true;
    relayInvalidLoggedAtNanos[relay] = now;
    relayInvalidSuppressed[relay] = 0;
  }

  /** Publishes debounced input events in order, on the loop thread; a failure is handed back to the loop. */
  private final class InputPublisher implements InputEventHandler {
    int index;
    Exception failure;

    @Override
    public void onInputEvent(boolean active, long timestampNanos) {
      inputActive[index] = active;
      if (failure != null) {
        return; // the latest state goes out with the states on the next connect
      }
      try {
        publishState(inputTopics[index], active);
      } catch (IOException | MqttException e) {
        failure = e;
      }
    }
  }

  /**
   * What the client reports from inside poll and publish: logs, counts and flags only. The loop acts on the flags
   * in {@link #step()}; calling the client from here would re-enter it.
   */
  private final class ConnectionEvents implements MqttListener {
    @Override
    public void onConnected(boolean sessionPresent) {
      if (rebuildDue) {
        return; // the 3.1.1 connection AUTO fell back to is replaced in this pass (rebuildAt311)
      }
      levelSettled = true;
      protocolText = speaks5 ? "MQTT 5.0" : config.broker().protocol() == NodeConfig.Protocol.AUTO
          ? "MQTT 3.1.1 (the broker does not speak 5.0)" : "MQTT 3.1.1";
      connectionCount++;
      failedAttempts = 0;
      announceDue = true;
    }

    /**
     * AUTO: the broker refused 5.0; the client speaks 3.1.1 from now on (said once: the switch is for good). With a
     * session expiry the client is replaced after this pass ({@link #rebuildAt311}).
     */
    @Override
    public void onProtocolFallback(String why) {
      speaks5 = false;
      rebuildDue = config.broker().sessionExpirySeconds() > 0;
      // INFO: falling back is what broker.protocol auto asks for; the connect line names the protocol again.
      LOG.info("broker {} does not speak MQTT 5.0 ({}): MQTT 3.1.1 from now on, without will delay, session expiry"
          + " and message expiry (offline at once when the connection drops, a clean session, readings kept until"
          + " replaced); broker.protocol: 3.1.1 says so without trying 5.0", config.broker().url(), why);
    }

    /** The loss was just logged: the first reconnect delay that follows it is news, not a second warning. */
    private MqttException lossLogged;

    @Override
    public void onConnectionLost(MqttException cause) {
      offlineSinceNanos = clock.nanoTime();
      lossLogged = cause;
      LOG.warn("connection to {} lost: {}; {} while the client reconnects", config.broker().url(),
          cause.getMessage(), config.journal().enabled() ? "readings wait in the journal"
              : "readings wait in memory (journal off: at most the in-flight window)");
    }

    @Override
    public void onReconnectScheduled(Exception cause, int consecutiveFailures, long retryInMillis) {
      failedAttempts = consecutiveFailures;
      boolean afterLoss = consecutiveFailures == 1 && cause == lossLogged;
      lossLogged = null;
      // The first failure of a series is a warning; repeats go to info so a long outage does not flood the log.
      if (afterLoss) {
        LOG.info("reconnecting to {} in {} ms", config.broker().url(), retryInMillis);
      } else if (consecutiveFailures == 1) {
        LOG.warn("broker {} not reachable: {}; retrying with backoff (next in {} ms)", config.broker().url(),
            cause.getMessage(), retryInMillis);
      } else {
        LOG.info("broker {} still not reachable (attempt {}): {}; next in {} ms", config.broker().url(),
            consecutiveFailures, cause.getMessage(), retryInMillis);
      }
    }

    /**
     * After a reconnect the broker refused a command subscription it had granted before (its ACL changed): commands
     * on it stop arriving, so the owner must see why. The connection stays; the client asks again at the next
     * reconnect.
     */
    @Override
    public void onResubscribeRefused(CharSequence filter, int returnCode) {
      LOG.warn("broker {} refused the subscription to {} after reconnecting (SUBACK return code 0x{}; check its"
          + " ACL): messages on it no longer arrive; asked again at the next reconnect", config.broker().url(),
          filter, Integer.toHexString(returnCode));
    }

    @Override
    public void onMessagesDropped(int count, long totalDropped) {
      if (totalDropped >= nextDropLogAt) {
        nextDropLogAt = Math.max(nextDropLogAt * 2, totalDropped + 1);
        LOG.warn("journal {} full: dropped its {} oldest unsent message(s), {} in all since start (more room:"
            + " journal.size)", config.journal().file(), count, totalDropped);
      }
    }

    /** A repair made while the client opened the journal (header restored, file resized or moved aside). */
    @Override
    public void onJournalWarning(String message) {
      LOG.warn("{}", message);
    }

    @Override
    public void onHandlerError(CharSequence topic, Exception e) {
      LOG.error("handling a message on {} failed", topic, e);
    }

    @Override
    public void onOversizeMessage(CharSequence topic, int byteCount, int qos) {
      LOG.warn("dropped a {}-byte message on {}: larger than the node's receive buffer", byteCount, topic);
    }
  }
}
