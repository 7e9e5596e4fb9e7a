package dev.wren.tools.demo;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The demo's MQTT broker, Moquette, in this process: listening on 127.0.0.1 only, on a port the system picks,
 * anonymous clients allowed, nothing persisted, its telemetry, metrics and error reporting off, and whatever it
 * writes kept in a temporary folder that {@link #close()} deletes.
 */
final class EmbeddedBroker implements AutoCloseable {

    /** The loopback address the broker binds to: the demo is never reachable from the network. */
    static final String HOST = "127.0.0.1";

    private final Server server;
    private final Path dataDir;
    private final int port;

    private EmbeddedBroker(Server server, Path dataDir, int port) {
        this.server = server;
        this.dataDir = dataDir;
        this.port = port;
    }

    /** Starts the broker; returns once it accepts connections. */
    static EmbeddedBroker start() throws IOException {
        Path dir = Files.createTempDirectory("wren-demo-broker-");
        Properties p = new Properties();
        p.setProperty("host", HOST);
        p.setProperty("port", "0");
        p.setProperty("websocket_port", "disabled");
        p.setProperty("allow_anonymous", "true");
        p.setProperty("allow_zero_byte_client_id", "true");
        p.setProperty("persistence_enabled", "false");
        p.setProperty("data_path", dir.toString());
        p.setProperty("persistent_store", dir.resolve("moquette_store.h2").toString());
        // Moquette 0.17 reports anonymous usage statistics unless told not to.
        p.setProperty("telemetry_enabled", "false");
        p.setProperty("use_metrics", "false");
        p.setProperty("use_bugsnag", "false");
        p.setProperty("netty.epoll", "false");
        Server server = new Server();
        try {
            server.startServer(new MemoryConfig(p));
        } catch (IOException | RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
        return new EmbeddedBroker(server, dir, server.getPort());
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
