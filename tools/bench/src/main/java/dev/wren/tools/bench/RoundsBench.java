package dev.wren.tools.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The figures that separate clients when the broker sets the pace: throughput with client and broker CPU per
 * message, allocation and threads, then latency at fixed offered rates. Every measurement is a fresh JVM
 * ({@link Probe}); each round runs every contender once per case, the order rotated by one each round, and each
 * cell is the median and the range over the rounds, never the best.
 */
final class RoundsBench {
    /** A throughput run whose broker used at least this share of one core is labelled broker-bound. */
    static final double BROKER_BOUND_UTILISATION = 0.9;
    private static final long PROBE_TIMEOUT_SECONDS = 300;
    static final String HEADER_FIRST = "figure (median [min–max] over rounds)";

    /** The contender's column heading. */
    static String label(String contender) {
        switch (contender) {
            case "raw":
                return "raw publisher";
            case "wren":
                return "Wren";
            case "paho":
                return "Paho 1.2.5 async";
            case "paho-blocking":
                return "Paho 1.2.5 blocking";
            case "hivemq":
                return "HiveMQ 1.3.3 async";
            case "hivemq-blocking":
                return "HiveMQ 1.3.3 blocking";
            default:
                return contender;
        }
    }

    /** One case: throughput at a QoS, or latency at an offered rate (0: half the raw QoS 0 median, known later). */
    record Case(String key, String kind, int qos, int ratePerSecond) {
    }

    private final List<String> contenders;
    private final String host;
    private final int port;
    private final long brokerPid;
    private final int rounds;
    private final long qos0Messages;
    private final long qos1Messages;
    private final int window;
    private final double latencySeconds;
    private final int[] fixedRates;
    private final PrintWriter log;
    private final Map<String, Map<String, List<Map<String, Double>>>> results = new HashMap<>();
    private final Map<String, String> failures = new LinkedHashMap<>();
    private int halfCeilingRate;
    private int topicSeq;

    RoundsBench(List<String> contenders, String host, int port, long brokerPid, int rounds, long qos0Messages,
                long qos1Messages, int window, double latencySeconds, int[] fixedRates, PrintWriter log) {
        this.contenders = contenders;
        this.host = host;
        this.port = port;
        this.brokerPid = brokerPid;
        this.rounds = rounds;
        this.qos0Messages = qos0Messages;
        this.qos1Messages = qos1Messages;
        this.window = window;
        this.latencySeconds = latencySeconds;
        this.fixedRates = fixedRates;
        this.log = log;
    }

    /** {@link #run}, with an I/O failure of the bench itself (not of a probe) as an unchecked one. */
    RoundsBench runChecked() {
        try {
            return run();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Runs the throughput rounds, then the latency rounds (their last rate is half the raw QoS 0 median). */
    RoundsBench run() throws IOException {
        List<Case> throughput = List.of(new Case("t-q0", "throughput", 0, 0), new Case("t-q1", "throughput", 1, 0));
        runRounds(throughput);
        Double ceiling = median(samples("t-q0", "raw", "rate"));
        halfCeilingRate = ceiling == null ? 0 : (int) Math.max(1, Math.round(ceiling / 2));
        List<Case> latency = new ArrayList<>();
        for (int rate : fixedRates) {
            latency.add(new Case("l-" + rate, "latency", 0, rate));
        }
        if (halfCeilingRate > 0) {
            latency.add(new Case("l-half", "latency", 0, halfCeilingRate));
        } else {
            failures.put("latency at half the ceiling", "no raw QoS 0 throughput to take half of");
        }
        runRounds(latency);
        return this;
    }

    private void runRounds(List<Case> cases) throws IOException {
        for (int round = 0; round < rounds; round++) {
            for (Case c : cases) {
                List<String> order = rotated(contenders, round);
                log.println("round " + (round + 1) + "/" + rounds + ", " + c.key() + ": " + order);
                for (String contender : order) {
                    Probe.Spec spec = spec(c, contender);
                    try {
                        Map<String, Double> r = probe(spec);
                        results.computeIfAbsent(c.key(), k -> new HashMap<>())
                                .computeIfAbsent(contender, k -> new ArrayList<>()).add(r);
                    } catch (IOException e) {
                        failures.merge(label(contender) + " " + c.key(), e.getMessage(), (a, b) -> a);
                        log.println("  " + contender + " failed: " + e.getMessage());
                    }
                }
            }
        }
    }

    /** {@code list} rotated left by {@code round} places: round 0 as given, round 1 starting at the second. */
    static List<String> rotated(List<String> list, int round) {
        List<String> r = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            r.add(list.get((i + round) % list.size()));
        }
        return r;
    }

    private Probe.Spec spec(Case c, String contender) {
        String topic = "wren-bench/" + Long.toHexString(System.nanoTime()) + "/" + c.key() + "/" + contender + "/" + (++topicSeq);
        if (c.kind().equals("throughput")) {
            return new Probe.Spec(contender, "throughput", host, port, topic, c.qos(), 32,
                    c.qos() == 0 ? qos0Messages : qos1Messages, window, 0, brokerPid);
        }
        int rate = c.ratePerSecond();
        long count = Math.max(10, Math.round(rate * latencySeconds * 1.25));   // the first fifth is warm-up
        return new Probe.Spec(contender, "latency", host, port, topic, 0, 32, count, window, rate, brokerPid);
    }

    /** Runs one probe in a fresh JVM (this JVM's java and class path) and parses its result line. */
    private Map<String, Double> probe(Probe.Spec spec) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        command.addAll(spec.arguments());
        Path output = Files.createTempFile("wren-bench-probe", ".txt");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            boolean exited;
            try {
                exited = p.waitFor(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the probe", e);
            }
            if (!exited) {
                p.destroyForcibly();
            }
            List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
            String result = lines.stream().filter(l -> l.startsWith(Probe.PREFIX)).reduce((a, b) -> b).orElse(null);
            if (result == null) {
                String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
                throw new IOException(spec.contender() + " " + spec.kind() + " QoS " + spec.qos() + ": "
                        + (exited ? "exit " + p.exitValue() : "no result within " + PROBE_TIMEOUT_SECONDS + " s")
                        + ", no result line; last output:\n" + tail);
            }
            Map<String, Double> r = new LinkedHashMap<>();
            for (String kv : result.substring(Probe.PREFIX.length()).trim().split(" ")) {
                int eq = kv.indexOf('=');
                r.put(kv.substring(0, eq), Double.parseDouble(kv.substring(eq + 1)));
            }
            log.println("  " + spec.contender() + ": " + result.substring(Probe.PREFIX.length()));
            return r;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** The values of {@code metric} over the rounds of one case and contender (missing ones left out). */
    List<Double> samples(String caseKey, String contender, String metric) {
        List<Double> out = new ArrayList<>();
        for (Map<String, Double> r : results.getOrDefault(caseKey, Map.of()).getOrDefault(contender, List.of())) {
            Double v = r.get(metric);
            if (v != null && !v.isNaN()) {
                out.add(v);
            }
        }
        return out;
    }

    /** The median (the mean of the middle two for an even count), or null for no values. */
    static Double median(List<Double> values) {
        if (values.isEmpty()) {
            return null;
        }
        return OneShot.median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** One row of the table: a metric of a case, how many decimals, and whether a ratio to the raw publisher helps. */
    private record Row(String label, String caseKey, String metric, int decimals, boolean ratio) {
    }

    private List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        String[][] throughput = {{"t-q0", "QoS 0, 32 B"}, {"t-q1", "QoS 1, 32 B, window " + window}};
        for (String[] t : throughput) {
            rows.add(new Row(t[1] + ": throughput [msg/s]", t[0], "rate", 0, true));
            rows.add(new Row(t[1] + ": client CPU per message [µs]", t[0], "clientCpuUs", 2, true));
            rows.add(new Row(t[1] + ": broker CPU per message [µs]", t[0], "brokerCpuUs", 2, true));
            rows.add(new Row(t[1] + ": broker CPU utilisation [share of a core]", t[0], "brokerUtil", 2, false));
            rows.add(new Row(t[1] + ": allocated per message, all threads [B]", t[0], "allocBytes", 1, false));
        }
        rows.add(new Row("threads started by connect", "t-q0", "threads", 0, false));
        List<String[]> rates = new ArrayList<>();
        for (int rate : fixedRates) {
            rates.add(new String[] {"l-" + rate, String.format(Locale.ROOT, "%,d msg/s", rate)});
        }
        rates.add(new String[] {"l-half", String.format(Locale.ROOT, "%,d msg/s (½ raw QoS 0)", halfCeilingRate)});
        for (String[] l : rates) {
            rows.add(new Row("latency at " + l[1] + ": p50 [µs]", l[0], "p50Us", 1, true));
            rows.add(new Row("latency at " + l[1] + ": p99 [µs]", l[0], "p99Us", 1, true));
            rows.add(new Row("latency at " + l[1] + ": p99.9 [µs]", l[0], "p999Us", 1, true));
            rows.add(new Row("latency at " + l[1] + ": max [µs]", l[0], "maxUs", 1, true));
        }
        return rows;
    }

    /** The number of rows {@link #render} prints under its header and rule. */
    int rowCount() {
        return rows().size();
    }

    private String cell(Row row, String contender) {
        List<Double> v = samples(row.caseKey(), contender, row.metric());
        if (v.isEmpty()) {
            return "—";
        }
        String f = "%,." + row.decimals() + "f";
        double med = median(v);
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, f, med));
        if (v.size() > 1) {
            s.append(String.format(Locale.ROOT, " [" + f + "–" + f + "]",
                    v.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                    v.stream().mapToDouble(Double::doubleValue).max().orElse(0)));
        }
        Double ref = row.ratio() ? median(samples(row.caseKey(), "raw", row.metric())) : null;
        if (ref != null && !contender.equals("raw") && Math.abs(ref) > 1e-9) {
            s.append(String.format(Locale.ROOT, " (%.2f×)", med / ref));
        }
        if (row.metric().equals("rate")) {
            Double util = median(samples(row.caseKey(), contender, "brokerUtil"));
            if (util != null && util >= BROKER_BOUND_UTILISATION) {
                s.append(" broker-bound");
            }
        }
        return s.toString();
    }

    /** The table (Markdown) and its notes. */
    String render(String brokerConfig) {
        List<String[]> lines = new ArrayList<>();
        String[] head = new String[contenders.size() + 1];
        head[0] = HEADER_FIRST;
        for (int c = 0; c < contenders.size(); c++) {
            head[c + 1] = label(contenders.get(c));
        }
        lines.add(head);
        for (Row row : rows()) {
            String[] line = new String[contenders.size() + 1];
            line[0] = row.label();
            for (int c = 0; c < contenders.size(); c++) {
                line[c + 1] = cell(row, contenders.get(c));
            }
            lines.add(line);
        }
        StringBuilder out = new StringBuilder(ResultTable.markdown(lines));
        out.append(String.join("\n",
                "Each cell: median [min–max] over " + rounds + " rounds; each measurement a fresh JVM; the contenders'"
                        + " order rotated by one each round; (n×) = median ÷ the raw publisher's median.",
                "Throughput: " + qos0Messages + " QoS 0 / " + qos1Messages + " QoS 1 messages of 32 B after a fifth as"
                        + " many for warm-up, end to end to a raw-socket QoS 0 subscriber on a thread of the same JVM."
                        + " Raw publisher: frames encoded once, QoS 0 in 64 KiB writes, QoS 1 through a window of "
                        + window + " PUBACKs; Wren coalesces writes (64 KiB).",
                "Client CPU: the publishing JVM's CPU time (/proc/self/task/*/schedstat: all its threads, the"
                        + " client's, JIT and GC) less the subscriber thread's CPU time (ThreadMXBean), from the first timed publish until the last is written (QoS 0)"
                        + " or acknowledged (QoS 1). Broker CPU: utime+stime of mosquitto (/proc/PID/stat, 10 ms ticks)"
                        + " until the last message arrived, ÷ messages delivered; utilisation = that ÷ wall time;"
                        + " throughput is labelled broker-bound where the median utilisation is ≥ "
                        + BROKER_BOUND_UTILISATION + ".",
                "Allocation: getTotalThreadAllocatedBytes (all threads, dead ones included) over the timed burst."
                        + " Threads: threads alive after connect that were not before it.",
                "Latency: QoS 0, 32 B, offered at a fixed rate for " + latencySeconds + " s after a quarter as long"
                        + " of warm-up; each message carries its intended send time (start + i × period), so a"
                        + " publisher that falls behind shows its backlog (no coordinated omission); HdrHistogram."
                        + " Wren writes each message at once here (no coalescing); blocking APIs publish on the"
                        + " pacing thread, async ones hand over to their I/O thread.",
                "Broker: " + brokerConfig));
        failures.forEach((what, why) -> out.append("\nFailed: ").append(what).append(": ").append(why));
        return out.append('\n').toString();
    }

    /** Failures by case and contender (empty when every probe produced its line). */
    Map<String, String> failures() {
        return failures;
    }

    /** The contenders' column labels, in order. */
    List<String> labels() {
        return Arrays.asList(contenders.stream().map(RoundsBench::label).toArray(String[]::new));
    }
}
