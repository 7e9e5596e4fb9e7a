package dev.wren.mqtt.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

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
        ServerTrust trust = TlsFiles.trust(config);
        ClientKeyManager keyManager = TlsFiles.clientKeyManager(config);
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
}
