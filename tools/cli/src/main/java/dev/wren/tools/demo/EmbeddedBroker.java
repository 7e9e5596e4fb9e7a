package dev.wren.tools.demo;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The demo's MQTT broker, Moquette, in this process: listening on 127.0.0.1 only, on a port the system picks,
 * anonymous clients allowed, nothing persisted, its telemetry, metrics and error reporting off, and whatever it
 * writes kept in a temporary folder that {@link #close()} deletes.
 */
final class EmbeddedBroker implements AutoCloseable {

    /** The loopback address the broker binds to: the demo is never reachable from the network. */
    static final String HOST = "127.0.0.1";
    private static final int START_ATTEMPTS = 3;
    private static final long START_TIMEOUT_MILLIS = 5_000;

    private final Server server;
    private final Path dataDir;
    private final int port;

    private EmbeddedBroker(Server server, Path dataDir, int port) {
        this.server = server;
        this.dataDir = dataDir;
        this.port = port;
    }

    /** Starts the broker on a free loopback port; returns once it accepts connections. */
    static EmbeddedBroker start() throws IOException {
        IOException last = null;
        // A port found free can be taken by another process before Moquette binds it: try a few.
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            try {
                return start(freePort());
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    private static EmbeddedBroker start(int port) throws IOException {
        Path dir = Files.createTempDirectory("wren-demo-broker-");
        Properties p = new Properties();
        p.setProperty("host", HOST);
        // Moquette 0.17 reports the bound port asynchronously, so port 0 cannot be read back reliably.
        p.setProperty("port", Integer.toString(port));
        p.setProperty("websocket_port", "disabled");
        p.setProperty("allow_anonymous", "true");
        p.setProperty("allow_zero_byte_client_id", "true");
        // No persistent_store: Moquette 0.17 takes that deprecated setting as an order to persist.
        p.setProperty("persistence_enabled", "false");
        p.setProperty("data_path", dir.toString());
        // Moquette 0.17 reports anonymous usage statistics unless told not to.
        p.setProperty("telemetry_enabled", "false");
        p.setProperty("use_metrics", "false");
        p.setProperty("use_bugsnag", "false");
        p.setProperty("netty.epoll", "false");
        Server server = new Server();
        try {
            server.startServer(new MemoryConfig(p));
            awaitAccepting(port);
        } catch (IOException | RuntimeException e) {
            server.stopServer();
            deleteTree(dir);
            throw e;
        }
        return new EmbeddedBroker(server, dir, port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(HOST, 0));
            return probe.getLocalPort();
        }
    }

    /** Moquette logs a failed bind instead of throwing: connect to be sure it listens. */
    private static void awaitAccepting(int port) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT_MILLIS * 1_000_000L;
        while (true) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(HOST, port), (int) START_TIMEOUT_MILLIS);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new IOException("the embedded broker does not accept on " + HOST + ":" + port + " after "
                            + START_TIMEOUT_MILLIS + " ms", notYet);
                }
                LockSupport.parkNanos(20_000_000L); // no event to wait on: poll the port until the deadline
            }
        }
    }

    /** The address to connect to. */
    String host() {
        return HOST;
    }

    /** The port the broker listens on. */
    int port() {
        return port;
    }

    /** The folder the broker may write to (deleted by {@link #close()}). */
    Path dataDir() {
        return dataDir;
    }

    /** Stops the broker and deletes its folder. */
    @Override
    public void close() {
        server.stopServer();
        deleteTree(dataDir);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the demo broker's folder " + dir, e);
        }
    }
}
