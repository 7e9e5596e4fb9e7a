package dev.wren.tools.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a command as a fresh process and measures its wall time and peak resident set size: from
 * {@code /usr/bin/time -v} when installed, else by sampling {@code /proc/<pid>/status} VmHWM until it exits.
 */
final class OneShot {
    private static final Path GNU_TIME = Paths.get("/usr/bin/time");
    private static final Pattern MAX_RSS = Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)");
    private static final Pattern VM_HWM = Pattern.compile("VmHWM:\\s+(\\d+) kB");
    private static final long TIMEOUT_SECONDS = 60;

    private OneShot() {
    }

    /**
     * Wall time (ms) and peak RSS (KiB) of {@code runs} runs of each command, interleaved: each round runs every
     * command once, the order rotated by one each round, so a change in the machine's load hits all alike. Each
     * command runs once untimed first (the page cache, and the class-data-sharing archive {@code ./wren} makes on
     * its first run: a user's second run). Returns, per key, {wall[], rss[]} in run order.
     */
    static <K> Map<K, double[][]> interleaved(Map<K, List<String>> commands, int runs)
            throws IOException, InterruptedException {
        List<K> keys = new ArrayList<>(commands.keySet());
        Map<K, double[][]> out = new LinkedHashMap<>();
        for (K k : keys) {
            once(commands.get(k));
            out.put(k, new double[][] {new double[runs], new double[runs]});
        }
        for (int r = 0; r < runs; r++) {
            for (int i = 0; i < keys.size(); i++) {
                K k = keys.get((i + r) % keys.size());
                double[] one = once(commands.get(k));
                out.get(k)[0][r] = one[0];
                out.get(k)[1][r] = one[1];
            }
        }
        return out;
    }

    /** The median of {@code values} (the mean of the middle two for an even count). */
    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static double[] once(List<String> command) throws IOException, InterruptedException {
        boolean gnuTime = Files.isExecutable(GNU_TIME);
        List<String> cmd = new ArrayList<>();
        if (gnuTime) {
            cmd.add(GNU_TIME.toString());
            cmd.add("-v");
        }
        cmd.addAll(command);
        Path err = Files.createTempFile("wren-oneshot", ".err");
        try {
            long start = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(err.toFile()).start();
            long peakKib = gnuTime ? -1 : sampleVmHwm(p);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not exit within " + TIMEOUT_SECONDS + " s");
            }
            long wallNanos = System.nanoTime() - start;
            String stderr = new String(Files.readAllBytes(err), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " exited with " + p.exitValue() + ": " + stderr.trim());
            }
            if (gnuTime) {
                Matcher m = MAX_RSS.matcher(stderr);
                if (!m.find()) {
                    throw new IOException("no maximum resident set size in /usr/bin/time output: " + stderr.trim());
                }
                peakKib = Long.parseLong(m.group(1));
            }
            return new double[] {wallNanos / 1e6, peakKib};
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /** Samples VmHWM (the kernel's own peak) every millisecond; the last reading before exit is the peak. */
    private static long sampleVmHwm(Process p) throws InterruptedException {
        Path status = Paths.get("/proc/" + p.pid() + "/status");
        long peak = -1;
        while (p.isAlive()) {
            try {
                Matcher m = VM_HWM.matcher(new String(Files.readAllBytes(status), StandardCharsets.US_ASCII));
                if (m.find()) {
                    peak = Math.max(peak, Long.parseLong(m.group(1)));
                }
            } catch (IOException exited) {
                break;
            }
            Thread.sleep(1);   // sampling interval; the process's exit is awaited by waitFor afterwards
        }
        return peak;
    }
}
