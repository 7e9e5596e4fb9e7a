package dev.wren.node;

import java.nio.file.Path;
import java.util.List;

/**
 * The node's command line: {@code --config FILE [--broker URL] [--simulate] [--check]}, or {@code --help}.
 * Options may also be written {@code --config=FILE}.
 *
 * @param configFile the YAML file, or null for the built-in example (only with {@code --simulate})
 * @param brokerUrl  overrides {@code broker.url}, or null
 * @param simulate   replace every sensor, input and relay with its simulation
 * @param check      validate the configuration, print its summary and exit without connecting
 * @param help       print the usage and exit
 * @param probe      look for the hardware the configuration needs, print what was found and exit
 * @param version    print the version and exit
 * @param logLevel   error, warn, info (default), debug or trace; null for the default
 */
record CommandLine(Path configFile, String brokerUrl, boolean simulate, boolean check, boolean help,
    boolean probe, boolean version, String logLevel) {

  static final String USAGE = """
      usage: java -jar wren-node.jar --config node.yaml [--broker tcp://host:port] [--simulate] [--check|--probe]
             java -jar wren-node.jar --simulate          (the built-in living-room example, simulated)
        --config FILE   the node configuration (see deploy/node.yaml)
        --broker URL    overrides broker.url: tcp://, mqtt://, ssl:// or mqtts://host[:port]
        --simulate      simulated sensors, inputs and relays instead of the hardware
        --check         validate the configuration, print its summary and exit
        --probe         list I2C chips, 1-Wire sensors, GPIO lines, groups and Java; exit 0 when all the
                        configuration needs is there (with --config, or the built-in example)
        --log-level L   error, warn, info (default), debug or trace
        --version       the node's version
        --help          this text""";

  /**
   * Parses {@code args}.
   *
   * @throws IllegalArgumentException an unknown option, a missing value or a missing {@code --config}, named
   */
  static CommandLine parse(String... args) {
    Path config = null;
    String broker = null;
    boolean simulate = false;
    boolean check = false;
    boolean probe = false;
    String logLevel = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String inlineValue = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        inlineValue = arg.substring(eq + 1);
      }
      switch (name) {
        case "--help", "-h" -> {
          return new CommandLine(null, null, false, false, true, false, false, null);
        }
        case "--version" -> {
          return new CommandLine(null, null, false, false, false, false, true, null);
        }
        case "--probe" -> probe = true;
        case "--log-level" -> {
          logLevel = inlineValue != null ? inlineValue : value(args, i++, name);
          if (!List.of("error", "warn", "info", "debug", "trace").contains(logLevel)) {
            throw new IllegalArgumentException("--log-level " + logLevel + ": use error, warn, info, debug or trace");
          }
        }
        case "--simulate" -> simulate = true;
        case "--check" -> check = true;
        case "--config", "-c" -> {
          String v = inlineValue != null ? inlineValue : value(args, i++, name);
          config = Path.of(v);
        }
        case "--broker", "-b" -> broker = inlineValue != null ? inlineValue : value(args, i++, name);
        default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
      }
      if (inlineValue != null && !(name.equals("--config") || name.equals("--broker") || name.equals("--log-level"))) {
        throw new IllegalArgumentException("option " + name + " takes no value, got '" + arg + "'");
      }
    }
    if (config == null && !simulate && !probe) {
      throw new IllegalArgumentException("give --config FILE (or --simulate to run the built-in example)");
    }
    return new CommandLine(config, broker, simulate, check, false, probe, false, logLevel);
  }

  private static String value(String[] args, int i, String name) {
    if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
      throw new IllegalArgumentException("option " + name + " needs a value");
    }
    return args[i + 1];
  }
}
