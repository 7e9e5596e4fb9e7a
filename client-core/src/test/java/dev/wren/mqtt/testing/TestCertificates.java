package dev.wren.mqtt.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away public key infrastructure for TLS tests, generated once per JVM with the machine's
 * {@code openssl} into a temporary directory (deleted at exit): every file is PEM (keys unencrypted PKCS#8)
 * unless named otherwise.
 *
 * <ul>
 *   <li>{@link #caPem}: "Wren Test CA" (RSA 2048); {@link #otherCaPem}: "Unrelated CA" (EC), trusted by nobody.</li>
 *   <li>{@link #serverPem}: CN=localhost, SAN DNS:localhost and IP:127.0.0.1, EC, signed by the CA.</li>
 *   <li>{@link #wrongHostPem}: CN=wrong.example.com, SAN DNS:wrong.example.com only, signed by the CA.</li>
 *   <li>{@link #expiredPem}: the server's names, valid 2020-01-01 to 2020-01-02, signed by the CA.</li>
 *   <li>{@link #otherServerPem}: the server's names, signed by the unrelated CA.</li>
 *   <li>{@link #clientRsaPem} (RSA) and {@link #clientEcPem} (EC): client certificates signed by the CA;
 *       {@link #otherClientPem}: one signed by the unrelated CA.</li>
 *   <li>{@link #clientP12}: the RSA client's key and chain as PKCS#12, password {@link #CLIENT_P12_PASSWORD}.</li>
 *   <li>{@link #trustJks} and {@link #trustP12}: the CA as a trusted entry, password {@link #TRUST_STORE_PASSWORD}.</li>
 *   <li>{@link #bothCasPem}: the unrelated CA then the CA, in one PEM file.</li>
 * </ul>
 * mosquitto reads these files as the user it runs as; {@link MosquittoExtension} keeps it as root when started
 * as root, and the files are world-readable otherwise.
 */
public final class TestCertificates {

    /** Password of {@link #clientP12}; a recognisable marker that leak tests search for. */
    public static final String CLIENT_P12_PASSWORD = "p12-Secret-Marker-7f3a";
    /** Password of {@link #trustJks} and {@link #trustP12}. */
    public static final String TRUST_STORE_PASSWORD = "trust-Secret-Marker-91c2";

    private static final String OPENSSL = System.getProperty("wren.openssl", "/usr/bin/openssl");
    private static final long COMMAND_TIMEOUT_SECONDS = 60;
    private static TestCertificates instance;

    /** The directory holding every file. */
    public final Path dir;
    /** The test CA's certificate. */
    public final Path caPem;
    /** The unrelated CA's certificate. */
    public final Path otherCaPem;
    /** The unrelated CA, then the test CA. */
    public final Path bothCasPem;
    /** The broker's certificate (localhost, 127.0.0.1) and key. */
    public final Path serverPem;
    /** Key of {@link #serverPem}. */
    public final Path serverKey;
    /** A certificate for wrong.example.com only. */
    public final Path wrongHostPem;
    /** Key of {@link #wrongHostPem}. */
    public final Path wrongHostKey;
    /** An expired certificate for the server's names. */
    public final Path expiredPem;
    /** Key of {@link #expiredPem}. */
    public final Path expiredKey;
    /** A certificate for the server's names from the unrelated CA. */
    public final Path otherServerPem;
    /** Key of {@link #otherServerPem}. */
    public final Path otherServerKey;
    /** Client certificate CN=wren-client-rsa. */
    public final Path clientRsaPem;
    /** Key of {@link #clientRsaPem} (RSA PKCS#8). */
    public final Path clientRsaKey;
    /** Client certificate CN=wren-client-ec. */
    public final Path clientEcPem;
    /** Key of {@link #clientEcPem} (EC PKCS#8). */
    public final Path clientEcKey;
    /** Client certificate CN=stranger from the unrelated CA. */
    public final Path otherClientPem;
    /** Key of {@link #otherClientPem}. */
    public final Path otherClientKey;
    /** {@link #clientRsaPem} with its key and the CA certificate, PKCS#12. */
    public final Path clientP12;
    /** The CA certificate as a trusted entry of a JKS file. */
    public final Path trustJks;
    /** The CA certificate as a trusted entry of a PKCS#12 file. */
    public final Path trustP12;

    private TestCertificates(Path dir) {
        this.dir = dir;
        caPem = dir.resolve("ca.pem");
        otherCaPem = dir.resolve("other-ca.pem");
        bothCasPem = dir.resolve("both-cas.pem");
        serverPem = dir.resolve("server.pem");
        serverKey = dir.resolve("server.key");
        wrongHostPem = dir.resolve("wrong-host.pem");
        wrongHostKey = dir.resolve("wrong-host.key");
        expiredPem = dir.resolve("expired.pem");
        expiredKey = dir.resolve("expired.key");
        otherServerPem = dir.resolve("other-server.pem");
        otherServerKey = dir.resolve("other-server.key");
        clientRsaPem = dir.resolve("client-rsa.pem");
        clientRsaKey = dir.resolve("client-rsa.key");
        clientEcPem = dir.resolve("client-ec.pem");
        clientEcKey = dir.resolve("client-ec.key");
        otherClientPem = dir.resolve("other-client.pem");
        otherClientKey = dir.resolve("other-client.key");
        clientP12 = dir.resolve("client.p12");
        trustJks = dir.resolve("trust.jks");
        trustP12 = dir.resolve("trust.p12");
    }

    /** The certificates of this JVM, generated on first use (about a second). */
    public static synchronized TestCertificates get() {
        if (instance == null) {
            try {
                Path dir = Files.createTempDirectory("wren-pki-");
                dir.toFile().setReadable(true, false);
                dir.toFile().setExecutable(true, false);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
                TestCertificates c = new TestCertificates(dir);
                c.generate();
                instance = c;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot generate test certificates: " + e.getMessage(), e);
            }
        }
        return instance;
    }

    /** The option lines of a mosquitto TLS listener presenting {@code certificate}, trusting the test CA. */
    public List<String> listenerLines(Path certificate, Path key, String... more) {
        List<String> lines = new ArrayList<>(Arrays.asList(
                "cafile " + caPem, "certfile " + certificate, "keyfile " + key));
        lines.addAll(Arrays.asList(more));
        return lines;
    }

    private void generate() throws IOException {
        Files.write(dir.resolve("openssl.cnf"), OPENSSL_CONFIG.getBytes(StandardCharsets.US_ASCII));
        Files.write(dir.resolve("index.txt"), new byte[0]);
        String from = stamp(ZonedDateTime.now(ZoneOffset.UTC).minusHours(1));
        String until = stamp(ZonedDateTime.now(ZoneOffset.UTC).plusDays(2));

        key("ca.key", "RSA");
        openssl("req", "-x509", "-new", "-config", "openssl.cnf", "-extensions", "v3_ca", "-key", "ca.key",
                "-subj", "/CN=Wren Test CA", "-days", "3", "-out", "ca.pem");
        key("other-ca.key", "EC");
        openssl("req", "-x509", "-new", "-config", "openssl.cnf", "-extensions", "v3_ca", "-key", "other-ca.key",
                "-subj", "/CN=Unrelated CA", "-days", "3", "-out", "other-ca.pem");

        issue("server", "EC", "/CN=localhost", "ca", "server_localhost", from, until);
        issue("wrong-host", "EC", "/CN=wrong.example.com", "ca", "server_wrong_host", from, until);
        issue("expired", "EC", "/CN=localhost", "ca", "server_localhost", "20200101000000Z", "20200102000000Z");
        issue("other-server", "EC", "/CN=localhost", "other-ca", "server_localhost", from, until);
        issue("client-rsa", "RSA", "/CN=wren-client-rsa", "ca", "client", from, until);
        issue("client-ec", "EC", "/CN=wren-client-ec", "ca", "client", from, until);
        issue("other-client", "EC", "/CN=stranger", "other-ca", "client", from, until);

        Files.write(bothCasPem, concat(Files.readAllBytes(otherCaPem), Files.readAllBytes(caPem)));
        openssl("pkcs12", "-export", "-in", "client-rsa.pem", "-inkey", "client-rsa.key", "-certfile", "ca.pem",
                "-name", "wren-client", "-out", "client.p12", "-passout", "pass:" + CLIENT_P12_PASSWORD);
        trustStore("JKS", trustJks);
        trustStore("PKCS12", trustP12);
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> f.toFile().setReadable(true, false));
        }
    }

    private void key(String file, String algorithm) throws IOException {
        if (algorithm.equals("RSA")) {
            openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", file);
        } else {
            openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", file);
        }
    }

    private void issue(String name, String algorithm, String subject, String ca, String extensions,
                       String notBefore, String notAfter) throws IOException {
        key(name + ".key", algorithm);
        openssl("req", "-new", "-config", "openssl.cnf", "-key", name + ".key", "-subj", subject, "-out", name + ".csr");
        openssl("ca", "-batch", "-config", "openssl.cnf", "-cert", ca + ".pem", "-keyfile", ca + ".key",
                "-in", name + ".csr", "-out", name + ".pem", "-notext", "-extensions", extensions,
                "-startdate", notBefore, "-enddate", notAfter);
    }

    private void trustStore(String type, Path file) throws IOException {
        try (java.io.InputStream in = Files.newInputStream(caPem); OutputStream out = Files.newOutputStream(file)) {
            X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            KeyStore store = KeyStore.getInstance(type);
            store.load(null, null);
            store.setCertificateEntry("wren-test-ca", ca);
            store.store(out, TRUST_STORE_PASSWORD.toCharArray());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write " + type + " trust store: " + e, e);
        }
    }

    private void openssl(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(OPENSSL);
        command.addAll(Arrays.asList(args));
        Path log = dir.resolve("openssl.log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("openssl " + args[0] + " did not finish within " + COMMAND_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while running openssl", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " exited with " + p.exitValue() + "; output:\n"
                    + new String(Files.readAllBytes(log), StandardCharsets.UTF_8));
        }
    }

    private static String stamp(ZonedDateTime t) {
        return t.format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss")) + "Z";
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A leftover temporary directory is harmless.
        }
    }

    private static final String OPENSSL_CONFIG = String.join("\n",
            "[ req ]",
            "distinguished_name = dn",
            "prompt = no",
            "[ dn ]",
            "CN = placeholder",
            "[ v3_ca ]",
            "basicConstraints = critical,CA:TRUE",
            "keyUsage = critical,keyCertSign,cRLSign",
            "subjectKeyIdentifier = hash",
            "[ ca ]",
            "default_ca = wren_ca",
            "[ wren_ca ]",
            "database = index.txt",
            "new_certs_dir = .",
            "rand_serial = yes",
            "default_md = sha256",
            "policy = any_name",
            "unique_subject = no",
            "email_in_dn = no",
            "[ any_name ]",
            "commonName = supplied",
            "[ server_localhost ]",
            "basicConstraints = CA:FALSE",
            "keyUsage = critical,digitalSignature,keyEncipherment",
            "extendedKeyUsage = serverAuth",
            "subjectAltName = DNS:localhost,IP:127.0.0.1",
            "[ server_wrong_host ]",
            "basicConstraints = CA:FALSE",
            "keyUsage = critical,digitalSignature,keyEncipherment",
            "extendedKeyUsage = serverAuth",
            "subjectAltName = DNS:wrong.example.com",
            "[ client ]",
            "basicConstraints = CA:FALSE",
            "keyUsage = critical,digitalSignature,keyEncipherment",
            "extendedKeyUsage = clientAuth",
            "");
}
