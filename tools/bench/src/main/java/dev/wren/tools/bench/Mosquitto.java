package dev.wren.tools.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * A mosquitto broker of the bench's own on a free loopback port. Queues are unbounded (max_queued_messages 0)
 * so that the broker never drops a QoS 0 message of a throughput run, and Nagle is off for latency. The QoS 1/2
 * window is unbounded as well (max_inflight_messages 0): mosquitto applies it to incoming QoS 2 too and drops a
 * publisher that exceeds it, which would cap every client's window at mosquitto's default of 20.
 *
 * <p>Started {@linkplain #startWithTls with TLS}, it has a second listener on another free loopback port that speaks
 * TLS 1.2 and 1.3 only, with a throwaway CA and server certificate ({@link BenchCertificates}) in its folder.
 */
final class Mosquitto implements AutoCloseable {
    private static final long START_TIMEOUT_MILLIS = 10_000;

    private final Process process;
    private final Path dir;
    private final int port;
    private final int tlsPort;
    private final BenchCertificates certificates;
    /** Stops the broker and removes its folder when the bench is interrupted (Ctrl-C) before {@link #close()}. */
    private final Thread cleanupOnExit = new Thread(this::stopAndClean, "wren-bench-mosquitto-cleanup");

    /** The broker settings that shape the figures (the lines of its config file that are not paths). */
    private final String settings;

    private Mosquitto(Process process, Path dir, int port, int tlsPort, BenchCertificates certificates, String settings) {
        this.process = process;
        this.settings = settings;
        this.dir = dir;
        this.port = port;
        this.tlsPort = tlsPort;
        this.certificates = certificates;
        Runtime.getRuntime().addShutdownHook(cleanupOnExit);
    }

    /** The default broker binary: the Debian package's, else {@code mosquitto} on the PATH. */
    static String defaultExecutable() {
        return Files.isExecutable(Paths.get("/usr/sbin/mosquitto")) ? "/usr/sbin/mosquitto" : "mosquitto";
    }

    /** Starts the broker and returns once it accepts connections; retries if another process took the port. */
    static Mosquitto start(String executable) throws IOException {
        return start(executable, false, false);
    }

    /** Starts the broker with a TLS listener besides the plain one ({@link #tlsPort()}, {@link #certificates()}). */
    static Mosquitto startWithTls(String executable) throws IOException {
        return start(executable, true, false);
    }

    /**
     * Starts the broker, with a TLS listener besides the plain one when {@code tls}, and with
     * {@code set_tcp_nodelay true} when {@code tcpNoDelay} (mosquitto's default, and the bench's, is false: Nagle on
     * the broker's sockets; in an A/B run on 2 cores turning it on lowered the QoS 0 ceiling by a quarter).
     */
    static Mosquitto start(String executable, boolean tls, boolean tcpNoDelay) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return startOnce(executable, tls, tcpNoDelay);
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    private static Mosquitto startOnce(String executable, boolean tls, boolean tcpNoDelay) throws IOException {
        int port = freePort();
        int tlsPort = tls ? freePort() : -1;
        Path dir = Files.createTempDirectory("wren-bench-mosquitto");
        Path conf = dir.resolve("mosquitto.conf");
        Path log = dir.resolve("mosquitto.log");
        BenchCertificates certificates = null;
        String tlsListener = "";
        if (tls) {
            try {
                certificates = BenchCertificates.generate(dir.resolve("tls"));
            } catch (IOException e) {
                deleteTree(dir);
                throw e;
            }
            // per_listener_settings is false (the default): the options before the listener lines hold for both.
            tlsListener = String.join("\n",
                    "listener " + tlsPort + " 127.0.0.1",
                    "cafile " + certificates.caPem,
                    "certfile " + certificates.serverPem,
                    "keyfile " + certificates.serverKey,
                    "tls_version tlsv1.2",   // the least version accepted: 1.2 and 1.3
                    "");
        }
        String settings = String.join("; ",
                "allow_anonymous true",
                "persistence false",
                "max_queued_messages 0",
                "max_inflight_messages 0",
                "set_tcp_nodelay " + tcpNoDelay);
        Files.write(conf, String.join("\n",
                // Started as root, mosquitto 2.0 would drop to user mosquitto before opening its log and certificate
                // files in this owner-only folder; as any other user it ignores the line (as MosquittoExtension does).
                "user root",
                settings.replace("; ", "\n"),
                "log_dest file " + log,
                "log_type error",
                "log_type warning",
                "listener " + port + " 127.0.0.1",
                tlsListener).getBytes(StandardCharsets.UTF_8));
        Process p;
        try {
            p = new ProcessBuilder(executable, "-c", conf.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            deleteTree(dir);
            throw e;
        }
        Mosquitto m = new Mosquitto(p, dir, port, tlsPort, certificates, settings);
        long deadline = System.nanoTime() + START_TIMEOUT_MILLIS * 1_000_000L;
        while (true) {
            if (!p.isAlive()) {
                String text = Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "";
                m.close();
                throw new IOException(executable + " exited with " + p.exitValue() + " on port " + port + ": " + text.trim());
            }
            try (Socket s = new Socket(); Socket t = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                if (tls) {
                    t.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), tlsPort), 200);
                }
                return m;
            } catch (IOException notYet) {
                if (System.nanoTime() - deadline > 0) {
                    m.close();
                    throw new IOException(executable + " did not accept connections on port " + port
                            + (tls ? " and TLS port " + tlsPort : "") + " within " + START_TIMEOUT_MILLIS + " ms");
                }
                try {
                    Thread.sleep(20);   // nothing to await but the port: poll it
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while starting mosquitto", e);
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** The broker's process id (for its CPU time in /proc). */
    long pid() {
        return process.pid();
    }

    /** The config lines that shape the figures, joined by "; " (e.g. "... set_tcp_nodelay false"). */
    String settings() {
        return settings;
    }

    String host() {
        return "127.0.0.1";
    }

    int port() {
        return port;
    }

    /** The TLS listener's port; -1 unless started {@linkplain #startWithTls with TLS}. */
    int tlsPort() {
        return tlsPort;
    }

    /** The TLS listener's CA and certificate; null unless started {@linkplain #startWithTls with TLS}. */
    BenchCertificates certificates() {
        return certificates;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: it does the same
        }
        stopAndClean();
    }

    private void stopAndClean() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteTree(dir);
    }

    private static void deleteTree(Path dir) {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp dir is harmless
        }
    }
}
