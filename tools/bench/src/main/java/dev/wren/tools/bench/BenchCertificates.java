package dev.wren.tools.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway CA and a server certificate for the bench's TLS listener, made with the machine's {@code openssl}
 * into a folder the caller removes: {@code ca.pem} ("Wren Bench CA", EC P-256, 2 days), {@code server.pem} and
 * {@code server.key} (CN=localhost, SAN DNS:localhost and IP:127.0.0.1, signed by the CA). EC keys so that the
 * generation takes a fraction of a second. The commands are those of client-core's {@code TestCertificates}.
 */
final class BenchCertificates {
    private static final String OPENSSL = System.getProperty("wren.openssl", "/usr/bin/openssl");
    private static final long COMMAND_TIMEOUT_SECONDS = 60;

    final Path caPem;
    final Path serverPem;
    final Path serverKey;
    private final Path dir;

    private BenchCertificates(Path dir) {
        this.dir = dir;
        caPem = dir.resolve("ca.pem");
        serverPem = dir.resolve("server.pem");
        serverKey = dir.resolve("server.key");
    }

    /**
     * Generates the files into {@code dir} (created if missing), readable by everyone: mosquitto started as root
     * may read them as another user.
     *
     * @throws IOException naming the openssl command and its output when one fails
     */
    static BenchCertificates generate(Path dir) throws IOException {
        Files.createDirectories(dir);
        dir.toFile().setReadable(true, false);
        dir.toFile().setExecutable(true, false);
        BenchCertificates c = new BenchCertificates(dir);
        Files.write(dir.resolve("openssl.cnf"), CONFIG.getBytes(StandardCharsets.US_ASCII));
        c.openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ca.key");
        c.openssl("req", "-x509", "-new", "-config", "openssl.cnf", "-extensions", "v3_ca", "-key", "ca.key",
                "-subj", "/CN=Wren Bench CA", "-days", "2", "-out", "ca.pem");
        c.openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "server.key");
        c.openssl("req", "-new", "-config", "openssl.cnf", "-key", "server.key", "-subj", "/CN=localhost",
                "-out", "server.csr");
        c.openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-sha256", "-extfile", "openssl.cnf", "-extensions", "server_localhost", "-out", "server.pem");
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> f.toFile().setReadable(true, false));
        }
        return c;
    }

    /** Trust managers that trust exactly the bench's CA (for Paho's SSLContext and HiveMQ's sslConfig). */
    TrustManagerFactory trustManagers() throws IOException {
        try (InputStream in = Files.newInputStream(caPem)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("wren-bench-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            return tmf;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot build trust managers for " + caPem + ": " + e, e);
        }
    }

    /** A JDK-default TLS context ("TLS": every version the JDK enables) trusting the bench's CA. */
    SSLContext sslContext() throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers().getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot create a TLS context: " + e, e);
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
            throw new IOException("interrupted while running openssl " + args[0], e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(OPENSSL + " " + String.join(" ", args) + " exited with " + p.exitValue() + "; output:\n"
                    + new String(Files.readAllBytes(log), StandardCharsets.UTF_8));
        }
    }

    private static final String CONFIG = String.join("\n",
            "[ req ]",
            "distinguished_name = dn",
            "prompt = no",
            "[ dn ]",
            "CN = placeholder",
            "[ v3_ca ]",
            "basicConstraints = critical,CA:TRUE",
            "keyUsage = critical,keyCertSign,cRLSign",
            "subjectKeyIdentifier = hash",
            "[ server_localhost ]",
            "basicConstraints = CA:FALSE",
            "keyUsage = critical,digitalSignature,keyEncipherment",
            "extendedKeyUsage = serverAuth",
            "subjectAltName = DNS:localhost,IP:127.0.0.1",
            "");
}
