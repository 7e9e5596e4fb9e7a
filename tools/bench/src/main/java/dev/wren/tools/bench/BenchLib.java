package dev.wren.tools.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Each client's own runtime jars ({@code bench-lib/<client>/}, copied in by the build) and the one-shot classes,
 * extracted from wren-bench.jar (or target/classes) to a temporary directory: the one-shot processes run from there
 * with nothing else on their class path, and the jar sizes are read there.
 */
final class BenchLib implements AutoCloseable {
    static final String WREN = "wren";
    static final String PAHO = "paho";
    static final String HIVEMQ = "hivemq";
    private static final String LIB = "bench-lib/";
    private static final String ONESHOT = "dev/wren/tools/bench/oneshot/";

    private final Path root;

    private BenchLib(Path root) {
        this.root = root;
    }

    /** Extracts the bench library next to nothing else: a fresh temporary directory. */
    static BenchLib extract() throws IOException {
        Path root = Files.createTempDirectory("wren-bench-lib");
        Path source;
        try {
            source = Paths.get(BenchLib.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate the bench's own code", e);
        }
        if (Files.isDirectory(source)) {
            for (String prefix : new String[] {LIB, ONESHOT}) {
                Path from = source.resolve(prefix);
                if (!Files.isDirectory(from)) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(from)) {
                    for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                        Path to = root.resolve(source.relativize(f).toString());
                        Files.createDirectories(to.getParent());
                        Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } else {
            try (JarFile jar = new JarFile(source.toFile())) {
                Enumeration<JarEntry> entries = jar.entries();
                while (entries.hasMoreElements()) {
                    JarEntry e = entries.nextElement();
                    if (e.isDirectory() || !(e.getName().startsWith(LIB) || e.getName().startsWith(ONESHOT))) {
                        continue;
                    }
                    Path to = root.resolve(e.getName());
                    Files.createDirectories(to.getParent());
                    try (InputStream in = jar.getInputStream(e)) {
                        Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        return new BenchLib(root);
    }

    /** The client's runtime jars, sorted by name; empty when the build did not copy them. */
    List<Path> jars(String client) throws IOException {
        Path dir = root.resolve(LIB + client);
        List<Path> jars = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(f -> f.toString().endsWith(".jar")).sorted().forEach(jars::add);
            }
        }
        return jars;
    }

    /** The client's jar whose file name starts with {@code artifactId}, or null. */
    Path jar(String client, String artifactId) throws IOException {
        for (Path j : jars(client)) {
            if (j.getFileName().toString().startsWith(artifactId + "-")) {
                return j;
            }
        }
        return null;
    }

    /** Size in bytes of the client's jar whose file name starts with {@code artifactId}, or -1. */
    long jarBytes(String client, String artifactId) throws IOException {
        Path j = jar(client, artifactId);
        return j == null ? -1 : Files.size(j);
    }

    /** Total size in bytes of the client's jars, or -1 when there are none. */
    long totalBytes(String client) throws IOException {
        List<Path> jars = jars(client);
        long sum = 0;
        for (Path j : jars) {
            sum += Files.size(j);
        }
        return jars.isEmpty() ? -1 : sum;
    }

    /** The class path of a one-shot process: the one-shot classes and the client's jars only. */
    String classPath(String client) throws IOException {
        StringBuilder cp = new StringBuilder(root.toString());
        for (Path j : jars(client)) {
            cp.append(java.io.File.pathSeparatorChar).append(j);
        }
        return cp.toString();
    }

    /** True when the one-shot class {@code simpleName} was extracted. */
    boolean hasOneShot(String simpleName) {
        return Files.isRegularFile(root.resolve(ONESHOT + simpleName + ".class"));
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp dir is harmless
        }
    }
}
