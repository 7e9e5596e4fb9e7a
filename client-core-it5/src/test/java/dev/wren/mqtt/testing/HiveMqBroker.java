package dev.wren.mqtt.testing;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.embedded.EmbeddedHiveMQBuilder;
import com.hivemq.extension.sdk.api.ExtensionMain;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * HiveMQ Community Edition (com.hivemq:hivemq-community-edition-embedded), an MQTT 3.1.1 and 5.0 broker, embedded in
 * the test JVM: one TCP listener on a free loopback port, in-memory persistence, its configuration, data and
 * extensions folders in a fresh temporary directory, usage statistics off, logging left to the test class path's
 * logback (warnings only). One per test class, as an extension (or {@link #start()} and {@link #close()} by hand):
 *
 * <pre>{@code
 * @RegisterExtension
 * static final HiveMqBroker HIVEMQ = HiveMqBroker.perClass();
 * ... HIVEMQ.host(), HIVEMQ.port() ...
 * }</pre>
 *
 * <p>Lives in client-core-it5, not beside {@link MosquittoExtension} in client-core: HiveMQ brings Netty 4.1.128,
 * logback, Guava and RocksDB onto the class path, where client-core keeps Moquette 0.17 with Netty 4.1.93.
 */
public final class HiveMqBroker implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

    private static final long START_TIMEOUT_MILLIS = 60_000;
    private static final long STOP_TIMEOUT_MILLIS = 30_000;

    private Path dir;
    private int port;
    private EmbeddedHiveMQ hivemq;
    /** An extension started with the broker (e.g. an enhanced authenticator), or null. */
    private final ExtensionMain extension;

    private HiveMqBroker(ExtensionMain extension) {
        this.extension = extension;
    }

    /** A broker that starts before the tests of the class that registers it and stops after them. */
    public static HiveMqBroker perClass() {
        return new HiveMqBroker(null);
    }

    /** As {@link #perClass()}, with {@code extension} embedded (HiveMQ extension SDK): started with the broker. */
    public static HiveMqBroker perClass(ExtensionMain extension) {
        return new HiveMqBroker(extension);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        startNow();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    private void prepare() throws IOException {
        dir = Files.createTempDirectory("wren-hivemq-");
        port = MosquittoExtension.freePort();
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.write(conf.resolve("config.xml"), config(port).getBytes(StandardCharsets.UTF_8));
        EmbeddedHiveMQBuilder builder = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(Files.createDirectories(dir.resolve("data")))
                .withExtensionsFolder(Files.createDirectories(dir.resolve("extensions")))
                .withoutLoggingBootstrap(); // keep the test class path's logback-test.xml
        if (extension != null) {
            builder.withEmbeddedExtension(EmbeddedExtension.builder().withId("wren-test-extension")
                    .withName("wren test extension").withVersion("1").withExtensionMain(extension).build());
        }
        hivemq = builder.build();
    }

    /** The configuration: one loopback TCP listener, nothing written to disk that a test would need, no telemetry. */
    static String config(int port) {
        return "<?xml version=\"1.0\"?>\n"
                + "<hivemq>\n"
                + "  <listeners>\n"
                + "    <tcp-listener><port>" + port + "</port><bind-address>127.0.0.1</bind-address></tcp-listener>\n"
                + "  </listeners>\n"
                + "  <persistence><mode>in-memory</mode></persistence>\n"
                + "  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>\n"
                + "</hivemq>\n";
    }

    /** Starts a broker allowing anonymous clients; returns when its port accepts connections. */
    public static HiveMqBroker start() {
        HiveMqBroker broker = new HiveMqBroker(null);
        broker.startNow();
        return broker;
    }

    private void startNow() {
        try {
            prepare();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare HiveMQ's folders", e);
        }
        try {
            hivemq.start().get(START_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            requireAccepting();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while starting HiveMQ", e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            close();
            throw new IllegalStateException("HiveMQ did not start on 127.0.0.1:" + port + " within "
                    + START_TIMEOUT_MILLIS + " ms: " + e, e);
        }
    }

    /** The future of start completes once the listeners are bound: one connect proves it. */
    private void requireAccepting() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host(), port), 5_000);
        } catch (IOException e) {
            throw new UncheckedIOException("HiveMQ started but 127.0.0.1:" + port + " refuses connections", e);
        }
    }

    /** The loopback address it listens on. */
    public String host() {
        return "127.0.0.1";
    }

    /** Its port. */
    public int port() {
        if (hivemq == null) {
            throw new IllegalStateException("HiveMQ is not started: register it as an extension or call start()");
        }
        return port;
    }

    /** The temporary folder holding conf/, data/ and extensions/; deleted by {@link #close()}. */
    Path folder() {
        return dir;
    }

    /** Stops the broker, waiting for it, and deletes its folders; idempotent. */
    @Override
    public void close() {
        if (hivemq == null) {
            return;
        }
        try {
            hivemq.stop().get(STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            hivemq.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("HiveMQ on port " + port + " did not stop within " + STOP_TIMEOUT_MILLIS
                    + " ms", e);
        } finally {
            hivemq = null;
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException ignored) {
                // a leftover temp directory is harmless
            }
        }
    }

    @Override
    public String toString() {
        return "hivemq-ce[127.0.0.1:" + port + "]";
    }
}
