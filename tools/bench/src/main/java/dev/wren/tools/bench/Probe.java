package dev.wren.tools.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import org.HdrHistogram.Histogram;

/**
 * One measurement of one contender in a JVM of its own, started by {@link RoundsBench} (so no contender runs in a
 * JVM another one has warmed, loaded or littered with threads). It prints one line, {@value #PREFIX} followed by
 * {@code key=value} pairs, and exits.
 *
 * <p>Arguments: {@code CONTENDER KIND HOST PORT TOPIC QOS PAYLOAD_BYTES COUNT WINDOW RATE BROKER_PID}, where KIND is
 * {@code throughput} (COUNT timed messages after a fifth as many for warm-up; RATE unused) or {@code latency} (COUNT
 * messages offered at RATE per second, the first fifth dropped as warm-up), and BROKER_PID is the broker's process
 * id, or -1 when unknown.
 *
 * <p>The QoS 0 subscriber that every figure is end to end to ({@link RawSubscriber}) runs on a thread of this JVM;
 * the client CPU figure is the process's CPU time ({@link #processCpuNanos}: every thread, the client's own, JIT
 * compilation and GC included) less that thread's CPU time over the same interval.
 */
public final class Probe {
    /** What the result line starts with. */
    static final String PREFIX = "probe ";
    /** The contenders a probe can run, as named on its command line. */
    static final List<String> CONTENDERS = List.of("raw", "wren", "paho", "paho-blocking", "hivemq", "hivemq-blocking");
    private static final long STALL_MILLIS = 5_000;
    /** USER_HZ: the unit of utime and stime in /proc/PID/stat, 100 on every Linux architecture the JDK runs on. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private Probe() {
    }

    /** The parsed command line. */
    record Spec(String contender, String kind, String host, int port, String topic, int qos, int payloadBytes,
                long count, int window, int ratePerSecond, long brokerPid) {

        static Spec parse(String[] a) {
            if (a.length != 11) {
                throw new IllegalArgumentException("Probe needs 11 arguments (CONTENDER KIND HOST PORT TOPIC QOS"
                        + " PAYLOAD_BYTES COUNT WINDOW RATE BROKER_PID), got " + a.length + ": " + String.join(" ", a));
            }
            if (!CONTENDERS.contains(a[0])) {
                throw new IllegalArgumentException("unknown contender '" + a[0] + "' (known: " + CONTENDERS + ")");
            }
            return new Spec(a[0], a[1], a[2], Integer.parseInt(a[3]), a[4], Integer.parseInt(a[5]),
                    Integer.parseInt(a[6]), Long.parseLong(a[7]), Integer.parseInt(a[8]), Integer.parseInt(a[9]),
                    Long.parseLong(a[10]));
        }

        /** The arguments that {@link #parse} reads back. */
        List<String> arguments() {
            return List.of(contender, kind, host, Integer.toString(port), topic, Integer.toString(qos),
                    Integer.toString(payloadBytes), Long.toString(count), Integer.toString(window),
                    Integer.toString(ratePerSecond), Long.toString(brokerPid));
        }
    }

    public static void main(String[] args) {
        Map<String, Double> result;
        try {
            Spec spec = Spec.parse(args);
            switch (spec.kind()) {
                case "throughput":
                    result = throughput(spec);
                    break;
                case "latency":
                    result = latency(spec);
                    break;
                default:
                    throw new IllegalArgumentException("kind must be throughput or latency, was '" + spec.kind() + "'");
            }
        } catch (Exception | Error e) {
            e.printStackTrace();
            System.exit(1);   // now, not when a client's leftover non-daemon thread ends (the bench would wait for it)
            return;
        }
        StringJoiner line = new StringJoiner(" ", PREFIX, "");
        result.forEach((k, v) -> line.add(k + "=" + String.format(Locale.ROOT, "%.6g", v)));
        System.out.println(line);
        System.out.flush();
        System.exit(0);   // Paho's and HiveMQ's threads may outlive their clients
    }

    /** Throughput, client and broker CPU, allocation and threads of one timed burst. */
    static Map<String, Double> throughput(Spec s) throws Exception {
        long warm = Math.max(1, s.count() / 5);
        Map<String, Double> r = new LinkedHashMap<>();
        try (RawSubscriber sub = RawSubscriber.start(s.host(), s.port(), s.topic(), 0)) {
            Allocation beforeConnect = Allocation.snapshot();
            try (Sender sender = Sender.connect(s, "bench-probe")) {
                r.put("threads", (double) Allocation.snapshot().threadsBornSince(beforeConnect));
                sender.send(warm);
                sub.awaitReceived(warm, STALL_MILLIS);
                // Reading /proc allocates: the CPU readings bracket the allocation readings, not the other way round.
                long broker0 = brokerCpuNanos(s.brokerPid());
                long cpu0 = processCpuNanos();
                long sub0 = sub.cpuNanos();
                long alloc0 = totalAllocatedBytes();
                long t0 = System.nanoTime();
                sender.send(s.count());
                long alloc1 = totalAllocatedBytes();
                long sub1 = sub.cpuNanos();
                long cpu1 = processCpuNanos();
                long end = sub.awaitReceived(warm + s.count(), STALL_MILLIS);
                long broker1 = brokerCpuNanos(s.brokerPid());
                long brokerEnd = System.nanoTime();
                long delivered = sub.received() - warm;
                r.put("delivered", (double) delivered);
                r.put("rate", delivered / ((end - t0) / 1e9));
                r.put("clientCpuUs", ((cpu1 - cpu0) - (sub1 - sub0)) / 1e3 / s.count());
                r.put("subscriberCpuUs", (sub1 - sub0) / 1e3 / s.count());
                r.put("allocBytes", (double) (alloc1 - alloc0) / s.count());
                if (broker0 >= 0 && broker1 >= 0) {
                    r.put("brokerCpuUs", (broker1 - broker0) / 1e3 / Math.max(1, delivered));
                    r.put("brokerUtil", (double) (broker1 - broker0) / (brokerEnd - t0));
                }
            }
        }
        return r;
    }

    /**
     * Latency at a fixed offered rate, corrected for coordinated omission: message i is due at start + i × period
     * and carries that due time, so a client that falls behind shows its backlog as latency. Percentiles from an
     * HdrHistogram (3 significant digits) of the messages after the warm-up fifth.
     */
    static Map<String, Double> latency(Spec s) throws Exception {
        int total = (int) s.count();
        int warm = total / 5;
        long period = 1_000_000_000L / s.ratePerSecond();
        Map<String, Double> r = new LinkedHashMap<>();
        try (RawSubscriber sub = RawSubscriber.start(s.host(), s.port(), s.topic(), total);
             Sender sender = Sender.connect(s, BenchClient.LATENCY_CLIENT_ID)) {
            long start = System.nanoTime() + 1_000_000L;
            sender.sendScheduled(total, start, period);
            long sendEnd = System.nanoTime();
            sub.awaitReceived(total, STALL_MILLIS);
            long[] nanos = sub.latencies();
            Histogram h = new Histogram(3);
            for (int i = warm; i < nanos.length; i++) {
                h.recordValue(Math.max(0, nanos[i]));
            }
            r.put("received", (double) nanos.length);
            r.put("sendRate", total / ((sendEnd - start) / 1e9));
            r.put("p50Us", h.getValueAtPercentile(50) / 1e3);
            r.put("p99Us", h.getValueAtPercentile(99) / 1e3);
            r.put("p999Us", h.getValueAtPercentile(99.9) / 1e3);
            r.put("maxUs", h.getMaxValue() / 1e3);
        }
        return r;
    }

    /**
     * Bytes allocated in the heap by all threads since the JVM started, dead ones included
     * ({@code getTotalThreadAllocatedBytes}, JDK 14+); where the JVM lacks it, the sum over the live threads.
     */
    static long totalAllocatedBytes() {
        try {
            long total = THREADS.getTotalThreadAllocatedBytes();
            if (total >= 0) {
                return total;
            }
        } catch (UnsupportedOperationException notHere) {
            // the sum over live threads below
        }
        long[] ids = THREADS.getAllThreadIds();
        long sum = 0;
        for (long b : THREADS.getThreadAllocatedBytes(ids)) {
            sum += Math.max(0, b);
        }
        return sum;
    }

    /**
     * CPU time of this process in nanoseconds: the sum over its threads (Java and native: JIT compilers, GC) of
     * the first field of /proc/self/task/TID/schedstat, which counts nanoseconds where /proc/self/stat and
     * {@code getProcessCpuTime} count 10 ms ticks; that is the fallback where schedstat is missing.
     */
    static long processCpuNanos() {
        try (java.nio.file.DirectoryStream<java.nio.file.Path> tasks = Files.newDirectoryStream(Paths.get("/proc/self/task"))) {
            long sum = 0;
            for (java.nio.file.Path task : tasks) {
                try {
                    String stat = new String(Files.readAllBytes(task.resolve("schedstat")), StandardCharsets.US_ASCII);
                    sum += Long.parseLong(stat.substring(0, stat.indexOf(' ')));
                } catch (java.nio.file.NoSuchFileException ended) {
                    // a thread that ended since the listing: its time is lost either way
                }
            }
            return sum;
        } catch (IOException | RuntimeException e) {
            return OS.getProcessCpuTime();
        }
    }

    /** User + system CPU time of process {@code pid} from /proc/PID/stat (fields 14 and 15), or -1. */
    static long brokerCpuNanos(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = new String(Files.readAllBytes(Paths.get("/proc/" + pid + "/stat")), StandardCharsets.US_ASCII);
            // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK;   // f[0] is field 3, state
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The contender's publishing side: the raw publisher or a {@link BenchClient}. */
    interface Sender extends AutoCloseable {
        /** Publishes {@code n} messages as fast as the contender goes; returns once written (QoS 0) or acknowledged. */
        void send(long n) throws Exception;

        /** Publishes {@code n} messages at QoS 0, message i due at start + i × period and stamped with that time. */
        void sendScheduled(int n, long startNanos, long periodNanos) throws Exception;

        @Override
        void close() throws Exception;

        static Sender connect(Spec s, String clientId) throws Exception {
            byte[] payload = BenchRun.payload(s.payloadBytes());
            if (s.contender().equals("raw")) {
                RawPublisher raw = RawPublisher.connect(s.host(), s.port());
                raw.prepare(s.topic(), s.qos(), payload, s.window());
                return new Sender() {
                    @Override
                    public void send(long n) throws Exception {
                        raw.publish(n);
                    }

                    @Override
                    public void sendScheduled(int n, long startNanos, long periodNanos) throws Exception {
                        raw.publishScheduled(n, startNanos, periodNanos);
                    }

                    @Override
                    public void close() {
                        raw.close();
                    }
                };
            }
            BenchClient c = client(s.contender());
            try {
                c.connect(s.host(), s.port(), clientId, s.window());
                c.topic(s.topic());
            } catch (Exception e) {
                c.close();
                throw e;
            }
            return new Sender() {
                @Override
                public void send(long n) throws Exception {
                    BenchRun.publishAll(c, payload, s.qos(), n);
                }

                @Override
                public void sendScheduled(int n, long startNanos, long periodNanos) throws Exception {
                    for (int i = 0; i < n; i++) {
                        long intended = startNanos + i * periodNanos;
                        RawPublisher.Pacing.waitUntil(intended);
                        byte[] p = c.ownsPayloadAfterPublish() ? payload : payload.clone();
                        RawMqtt.writeLong(p, 0, intended);
                        c.publish(p, 0);
                    }
                    c.awaitPublished(BenchRun.AWAIT_MILLIS);
                }

                @Override
                public void close() throws Exception {
                    c.close();
                }
            };
        }
    }

    /** A fresh client of the named contender (not the raw one). */
    static BenchClient client(String contender) {
        switch (contender) {
            case "wren":
                return new WrenClient();
            case "paho":
                return new PahoClient();
            case "paho-blocking":
                return new PahoBlockingClient();
            case "hivemq":
                return new HivemqClient();
            case "hivemq-blocking":
                return new HivemqBlockingClient();
            default:
                throw new IllegalArgumentException("no client for contender '" + contender + "'");
        }
    }
}
