package dev.wren.tools.bench;

import dev.wren.tools.bench.ResultTable.Column;
import dev.wren.tools.bench.ResultTable.Row;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * The measurements of one {@code wren bench} run against one broker, client after client in this JVM.
 * Every case uses its own connections and a topic of its own, so no case sees another's messages.
 */
final class BenchRun {
    private static final long STALL_MILLIS = 5_000;
    private static final long AWAIT_MILLIS = 120_000;

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

    private static byte[] payload(int bytes) {
        byte[] p = new byte[bytes];
        Arrays.fill(p, (byte) 'x');
        return p;
    }

    // ---- the ceiling: raw socket publisher and subscriber -------------------------------------------------

    void ceiling() throws Exception {
        log.println("ceiling: raw socket; allocation measurement overhead " + Allocation.measurementOverhead() + " B, subtracted");
        int before = Allocation.liveThreads();
        try (RawPublisher idle = RawPublisher.connect(host, port)) {
            table.put(Row.THREADS, Column.CEILING, Allocation.liveThreads() - before);
        }
        table.put(Row.QOS0_32B, Column.CEILING, rawThroughput(0, payload(32), options.count(options.qos0Messages)));
        table.put(Row.QOS0_1KB, Column.CEILING, rawThroughput(0, payload(1024), options.count(options.qos0KilobyteMessages)));
        int window = options.largestWindow();
        table.put(Row.QOS1, Column.CEILING, rawThroughput(1, payload(32), options.count(options.qos12Messages)));
        table.note(Row.QOS1, Column.CEILING, "w" + window);
        table.put(Row.QOS2, Column.CEILING, rawThroughput(2, payload(32), options.count(options.qos12Messages)));
        table.note(Row.QOS2, Column.CEILING, "w" + window);
        rawLatency();
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

    private double rawThroughput(int qos, byte[] payload, long count) throws IOException {
        double best = 0;
        for (int round = 0; round < options.rounds; round++) {
            best = Math.max(best, rawThroughputOnce(qos, payload, count));
        }
        return best;
    }

    private double rawThroughputOnce(int qos, byte[] payload, long count) throws IOException {
        String topic = newTopic("ceiling-q" + qos + "-" + payload.length);
        try (RawSubscriber sub = RawSubscriber.start(host, port, topic, 0);
             RawPublisher pub = RawPublisher.connect(host, port)) {
            pub.prepare(topic, qos, payload, options.largestWindow());
            long warm = warmupCount(count);
            pub.publish(warm);
            sub.awaitReceived(warm, STALL_MILLIS);
            long start = System.nanoTime();
            pub.publish(count);
            long end = sub.awaitReceived(warm + count, STALL_MILLIS);
            return rate(sub.received() - warm, count, start, end, "ceiling QoS " + qos);
        }
    }

    private void rawLatency() throws IOException {
        int count = (int) options.count(options.latencyMessages);
        String topic = newTopic("ceiling-latency");
        try (RawSubscriber sub = RawSubscriber.start(host, port, topic, count);
             RawPublisher pub = RawPublisher.connect(host, port)) {
            pub.prepare(topic, 0, payload(32), 1);
            pub.publishPaced(count, options.latencyPeriodNanos());
            sub.awaitReceived(count, STALL_MILLIS);
            putLatency(Column.CEILING, sub.latencies());
        }
    }

    private double rawAllocation(int qos) throws IOException {
        long count = options.count(options.allocMessages);
        String topic = newTopic("ceiling-alloc-q" + qos);
        try (RawSubscriber sub = RawSubscriber.start(host, port, topic, 0);
             RawPublisher pub = RawPublisher.connect(host, port)) {
            pub.prepare(topic, qos, payload(32), options.largestWindow());
            long warm = warmupCount(count);
            pub.publish(warm);
            sub.awaitReceived(warm, STALL_MILLIS);
            Allocation before = Allocation.snapshot();
            pub.publish(count);
            sub.awaitReceived(warm + count, STALL_MILLIS);
            return (double) Allocation.snapshot().since(before) / count;
        }
    }

    // ---- a client under test ------------------------------------------------------------------------------

    void client(Column column, Supplier<BenchClient> factory) throws Exception {
        log.println(column.label + ": connecting");
        int before = Allocation.liveThreads();
        try (BenchClient c = factory.get()) {
            c.connect(host, port, "bench-threads", options.largestWindow());
            table.put(Row.THREADS, column, Allocation.liveThreads() - before);
        }
        log.println(column.label + ": QoS 0 throughput");
        table.put(Row.QOS0_32B, column, clientThroughput(factory, 0, payload(32), options.count(options.qos0Messages), options.largestWindow()));
        table.put(Row.QOS0_1KB, column, clientThroughput(factory, 0, payload(1024), options.count(options.qos0KilobyteMessages), options.largestWindow()));
        for (int qos = 1; qos <= 2; qos++) {
            log.println(column.label + ": QoS " + qos + " throughput, windows " + options.windows);
            Row row = qos == 1 ? Row.QOS1 : Row.QOS2;
            double best = -1;
            int bestWindow = 0;
            for (int window : options.windows) {
                double r = clientThroughput(factory, qos, payload(32), options.count(options.qos12Messages), window);
                if (r > best) {
                    best = r;
                    bestWindow = window;
                }
            }
            table.put(row, column, best);
            table.note(row, column, "w" + bestWindow);
        }
        log.println(column.label + ": latency");
        clientLatency(column, factory);
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

    private double clientThroughput(Supplier<BenchClient> factory, int qos, byte[] payload, long count, int window)
            throws Exception {
        double best = 0;
        for (int round = 0; round < options.rounds; round++) {
            best = Math.max(best, clientThroughputOnce(factory, qos, payload, count, window));
        }
        return best;
    }

    private double clientThroughputOnce(Supplier<BenchClient> factory, int qos, byte[] payload, long count, int window)
            throws Exception {
        String topic = newTopic("q" + qos + "-" + payload.length);
        try (RawSubscriber sub = RawSubscriber.start(host, port, topic, 0); BenchClient c = factory.get()) {
            c.connect(host, port, "bench-throughput", window);
            c.topic(topic);
            long warm = warmupCount(count);
            publishAll(c, payload, qos, warm);
            sub.awaitReceived(warm, STALL_MILLIS);
            long start = System.nanoTime();
            publishAll(c, payload, qos, count);
            long end = sub.awaitReceived(warm + count, STALL_MILLIS);
            return rate(sub.received() - warm, count, start, end, "QoS " + qos + " window " + window);
        }
    }

    private static void publishAll(BenchClient c, byte[] payload, int qos, long count) throws Exception {
        for (long i = 0; i < count; i++) {
            c.publish(payload, qos);
        }
        c.awaitPublished(AWAIT_MILLIS);
    }

    private void clientLatency(Column column, Supplier<BenchClient> factory) throws Exception {
        int count = (int) options.count(options.latencyMessages);
        String topic = newTopic("latency");
        long period = options.latencyPeriodNanos();
        try (RawSubscriber sub = RawSubscriber.start(host, port, topic, count); BenchClient c = factory.get()) {
            c.connect(host, port, "bench-latency", options.largestWindow());
            c.topic(topic);
            byte[] payload = payload(32);
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                RawPublisher.Pacing.waitUntil(start + i * period);
                byte[] p = c.ownsPayloadAfterPublish() ? payload : payload.clone();
                RawMqtt.writeLong(p, 0, System.nanoTime());
                c.publish(p, 0);
            }
            c.awaitPublished(AWAIT_MILLIS);
            sub.awaitReceived(count, STALL_MILLIS);
            putLatency(column, sub.latencies());
        }
    }

    private double publishAllocation(Supplier<BenchClient> factory, int qos) throws Exception {
        long count = options.count(options.allocMessages);
        String topic = newTopic("alloc-publish-q" + qos);
        byte[] payload = payload(32);
        try (RawSubscriber sub = RawSubscriber.start(host, port, topic, 0); BenchClient c = factory.get()) {
            c.connect(host, port, "bench-alloc-publish", options.largestWindow());
            c.topic(topic);
            long warm = warmupCount(count);
            publishAll(c, payload, qos, warm);
            sub.awaitReceived(warm, STALL_MILLIS);
            Allocation before = Allocation.snapshot();
            publishAll(c, payload, qos, count);
            sub.awaitReceived(warm + count, STALL_MILLIS);
            return (double) Allocation.snapshot().since(before) / count;
        }
    }

    private double receiveAllocation(Supplier<BenchClient> factory, int qos) throws Exception {
        long count = options.count(options.allocMessages);
        String topic = newTopic("alloc-receive-q" + qos);
        try (BenchClient c = factory.get(); RawPublisher feeder = RawPublisher.connect(host, port)) {
            c.connect(host, port, "bench-alloc-receive", options.largestWindow());
            c.subscribe(topic, qos);
            feeder.prepare(topic, qos, payload(32), options.largestWindow());
            long warm = warmupCount(count);
            feeder.publish(warm);
            c.awaitReceived(warm, AWAIT_MILLIS);
            Allocation before = Allocation.snapshot();
            feeder.publish(count);
            c.awaitReceived(warm + count, AWAIT_MILLIS);
            return (double) Allocation.snapshot().since(before) / count;
        }
    }

    // ---- shared ------------------------------------------------------------------------------------------

    /** An action that may throw: the idle wait of a client. */
    interface Idle {
        void run() throws Exception;
    }

    private double idleBytesPerSecond(Idle idle) throws Exception {
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

    private double rate(long delivered, long sent, long startNanos, long endNanos, String what) {
        if (delivered < sent) {
            log.println("  " + what + ": only " + delivered + " of " + sent + " messages arrived");
        }
        return delivered / ((endNanos - startNanos) / 1e9);
    }

    private void putLatency(Column column, long[] nanos) {
        // The first tenth warms the path up; it is not reported.
        long[] kept = Arrays.copyOfRange(nanos, nanos.length / 10, nanos.length);
        if (kept.length == 0) {
            table.note(Row.LATENCY_P50, column, "no samples");
            return;
        }
        Arrays.sort(kept);
        table.put(Row.LATENCY_P50, column, kept[(int) (kept.length * 0.50)] / 1e3);
        table.put(Row.LATENCY_P99, column, kept[Math.min(kept.length - 1, (int) (kept.length * 0.99))] / 1e3);
        table.put(Row.LATENCY_MAX, column, kept[kept.length - 1] / 1e3);
    }

    // ---- (6) one-shot footprint and (7) jar sizes -------------------------------------------------------

    void footprint(boolean wrenAvailable) throws Exception {
        try (BenchLib lib = BenchLib.extract()) {
            String java = ProcessHandle.current().info().command().orElse("java");
            oneShot(lib, Column.HELLO, List.of(java, "-cp", lib.classPath(BenchLib.WREN), "dev.wren.tools.bench.oneshot.HelloWorld"));
            if (wrenAvailable) {
                oneShot(lib, Column.WREN, javaOneShot(java, lib, BenchLib.WREN, "OneShotWren"));
            }
            oneShot(lib, Column.PAHO, javaOneShot(java, lib, BenchLib.PAHO, "OneShotPaho"));
            oneShot(lib, Column.HIVEMQ, javaOneShot(java, lib, BenchLib.HIVEMQ, "OneShotHivemq"));
            String mosquittoPub = options.mosquittoPub();
            if (mosquittoPub != null) {
                oneShot(lib, Column.MOSQUITTO_PUB, List.of(mosquittoPub, "-h", host, "-p", Integer.toString(port),
                        "-t", newTopic("oneshot-mosquitto_pub"), "-m", "1", "-q", "1", "-r"));
            } else {
                table.note(Row.ONESHOT_WALL, Column.MOSQUITTO_PUB, "not installed");
            }
            jarSize(lib, Column.WREN, BenchLib.WREN, "client-core");
            jarSize(lib, Column.PAHO, BenchLib.PAHO, "org.eclipse.paho.client.mqttv3");
            jarSize(lib, Column.HIVEMQ, BenchLib.HIVEMQ, "hivemq-mqtt-client");
        }
    }

    private List<String> javaOneShot(String java, BenchLib lib, String client, String mainClass) throws IOException {
        if (!lib.hasOneShot(mainClass) || lib.jars(client).isEmpty()) {
            return null;
        }
        return List.of(java, "-cp", lib.classPath(client), "dev.wren.tools.bench.oneshot." + mainClass,
                host, Integer.toString(port), newTopic("oneshot-" + client));
    }

    private void oneShot(BenchLib lib, Column column, List<String> command) throws Exception {
        if (command == null) {
            table.note(Row.ONESHOT_WALL, column, "jars not in this build");
            return;
        }
        log.println(column.label + ": one-shot x" + options.oneShotRuns);
        double[] wallAndRss = OneShot.measure(command, options.oneShotRuns);
        table.put(Row.ONESHOT_WALL, column, wallAndRss[0]);
        table.put(Row.ONESHOT_RSS, column, wallAndRss[1] / 1024);
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
