package dev.wren.tools.bench;

import dev.wren.tools.ExitCodes;
import dev.wren.tools.HelpOption;
import dev.wren.tools.bench.ResultTable.Column;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code wren bench}: Wren, Paho and HiveMQ side by side against one mosquitto, next to the raw-socket ceiling;
 * prints one table, then the journal section's ({@link JournalBench}; alone with {@code --journal}) and the TLS
 * section's ({@link TlsBench}; alone with {@code --tls}). Not a test:
 * it prints numbers, it asserts nothing.
 */
@Command(name = "bench", sortOptions = false,
        description = {"Measures Wren, Eclipse Paho 1.2.5 (async and blocking) and HiveMQ 1.3 against the raw-socket ceiling and prints one table;",
                "then what Wren's crash-safe journal costs per fsync policy (a second table; --journal: only that),",
                "then bytes allocated per message over TLS against plain TCP (a third table; --tls: only that),",
                "then the client-core classes a plain-TCP QoS 1 publish loads (--footprint: only that).",
                "--aliases: only bytes on the wire per message for a node publishing 3 readings to 3 topics, with and without MQTT 5.0 topic aliases.",
                "Starts its own mosquitto on a free loopback port unless -h/-p name a broker."})
public final class BenchCommand implements Callable<Integer> {
    /** The clients besides the ceiling, in the order they run (HiveMQ last: see {@link #call}). */
    static final List<String> CLIENTS = List.of("wren", "paho", "paho-blocking", "hivemq", "hivemq-blocking");
    /** The clients of the in-process tables (the fresh-JVM rounds table, {@link RoundsBench}, has every one). */
    static final List<String> IN_PROCESS_CLIENTS = List.of("wren", "paho", "paho-blocking", "hivemq");

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
    List<String> clients = CLIENTS;

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

    @Option(names = "--rounds", description = "Interleaved rounds of each throughput and rounds-table measurement, the"
            + " contenders' order rotated each round; median [min–max] reported (default ${DEFAULT-VALUE}).")
    int rounds = 5;

    @Option(names = "--tcp-nodelay", description = "Start the bench's broker with set_tcp_nodelay true (default: false,"
            + " mosquitto's default); the table says which.")
    boolean tcpNoDelay;

    @Option(names = "--broker-pid", description = "Process id of the broker named by -h/-p, for its CPU figures"
            + " (default: the bench's own broker; without either, no broker CPU).")
    Long brokerPid;

    @Option(names = "--rounds-only", description = "Measure only the rounds table: each figure in a fresh JVM per"
            + " contender and round (throughput with client and broker CPU, allocation, threads, latency at fixed rates).")
    boolean roundsOnly;

    @Option(names = "--skip-rounds", description = "Leave the rounds table out of the full run.")
    boolean skipRounds;

    @Option(names = "--latency-seconds", description = "Seconds each rounds-table latency measurement offers messages"
            + " at its rate, after a quarter as long of warm-up (default ${DEFAULT-VALUE}).")
    double latencySeconds = 2;

    @Option(names = "--latency-rates", split = ",", description = "Fixed offered rates [msg/s] of the rounds table's"
            + " latency rows, before the one at half the raw QoS 0 median (default ${DEFAULT-VALUE}).")
    List<Integer> latencyRates = Arrays.asList(1_000, 10_000);

    @Option(names = "--alloc-messages", description = "Messages per allocation measurement (default ${DEFAULT-VALUE}).")
    long allocMessages = 50_000;

    @Option(names = "--idle-seconds", description = "Seconds connected and idle for the idle-allocation figure (default ${DEFAULT-VALUE}).")
    double idleSeconds = 30;

    @Option(names = "--oneshot-runs", description = "Interleaved runs of each one-shot process; the median [min–max] is"
            + " reported (default ${DEFAULT-VALUE}).")
    int oneShotRuns = 10;

    @Option(names = "--wren-launcher", description = "The ./wren launcher whose `wren pub` the one-shot row times"
            + " (default: the one of the checkout this bench was built in, found above its jar).")
    String wrenLauncher;

    @Option(names = "--skip-oneshot", description = "Skip the one-shot processes, jar sizes and loaded-class footprint.")
    boolean skipOneShot;

    @Option(names = "--footprint", description = "Measure only the loaded-class footprint: the client-core classes a"
            + " plain-TCP QoS 1 publish loads in a fresh JVM (-Xlog:class+load), their count and bytes in the jar.")
    boolean footprintOnly;

    @Option(names = "--journal", description = "Measure only the journal section: Wren QoS 1 with no journal and with"
            + " each fsync policy (its own table).")
    boolean journalOnly;

    @Option(names = "--skip-journal", description = "Leave the journal section out of the full run.")
    boolean skipJournal;

    @Option(names = "--tls", description = "Measure only the TLS section: bytes allocated per message publishing QoS 0"
            + " and QoS 1 over TLS and over plain TCP, per client (its own table; needs the bench's own broker).")
    boolean tlsOnly;

    @Option(names = "--skip-tls", description = "Leave the TLS section out of the full run.")
    boolean skipTls;

    @Option(names = "--tls-messages", description = "Messages per TLS section measurement (default ${DEFAULT-VALUE}:"
            + " the section's 18 measurements then take about 20 s).")
    long tlsMessages = 20_000;

    @Option(names = "--aliases", description = "Measure only the topic-alias section: bytes the client writes per"
            + " message publishing 3 readings (5 B, QoS 1 retained) to 3 topics, at MQTT 3.1.1, 5.0, and 5.0 with"
            + " automatic topic aliases (its own table).")
    boolean aliasesOnly;

    @Option(names = "--alias-rounds", description = "Rounds of the 3 readings per topic-alias measurement (default"
            + " ${DEFAULT-VALUE}).")
    int aliasRounds = 1_000;

    @Option(names = "--journal-seconds", description = "Seconds of each timed journal run, per policy, window and round"
            + " (default ${DEFAULT-VALUE}: about 4 s per policy with the default rounds and windows).")
    double journalSeconds = 0.5;

    @Option(names = "--journal-dir", description = "Directory in which the journal's temporary directory is made"
            + " (default: java.io.tmpdir, ${DEFAULT-VALUE}).")
    String journalDir = System.getProperty("java.io.tmpdir");

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        String problem = validate();
        if (problem != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), problem);
        }
        ResultTable table = new ResultTable();
        String loadAtStart = loadAverage();
        Map<Column, Exception> failures = new EnumMap<>(Column.class);
        String[] journalTable = {null};
        String[] roundsTable = {null};
        boolean[] roundsFailed = {false};
        String[] footprint = {null};
        Exception[] footprintFailure = {null};
        Exception[] journalFailure = {null};
        Map<Column, Exception> tlsFailures = new EnumMap<>(Column.class);
        TlsBench tls = null;
        Mosquitto broker = null;
        try {
            boolean withTls = tlsOnly || !journalOnly && !footprintOnly && !roundsOnly && !aliasesOnly && !skipTls;
            if (port == null) {
                broker = Mosquitto.start(mosquitto, withTls, tcpNoDelay);
            }
            String h = broker != null ? broker.host() : host == null ? "127.0.0.1" : host;
            int p = broker != null ? broker.port() : port;
            out.println("wren bench: broker " + h + ":" + p + (broker != null ? " (" + mosquitto + ", started by the bench"
                    + (broker.tlsPort() > 0 ? ", TLS on port " + broker.tlsPort() : "") + ")" : ""));
            if (withTls && broker != null) {
                tls = new TlsBench(h, p, broker.tlsPort(), broker.certificates(), count(tlsMessages), largestWindow(), out);
            } else if (withTls) {
                table.footnote("TLS section skipped: it needs the bench's own broker (with a TLS listener), not -h/-p.");
                out.println("TLS section skipped: it needs the bench's own broker (with a TLS listener), not -h/-p");
            }
            if (aliasesOnly) {
                String only = new AliasBench(h, p, aliasRounds, out).run();
                out.println();
                out.print(only);
                out.flush();
                return ExitCodes.OK;
            }
            if (tlsOnly) {
                TlsBench t = tls;
                guarded(Column.CEILING, tlsFailures, out, t::measureRaw);
                for (String client : IN_PROCESS_CLIENTS) {
                    if (clients.contains(client)) {
                        Column column = Column.ofClient(client);
                        guarded(column, tlsFailures, out, () -> t.measureClient(column));
                    }
                }
                out.println();
                out.print(t.render());
                tlsFailures.forEach((column, e) -> out.println("TLS section, " + column.label + " failed: " + e));
                out.println(machine() + " Load average (1/5/15 min) at start " + loadAtStart + ", at end " + loadAverage()
                        + ": other processes compete with the broker for the cores.");
                out.flush();
                return tlsFailures.isEmpty() ? ExitCodes.OK : ExitCodes.UNKNOWN;
            }
            String brokerConfig = broker != null ? broker.settings() + " (" + mosquittoVersion() + ", started by the bench)"
                    : "not started by the bench (-h/-p): its config is unknown";
            long pid = broker != null ? broker.pid() : brokerPid != null ? brokerPid : -1;
            if (roundsOnly || !journalOnly && !footprintOnly && !tlsOnly && !skipRounds) {
                RoundsBench rounds = roundsBench(h, p, pid, out);
                roundsTable[0] = rounds.render(brokerConfig);
                roundsFailed[0] = !rounds.failures().isEmpty();
            }
            if (roundsOnly) {
                out.println();
                out.print(roundsTable[0]);
                out.println(machine() + " Load average (1/5/15 min) at start " + loadAtStart + ", at end " + loadAverage()
                        + ": other processes compete with the broker for the cores.");
                out.flush();
                return roundsFailed[0] ? ExitCodes.UNKNOWN : ExitCodes.OK;
            }
            table.footnote("Broker: " + brokerConfig + ".");
            if (footprintOnly) {
                String only = new BenchRun(this, h, p, table, out).loadedClasses();
                out.println();
                out.print(only);
                out.println(machine());
                out.flush();
                return ExitCodes.OK;
            }
            if (journalOnly) {
                String only = journal(h, p, out).run();
                out.println();
                out.print(only);
                out.println(machine() + " Load average (1/5/15 min) at start " + loadAtStart + ", at end " + loadAverage()
                        + ": other processes compete with the broker for the cores.");
                out.flush();
                return ExitCodes.OK;
            }
            BenchRun run = new BenchRun(this, h, p, table, out);
            // Canonical order, HiveMQ last: its shared Netty event loop outlives its clients and would add its
            // own allocation to every later client's all-threads figures.
            Map<Column, Supplier<BenchClient>> factories = new LinkedHashMap<>();
            for (String client : IN_PROCESS_CLIENTS) {
                if (clients.contains(client)) {
                    factories.put(Column.ofClient(client), client.equals("wren") ? WrenClient::new
                            : client.equals("paho") ? PahoClient::new
                            : client.equals("paho-blocking") ? PahoBlockingClient::new : HivemqClient::new);
                }
            }
            // Allocation and idle first, one contender after the other in a JVM no later one has
            // touched; then throughput. One client failing must not cost the others' figures: it is reported and
            // left out of the rest.
            run.ceilingRest();
            TlsBench t = tls;
            if (t != null) {
                guarded(Column.CEILING, tlsFailures, out, t::measureRaw);
            }
            factories.forEach((column, factory) -> {
                guarded(column, failures, out, () -> {
                    run.clientRest(column, factory);
                });
                // Wren's journal section before Paho and HiveMQ have run: their threads would allocate in its figures.
                if (column == Column.WREN && !skipJournal && !failures.containsKey(Column.WREN)) {
                    try {
                        journalTable[0] = journal(h, p, out).run();
                    } catch (Exception e) {
                        journalFailure[0] = e;
                        out.println("journal section failed: " + e);
                        e.printStackTrace(out);
                    }
                }
                // The client's TLS rows now, for the same reason: HiveMQ's event loop outlives its clients.
                if (t != null && !failures.containsKey(column)) {
                    guarded(column, tlsFailures, out, () -> t.measureClient(column));
                }
            });
            Map<Column, BenchRun.Throughput> contenders = new LinkedHashMap<>();
            contenders.put(Column.CEILING, run.ceilingThroughput());
            factories.forEach((column, factory) -> {
                if (!failures.containsKey(column)) {
                    contenders.put(column, run.clientThroughput(factory));
                }
            });
            run.throughput(contenders, failures);
            if (!skipOneShot) {
                run.footprint();
                try {
                    footprint[0] = run.loadedClasses();
                } catch (Exception e) {
                    footprintFailure[0] = e;
                    out.println("loaded-class footprint failed: " + e);
                    e.printStackTrace(out);
                }
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
        failures.forEach((column, e) -> table.footnote(column.label + " failed: " + e));
        table.footnote(describeRun() + " Load average (1/5/15 min) at start " + loadAtStart + ", at end " + loadAverage()
                + ": other processes compete with the broker for the cores.");
        if (roundsTable[0] != null) {
            out.println();
            out.print(roundsTable[0]);
        }
        out.println();
        out.print(table.render());
        if (journalTable[0] != null) {
            out.println();
            out.print(journalTable[0]);
        } else if (journalFailure[0] != null) {
            out.println();
            out.println("journal section failed: " + journalFailure[0]);
        }
        if (tls != null) {
            out.println();
            out.print(tls.render());
            tlsFailures.forEach((column, e) -> out.println("TLS section, " + column.label + " failed: " + e));
        }
        if (footprint[0] != null) {
            out.println();
            out.print(footprint[0]);
        } else if (footprintFailure[0] != null) {
            out.println();
            out.println("loaded-class footprint failed: " + footprintFailure[0]);
        }
        out.flush();
        return failures.isEmpty() && !roundsFailed[0] && journalFailure[0] == null && tlsFailures.isEmpty() && footprintFailure[0] == null
                ? ExitCodes.OK : ExitCodes.UNKNOWN;
    }

    private String validate() {
        if (host != null && port == null) {
            return "-h " + host + " needs -p PORT as well";
        }
        for (String c : clients) {
            if (!CLIENTS.contains(c)) {
                return "--clients: unknown client '" + c + "' (known: " + String.join(", ", CLIENTS) + ")";
            }
        }
        if (!(scale > 0)) {
            return "--scale must be > 0, was " + scale;
        }
        if (windows.isEmpty() || windows.stream().anyMatch(w -> w < 1 || w > 65_535)) {
            return "--windows must hold values in 1..65535, was " + windows;
        }
        if (rounds < 1) {
            return "--rounds must be >= 1, was " + rounds;
        }
        if (roundsOnly && (skipRounds || journalOnly || tlsOnly || footprintOnly)) {
            return "--rounds-only excludes --skip-rounds, --journal, --tls and --footprint";
        }
        if (!(latencySeconds > 0) || latencySeconds > 600) {
            return "--latency-seconds must be in (0, 600], was " + latencySeconds;
        }
        if (latencyRates.stream().anyMatch(r -> r < 1 || r > 1_000_000)) {
            return "--latency-rates must hold values in 1..1000000, was " + latencyRates;
        }
        if (aliasesOnly && (journalOnly || tlsOnly || footprintOnly || roundsOnly)) {
            return "--aliases excludes --journal, --tls, --footprint and --rounds-only";
        }
        if (journalOnly && skipJournal) {
            return "--journal and --skip-journal exclude each other";
        }
        if (footprintOnly && (journalOnly || tlsOnly || skipOneShot)) {
            return "--footprint excludes " + (journalOnly ? "--journal" : tlsOnly ? "--tls" : "--skip-oneshot");
        }
        if (tlsOnly && (skipTls || journalOnly)) {
            return "--tls excludes " + (skipTls ? "--skip-tls" : "--journal");
        }
        if (tlsOnly && port != null) {
            return "--tls needs the bench's own broker (it adds a TLS listener): leave out -p " + port;
        }
        if (!(journalSeconds > 0) || journalSeconds > 3_600) {
            return "--journal-seconds must be in (0, 3600], was " + journalSeconds;
        }
        if (!Files.isDirectory(Paths.get(journalDir))) {
            return "--journal-dir " + journalDir + " is not a directory";
        }
        if (idleSeconds < 0 || oneShotRuns < 1) {
            return "--idle-seconds must be >= 0 and --oneshot-runs >= 1, were " + idleSeconds + " and " + oneShotRuns;
        }
        return null;
    }

    long count(long base) {
        return Math.max(10, Math.round(base * scale));
    }

    int largestWindow() {
        return windows.stream().mapToInt(Integer::intValue).max().orElse(16);
    }

    long idleMillis() {
        return Math.round(idleSeconds * 1000);
    }

    /**
     * The {@code ./wren} launcher for the one-shot row: {@code --wren-launcher}, else the first executable
     * {@code wren} beside a built {@code tools/cli/target/wren.jar} in a folder above this bench's jar or classes;
     * null when there is none.
     */
    java.nio.file.Path wrenLauncher() {
        if (wrenLauncher != null) {
            return Paths.get(wrenLauncher);
        }
        try {
            java.nio.file.Path dir = Paths.get(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (; dir != null; dir = dir.getParent()) {
                java.nio.file.Path launcher = dir.resolve("wren");
                if (Files.isRegularFile(launcher) && Files.isExecutable(launcher)
                        && Files.isRegularFile(dir.resolve("tools/cli/target/wren.jar"))) {
                    return launcher;
                }
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return null;
        }
        return null;
    }

    String mosquittoPub() {
        return Files.isExecutable(Paths.get("/usr/bin/mosquitto_pub")) ? "/usr/bin/mosquitto_pub" : null;
    }

    private static void guarded(Column column, Map<Column, Exception> failures, PrintWriter out, BenchRun.Action action) {
        try {
            action.run();
        } catch (Exception e) {
            failures.put(column, e);
            out.println(column.label + " failed: " + e);
            e.printStackTrace(out);
        }
    }

    /** The rounds table's contenders: the raw publisher, then each client asked for, in {@link #CLIENTS} order. */
    private RoundsBench roundsBench(String h, int p, long pid, PrintWriter out) {
        List<String> contenders = new java.util.ArrayList<>(List.of("raw"));
        CLIENTS.stream().filter(clients::contains).forEach(contenders::add);
        out.println("rounds table: " + rounds + " rounds over " + contenders + ", each measurement a fresh JVM");
        int[] rates = latencyRates.stream().mapToInt(Integer::intValue).toArray();
        return new RoundsBench(contenders, h, p, pid, rounds, count(qos0Messages), count(qos12Messages),
                largestWindow(), latencySeconds, rates, out).runChecked();
    }

    /** The first line mosquitto -h prints ("mosquitto version 2.0.11"), or "mosquitto". */
    private String mosquittoVersion() {
        try {
            Process v = new ProcessBuilder(mosquitto, "-h").redirectErrorStream(true).start();
            String first = new String(v.getInputStream().readNBytes(200), java.nio.charset.StandardCharsets.UTF_8).split("\n")[0].trim();
            v.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            return first.isEmpty() ? mosquitto : first;
        } catch (java.io.IOException | InterruptedException e) {
            return mosquitto;
        }
    }

    private JournalBench journal(String h, int p, PrintWriter out) {
        out.println("journal section: " + Arrays.asList(JournalBench.Policy.values()) + ", windows " + windows + ", "
                + rounds + " rounds of " + journalSeconds + " s");
        return new JournalBench(h, p, windows, rounds, journalSeconds, Paths.get(journalDir), out);
    }

    private static String loadAverage() {
        try {
            String[] f = new String(Files.readAllBytes(Paths.get("/proc/loadavg")), java.nio.charset.StandardCharsets.US_ASCII)
                    .trim().split(" ");
            return f[0] + "/" + f[1] + "/" + f[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Date, JDK and CPU of this run, as one sentence. */
    private static String machine() {
        Runtime.Version v = Runtime.version();
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Paths.get("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (java.io.IOException ignored) {
            // the machine line then says unknown
        }
        return "Date " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                + "; JDK " + v + " (" + System.getProperty("java.vm.name") + ")"
                + "; " + cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores.";
    }

    private String describeRun() {
        return String.join("\n",
                "Latency (3) and threads are in the rounds table (fresh JVMs, fixed offered rates). Ratios: throughput, allocation and idle ÷ the ceiling (QoS 1/2 ÷ the QoS 0 32 B ceiling);"
                        + " one-shot ÷ the hello-world; jars ÷ client-core. wN = in-flight window.",
                "Paho's two APIs: async = MqttAsyncClient with wN publishes outstanding; blocking = MqttClient, each"
                        + " publish waits for its write (QoS 0) or acknowledgement (QoS 1/2), one in flight whatever wN"
                        + " says. The one-shot program uses the blocking API; both share the jar.",
                "Ceiling: PUBLISH frames encoded once, written in 64 KiB batches to a socket; every throughput"
                        + " figure is end to end to one raw-socket QoS 0 subscriber. Allocation sums all JVM threads.",
                "One-shot (6): connect, publish one QoS 1 message, disconnect, each a fresh process, " + oneShotRuns
                        + " interleaved runs after one untimed run of each; ./wren pub = the `wren pub` command through"
                        + " the ./wren launcher, as a user runs it; Wren = the dedicated program OneShotWren.",
                machine() + " Scale " + scale + ", throughput the median [min–max] of " + rounds + " interleaved rounds in this JVM, idle " + idleSeconds + " s, windows " + windows + ".");
    }
}
