package dev.wren.tools.bench;

import dev.wren.tools.bench.ResultTable.Column;
import dev.wren.tools.bench.ResultTable.Row;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The measurements of one {@code wren bench} run against one broker, client after client in this JVM.
 * Every case uses its own connections and a topic of its own, so no case sees another's messages.
 */
final class BenchRun {
    static final long STALL_MILLIS = 5_000;
    static final long AWAIT_MILLIS = 120_000;

    private final BenchCommand options;
    private final String host;
    private final int port;
    private final ResultTable table;
    private final PrintWriter log;
    private int topicSeq;

    BenchRun(BenchCommand options, String host, int port, ResultTable table, PrintWriter log) {
        this.options = options;
        this.host = host;
        this.port = port;
        this.table = table;
        this.log = log;
    }

    private String newTopic(String what) {
        return "wren-bench/" + Long.toHexString(System.nanoTime()) + "/" + what + "/" + (++topicSeq);
    }

    static byte[] payload(int bytes) {
        byte[] p = new byte[bytes];
        Arrays.fill(p, (byte) 'x');
        return p;
    }

    // ---- the ceiling: raw socket publisher and subscriber -------------------------------------------------

    /** The ceiling's allocation (the harness floor) and idle figures. */
    void ceilingRest() throws Exception {
        log.println("ceiling: raw socket; allocation measurement overhead " + Allocation.measurementOverhead() + " B, subtracted");
        Row[] pub = {Row.ALLOC_PUBLISH_QOS0, Row.ALLOC_PUBLISH_QOS1, Row.ALLOC_PUBLISH_QOS2};
        Row[] rec = {Row.ALLOC_RECEIVE_QOS0, Row.ALLOC_RECEIVE_QOS1, Row.ALLOC_RECEIVE_QOS2};
        for (int qos = 0; qos <= 2; qos++) {
            double perMessage = rawAllocation(qos);
            table.put(pub[qos], Column.CEILING, perMessage);
            table.put(rec[qos], Column.CEILING, perMessage);   // raw feeder and raw subscriber: the harness floor
        }
        try (RawPublisher idle = RawPublisher.connect(host, port)) {
            table.put(Row.IDLE, Column.CEILING, idleBytesPerSecond(() -> parkMillis(options.idleMillis())));
        }
    }

    /** One throughput measurement of one contender: messages per second. */
    interface Throughput {
        double once(int qos, byte[] payload, long count, int window) throws Exception;
    }

    Throughput ceilingThroughput() {
        return this::rawThroughputOnce;
    }

    Throughput clientThroughput(Supplier<BenchClient> factory) {
        return (qos, payload, count, window) -> clientThroughputOnce(factory, qos, payload, count, window);
    }

    /**
     * Figures (1) and (2). Each round measures every contender in turn, the order rotated by one each round, so a
     * change in the machine's load hits all alike; each cell is the median over the rounds with its range, for
     * QoS 1/2 of the window whose median is highest. A contender that fails is recorded in {@code failures} and
     * left out of the rest.
     */
    void throughput(Map<Column, Throughput> contenders, Map<Column, Exception> failures) {
        Object[][] cases = {
            {Row.QOS0_32B, 0, 32, options.count(options.qos0Messages), List.of(options.largestWindow())},
            {Row.QOS0_1KB, 0, 1024, options.count(options.qos0KilobyteMessages), List.of(options.largestWindow())},
            {Row.QOS1, 1, 32, options.count(options.qos12Messages), options.windows},
            {Row.QOS2, 2, 32, options.count(options.qos12Messages), options.windows},
        };
        List<Column> columns = List.copyOf(contenders.keySet());
        for (Object[] c : cases) {
            Row row = (Row) c[0];
            int qos = (Integer) c[1];
            byte[] payload = payload((Integer) c[2]);
            long count = (Long) c[3];
            @SuppressWarnings("unchecked")
            List<Integer> windows = (List<Integer>) c[4];
            log.println(row.label + ": " + options.rounds + " rounds over " + columns + ", windows " + windows);
            Map<Column, Map<Integer, List<Double>>> rates = new EnumMap<>(Column.class);
            for (int round = 0; round < options.rounds; round++) {
                for (int i = 0; i < columns.size(); i++) {
                    Column column = columns.get((i + round) % columns.size());
                    for (int window : windows) {
                        if (failures.containsKey(column)) {
                            continue;
                        }
                        try {
                            double rate = contenders.get(column).once(qos, payload, count, window);
                            rates.computeIfAbsent(column, k -> new java.util.TreeMap<>())
                                    .computeIfAbsent(window, k -> new java.util.ArrayList<>()).add(rate);
                        } catch (Exception failure) {
                            failures.put(column, failure);
                            log.println(column.label + " failed: " + failure);
                            failure.printStackTrace(log);
                        }
                    }
                }
            }
            rates.forEach((column, byWindow) -> {
                int bestWindow = -1;
                double bestMedian = -1;
                for (Map.Entry<Integer, List<Double>> w : byWindow.entrySet()) {
                    double median = RoundsBench.median(w.getValue());
                    if (median > bestMedian) {
                        bestMedian = median;
                        bestWindow = w.getKey();
                    }
                }
                List<Double> v = byWindow.get(bestWindow);
                table.put(row, column, bestMedian);
                if (v.size() > 1) {
                    table.note(row, column, String.format(java.util.Locale.ROOT, "[%,.0f–%,.0f]",
                            java.util.Collections.min(v), java.util.Collections.max(v)));
                }
                if (qos > 0) {
                    table.note(row, column, "w" + bestWindow);
                }
            });
        }
    }

    private double rawThroughputOnce(int qos, byte[] payload, long count, int window) throws Exception {
        String topic = newTopic("ceiling-q" + qos + "-" + payload.length);
        try (RawSubscriber sub = RawSubscriber.start(host, port, topic, 0);
             RawPublisher pub = RawPublisher.connect(host, port)) {
            pub.prepare(topic, qos, payload, window);
            return messagesPerSecond(count, sub, n -> pub.publish(n), "ceiling QoS " + qos);
        }
    }

    private double rawAllocation(int qos) throws Exception {
        long count = options.count(options.allocMessages);
        String topic = newTopic("ceiling-alloc-q" + qos);
        try (RawSubscriber sub = RawSubscriber.start(host, port, topic, 0);
             RawPublisher pub = RawPublisher.connect(host, port)) {
            pub.prepare(topic, qos, payload(32), options.largestWindow());
            return bytesPerMessage(count, (n, total) -> {
                pub.publish(n);
                sub.awaitReceived(total, STALL_MILLIS);
            });
        }
    }

    // ---- a client under test ------------------------------------------------------------------------------

    /** A client's allocation and idle figures. */
    void clientRest(Column column, Supplier<BenchClient> factory) throws Exception {
        log.println(column.label + ": allocation");
        Row[] pub = {Row.ALLOC_PUBLISH_QOS0, Row.ALLOC_PUBLISH_QOS1, Row.ALLOC_PUBLISH_QOS2};
        Row[] rec = {Row.ALLOC_RECEIVE_QOS0, Row.ALLOC_RECEIVE_QOS1, Row.ALLOC_RECEIVE_QOS2};
        for (int qos = 0; qos <= 2; qos++) {
            table.put(pub[qos], column, publishAllocation(factory, qos));
            table.put(rec[qos], column, receiveAllocation(factory, qos));
        }
        log.println(column.label + ": idle " + options.idleMillis() + " ms");
        try (BenchClient c = factory.get()) {
            c.connect(host, port, "bench-idle", options.largestWindow());
            table.put(Row.IDLE, column, idleBytesPerSecond(() -> c.idle(options.idleMillis())));
        }
    }

    private double clientThroughputOnce(Supplier<BenchClient> factory, int qos, byte[] payload, long count, int window)
            throws Exception {
        String topic = newTopic("q" + qos + "-" + payload.length);
        try (RawSubscriber sub = RawSubscriber.start(host, port, topic, 0); BenchClient c = factory.get()) {
            c.connect(host, port, "bench-throughput", window);
            c.topic(topic);
            return messagesPerSecond(count, sub, n -> publishAll(c, payload, qos, n), "QoS " + qos + " window " + window);
        }
    }

    static void publishAll(BenchClient c, byte[] payload, int qos, long count) throws Exception {
        for (long i = 0; i < count; i++) {
            c.publish(payload, qos);
        }
        c.awaitPublished(AWAIT_MILLIS);
    }

    private double publishAllocation(Supplier<BenchClient> factory, int qos) throws Exception {
        long count = options.count(options.allocMessages);
        String topic = newTopic("alloc-publish-q" + qos);
        byte[] payload = payload(32);
        try (RawSubscriber sub = RawSubscriber.start(host, port, topic, 0); BenchClient c = factory.get()) {
            c.connect(host, port, "bench-alloc-publish", options.largestWindow());
            c.topic(topic);
            return bytesPerMessage(count, (n, total) -> {
                publishAll(c, payload, qos, n);
                sub.awaitReceived(total, STALL_MILLIS);
            });
        }
    }

    private double receiveAllocation(Supplier<BenchClient> factory, int qos) throws Exception {
        long count = options.count(options.allocMessages);
        String topic = newTopic("alloc-receive-q" + qos);
        try (BenchClient c = factory.get(); RawPublisher feeder = RawPublisher.connect(host, port)) {
            c.connect(host, port, "bench-alloc-receive", options.largestWindow());
            c.subscribe(topic, qos);
            feeder.prepare(topic, qos, payload(32), options.largestWindow());
            return bytesPerMessage(count, (n, total) -> {
                feeder.publish(n);
                c.awaitReceived(total, AWAIT_MILLIS);
            });
        }
    }

    // ---- shared ------------------------------------------------------------------------------------------

    /** Sends {@code n} messages of a measurement. */
    interface Send {
        void send(long n) throws Exception;
    }

    /** Sends {@code n} messages and waits until {@code total} (this case's messages so far) have arrived. */
    interface Step {
        void run(long n, long total) throws Exception;
    }

    /** Warms up with a fifth of {@code count}, then times {@code count} messages end to end to {@code sub}. */
    private double messagesPerSecond(long count, RawSubscriber sub, Send send, String what) throws Exception {
        long warm = warmupCount(count);
        send.send(warm);
        sub.awaitReceived(warm, STALL_MILLIS);
        long start = System.nanoTime();
        send.send(count);
        long end = sub.awaitReceived(warm + count, STALL_MILLIS);
        long delivered = sub.received() - warm;
        if (delivered < count) {
            log.println("  " + what + ": only " + delivered + " of " + count + " messages arrived");
        }
        return delivered / ((end - start) / 1e9);
    }

    /** Warms up with a fifth of {@code count}, then measures the bytes all threads allocate per message. */
    static double bytesPerMessage(long count, Step step) throws Exception {
        long warm = warmupCount(count);
        step.run(warm, warm);
        Allocation before = Allocation.snapshot();
        step.run(count, warm + count);
        return (double) Allocation.snapshot().since(before) / count;
    }

    /** An action that may throw: the idle wait of a client. */
    interface Action {
        void run() throws Exception;
    }

    private double idleBytesPerSecond(Action idle) throws Exception {
        Allocation before = Allocation.snapshot();
        long start = System.nanoTime();
        idle.run();
        long bytes = Allocation.snapshot().since(before);
        return bytes / ((System.nanoTime() - start) / 1e9);
    }

    private static void parkMillis(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(left);
        }
    }

    private static long warmupCount(long count) {
        return Math.max(1, count / 5);
    }

    // ---- (6) one-shot footprint and (7) jar sizes -------------------------------------------------------

    void footprint() throws Exception {
        try (BenchLib lib = BenchLib.extract()) {
            String java = javaCommand();
            Map<Column, List<String>> commands = new LinkedHashMap<>();
            commands.put(Column.HELLO, List.of(java, "-cp", lib.classPath(BenchLib.WREN), "dev.wren.tools.bench.oneshot.HelloWorld"));
            commands.put(Column.WREN, javaOneShot(java, lib, BenchLib.WREN, "OneShotWren"));
            commands.put(Column.WREN_PUB, wrenPub());
            commands.put(Column.PAHO_BLOCKING, javaOneShot(java, lib, BenchLib.PAHO, "OneShotPaho"));
            table.note(Row.ONESHOT_WALL, Column.PAHO, "see blocking");
            commands.put(Column.HIVEMQ, javaOneShot(java, lib, BenchLib.HIVEMQ, "OneShotHivemq"));
            String mosquittoPub = options.mosquittoPub();
            commands.put(Column.MOSQUITTO_PUB, mosquittoPub == null ? null : List.of(mosquittoPub, "-h", host,
                    "-p", Integer.toString(port), "-t", newTopic("oneshot-mosquitto_pub"), "-m", "1", "-q", "1", "-r"));
            commands.forEach((column, command) -> {
                if (command == null) {
                    table.note(Row.ONESHOT_WALL, column, column == Column.MOSQUITTO_PUB ? "not installed"
                            : column == Column.WREN_PUB ? "./wren or tools/cli/target/wren.jar not found"
                            : "jars not in this build");
                }
            });
            commands.values().removeIf(Objects::isNull);
            log.println("one-shot: " + commands.keySet() + ", " + options.oneShotRuns + " interleaved runs each");
            OneShot.interleaved(commands, options.oneShotRuns).forEach((column, wallAndRss) -> {
                putWithRange(Row.ONESHOT_WALL, column, wallAndRss[0], 1, "%,.0f");
                putWithRange(Row.ONESHOT_RSS, column, wallAndRss[1], 1024, "%,.1f");
            });
            jarSize(lib, Column.WREN, BenchLib.WREN, "client-core");
            jarSize(lib, Column.PAHO, BenchLib.PAHO, "org.eclipse.paho.client.mqttv3");
            jarSize(lib, Column.PAHO_BLOCKING, BenchLib.PAHO, "org.eclipse.paho.client.mqttv3");
            jarSize(lib, Column.HIVEMQ, BenchLib.HIVEMQ, "hivemq-mqtt-client");
        }
    }

    /** Puts the median of {@code values} ÷ {@code divisor} and notes their range when there is more than one. */
    private void putWithRange(Row row, Column column, double[] values, double divisor, String format) {
        table.put(row, column, OneShot.median(values) / divisor);
        if (values.length > 1) {
            double[] v = values.clone();
            Arrays.sort(v);
            table.note(row, column, String.format(java.util.Locale.ROOT, "[" + format + "–" + format + "]",
                    v[0] / divisor, v[v.length - 1] / divisor));
        }
    }

    /**
     * {@code wren pub} as a user runs it: the {@code ./wren} launcher of this checkout (QoS 1, retained, as the
     * mosquitto_pub row), or null when the launcher or the CLI jar it runs is not there.
     */
    private List<String> wrenPub() {
        java.nio.file.Path launcher = options.wrenLauncher();
        if (launcher == null) {
            return null;
        }
        return List.of(launcher.toString(), "pub", "-h", host, "-p", Integer.toString(port),
                "-t", newTopic("oneshot-wren-pub"), "-m", "1", "-q", "1", "-r");
    }

    /** The loaded-class footprint section ({@link Footprint}), as printed. */
    String loadedClasses() throws Exception {
        try (BenchLib lib = BenchLib.extract()) {
            log.println("loaded-class footprint: OneShotWren under -Xlog:class+load");
            return Footprint.measure(javaCommand(), lib, host, port, newTopic("footprint")).render();
        }
    }

    /** The java launcher of this JVM, so that every fresh JVM runs the bench's own Java. */
    private static String javaCommand() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private List<String> javaOneShot(String java, BenchLib lib, String client, String mainClass) throws IOException {
        if (!lib.hasOneShot(mainClass) || lib.jars(client).isEmpty()) {
            return null;
        }
        return List.of(java, "-cp", lib.classPath(client), "dev.wren.tools.bench.oneshot." + mainClass,
                host, Integer.toString(port), newTopic("oneshot-" + client));
    }

    private void jarSize(BenchLib lib, Column column, String client, String artifactId) throws IOException {
        long jar = lib.jarBytes(client, artifactId);
        long total = lib.totalBytes(client);
        if (jar < 0) {
            table.note(Row.JAR, column, "jars not in this build");
            return;
        }
        table.put(Row.JAR, column, jar / 1024.0);
        table.put(Row.JAR_WITH_DEPS, column, total / 1024.0);
        table.note(Row.JAR_WITH_DEPS, column, "(" + lib.jars(client).size() + " jars)");
    }
}
