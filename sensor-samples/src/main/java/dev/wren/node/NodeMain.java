package dev.wren.node;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar wren-node.jar --config node.yaml [--broker URL] [--simulate] [--check]}: validates the
 * configuration, then runs the {@link Node} until SIGTERM (systemd stop, Ctrl-C), when it publishes
 * {@code offline} and disconnects before the JVM exits.
 *
 * <p>Exit status: 0 after a clean stop, {@code --check}, {@code --version}, or a {@code --probe} that found all
 * the configuration needs; 64 for a wrong command line and 78 for a wrong configuration (a broker certificate or
 * journal file that cannot be used included) (sysexits.h EX_USAGE and EX_CONFIG: the systemd unit does not
 * restart on these); 69 when the hardware is missing or not accessible, or {@code --probe} found something
 * missing (EX_UNAVAILABLE: the unit restarts, slower and slower, since a bus may come back).
 */
public final class NodeMain {
  /** Wrong command line (sysexits.h EX_USAGE). */
  static final int EXIT_USAGE = 64;
  /** Wrong configuration (sysexits.h EX_CONFIG). */
  static final int EXIT_CONFIG = 78;
  /** The hardware is missing or not accessible (sysexits.h EX_UNAVAILABLE). */
  static final int EXIT_HARDWARE = 69;
  /**
   * How long the shutdown hook waits for the node to say offline and disconnect (its own flush takes up to 2 s, the
   * DISCONNECT up to 1 s more);
   * the relays are safe before it waits at all. Below the unit's {@code TimeoutStopSec=}.
   */
  static final long STOP_TIMEOUT_MILLIS = 5_000;

  private NodeMain() {
  }

  /** Runs the node; see the class comment for the options and exit statuses. */
  public static void main(String[] args) {
    int status = run(args, System.out, System.err, System.getenv("JOURNAL_STREAM") != null);
    // After a SIGTERM the JVM is already shutting down and exit would block: only errors exit explicitly.
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Everything but the JVM exit, for tests: returns the exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, out, err, false);
  }

  /** As {@link #run(String[], PrintStream, PrintStream)}; {@code journal}: log for journald (JOURNAL_STREAM set). */
  static int run(String[] args, PrintStream out, PrintStream err, boolean journal) {
    CommandLine line;
    try {
      line = CommandLine.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("wren-node: " + e.getMessage());
      err.println(CommandLine.USAGE);
      return EXIT_USAGE;
    }
    if (line.help()) {
      out.println(CommandLine.USAGE);
      return 0;
    }
    if (line.version()) {
      out.println("wren-node " + version());
      return 0;
    }
    JournaldLog.configure(line.logLevel(), journal);
    NodeConfig config;
    try {
      config = line.configFile() == null ? NodeConfig.example() : NodeConfig.load(line.configFile());
      if (line.brokerUrl() != null) {
        config = config.withBrokerUrl(line.brokerUrl());
      }
      if (line.simulate()) {
        config = config.withSimulate(true);
      }
      if (!line.probe()) {
        config = config.requireBrokerUrl(); // --probe looks at the hardware only
      }
    } catch (ConfigException e) {
      err.println("wren-node: " + e.getMessage());
      return EXIT_CONFIG;
    } catch (NoSuchFileException e) {
      err.println("wren-node: configuration file " + e.getFile() + " does not exist");
      return EXIT_CONFIG;
    } catch (IOException e) {
      err.println("wren-node: cannot read " + line.configFile() + ": " + e);
      return EXIT_CONFIG;
    }
    if (line.probe()) {
      try (Probe.Host host = config.simulate() ? ProbeHosts.simulated(config) : ProbeHosts.system(config)) {
        Probe.Report report = Probe.run(config, host);
        out.println(report.text());
        return report.complete() ? 0 : EXIT_HARDWARE;
      }
    }
    if (line.check()) {
      out.println(config.summary());
      out.println("configuration OK");
      return 0;
    }
    Logger log = LoggerFactory.getLogger(NodeMain.class);
    Node node;
    try {
      node = Node.create(config);
    } catch (NodeStartException e) {
      log.error("cannot start: {}", e.getMessage());
      return e.hardware() ? EXIT_HARDWARE : EXIT_CONFIG;
    }
    Thread hook = new Thread(() -> {
      try {
        node.stopWithin(STOP_TIMEOUT_MILLIS); // relays safe at once; the JVM exits when this returns
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "wren-node-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    node.run();
    return 0;
  }

  /** The project version from the jar's manifest, else from the build's filtered {@code wren-node.properties}. */
  static String version() {
    String v = NodeMain.class.getPackage().getImplementationVersion();
    if (v != null) {
      return v;
    }
    try (java.io.InputStream in = NodeMain.class.getResourceAsStream("wren-node.properties")) {
      java.util.Properties p = new java.util.Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
