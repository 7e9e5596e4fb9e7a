package dev.wren.mqtt.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Starts a real mosquitto broker for a test class ({@code static} field) or for each test (instance field):
 *
 * <pre>{@code
 * @RegisterExtension
 * static final MosquittoExtension broker = MosquittoExtension.builder()
 *         .user("alice", "secret").acl("user alice\ntopic readwrite a/#\n").build();
 * ... MqttConfig.builder().host(broker.host()).port(broker.port()) ...
 * }</pre>
 *
 * <p>It writes {@code mosquitto.conf} into a fresh temporary directory ({@code listener <free port> 127.0.0.1},
 * {@code allow_anonymous true} unless users are given, {@code user root} so that mosquitto started as root
 * keeps the rights to read its own files there), runs {@code mosquitto -c}, waits until the port accepts,
 * and stops the process by its handle. {@link #kill()} (SIGKILL) and {@link #start()} restart it on the SAME
 * ports, for fault tests. A test that leaves the broker dead gets it restarted before the next test.
 * The broker's log is {@link #log()}.
 */
public final class MosquittoExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    /** Where the Debian package {@code mosquitto} installs the broker. */
    public static final String DEFAULT_BINARY = "/usr/sbin/mosquitto";
    private static final long START_TIMEOUT_MILLIS = 10_000;
    private static final long STOP_TIMEOUT_MILLIS = 5_000;

    private final Path binary;
    private final boolean allowAnonymous;
    private final Map<String, String> users;
    private final String acl;
    private final boolean persistence;
    private final List<String> configLines;
    private final Map<String, List<String>> extraListeners;
    private final Map<String, byte[]> files;

    private Path dir;
    private int port;
    private final Map<String, Integer> extraPorts = new LinkedHashMap<>();
    private Process process;
    private boolean classScoped;

    private MosquittoExtension(Builder b) {
        this.binary = b.binary;
        this.allowAnonymous = b.allowAnonymous;
        this.users = new LinkedHashMap<>(b.users);
        this.acl = b.acl;
        this.persistence = b.persistence;
        this.configLines = new ArrayList<>(b.configLines);
        this.extraListeners = new LinkedHashMap<>(b.extraListeners);
        this.files = new LinkedHashMap<>(b.files);
    }

    /** A broker with the defaults: anonymous access, one loopback listener, no persistence. */
    public MosquittoExtension() {
        this(builder());
    }

    /** Starts a configuration. */
    public static Builder builder() {
        return new Builder();
    }

    /** Options for the broker; every file named in them lives in {@link #configDir()} ({@code ${dir}} in lines). */
    public static final class Builder {
        private Path binary = Paths.get(System.getProperty("wren.mosquitto", DEFAULT_BINARY));
        private Boolean allowAnonymousSet;
        private boolean allowAnonymous = true;
        private final Map<String, String> users = new LinkedHashMap<>();
        private String acl;
        private boolean persistence;
        private final List<String> configLines = new ArrayList<>();
        private final Map<String, List<String>> extraListeners = new LinkedHashMap<>();
        private final Map<String, byte[]> files = new LinkedHashMap<>();

        private Builder() {
        }

        /** The broker executable (default {@value #DEFAULT_BINARY}, or system property {@code wren.mosquitto}). */
        public Builder binary(Path path) {
            this.binary = path;
            return this;
        }

        /** Whether clients without a user name may connect (default: true, false once a user is added). */
        public Builder allowAnonymous(boolean allow) {
            this.allowAnonymousSet = allow;
            return this;
        }

        /** Adds a user to a generated password file ({@code password_file}, SHA-512 salted as mosquitto expects). */
        public Builder user(String name, String password) {
            users.put(name, password);
            return this;
        }

        /** Writes {@code aclText} to an ACL file ({@code acl_file}); see mosquitto.conf(5). */
        public Builder acl(String aclText) {
            this.acl = aclText;
            return this;
        }

        /** Keeps sessions in {@code ${dir}/mosquitto.db}, saved when the broker stops cleanly (default off). */
        public Builder persistence(boolean on) {
            this.persistence = on;
            return this;
        }

        /** Adds a global configuration line; {@code ${dir}} is replaced by the configuration directory. */
        public Builder configLine(String line) {
            configLines.add(line);
            return this;
        }

        /**
         * Adds a listener on another free loopback port, followed by its own option lines ({@code ${dir}}
         * replaced), e.g. {@code extraListener("tls", "cafile ${dir}/ca.pem", "certfile ...", "keyfile ...")}.
         * Its port is {@link #port(String)}.
         */
        public Builder extraListener(String name, String... optionLines) {
            extraListeners.put(name, java.util.Arrays.asList(optionLines));
            return this;
        }

        /**
         * Adds a listener like {@link #extraListener(String, String...)}; e.g. a TLS listener from
         * {@link TestCertificates#listenerLines} ({@code cafile}, {@code certfile}, {@code keyfile},
         * {@code require_certificate true}, {@code tls_version tlsv1.3}).
         */
        public Builder extraListener(String name, List<String> optionLines) {
            extraListeners.put(name, new ArrayList<>(optionLines));
            return this;
        }

        /** Writes a file (e.g. a certificate) into the configuration directory before the broker starts. */
        public Builder file(String name, byte[] content) {
            files.put(name, content.clone());
            return this;
        }

        /** Builds the extension. */
        public MosquittoExtension build() {
            allowAnonymous = allowAnonymousSet != null ? allowAnonymousSet : users.isEmpty();
            return new MosquittoExtension(this);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        classScoped = true;
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
        deleteDir();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!isRunning()) {
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!classScoped) {
            stop();
            deleteDir();
        }
    }

    /** The loopback address the broker listens on. */
    public String host() {
        return "127.0.0.1";
    }

    /** The main listener's port (fixed for the extension's life, across restarts). */
    public int port() {
        requireStarted();
        return port;
    }

    /** The port of the extra listener {@code name}. */
    public int port(String name) {
        requireStarted();
        Integer p = extraPorts.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no extra listener named " + name + "; have " + extraPorts.keySet());
        }
        return p;
    }

    /** {@code tcp://127.0.0.1:<port>}. */
    public String uri() {
        return "tcp://" + host() + ":" + port();
    }

    /** The directory holding the configuration, password/ACL files, log and database. */
    public Path configDir() {
        requireStarted();
        return dir;
    }

    /** True while the broker process is alive. */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The broker's pid (for tests that signal it). */
    public long pid() {
        if (process == null) {
            throw new IllegalStateException("mosquitto is not running");
        }
        return process.pid();
    }

    /**
     * Starts the broker (again), on the same ports as before if it ran already; returns when the main
     * port accepts connections.
     */
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("mosquitto not found at " + binary
                    + ": install the Debian package mosquitto (apt-get install mosquitto)"
                    + " or point the system property wren.mosquitto at the broker executable");
        }
        try {
            if (dir == null) {
                dir = Files.createTempDirectory("wren-mosquitto-");
                port = freePort();
                for (String name : extraListeners.keySet()) {
                    extraPorts.put(name, freePort());
                }
                writeConfig();
            }
            Path logFile = dir.resolve("mosquitto.log");
            ProcessBuilder pb = new ProcessBuilder(binary.toString(), "-c", dir.resolve("mosquitto.conf").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            process = pb.start();
            awaitPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start mosquitto: " + e.getMessage(), e);
        }
    }

    /** Kills the broker with SIGKILL (no will suppression, no session saving) and waits until it is gone. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        awaitExit();
    }

    /** Stops the broker with SIGTERM (it saves a persistent database), SIGKILL after 5 s. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        awaitExit();
    }

    /** Everything the broker logged so far (empty before the first start). */
    public String log() {
        if (dir == null) {
            return "";
        }
        try {
            Path logFile = dir.resolve("mosquitto.log");
            return Files.exists(logFile) ? new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "cannot read log: " + e;
        }
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("mosquitto pid " + process.pid() + " did not exit");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping mosquitto", e);
        }
        process = null;
    }

    private void awaitPort() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                int code = process.exitValue();
                process = null;
                throw new IllegalStateException("mosquitto exited with " + code + " at start; log:\n" + log());
            }
            if (accepts(port) && extraListenersAccept()) {
                return;
            }
            pause();
        }
        process.destroyForcibly();
        throw new IllegalStateException("mosquitto did not accept on ports " + port + " " + extraPorts.values()
                + " within " + START_TIMEOUT_MILLIS + " ms; log:\n" + log());
    }

    /** mosquitto opens its listeners one after another: the main one accepting does not mean the others do. */
    private boolean extraListenersAccept() {
        for (int p : extraPorts.values()) {
            if (!accepts(p)) {
                return false;
            }
        }
        return true;
    }

    private boolean accepts(int p) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host(), p), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20); // polling a port with a deadline: no event to wait on
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for mosquitto", e);
        }
    }

    private void writeConfig() throws IOException {
        List<String> conf = new ArrayList<>();
        conf.add("# written by " + MosquittoExtension.class.getName());
        // As root, mosquitto would switch to user mosquitto, which cannot read this 0700 directory.
        conf.add("user root");
        conf.add("log_dest stderr");
        conf.add("log_type error");
        conf.add("log_type warning");
        conf.add("log_type notice");
        conf.add("log_type information");
        conf.add("allow_anonymous " + allowAnonymous);
        if (persistence) {
            conf.add("persistence true");
            conf.add("persistence_location " + dir + "/");
        } else {
            conf.add("persistence false");
        }
        if (!users.isEmpty()) {
            StringBuilder pw = new StringBuilder();
            for (Map.Entry<String, String> u : users.entrySet()) {
                pw.append(u.getKey()).append(':').append(passwordHash(u.getValue())).append('\n');
            }
            Files.write(dir.resolve("passwords"), pw.toString().getBytes(StandardCharsets.UTF_8));
            conf.add("password_file " + dir.resolve("passwords"));
        }
        if (acl != null) {
            Files.write(dir.resolve("acl"), acl.getBytes(StandardCharsets.UTF_8));
            conf.add("acl_file " + dir.resolve("acl"));
        }
        for (String line : configLines) {
            conf.add(line.replace("${dir}", dir.toString()));
        }
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Files.write(dir.resolve(f.getKey()), f.getValue());
        }
        conf.add("listener " + port + " " + host());
        for (Map.Entry<String, List<String>> l : extraListeners.entrySet()) {
            conf.add("listener " + extraPorts.get(l.getKey()) + " " + host());
            for (String line : l.getValue()) {
                conf.add(line.replace("${dir}", dir.toString()));
            }
        }
        Files.write(dir.resolve("mosquitto.conf"), conf, StandardCharsets.UTF_8);
    }

    /** mosquitto 2.0's {@code $6$} format: base64(salt) and base64(SHA-512(password bytes, then salt)). */
    static String passwordHash(String password) {
        byte[] salt = new byte[12];
        new SecureRandom().nextBytes(salt);
        try {
            MessageDigest sha512 = MessageDigest.getInstance("SHA-512");
            sha512.update(password.getBytes(StandardCharsets.UTF_8));
            sha512.update(salt);
            Base64.Encoder b64 = Base64.getEncoder();
            return "$6$" + b64.encodeToString(salt) + "$" + b64.encodeToString(sha512.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 missing from this JDK", e);
        }
    }

    /** A port free on the loopback interface right now. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    private void requireStarted() {
        if (dir == null) {
            throw new IllegalStateException("mosquitto not started yet (register the extension with @RegisterExtension)");
        }
    }

    private void deleteDir() {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A leftover temp directory is harmless.
        }
        dir = null;
        extraPorts.clear();
    }

    @Override
    public String toString() {
        return "mosquitto[" + (dir == null ? "not started" : host() + ":" + port + (isRunning() ? "" : ", stopped")) + "]";
    }
}
