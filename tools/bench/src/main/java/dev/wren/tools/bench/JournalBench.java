package dev.wren.tools.bench;

import dev.wren.mqtt.journal.JournalStore;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What the crash-safe journal ({@code JournalStore} of client-journal) costs Wren's QoS 1 publishing, per fsync policy
 * ({@code JournalStore.Builder.sync(everyRecords, intervalMillis)}): throughput and bytes allocated per message, each as a ratio
 * to the same client without a journal. Every measurement runs for a fixed time, not a fixed count, because a
 * policy that forces every record runs at the disk's fsync rate, orders of magnitude below the others.
 *
 * <p>Each round measures every policy at every window in turn, the policies' order rotated by one each round, so a
 * change in the machine's load hits all alike; the median rate over the rounds [min–max] is reported, of the window
 * whose median is highest. Allocation sums every timed run of a policy (all threads,
 * the meter's own bytes subtracted) and divides by the messages those runs sent.
 */
final class JournalBench {
    private static final long STALL_MILLIS = 5_000;
    private static final long AWAIT_MILLIS = 120_000;
    private static final int PAYLOAD_BYTES = 32;
    /** MqttConfig's default transmit buffer, which {@link WrenClient} keeps: the journal's largest record. */
    private static final int TRANSMIT_BUFFER_BYTES = 16 * 1024;
    /** MqttConfig's default journal size; larger only when the window needs it. */
    private static final int DEFAULT_CAPACITY_BYTES = 1024 * 1024;

    /** The rows, in print order; the first is every ratio's reference. */
    enum Policy {
        NONE("no journal", "(none)", -1, -1),
        UNFORCED("journal, never forced", "sync(0, 0)", 0, 0),
        EVERY_RECORD("journal, forced every record", "sync(1, 0) (default)", 1, 0),
        EVERY_100("journal, forced every 100 records", "sync(100, 0)", 100, 0),
        EVERY_10MS("journal, forced every 10 ms", "sync(0, 10)", 0, 10);

        final String label;
        final String setting;
        final int everyRecords;
        final int intervalMillis;

        Policy(String label, String setting, int everyRecords, int intervalMillis) {
            this.label = label;
            this.setting = setting;
            this.everyRecords = everyRecords;
            this.intervalMillis = intervalMillis;
        }
    }

    /** Header of the rendered table; the smoke test finds the table by it. */
    static final String[] HEADER = {"journal policy", "JournalStore.Builder", "QoS 1 throughput, 32 B [msg/s] (÷ no journal)",
            "allocated per message [B] (÷ no journal)"};

    private final String host;
    private final int port;
    private final List<Integer> windows;
    private final int rounds;
    private final long runNanos;
    private final Path parent;
    private final PrintWriter log;
    private final byte[] payload = new byte[PAYLOAD_BYTES];

    /** Rates by policy (ordinal) and window, one per round. */
    private final List<java.util.Map<Integer, List<Double>>> rates = new ArrayList<>();
    private final long[] allocatedBytes = new long[Policy.values().length];
    private final long[] allocatedMessages = new long[Policy.values().length];
    private int topicSeq;

    /**
     * @param parent  directory in which a temporary directory for the journal file is made (and removed after)
     * @param seconds length of each timed run; each run is preceded by a warm-up of a fifth of it
     */
    JournalBench(String host, int port, List<Integer> windows, int rounds, double seconds, Path parent, PrintWriter log) {
        this.host = host;
        this.port = port;
        this.windows = windows;
        this.rounds = rounds;
        this.runNanos = Math.max(1, Math.round(seconds * 1e9));
        this.parent = parent;
        this.log = log;
        Arrays.fill(payload, (byte) 'x');
        for (int p = 0; p < Policy.values().length; p++) {
            rates.add(new java.util.TreeMap<>());
        }
    }

    /** Measures every policy and returns the table with its footnotes (Markdown). */
    String run() throws Exception {
        int largest = windows.stream().mapToInt(Integer::intValue).max().orElse(16);
        int capacity = capacityBytes(largest);
        Path dir = Files.createTempDirectory(parent, "wren-bench-journal");
        Path file = dir.resolve("bench.journal");
        String where = describeLocation(dir, file, capacity);
        log.println("journal: " + where);
        try {
            Policy[] policies = Policy.values();
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < policies.length; i++) {
                    Policy policy = policies[(i + round) % policies.length];
                    for (int window : windows) {
                        measure(policy, window, file, capacity);
                    }
                }
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
        return render(where);
    }

    /**
     * A file that holds {@code 2 * window + 1} PUBLISH packets of the transmit buffer (the minimum the builder's
     * javadoc states), each with its record header and rounded up to whole 128-byte blocks, plus a header block.
     * The bench never queues more than one message beyond the window, so nothing is ever dropped.
     */
    static int capacityBytes(int window) {
        long perRecord = TRANSMIT_BUFFER_BYTES + 256L;   // 24-byte record header, rounded up to 128-byte blocks
        long needed = (2L * window + 1) * perRecord + 128;
        needed = (needed + 127) / 128 * 128;
        return (int) Math.max(DEFAULT_CAPACITY_BYTES, needed);
    }

    private void measure(Policy policy, int window, Path file, int capacity) throws Exception {
        String topic = "wren-bench/" + Long.toHexString(System.nanoTime()) + "/journal-"
                + policy.name().toLowerCase(Locale.ROOT) + "/" + (++topicSeq);
        WrenClient client = new WrenClient(b -> policy == Policy.NONE ? b
                : b.inflightStore(JournalStore.builder(file).capacityBytes(capacity)
                        .sync(policy.everyRecords, policy.intervalMillis).build()));
        try (RawSubscriber sub = RawSubscriber.start(host, port, topic, 0); WrenClient c = client) {
            c.connect(host, port, "bench-journal", window);
            c.topic(topic);
            long warm = publishFor(c, runNanos / 5);
            c.awaitPublished(AWAIT_MILLIS);
            sub.awaitReceived(warm, STALL_MILLIS);
            Allocation before = Allocation.snapshot();
            long start = System.nanoTime();
            long count = publishFor(c, runNanos);
            c.awaitPublished(AWAIT_MILLIS);
            long end = sub.awaitReceived(warm + count, STALL_MILLIS);
            long bytes = Allocation.snapshot().since(before);
            long delivered = sub.received() - warm;
            if (delivered < count) {
                log.println("  " + policy.label + " w" + window + ": only " + delivered + " of " + count + " messages arrived");
            }
            double rate = delivered / ((end - start) / 1e9);
            int p = policy.ordinal();
            rates.get(p).computeIfAbsent(window, w -> new ArrayList<>()).add(rate);
            allocatedBytes[p] += bytes;
            allocatedMessages[p] += count;
        }
    }

    /** Publishes at QoS 1 for {@code nanos} (the window bounding what is unacknowledged); returns the count. */
    private long publishFor(BenchClient c, long nanos) throws Exception {
        long deadline = System.nanoTime() + nanos;
        long n = 0;
        while (System.nanoTime() - deadline < 0) {
            c.publish(payload, 1);
            n++;
        }
        return n;
    }

    private static String describeLocation(Path dir, Path file, int capacity) {
        String fs;
        try {
            FileStore store = Files.getFileStore(dir);
            fs = "filesystem " + store.type() + " (" + store.name() + ")";
            if ("tmpfs".equals(store.type()) || "ramfs".equals(store.type())) {
                fs += ": memory, so forcing reaches no medium and the forced rows do not measure a disk";
            }
        } catch (IOException e) {
            fs = "filesystem unknown (" + e.getMessage() + ")";
        }
        return "journal file " + file + " (" + String.format(Locale.ROOT, "%,d", capacity) + " bytes, preallocated, removed after), "
                + fs;
    }

    private String render(String where) {
        List<String[]> lines = new ArrayList<>();
        lines.add(HEADER);
        double refRate = bestWindowRates(Policy.NONE) == null ? -1 : RoundsBench.median(bestWindowRates(Policy.NONE).getValue());
        double refAlloc = bytesPerMessage(Policy.NONE);
        for (Policy policy : Policy.values()) {
            java.util.Map.Entry<Integer, List<Double>> best = bestWindowRates(policy);
            if (best == null) {
                lines.add(new String[] {policy.label, policy.setting, "—", "—"});
                continue;
            }
            List<Double> v = best.getValue();
            double median = RoundsBench.median(v);
            String rate = String.format(Locale.ROOT, "%,.0f", median);
            if (v.size() > 1) {
                rate += String.format(Locale.ROOT, " [%,.0f–%,.0f]", java.util.Collections.min(v), java.util.Collections.max(v));
            }
            if (refRate > 0) {
                rate += String.format(Locale.ROOT, " (%.2f×)", median / refRate);
            }
            rate += " w" + best.getKey();
            double perMessage = bytesPerMessage(policy);
            String alloc = String.format(Locale.ROOT, "%,.1f", perMessage);
            // A ratio to ~0 says nothing: only against a real reference, as in the main table.
            if (Math.abs(refAlloc) >= 0.5) {
                alloc += String.format(Locale.ROOT, " (%.2f×)", perMessage / refAlloc);
            }
            lines.add(new String[] {policy.label, policy.setting, rate, alloc});
        }
        return ResultTable.markdown(lines)
                + "\nWren QoS 1, 32 B payload, publishing for " + runNanos / 1e9 + " s per run after a warm-up of a fifth of"
                + " that, end to end to one raw-socket QoS 0 subscriber; median [min–max] of " + rounds + " rounds, of the window"
                + " with the highest median of " + windows + " (wN), each round measuring every policy in turn, the order"
                + " rotated each round. Allocation: all threads, every timed run of the policy."
                + "\nRatios ÷ the no-journal row (allocation only where that row allocates >= 0.5 B per message)."
                + "\n" + where + ".\n";
    }

    /** The window whose median rate is highest and its rates, or null when the policy has none. */
    private java.util.Map.Entry<Integer, List<Double>> bestWindowRates(Policy policy) {
        java.util.Map.Entry<Integer, List<Double>> best = null;
        for (java.util.Map.Entry<Integer, List<Double>> e : rates.get(policy.ordinal()).entrySet()) {
            if (best == null || RoundsBench.median(e.getValue()) > RoundsBench.median(best.getValue())) {
                best = e;
            }
        }
        return best;
    }

    private double bytesPerMessage(Policy policy) {
        int p = policy.ordinal();
        return allocatedMessages[p] == 0 ? 0 : (double) allocatedBytes[p] / allocatedMessages[p];
    }
}
