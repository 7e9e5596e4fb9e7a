package dev.wren.mqtt.testing;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Moquette (io.moquette:moquette-broker), a second MQTT broker implementation, embedded in the test JVM on a free
 * loopback port with its data in a temporary directory; telemetry off, web sockets off, writes flushed at once.
 * Start one per test class and {@link #close()} it after.
 */
public final class MoquetteBroker implements AutoCloseable {

    private final Server server = new Server();
    private final Path dir;
    private final int port;

    private MoquetteBroker(Map<String, String> users) throws IOException {
        dir = Files.createTempDirectory("wren-moquette-");
        port = MosquittoExtension.freePort();
        Properties p = new Properties();
        p.setProperty("host", "127.0.0.1");
        p.setProperty("port", Integer.toString(port));
        p.setProperty("websocket_port", "disabled");
        p.setProperty("telemetry_enabled", "false");
        p.setProperty("persistence_enabled", "false");
        p.setProperty("data_path", dir.toString());
        p.setProperty("buffer_flush_millis", "0");
        p.setProperty("allow_anonymous", Boolean.toString(users.isEmpty()));
        if (!users.isEmpty()) {
            StringBuilder lines = new StringBuilder();
            for (Map.Entry<String, String> u : users.entrySet()) {
                lines.append(u.getKey()).append(':').append(sha256Hex(u.getValue())).append('\n');
            }
            Path passwords = dir.resolve("passwords");
            Files.write(passwords, lines.toString().getBytes(StandardCharsets.UTF_8));
            p.setProperty("password_file", passwords.toString());
        }
        server.startServer(new MemoryConfig(p));
    }

    /** Starts a broker allowing anonymous clients. */
    public static MoquetteBroker start() {
        return start(Map.of());
    }

    /** Starts a broker that accepts only {@code users} (name to password; Moquette's SHA-256 password file). */
    public static MoquetteBroker start(Map<String, String> users) {
        try {
            return new MoquetteBroker(users);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Moquette", e);
        }
    }

    /** The loopback address it listens on. */
    public String host() {
        return "127.0.0.1";
    }

    /** Its port. */
    public int port() {
        return port;
    }

    /** Stops the broker and deletes its data. */
    @Override
    public void close() {
        server.stopServer();
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }

    private static String sha256Hex(String password) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (byte b : digest) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "moquette[127.0.0.1:" + port + "]";
    }
}
