package dev.wren.mqtt.tls;

import dev.wren.mqtt.transport.TcpTransportFactory;
import dev.wren.mqtt.transport.Transport;
import dev.wren.mqtt.transport.TransportFactory;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * TLS connections (MQTT 3.1.1 §4.2: TLS over TCP, port 8883 by convention) over {@link javax.net.ssl.SSLSocket},
 * configured by a {@link TlsConfig}.
 *
 * <p>{@link #create(TlsConfig)} reads every file at once and checks that a client key belongs to its
 * certificate, so configuration mistakes surface before the first connection, naming the file. Each
 * {@link #open} then does TCP connect, the handshake (SNI = the host name, endpoint identification "HTTPS"
 * unless {@code insecure}), and returns a {@link Transport}.
 *
 * <p>Allocation: unlike {@link TcpTransportFactory}, JSSE allocates for each record it writes or reads and
 * {@code SSLSocket} reports a read timeout by throwing a new {@link java.net.SocketTimeoutException}; so a TLS
 * client allocates per message and while idle (see {@code TlsAllocationReport} in the tests for figures).
 *
 * <p>The files: PEM (RFC 7468) as {@code mosquitto --cafile/--cert/--key} take them (one or several
 * {@code CERTIFICATE} blocks, one unencrypted PKCS#8 {@code PRIVATE KEY}, RSA or EC), and Java KeyStore (JKS,
 * JCEKS) and PKCS#12 files, their type chosen from the file's first bytes rather than its name. Every error names
 * the file and its role ("CA file", "client key file") and never quotes the file's content or a password, so a key
 * cannot leak through an exception message. The file bytes and decoded DER of a key are zeroed once parsed (best
 * effort: the JDK's key object and a transient copy of the text remain until collected).
 */
public final class TlsTransportFactory implements TransportFactory {

    /** Always true: every transport it opens speaks TLS. */
    @Override
    public boolean encrypted() {
        return true;
    }

    private static volatile TlsTransportFactory jvmDefault;

    private final TlsConfig config;
    private final SSLSocketFactory socketFactory;
    private final ClientKeyManager keyManager;
    private final String[] protocols;

    private TlsTransportFactory(TlsConfig config, SSLSocketFactory socketFactory, ClientKeyManager keyManager,
                                String[] protocols) {
        this.config = config;
        this.socketFactory = socketFactory;
        this.keyManager = keyManager;
        this.protocols = protocols;
    }

    /**
     * The factory of {@link #jvmDefault()} (sharing its TLS context), for {@link java.util.ServiceLoader} on the
     * class path: it is how client-core finds TLS for {@code ssl://} and {@code mqtts://} URIs. Code calls
     * {@link #jvmDefault()} or {@link #create(TlsConfig)}.
     *
     * @throws UncheckedIOException when the JVM's default trust store cannot be read
     */
    public TlsTransportFactory() {
        this(jvmDefault());
    }

    private TlsTransportFactory(TlsTransportFactory shared) {
        this(shared.config, shared.socketFactory, shared.keyManager, shared.protocols);
    }

    /** {@link #jvmDefault()}, for {@link java.util.ServiceLoader} on the module path ({@code provides} in module-info). */
    public static TlsTransportFactory provider() {
        return jvmDefault();
    }

    /**
     * Reads the trust and client-certificate files of {@code config} and builds the TLS context.
     *
     * @throws IOException naming the file when one is missing, unreadable, not PEM / not a key store, opened with
     *                     a wrong password, holds no certificate, or holds a key that does not match its
     *                     certificate; or when this JVM supports none of the configured protocols
     */
    public static TlsTransportFactory create(TlsConfig config) throws IOException {
        if (config == null) {
            throw new IllegalArgumentException("config is null");
        }
        ServerTrust trust = trust(config);
        ClientKeyManager keyManager = clientKeyManager(config);
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new javax.net.ssl.KeyManager[] {keyManager}, new TrustManager[] {trust}, null);
            String[] protocols = supported(config.protocols(), context.getSupportedSSLParameters().getProtocols());
            return new TlsTransportFactory(config, context.getSocketFactory(), keyManager, protocols);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot create a TLS context", e);
        }
    }

    /**
     * The factory {@code ssl://} and {@code mqtts://} URIs use when no other is given: the JVM's default trust
     * store, no client certificate, TLS 1.3 and 1.2, full verification. Built once, on first use.
     *
     * @throws UncheckedIOException when the JVM's default trust store cannot be read
     */
    public static TlsTransportFactory jvmDefault() {
        TlsTransportFactory f = jvmDefault;
        if (f == null) {
            synchronized (TlsTransportFactory.class) {
                f = jvmDefault;
                if (f == null) {
                    try {
                        f = create(TlsConfig.builder().build());
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot build the JVM-default TLS configuration: " + e.getMessage(), e);
                    }
                    jvmDefault = f;
                }
            }
        }
        return f;
    }

    /** The configuration this factory was built from. */
    public TlsConfig config() {
        return config;
    }

    /**
     * Connects to {@code host:port} and completes the TLS handshake, both within {@code connectTimeoutMillis}
     * each (0 = no limit).
     *
     * @throws IOException naming the host when the connection or handshake fails: untrusted, expired or
     *                     wrong-host certificate, a client certificate required but not configured or refused,
     *                     a server that does not speak TLS, no common protocol version
     */
    @Override
    public Transport open(String host, int port, int connectTimeoutMillis) throws IOException {
        if (config.insecureTrustAnyServerCertificate() || config.insecureSkipHostnameVerification()) {
            config.warningSink().accept("TLS connection to " + host + ":" + port + " with "
                    + (config.insecureTrustAnyServerCertificate()
                    ? "NO server certificate verification (insecureTrustAnyServerCertificate)"
                    : "NO host name verification (insecureSkipHostnameVerification)")
                    + ": the server's identity is not checked, anyone on the path can pose as it");
        }
        return TlsTransport.open(socketFactory, keyManager, protocols, !config.insecureSkipHostnameVerification(),
                host, port, connectTimeoutMillis);
    }

    /** The configured protocols this JVM supports, in configured order; an error naming both lists if none. */
    private static String[] supported(String[] wanted, String[] available) throws IOException {
        List<String> availableList = Arrays.asList(available);
        List<String> result = new ArrayList<>();
        for (String p : wanted) {
            if (availableList.contains(p)) {
                result.add(p);
            }
        }
        if (result.isEmpty()) {
            throw new IOException("this JVM supports none of the configured TLS protocols " + Arrays.toString(wanted)
                    + " (it supports " + availableList + ")");
        }
        return result.toArray(new String[0]);
    }

    @Override
    public String toString() {
        return "TlsTransportFactory[" + config + "]";
    }
    // ---------------------------------------------------------------- reading the files of a TlsConfig
    // Here rather than in a class of their own: in the jar every class repeats the constant-pool entries of the
    // JSSE and java.security types it names, about 1 KB for these (measured).

    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    private static final String DASHES = "-----";
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC"};


    /**
     * The trust manager {@code config} asks for: the JVM's default trust store, a PEM CA file or a key store, each
     * named (with its CAs' subjects) in the messages of a failed server check.
     *
     * @throws IOException naming the file when it is missing, unreadable, not PEM / not a key store, opened with a
     *                     wrong password, or holds no certificate
     */
    private static ServerTrust trust(TlsConfig config) throws IOException {
        if (config.insecureTrustAnyServerCertificate()) {
            return new ServerTrust(null, "anything (insecureTrustAnyServerCertificate)");
        }
        KeyStore store;
        String origin;
        TlsConfig.TrustSource source = config.trustSource(); // if, not switch: no synthetic switch-map class
        if (source == TlsConfig.TrustSource.PEM_FILE) {
            Path file = config.trustPemFile();
            List<X509Certificate> cas = readCertificates(file, "CA file");
            store = emptyStore();
            try {
                for (int i = 0; i < cas.size(); i++) {
                    store.setCertificateEntry("ca-" + i, cas.get(i));
                }
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("in-memory key store refused a certificate", e);
            }
            origin = "CA file " + file + " " + subjects(cas);
        } else if (source == TlsConfig.TrustSource.KEY_STORE) {
            Path file = config.trustStoreFile();
            store = load(file, config.trustStorePassword(), "trust store");
            origin = "trust store " + file + " " + subjects(trustedCertificates(store, file, "trust store"));
        } else {
            store = null; // TrustManagerFactory.init(null) loads the JVM's default trust store
            origin = "the JVM default trust store";
        }
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager) {
                    return new ServerTrust((X509ExtendedTrustManager) tm, origin);
                }
            }
            throw new IllegalStateException("the JVM's TrustManagerFactory offers no X509ExtendedTrustManager");
        } catch (java.security.KeyStoreException e) {
            throw new IOException("cannot read " + origin + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no default TrustManagerFactory", e);
        }
    }

    /**
     * The key manager offering {@code config}'s client certificate, its key checked against the certificate; one
     * offering none when none is configured.
     *
     * @throws IOException naming the file when one is missing, unreadable, not PEM / not a key store, opened with a
     *                     wrong password, or holds a key that does not match its certificate
     */
    private static ClientKeyManager clientKeyManager(TlsConfig config) throws IOException {
        ClientKeyManager identity;
        if (config.clientCertificateFile() != null) {
            Path certificateFile = config.clientCertificateFile();
            Path keyFile = config.clientKeyFile();
            List<X509Certificate> chain = readCertificates(certificateFile, "client certificate file");
            PrivateKey key = readPrivateKey(keyFile, "client key file");
            identity = new ClientKeyManager(key, chain.toArray(new X509Certificate[0]),
                    "client key file " + keyFile, "client certificate file " + certificateFile);
        } else if (config.clientKeyStoreFile() != null) {
            Path file = config.clientKeyStoreFile();
            char[] password = config.clientKeyStorePassword();
            KeyStore store = load(file, password, "client key store");
            identity = identity(store, password, file, "client key store");
        } else {
            return new ClientKeyManager(null, null, null, null);
        }
        identity.checkKeyMatchesCertificate();
        return identity;
    }

    private static KeyStore emptyStore() {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot create an in-memory key store", e);
        }
    }

    private static String subjects(List<X509Certificate> certificates) {
        List<String> names = new ArrayList<>();
        for (X509Certificate c : certificates) {
            names.add(c.getSubjectX500Principal().getName());
        }
        return names.toString();
    }

    /**
     * Reads every {@code CERTIFICATE} block of {@code file}, in file order (leaf first for a chain).
     *
     * @param role what the file is for, e.g. "CA file", used in error messages
     * @throws IOException naming the file when it is missing, unreadable, not PEM, or holds no parsable certificate
     */
    static List<X509Certificate> readCertificates(Path file, String role) throws IOException {
        byte[] content = readFile(file, role);
        List<Map.Entry<String, byte[]>> blocks = blocks(content);
        List<X509Certificate> certificates = new ArrayList<>();
        CertificateFactory factory = x509Factory();
        for (Map.Entry<String, byte[]> b : blocks) {
            if (!b.getKey().equals("CERTIFICATE")) {
                continue;
            }
            int number = certificates.size() + 1;
            if (b.getValue() == null) {
                throw new IOException(role + " " + file + ": certificate #" + number + " is not valid base64");
            }
            try {
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.getValue())));
            } catch (CertificateException e) {
                throw new IOException(role + " " + file + ": certificate #" + number + " cannot be parsed ("
                        + e.getMessage() + ")", e);
            }
        }
        if (certificates.isEmpty()) {
            throw new IOException(role + " " + file + " holds no PEM certificate (no '-----BEGIN CERTIFICATE-----' line"
                    + found(blocks, content) + ")");
        }
        return certificates;
    }

    /**
     * Reads the one unencrypted PKCS#8 {@code PRIVATE KEY} block of {@code file}; RSA and EC keys.
     * PKCS#1 ({@code RSA PRIVATE KEY}), SEC 1 ({@code EC PRIVATE KEY}) and encrypted keys are refused with
     * the {@code openssl} command that converts them.
     *
     * @throws IOException naming the file; the message never contains key material
     */
    static PrivateKey readPrivateKey(Path file, String role) throws IOException {
        byte[] content = readFile(file, role);
        List<Map.Entry<String, byte[]>> blocks;
        try {
            blocks = blocks(content);
        } finally {
            Arrays.fill(content, (byte) 0);
        }
        PrivateKey key = null;
        try {
            for (Map.Entry<String, byte[]> b : blocks) {
                String label = b.getKey();
                if (label.equals("PRIVATE KEY")) {
                    if (key != null) {
                        throw new IOException(role + " " + file + " holds more than one PRIVATE KEY block");
                    }
                    key = pkcs8(b.getValue(), file, role);
                } else if (label.equals("ENCRYPTED PRIVATE KEY")) {
                    throw new IOException(role + " " + file + " holds an encrypted key; Wren reads unencrypted PKCS#8"
                            + " only (decrypt it with: openssl pkcs8 -in " + file + " -out key.pem)");
                } else if (label.equals("RSA PRIVATE KEY") || label.equals("EC PRIVATE KEY")) {
                    throw new IOException(role + " " + file + " holds a '" + label + "' (PKCS#1/SEC 1) key; Wren"
                            + " reads PKCS#8 (convert it with: openssl pkcs8 -topk8 -nocrypt -in " + file
                            + " -out key.pem)");
                }
            }
        } finally {
            for (Map.Entry<String, byte[]> b : blocks) {
                if (b.getValue() != null) {
                    Arrays.fill(b.getValue(), (byte) 0);
                }
            }
        }
        if (key == null) {
            throw new IOException(role + " " + file + " holds no PEM private key (no '-----BEGIN PRIVATE KEY-----' line"
                    + found(blocks, null) + ")");
        }
        return key;
    }

    private static PrivateKey pkcs8(byte[] der, Path file, String role) throws IOException {
        if (der == null) {
            throw new IOException(role + " " + file + ": the PRIVATE KEY block is not valid base64");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException notThisAlgorithm) {
                // The PKCS#8 algorithm identifier names another algorithm (or the key is damaged): try the next.
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("this JVM has no " + algorithm + " KeyFactory", e);
            }
        }
        // No cause attached: the JDK's parse errors are not needed and must not risk echoing key bytes.
        throw new IOException(role + " " + file + ": the PRIVATE KEY is neither an RSA nor an EC PKCS#8 key, or is damaged");
    }

    /**
     * Reads a whole file, with an error naming it and its role when it is missing, a directory, or unreadable.
     */
    private static byte[] readFile(Path file, String role) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException(role + " path is null");
        }
        if (Files.isDirectory(file)) {
            throw new IOException(role + " " + file + " cannot be read: it is a directory");
        }
        if (!Files.exists(file)) {
            throw new FileNotFoundException(role + " " + file + " not found");
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IOException(role + " " + file + " cannot be read (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /**
     * Splits PEM text into {@code -----BEGIN label-----} blocks, each a label and its decoded DER bytes (null when
     * the base64 is bad); anything outside BEGIN/END lines (e.g. openssl's text dump) is ignored.
     */
    private static List<Map.Entry<String, byte[]>> blocks(byte[] content) {
        String text = new String(content, StandardCharsets.ISO_8859_1);
        List<Map.Entry<String, byte[]>> blocks = new ArrayList<>();
        int from = 0;
        while (true) {
            int begin = text.indexOf(BEGIN, from);
            if (begin < 0) {
                return blocks;
            }
            int labelEnd = text.indexOf(DASHES, begin + BEGIN.length());
            if (labelEnd < 0) {
                return blocks;
            }
            String label = text.substring(begin + BEGIN.length(), labelEnd);
            String endLine = END + label + DASHES;
            int end = text.indexOf(endLine, labelEnd);
            if (end < 0) {
                blocks.add(new AbstractMap.SimpleImmutableEntry<>(label, (byte[]) null));
                return blocks;
            }
            String body = text.substring(labelEnd + DASHES.length(), end);
            blocks.add(new AbstractMap.SimpleImmutableEntry<>(label, base64(body)));
            from = end + endLine.length();
        }
    }

    private static byte[] base64(String body) {
        if (body.indexOf(':') >= 0) {
            return null; // RFC 1421 headers (Proc-Type: 4,ENCRYPTED ...) mean a legacy encrypted key
        }
        try {
            return Base64.getMimeDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** What a file without the wanted block holds instead, for the error message. */
    private static String found(List<Map.Entry<String, byte[]>> blocks, byte[] content) {
        if (!blocks.isEmpty()) {
            StringBuilder labels = new StringBuilder("; it holds");
            for (Map.Entry<String, byte[]> b : blocks) {
                labels.append(" '").append(b.getKey()).append('\'');
            }
            return labels.toString();
        }
        if (content != null && content.length > 0 && content[0] == 0x30) {
            return "; it looks like binary DER: convert it with openssl x509 -inform der -in FILE -out FILE.pem";
        }
        return content != null && content.length == 0 ? "; the file is empty" : "";
    }

    private static CertificateFactory x509Factory() {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("this JVM has no X.509 CertificateFactory", e);
        }
    }
    /**
     * Loads {@code file}; {@code password} may be null for a trust store (the integrity check is then skipped).
     *
     * @throws IOException naming the file when it is missing, unreadable, of an unknown format, or the password
     *                     does not open it
     */
    private static KeyStore load(Path file, char[] password, String role) throws IOException {
        byte[] content = readFile(file, role);
        try {
            String type = type(content, file, role);
            KeyStore store;
            try {
                store = KeyStore.getInstance(type);
            } catch (KeyStoreException e) {
                throw new IOException(role + " " + file + " is " + type + ", which this JVM cannot read", e);
            }
            try {
                store.load(new ByteArrayInputStream(content), password);
            } catch (IOException e) {
                // JSSE reports a wrong password as an IOException caused by UnrecoverableKeyException.
                String why = e.getCause() instanceof UnrecoverableKeyException || password == null
                        ? "wrong password, or the file is damaged" : "the file is damaged";
                throw new IOException(role + " " + file + " (" + type + ") cannot be opened: " + why, e);
            } catch (GeneralSecurityException e) {
                throw new IOException(role + " " + file + " (" + type + ") cannot be opened: " + e.getClass().getSimpleName(), e);
            }
            return store;
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    /** The trusted certificates of a trust store; an error naming the file when there are none. */
    private static List<X509Certificate> trustedCertificates(KeyStore store, Path file, String role) throws IOException {
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            for (String alias : Collections.list(store.aliases())) {
                Certificate c = store.isCertificateEntry(alias) ? store.getCertificate(alias) : null;
                if (c instanceof X509Certificate) {
                    certificates.add((X509Certificate) c);
                }
            }
        } catch (KeyStoreException e) {
            throw new IllegalStateException("key store loaded but not readable", e);
        }
        if (certificates.isEmpty()) {
            throw new IOException(role + " " + file + " holds no trusted certificate entry (import the CA with: keytool"
                    + " -importcert -keystore " + file + " -file ca.pem -alias ca)");
        }
        return certificates;
    }

    /**
     * The one private key entry of a client key store, with its certificate chain.
     *
     * @throws IOException naming the file when it has no key entry, several, or the password does not open the key
     */
    private static ClientKeyManager identity(KeyStore store, char[] password, Path file, String role) throws IOException {
        List<String> keyAliases = new ArrayList<>();
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    keyAliases.add(alias);
                }
            }
            if (keyAliases.size() != 1) {
                throw new IOException(role + " " + file + " must hold exactly one private key entry; it holds "
                        + keyAliases.size() + (keyAliases.isEmpty() ? "" : " " + keyAliases));
            }
            String alias = keyAliases.get(0);
            PrivateKey key = (PrivateKey) store.getKey(alias, password);
            Certificate[] chain = store.getCertificateChain(alias);
            if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate)) {
                throw new IOException(role + " " + file + ": key entry '" + alias + "' has no X.509 certificate chain");
            }
            X509Certificate[] x509 = new X509Certificate[chain.length];
            for (int i = 0; i < chain.length; i++) {
                x509[i] = (X509Certificate) chain[i];
            }
            String where = role + " " + file + " (entry '" + alias + "')";
            return new ClientKeyManager(key, x509, where, where);
        } catch (UnrecoverableKeyException e) {
            throw new IOException(role + " " + file + ": the key cannot be recovered with the given password", e);
        } catch (GeneralSecurityException e) {
            throw new IOException(role + " " + file + ": " + e.getClass().getSimpleName(), e);
        }
    }

    private static String type(byte[] content, Path file, String role) throws IOException {
        if (content.length >= 4) {
            int magic = (content[0] & 0xFF) << 24 | (content[1] & 0xFF) << 16 | (content[2] & 0xFF) << 8 | (content[3] & 0xFF);
            if (magic == 0xFEEDFEED) {
                return "JKS";
            }
            if (magic == 0xCECECECE) {
                return "JCEKS";
            }
        }
        if (content.length > 0 && content[0] == 0x30) {
            return "PKCS12"; // a DER SEQUENCE: PKCS#12 PFX (RFC 7292 §4)
        }
        String hint = content.length > 0 && content[0] == '-' ? " (it looks like PEM: pass it as a PEM file instead)" : "";
        throw new IOException(role + " " + file + " is neither a Java KeyStore nor a PKCS#12 file" + hint);
    }
}
