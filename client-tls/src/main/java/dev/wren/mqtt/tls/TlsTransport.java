package dev.wren.mqtt.tls;

import dev.wren.mqtt.transport.Transport;
import dev.wren.mqtt.transport.TransportFactory;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.Collections;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One TLS connection over a blocking {@link SSLSocket}.
 *
 * <p>Reads wait with {@code SO_TIMEOUT}: JSSE keeps a partly received record across a
 * {@link SocketTimeoutException} and the connection stays usable, so a timeout becomes the contract's
 * {@code 0}. The price: each timeout allocates the exception with its stack trace (about 730 bytes on JDK 25, see TlsAllocationReport), so an idle
 * TLS client allocates on every waiting poll that finds nothing; a plain TCP client does not. {@code timeoutMillis
 * == 0} ("do not wait") returns decrypted data, or 0 at once when no encrypted byte waits on the TCP socket
 * either (no exception, no allocation), and otherwise waits at most 1 ms (the shortest {@code SO_TIMEOUT})
 * for the arriving record. Writes block until the bytes are in the socket's send buffer; {@code SSLSocket} has no
 * write timeout, so a server that stops reading stalls a write until TCP gives up.
 */
final class TlsTransport implements Transport {

    private final SSLSocket socket;
    private final InputStream in;
    /** The TCP socket's own stream, only asked how many encrypted bytes wait (never read: JSSE owns it). */
    private final InputStream tcpIn;
    private final OutputStream out;
    private final String peer;
    /** The configured client certificate for messages ({@link ClientKeyManager#certificate()}), or null. */
    private final String clientCertificate;
    private final boolean clientCertificateRequested;
    private int soTimeoutMillis = -1;
    private boolean receivedAny;
    private boolean closed;

    private TlsTransport(Socket tcp, SSLSocket socket, String peer, String clientCertificate,
                         boolean clientCertificateRequested) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.tcpIn = tcp.getInputStream();
        this.out = socket.getOutputStream();
        this.peer = peer;
        this.clientCertificate = clientCertificate;
        this.clientCertificateRequested = clientCertificateRequested;
    }

    static TlsTransport open(SSLSocketFactory factory, ClientKeyManager keyManager, String[] protocols,
                             boolean verifyHostname, String host, int port, int connectTimeoutMillis) throws IOException {
        InetSocketAddress address = TransportFactory.resolve(host, port, connectTimeoutMillis);
        String peer = host + ":" + port;
        Socket tcp = new Socket();
        SSLSocket tls = null;
        try {
            tcp.setTcpNoDelay(true);
            try {
                tcp.connect(address, connectTimeoutMillis);
            } catch (SocketTimeoutException e) {
                throw new SocketTimeoutException("connect to " + peer + " timed out after " + connectTimeoutMillis + " ms");
            }
            tls = (SSLSocket) factory.createSocket(tcp, host, port, true);
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setProtocols(protocols);
            if (verifyHostname) {
                parameters.setEndpointIdentificationAlgorithm("HTTPS"); // RFC 2818 §3.1 name check, also for IPs
            }
            if (!isIpLiteral(host)) {
                parameters.setServerNames(Collections.singletonList(new SNIHostName(host))); // RFC 6066 §3: names only
            }
            tls.setSSLParameters(parameters);
            tls.setSoTimeout(connectTimeoutMillis);
            try {
                tls.startHandshake();
            } catch (IOException e) {
                throw explain(e, peer, true, true, keyManager.takeRequest(tls), keyManager.certificate(), protocols,
                        connectTimeoutMillis);
            }
            return new TlsTransport(tcp, tls, peer, keyManager.certificate(), keyManager.takeRequest(tls));
        } catch (IOException | RuntimeException e) {
            closeQuietly(tls != null ? tls : tcp);
            throw e;
        }
    }

    /** Whether {@code host} is an IPv4 or IPv6 literal, which SNI must not carry (RFC 6066 §3). */
    static boolean isIpLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if ((c < '0' || c > '9') && c != '.') {
                return false;
            }
        }
        return true;
    }

    @Override
    public int read(byte[] dst, int off, int len, int timeoutMillis) throws IOException {
        if (closed) {
            throw new IOException("transport to " + peer + " is closed");
        }
        if (len == 0) {
            return 0;
        }
        int n;
        try {
            if (timeoutMillis <= 0 && in.available() == 0) {
                if (tcpIn.available() == 0) {
                    return 0; // nothing decrypted, nothing on the wire: answer at once, without an exception
                }
                setSoTimeout(1); // a record is arriving: give it a moment to complete
            } else if (timeoutMillis > 0) {
                setSoTimeout(timeoutMillis);
            }
            n = in.read(dst, off, len);
        } catch (SocketTimeoutException timeout) {
            return 0;
        } catch (IOException e) {
            throw explain(e, peer, false, !receivedAny, clientCertificateRequested, clientCertificate, null, 0);
        }
        if (n > 0) {
            receivedAny = true;
        } else if (n < 0 && !receivedAny && clientCertificateRequested && clientCertificate == null) {
            // TLS 1.3: the server checks the client's (empty) certificate after the client's handshake ended.
            throw clientCertificateMissing(peer, null);
        }
        return n;
    }

    /** Changes SO_TIMEOUT only when it differs: the setter boxes its argument. */
    private void setSoTimeout(int millis) throws IOException {
        if (millis != soTimeoutMillis) {
            socket.setSoTimeout(millis);
            soTimeoutMillis = millis;
        }
    }

    @Override
    public void write(byte[] src, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("transport to " + peer + " is closed");
        }
        try {
            out.write(src, off, len);
        } catch (IOException e) {
            throw explain(e, peer, false, !receivedAny, clientCertificateRequested, clientCertificate, null, 0);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            // SSLSocket.close sends close_notify and may then read for the peer's answer for up to SO_TIMEOUT: bound it.
            socket.setSoTimeout(1);
        } catch (IOException ignored) {
            // Already broken: close below still releases the socket.
        }
        closeQuietly(socket);
    }

    /** The negotiated protocol version, e.g. {@code TLSv1.3}. */
    String protocol() {
        return socket.getSession().getProtocol();
    }

    private static IOException clientCertificateMissing(String peer, IOException cause) {
        SSLException e = new SSLException("server " + peer + " requires a client certificate and none is configured"
                + " (TlsConfig.Builder clientCertificatePem or clientKeyStore)"
                + (cause == null ? "" : ": " + cause.getMessage()));
        e.initCause(cause);
        return e;
    }

    /**
     * Turns a JSSE failure into a message a person can act on, naming the server and what to change.
     * Failures that need no explanation (a reset connection after a good handshake) pass through unchanged.
     */
    private static IOException explain(IOException e, String peer, boolean handshake, boolean early,
                                       boolean clientCertificateRequested, String clientCertificate, String[] protocols,
                                       int timeoutMillis) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ServerTrust.ServerCertificateException) {
                return withCause(new SSLHandshakeException(t.getMessage()), e);
            }
        }
        String message = String.valueOf(e.getMessage());
        String alert = alert(message);
        if (clientCertificateRequested && clientCertificate == null) {
            return clientCertificateMissing(peer, e);
        }
        boolean dropped = isDropped(e, message);
        if (clientCertificateRequested && (alert != null && isCertificateAlert(alert) || early && dropped)) {
            // TLS 1.3 clients finish their handshake before the server checks their certificate, and a server
            // may close without an alert: a refusal then shows as a dropped connection right after the handshake.
            return withCause(new SSLException("server " + peer + " refused client certificate " + clientCertificate
                    + " ("
                    + (alert != null ? "alert " + alert : "it closed the connection: " + message)
                    + "): is it signed by a CA the broker trusts, and still valid?"), e);
        }
        if (!handshake) {
            return e;
        }
        if ("protocol_version".equals(alert) || "handshake_failure".equals(alert)) {
            return withCause(new SSLHandshakeException("server " + peer + " refused the TLS handshake (alert " + alert
                    + "): it accepts none of the offered versions " + Arrays.toString(protocols)
                    + " or cipher suites"), e);
        }
        if (message.contains("Unsupported or unrecognized SSL message") || message.contains("plaintext connection")) {
            return withCause(new SSLHandshakeException("server " + peer + " did not answer the TLS handshake with TLS:"
                    + " is it a plain MQTT port? (TLS is usually 8883, plain TCP 1883)"), e);
        }
        if (e instanceof SocketTimeoutException) {
            return withCause(new SocketTimeoutException("TLS handshake with " + peer + " got no answer within "
                    + timeoutMillis + " ms: is it a plain MQTT port? (TLS is usually 8883, plain TCP 1883)"), e);
        }
        if (dropped) {
            return withCause(new SSLHandshakeException("server " + peer + " closed the connection during the TLS"
                    + " handshake: is it a plain MQTT port? (TLS is usually 8883, plain TCP 1883)"), e);
        }
        return withCause(new SSLHandshakeException("TLS handshake with " + peer + " failed: " + message), e);
    }

    /** Whether the peer closed or reset the connection rather than failing it with an alert. */
    private static boolean isDropped(IOException e, String message) {
        return e instanceof EOFException || e instanceof SocketException || message.contains("terminated the handshake")
                || message.contains("Connection reset") || message.contains("Broken pipe");
    }

    /** The alert name in JSSE's "Received fatal alert: bad_certificate", or null. */
    private static String alert(String message) {
        String marker = "Received fatal alert: ";
        int at = message.indexOf(marker);
        return at < 0 ? null : message.substring(at + marker.length()).trim();
    }

    /** Alerts a server sends about the client's certificate (RFC 8446 §6.2), each between spaces. */
    private static final String CERTIFICATE_ALERTS = " bad_certificate unsupported_certificate certificate_revoked"
            + " certificate_expired certificate_unknown unknown_ca access_denied certificate_required decrypt_error ";

    /** Whether {@code alert} is one of {@link #CERTIFICATE_ALERTS} (a failure path: the concatenation is fine). */
    private static boolean isCertificateAlert(String alert) {
        return alert.indexOf(' ') < 0 && CERTIFICATE_ALERTS.contains(" " + alert + " ");
    }

    private static <T extends IOException> T withCause(T e, Throwable cause) {
        e.initCause(cause);
        return e;
    }

    @Override
    public String toString() {
        return "TlsTransport[" + peer + (closed ? ", closed]" : "]");
    }

    /** Closes {@code c}, ignoring a failure: the connection is being abandoned either way. */
    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // best effort
        }
    }
}
