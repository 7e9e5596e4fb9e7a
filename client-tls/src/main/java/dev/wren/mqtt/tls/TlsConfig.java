package dev.wren.mqtt.tls;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * What a TLS connection trusts and presents (MQTT 3.1.1 §5.4.3 server authentication, §5.4.1 client
 * certificates); immutable, built once, turned into a {@link TlsTransportFactory} by
 * {@link TlsTransportFactory#create(TlsConfig)}.
 *
 * <pre>{@code
 * TlsConfig tls = TlsConfig.builder()
 *         .trustPemFile(Paths.get("/etc/wren/ca.pem"))                 // like mosquitto_pub --cafile
 *         .clientCertificatePem(Paths.get("/etc/wren/node.pem"), Paths.get("/etc/wren/node.key"))
 *         .build();
 * }</pre>
 *
 * <p>Defaults: trust the JVM's default trust store; no client certificate; TLS 1.3 and 1.2; the server's
 * certificate chain AND host name are verified. Each check can only be turned off by a method whose name
 * starts with {@code insecure}, and every connection made so then writes a warning.
 *
 * <p>Key-store passwords are held as {@code char[]} copies and never shown: {@link #toString()} lists files
 * and options only.
 */
public final class TlsConfig {

    /** TLS 1.3 (RFC 8446). */
    public static final String TLS_1_3 = "TLSv1.3";
    /** TLS 1.2 (RFC 5246). */
    public static final String TLS_1_2 = "TLSv1.2";

    /** Where trust comes from. */
    public enum TrustSource {
        /** The JVM's default trust store ({@code javax.net.ssl.trustStore} or the JDK's {@code cacerts}). */
        JVM_DEFAULT,
        /** A PEM file with one or several CA certificates ({@link #trustPemFile()}). */
        PEM_FILE,
        /** A JKS or PKCS#12 file ({@link #trustStoreFile()}). */
        KEY_STORE
    }

    private final TrustSource trustSource;
    private final Path trustPemFile;
    private final Path trustStoreFile;
    private final char[] trustStorePassword;
    private final Path clientCertificateFile;
    private final Path clientKeyFile;
    private final Path clientKeyStoreFile;
    private final char[] clientKeyStorePassword;
    private final String[] protocols;
    private final boolean insecureSkipHostnameVerification;
    private final boolean insecureTrustAnyServerCertificate;
    private final Consumer<String> warningSink;

    TlsConfig(Builder b) { // not private: Builder.build() would need a synthetic access class
        this.trustSource = b.trustSource;
        this.trustPemFile = b.trustPemFile;
        this.trustStoreFile = b.trustStoreFile;
        this.trustStorePassword = b.trustStorePassword == null ? null : b.trustStorePassword.clone();
        this.clientCertificateFile = b.clientCertificateFile;
        this.clientKeyFile = b.clientKeyFile;
        this.clientKeyStoreFile = b.clientKeyStoreFile;
        this.clientKeyStorePassword = b.clientKeyStorePassword == null ? null : b.clientKeyStorePassword.clone();
        this.protocols = b.protocols.clone();
        this.insecureSkipHostnameVerification = b.insecureSkipHostnameVerification;
        this.insecureTrustAnyServerCertificate = b.insecureTrustAnyServerCertificate;
        this.warningSink = b.warningSink;
    }

    /** Starts a configuration with the defaults described on the class. */
    public static Builder builder() {
        return new Builder();
    }

    /** Where the server's certificate chain is checked against. */
    public TrustSource trustSource() {
        return trustSource;
    }

    /** The PEM CA file, or null unless {@link #trustSource()} is {@link TrustSource#PEM_FILE}. */
    public Path trustPemFile() {
        return trustPemFile;
    }

    /** The JKS/PKCS#12 trust store, or null unless {@link #trustSource()} is {@link TrustSource#KEY_STORE}. */
    public Path trustStoreFile() {
        return trustStoreFile;
    }

    /** The client certificate chain PEM file, or null. */
    public Path clientCertificateFile() {
        return clientCertificateFile;
    }

    /** The client's PKCS#8 PEM private key file, or null. */
    public Path clientKeyFile() {
        return clientKeyFile;
    }

    /** The client's PKCS#12 (or JKS) key store, or null. */
    public Path clientKeyStoreFile() {
        return clientKeyStoreFile;
    }

    /** True when a client certificate is configured (PEM pair or key store). */
    public boolean hasClientCertificate() {
        return clientCertificateFile != null || clientKeyStoreFile != null;
    }

    /** The enabled protocol versions, a copy, most preferred first. */
    public String[] protocols() {
        return protocols.clone();
    }

    /** True when the server certificate's names are NOT compared with the host (insecure). */
    public boolean insecureSkipHostnameVerification() {
        return insecureSkipHostnameVerification;
    }

    /** True when ANY server certificate is accepted, signed or not (insecure). */
    public boolean insecureTrustAnyServerCertificate() {
        return insecureTrustAnyServerCertificate;
    }

    char[] trustStorePassword() {
        return trustStorePassword;
    }

    char[] clientKeyStorePassword() {
        return clientKeyStorePassword;
    }

    Consumer<String> warningSink() {
        return warningSink;
    }

    /** Files and options; never a password. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("TlsConfig{trust=");
        // if, not switch: a switch over an enum compiles to an extra synthetic class (Java 8 bytecode)
        if (trustSource == TrustSource.PEM_FILE) {
            b.append("PEM ").append(trustPemFile);
        } else if (trustSource == TrustSource.KEY_STORE) {
            b.append("key store ").append(trustStoreFile);
        } else {
            b.append("JVM default");
        }
        if (clientCertificateFile != null) {
            b.append(", client certificate ").append(clientCertificateFile).append(" key ").append(clientKeyFile);
        } else if (clientKeyStoreFile != null) {
            b.append(", client key store ").append(clientKeyStoreFile);
        }
        b.append(", protocols=").append(Arrays.toString(protocols));
        if (insecureTrustAnyServerCertificate) {
            b.append(", INSECURE: any server certificate trusted");
        }
        if (insecureSkipHostnameVerification) {
            b.append(", INSECURE: host name not verified");
        }
        return b.append('}').toString();
    }

    /** Collects the options; each setter validates its argument and names it in the error. */
    public static final class Builder {
        // Package-private, not private: TlsConfig's constructor reads them, and at Java 8 bytecode a private field
        // read from the outer class costs a synthetic accessor method each.
        TrustSource trustSource = TrustSource.JVM_DEFAULT;
        Path trustPemFile;
        Path trustStoreFile;
        char[] trustStorePassword;
        Path clientCertificateFile;
        Path clientKeyFile;
        Path clientKeyStoreFile;
        char[] clientKeyStorePassword;
        String[] protocols = {TLS_1_3, TLS_1_2};
        boolean insecureSkipHostnameVerification;
        boolean insecureTrustAnyServerCertificate;
        Consumer<String> warningSink = TlsConfig::printWarning;

        Builder() { // package-private for the same reason: a private one needs a synthetic access class
        }

        /** Trusts the CAs of the JVM's default trust store (the default); replaces any trust set before. */
        public Builder trustJvmDefault() {
            setTrust(TrustSource.JVM_DEFAULT, null, null, null);
            return this;
        }

        /**
         * Trusts exactly the CA certificates in a PEM file (one or several {@code CERTIFICATE} blocks), as
         * {@code mosquitto_pub --cafile} does; replaces any trust set before.
         */
        public Builder trustPemFile(Path caFile) {
            setTrust(TrustSource.PEM_FILE, requireFile(caFile, "caFile"), null, null);
            return this;
        }

        /**
         * Trusts the certificate entries of a JKS or PKCS#12 file (type read from the file's content);
         * replaces any trust set before.
         *
         * @param password the store's password, copied; null skips the store's integrity check
         */
        public Builder trustStore(Path file, char[] password) {
            setTrust(TrustSource.KEY_STORE, null, requireFile(file, "trustStore file"), password);
            return this;
        }

        private void setTrust(TrustSource source, Path pem, Path store, char[] password) {
            clear(trustStorePassword);
            trustSource = source;
            trustPemFile = pem;
            trustStoreFile = store;
            trustStorePassword = password == null ? null : password.clone();
        }

        /**
         * Presents a client certificate for mutual TLS: a PEM certificate chain (leaf first) and its unencrypted
         * PKCS#8 private key ({@code -----BEGIN PRIVATE KEY-----}, RSA or EC); replaces a key store set before.
         */
        public Builder clientCertificatePem(Path certificateChainFile, Path privateKeyFile) {
            clientCertificateFile = requireFile(certificateChainFile, "certificateChainFile");
            clientKeyFile = requireFile(privateKeyFile, "privateKeyFile");
            clientKeyStoreFile = null;
            clear(clientKeyStorePassword);
            clientKeyStorePassword = null;
            return this;
        }

        /**
         * Presents the one private key entry of a PKCS#12 (or JKS) file and its chain for mutual TLS; the
         * password opens both the file and the key. Replaces a PEM pair set before.
         *
         * @param password copied; required
         */
        public Builder clientKeyStore(Path file, char[] password) {
            if (password == null) {
                throw new IllegalArgumentException("clientKeyStore password is null (use an empty array for none)");
            }
            clientKeyStoreFile = requireFile(file, "clientKeyStore file");
            clear(clientKeyStorePassword);
            clientKeyStorePassword = password.clone();
            clientCertificateFile = null;
            clientKeyFile = null;
            return this;
        }

        /** Presents no client certificate (the default). */
        public Builder noClientCertificate() {
            clientCertificateFile = null;
            clientKeyFile = null;
            clientKeyStoreFile = null;
            clear(clientKeyStorePassword);
            clientKeyStorePassword = null;
            return this;
        }

        /**
         * The protocol versions to offer, from {@link #TLS_1_3} and {@link #TLS_1_2} (default: both).
         *
         * @throws IllegalArgumentException naming a version that is neither, or when none is given
         */
        public Builder protocols(String... versions) {
            if (versions == null || versions.length == 0) {
                throw new IllegalArgumentException("protocols: give at least one of " + TLS_1_3 + ", " + TLS_1_2);
            }
            for (String v : versions) {
                if (!TLS_1_3.equals(v) && !TLS_1_2.equals(v)) {
                    throw new IllegalArgumentException("protocol \"" + v + "\" is not one of " + TLS_1_3 + ", " + TLS_1_2);
                }
            }
            protocols = versions.clone();
            return this;
        }

        /**
         * INSECURE, like {@code mosquitto_pub --insecure}: accepts a certificate issued for another host name (the
         * chain is still verified). Anyone holding any certificate from a trusted CA can then impersonate the
         * broker. Every connection made with it writes a warning.
         */
        public Builder insecureSkipHostnameVerification() {
            insecureSkipHostnameVerification = true;
            return this;
        }

        /**
         * INSECURE: accepts ANY server certificate, signed or not, for any name, expired or not: the
         * connection is encrypted but anyone on the path can read it, and will learn the MQTT password.
         * Every connection made with it writes a warning. For a first test against a self-signed broker only.
         */
        public Builder insecureTrustAnyServerCertificate() {
            insecureTrustAnyServerCertificate = true;
            insecureSkipHostnameVerification = true;
            return this;
        }

        /**
         * Where the per-connection warnings of the {@code insecure} options go (default: {@code System.err},
         * since client-core depends on nothing but java.base). The text never contains secrets.
         */
        public Builder warningSink(Consumer<String> sink) {
            if (sink == null) {
                throw new IllegalArgumentException("warningSink is null");
            }
            this.warningSink = sink;
            return this;
        }

        /** Builds the configuration; files are read later, by {@link TlsTransportFactory#create(TlsConfig)}. */
        public TlsConfig build() {
            return new TlsConfig(this);
        }

        private static Path requireFile(Path p, String what) {
            if (p == null) {
                throw new IllegalArgumentException(what + " is null");
            }
            return p;
        }

        private static void clear(char[] password) {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    static void printWarning(String warning) {
        System.err.println("WARNING [wren tls] " + warning);
    }
}
