package dev.wren.tools.bench;

import dev.wren.tools.ExitCodes;
import dev.wren.tools.HelpOption;
import dev.wren.tools.bench.ResultTable.Column;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code wren bench}: Wren, Paho and HiveMQ side by side against one mosquitto, next to the raw-socket ceiling;
 * prints one table. Not a test: it prints numbers, it asserts nothing.
 */
@Command(name = "bench", sortOptions = false,
        description = {"Measures Wren, Eclipse Paho 1.2.5 and HiveMQ 1.3 against the raw-socket ceiling and prints one table.",
                "Starts its own mosquitto on a free loopback port unless -h/-p name a broker."})
public final class BenchCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--host"}, description = "Broker host; with -p, no broker is started.")
    String host;

    @Option(names = {"-p", "--port"}, description = "Broker port (default: a broker of our own on a free port).")
    Integer port;

    @Option(names = "--mosquitto", description = "mosquitto binary to start (default: ${DEFAULT-VALUE}).")
    String mosquitto = Mosquitto.defaultExecutable();

    @Option(names = "--clients", split = ",", description = "Clients to measure besides the ceiling (default: ${DEFAULT-VALUE}).")
    List<String> clients = Arrays.asList("wren", "paho", "hivemq");

    @Option(names = "--scale", description = "Multiplies every message count (e.g. 0.01 for a quick look; default ${DEFAULT-VALUE}).")
    double scale = 1.0;

    @Option(names = "--qos0-messages", description = "QoS 0 messages with 32 B payload per measurement (default ${DEFAULT-VALUE}).")
    long qos0Messages = 300_000;

    @Option(names = "--qos0-1k-messages", description = "QoS 0 messages with 1 KB payload per measurement (default ${DEFAULT-VALUE}).")
    long qos0KilobyteMessages = 100_000;

    @Option(names = "--qos12-messages", description = "QoS 1 and QoS 2 messages per measurement and window (default ${DEFAULT-VALUE}).")
    long qos12Messages = 50_000;

    @Option(names = "--windows", split = ",", description = "In-flight windows tried for QoS 1/2; the best is reported (default ${DEFAULT-VALUE}).")
    List<Integer> windows = Arrays.asList(16, 256);

    @Option(names = "--rounds", description = "Runs of each throughput measurement; the best is reported (default ${DEFAULT-VALUE}).")
    int rounds = 3;

    @Option(names = "--latency-messages", description = "Messages sent for the latency figure (default ${DEFAULT-VALUE}).")
    long latencyMessages = 20_000;

    @Option(names = "--latency-rate", description = "Messages per second for the latency figure (default ${DEFAULT-VALUE}).")
    int latencyRatePerSecond = 10_000;

    @Option(names = "--alloc-messages", description = "Messages per allocation measurement (default ${DEFAULT-VALUE}).")
    long allocMessages = 50_000;

    @Option(names = "--idle-seconds", description = "Seconds connected and idle for the idle-allocation figure (default ${DEFAULT-VALUE}).")
    double idleSeconds = 30;

    @Option(names = "--oneshot-runs", description = "Runs of each one-shot process; the median is reported (default ${DEFAULT-VALUE}).")
    int oneShotRuns = 5;

    @Option(names = "--skip-oneshot", description = "Skip the one-shot processes and jar sizes.")
    boolean skipOneShot;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        String problem = validate();
        if (problem != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), problem);
        }
        ResultTable table = new ResultTable();
        Mosquitto broker = null;
        try {
            if (port == null) {
                broker = Mosquitto.start(mosquitto);
            }
            String h = broker != null ? broker.host() : host == null ? "127.0.0.1" : host;
            int p = broker != null ? broker.port() : port;
            out.println("wren bench: broker " + h + ":" + p + (broker != null ? " (" + mosquitto + ", started by the bench)" : ""));
            BenchRun run = new BenchRun(this, h, p, table, out);
            run.ceiling();
            Supplier<BenchClient> wren = wrenFactory();
            for (String client : clients) {
                switch (client) {
                    case "wren":
                        if (wren != null) {
                            run.client(Column.WREN, wren);
                        } else {
                            table.note(ResultTable.Row.QOS0_32B, Column.WREN, "client not built");
                        }
                        break;
                    case "paho":
                        run.client(Column.PAHO, PahoClient::new);
                        break;
                    case "hivemq":
                        run.client(Column.HIVEMQ, HivemqClient::new);
                        break;
                    default:
                        throw new IllegalStateException("validated client " + client);
                }
            }
            if (!skipOneShot) {
                run.footprint(wren != null && clients.contains("wren"));
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
        table.footnote(describeRun());
        out.println();
        out.print(table.render());
        out.flush();
        return ExitCodes.OK;
    }

    private String validate() {
        if (host != null && port == null) {
            return "-h " + host + " needs -p PORT as well";
        }
        for (String c : clients) {
            if (!Arrays.asList("wren", "paho", "hivemq").contains(c)) {
                return "--clients: unknown client '" + c + "' (known: wren, paho, hivemq)";
            }
        }
        if (!(scale > 0)) {
            return "--scale must be > 0, was " + scale;
        }
        if (windows.isEmpty() || windows.stream().anyMatch(w -> w < 1 || w > 65_535)) {
            return "--windows must hold values in 1..65535, was " + windows;
        }
        if (latencyRatePerSecond < 1 || latencyRatePerSecond > 1_000_000) {
            return "--latency-rate must be in 1..1000000, was " + latencyRatePerSecond;
        }
        if (rounds < 1) {
            return "--rounds must be >= 1, was " + rounds;
        }
        if (idleSeconds < 0 || oneShotRuns < 1) {
            return "--idle-seconds must be >= 0 and --oneshot-runs >= 1, were " + idleSeconds + " and " + oneShotRuns;
        }
        return null;
    }

    /** The Wren runner, when this build has it (it is compiled once client-core has its client). */
    @SuppressWarnings("unchecked")
    private static Supplier<BenchClient> wrenFactory() {
        try {
            Constructor<? extends BenchClient> c = (Constructor<? extends BenchClient>)
                    Class.forName("dev.wren.tools.bench.WrenClient").getDeclaredConstructor();
            return () -> {
                try {
                    return c.newInstance();
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot create the Wren runner", e);
                }
            };
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    long count(long base) {
        return Math.max(10, Math.round(base * scale));
    }

    int largestWindow() {
        return windows.stream().mapToInt(Integer::intValue).max().orElse(16);
    }

    long latencyPeriodNanos() {
        return 1_000_000_000L / latencyRatePerSecond;
    }

    long idleMillis() {
        return Math.round(idleSeconds * 1000);
    }

    String mosquittoPub() {
        return Files.isExecutable(Paths.get("/usr/bin/mosquitto_pub")) ? "/usr/bin/mosquitto_pub" : null;
    }

    private String describeRun() {
        Runtime.Version v = Runtime.version();
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Paths.get("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (java.io.IOException ignored) {
            // the machine line then says unknown
        }
        return String.join("\n",
                "Ratios: throughput, latency, allocation, threads and idle ÷ the ceiling (QoS 1/2 ÷ the QoS 0 32 B ceiling);"
                        + " one-shot ÷ the hello-world; jars ÷ client-core. wN = in-flight window.",
                "Ceiling: PUBLISH frames encoded once, written in 64 KiB batches to a socket; every throughput and latency"
                        + " figure is end to end to one raw-socket QoS 0 subscriber. Allocation sums all JVM threads.",
                "Date " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                        + "; JDK " + v + " (" + System.getProperty("java.vm.name") + ")"
                        + "; " + cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores"
                        + "; scale " + scale + ", best of " + rounds + " rounds, idle " + idleSeconds + " s, windows " + windows + ".");
    }
}
