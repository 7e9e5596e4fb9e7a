package dev.wren.tools.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The loaded-class footprint: which client-core classes ({@code dev.wren.mqtt.*}) a plain-TCP QoS 1 publish loads,
 * and their size in the client-core jar. Runs {@code OneShotWren} (connect, one retained 1 B QoS 1 PUBLISH, await
 * its PUBACK, disconnect) in a fresh JVM of the bench's own Java, with only the one-shot classes and client-core's
 * jar on the class path, under {@code -Xlog:class+load=info} written to a file; every {@code dev.wren.mqtt.} class
 * named there is looked up in the jar: its entry's uncompressed size (the class file's bytes) and compressed size.
 */
final class Footprint {
    static final String PACKAGE = "dev.wren.mqtt.";
    /** The goal of issue 14 for the uncompressed bytes. */
    static final long GOAL_BYTES = 64 * 1024;
    private static final Pattern LOADED = Pattern.compile("\\[class,load\\]\\s+(\\S+)\\s+source:");
    private static final long TIMEOUT_SECONDS = 60;

    /** Classes loaded (name to uncompressed class-file bytes, sorted by name), their compressed entry bytes. */
    final Map<String, Long> classes;
    final long classBytes;
    final long compressedBytes;
    /** Loaded {@code dev.wren.mqtt.} classes without an entry in the jar (e.g. generated lambda classes). */
    final List<String> notInJar;
    final Path jar;
    final int classesInJar;

    private Footprint(Map<String, Long> classes, long classBytes, long compressedBytes, List<String> notInJar, Path jar,
            int classesInJar) {
        this.classes = classes;
        this.classBytes = classBytes;
        this.compressedBytes = compressedBytes;
        this.notInJar = notInJar;
        this.jar = jar;
        this.classesInJar = classesInJar;
    }

    /** Runs the one-shot publish under class-load logging and sizes what it loaded. */
    static Footprint measure(String java, BenchLib lib, String host, int port, String topic)
            throws IOException, InterruptedException {
        Path jarPath = lib.jar(BenchLib.WREN, "client-core");
        if (jarPath == null || !lib.hasOneShot("OneShotWren")) {
            throw new IOException("client-core's jar or OneShotWren is not in this build of the bench");
        }
        Path log = Files.createTempFile("wren-footprint", ".log");
        Path err = Files.createTempFile("wren-footprint", ".err");
        try {
            List<String> cmd = List.of(java, "-Xlog:class+load=info:file=" + log, "-cp", lib.classPath(BenchLib.WREN),
                    "dev.wren.tools.bench.oneshot.OneShotWren", host, Integer.toString(port), topic);
            Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(err.toFile()).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " did not exit within " + TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " exited with " + p.exitValue() + ": "
                        + new String(Files.readAllBytes(err), StandardCharsets.UTF_8).trim());
            }
            return size(loaded(Files.readAllLines(log, StandardCharsets.UTF_8)), jarPath);
        } finally {
            Files.deleteIfExists(log);
            Files.deleteIfExists(err);
        }
    }

    /** The {@code dev.wren.mqtt.} class names in {@code -Xlog:class+load} lines, in load order, each once. */
    static List<String> loaded(List<String> logLines) {
        List<String> names = new ArrayList<>();
        for (String line : logLines) {
            Matcher m = LOADED.matcher(line);
            if (m.find() && m.group(1).startsWith(PACKAGE) && !names.contains(m.group(1))) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    private static Footprint size(List<String> names, Path jarPath) throws IOException {
        Map<String, Long> classes = new TreeMap<>();
        List<String> notInJar = new ArrayList<>();
        long bytes = 0;
        long compressed = 0;
        int inJar = 0;
        try (JarFile jar = new JarFile(jarPath.toFile())) {
            for (JarEntry e : (Iterable<JarEntry>) jar.stream()::iterator) {
                if (e.getName().endsWith(".class") && e.getName().startsWith(PACKAGE.replace('.', '/'))) {
                    inJar++;
                }
            }
            for (String name : names) {
                JarEntry e = jar.getJarEntry(name.replace('.', '/') + ".class");
                if (e == null) {
                    notInJar.add(name);
                    continue;
                }
                classes.put(name, e.getSize());
                bytes += e.getSize();
                compressed += e.getCompressedSize();
            }
        }
        return new Footprint(classes, bytes, compressed, notInJar, jarPath, inJar);
    }

    /** The section as printed: what was measured, a two-column table, then every class with its size. */
    String render() {
        StringBuilder s = new StringBuilder();
        s.append("Loaded-class footprint: client-core classes (").append(PACKAGE).append("*) that a plain-TCP QoS 1"
                + " publish loads. A fresh JVM (the bench's Java, -Xlog:class+load=info) runs OneShotWren with only"
                + " client-core on its class path: connect, one retained 1 B QoS 1 PUBLISH, await the PUBACK,"
                + " disconnect. Sizes are the classes' entries in ").append(jar.getFileName()).append(".\n");
        s.append("| figure | value |\n| --- | --- |\n");
        s.append("| client-core classes loaded | ").append(classes.size()).append(" of ").append(classesInJar)
                .append(" in the jar |\n");
        s.append("| their class files, uncompressed [B] | ").append(bytesAndKib(classBytes))
                .append(String.format(Locale.ROOT, " (goal ≤ %d KiB: %s) |\n", GOAL_BYTES / 1024,
                        classBytes <= GOAL_BYTES ? "met" : "exceeded by " + bytesAndKib(classBytes - GOAL_BYTES)));
        s.append("| their jar entries, compressed [B] | ").append(bytesAndKib(compressedBytes)).append(" |\n");
        s.append("Classes loaded (uncompressed bytes):\n");
        classes.forEach((name, b) -> s.append("  ").append(name).append(String.format(Locale.ROOT, " %,d", b)).append('\n'));
        if (!notInJar.isEmpty()) {
            s.append("Loaded but not in the jar (not counted): ").append(String.join(", ", notInJar)).append('\n');
        }
        return s.toString();
    }

    private static String bytesAndKib(long bytes) {
        return String.format(Locale.ROOT, "%,d (%.1f KiB)", bytes, bytes / 1024.0);
    }
}
