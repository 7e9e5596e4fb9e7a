package dev.wren.mqtt.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Authenticates the server (MQTT 3.1.1 §5.4.3) with the JDK's PKIX trust manager (chain, validity and, through the
 * socket's endpoint identification algorithm "HTTPS", the host name per RFC 2818 §3.1 / RFC 6125) and,
 * when that fails, finds out which of the three failed so the message names the certificate, its issuer,
 * its names and the host.
 *
 * <p>With no delegate it trusts every certificate: the loud {@link TlsConfig.Builder#insecureTrustAnyServerCertificate()}.
 */
final class ServerTrust extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager delegate;
    private final String trustOrigin;

    /**
     * @param delegate    the JDK's trust manager, or null to trust any certificate
     * @param trustOrigin what the trust came from, e.g. "CA file /etc/wren/ca.pem (CN=Home CA)"
     */
    ServerTrust(X509ExtendedTrustManager delegate, String trustOrigin) {
        this.delegate = delegate;
        this.trustOrigin = trustOrigin;
    }

    /** Raised to JSSE so that the handshake exception carries this precise message as its cause. */
    static final class ServerCertificateException extends CertificateException {
        private static final long serialVersionUID = 1L;

        ServerCertificateException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain, authType, socket, null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain, authType, null, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, authType, null, null);
    }

    /**
     * The three checks above in one: through the socket's or engine's overload when given, so that the delegate
     * identifies the endpoint; a failure is explained with the peer host they name.
     */
    private void check(X509Certificate[] chain, String authType, Socket socket, SSLEngine engine)
            throws CertificateException {
        if (delegate == null) {
            return;
        }
        try {
            if (socket != null) {
                delegate.checkServerTrusted(chain, authType, socket);
            } else if (engine != null) {
                delegate.checkServerTrusted(chain, authType, engine);
            } else {
                delegate.checkServerTrusted(chain, authType);
            }
        } catch (CertificateException e) {
            String host = socket != null ? peerHost(socket) : engine != null ? engine.getPeerHost() : null;
            throw explain(chain, authType, host, e);
        }
    }

    /** Validity first (an expired certificate also fails the chain check), then the chain alone, then the name. */
    private CertificateException explain(X509Certificate[] chain, String authType, String host, CertificateException e) {
        String server = host == null ? "the server" : "server " + host;
        if (chain == null || chain.length == 0) {
            return new ServerCertificateException(server + " sent no certificate", e);
        }
        X509Certificate leaf = chain[0];
        for (X509Certificate c : chain) {
            String which = c == leaf ? "certificate " : "certificate authority ";
            try {
                c.checkValidity();
            } catch (CertificateExpiredException expired) {
                return new ServerCertificateException(server + " presented " + which + subject(c) + ", which expired on "
                        + c.getNotAfter().toInstant() + " (valid from " + c.getNotBefore().toInstant() + ")", e);
            } catch (CertificateNotYetValidException early) {
                return new ServerCertificateException(server + " presented " + which + subject(c) + ", which is not valid"
                        + " before " + c.getNotBefore().toInstant() + " (check this device's clock)", e);
            }
        }
        try {
            delegate.checkServerTrusted(chain, authType); // chain only: no endpoint identification
        } catch (CertificateException chainFailed) {
            return new ServerCertificateException(server + " presented certificate " + subject(leaf) + " issued by "
                    + leaf.getIssuerX500Principal().getName() + ", which is not signed by a trusted certificate"
                    + " authority (trusted: " + trustOrigin + ")", e);
        }
        if (host != null) {
            return new ServerCertificateException("server certificate " + subject(leaf) + " with names "
                    + names(leaf) + " does not match host " + host + " (RFC 6125 name check)", e);
        }
        return new ServerCertificateException(server + " certificate " + subject(leaf) + " was rejected: " + e.getMessage(), e);
    }

    private static String peerHost(Socket socket) {
        if (!(socket instanceof SSLSocket)) {
            return null;
        }
        SSLSession session = ((SSLSocket) socket).getHandshakeSession();
        return session == null ? null : session.getPeerHost();
    }

    private static String subject(X509Certificate c) {
        return "'" + c.getSubjectX500Principal().getName() + "'";
    }

    /** The subject alternative names as "DNS:x, IP:y", or "none". */
    private static String names(X509Certificate c) {
        Collection<List<?>> sans;
        try {
            sans = c.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return "(unparsable subject alternative names)";
        }
        if (sans == null || sans.isEmpty()) {
            return "[none: no subject alternative name extension]";
        }
        StringBuilder b = new StringBuilder("[");
        for (List<?> san : sans) {
            int type = (Integer) san.get(0);
            String kind = type == 2 ? "DNS:" : type == 7 ? "IP:" : "type " + type + ":";
            b.append(b.length() > 1 ? ", " : "").append(kind).append(san.get(1));
        }
        return b.append(']').toString();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a Wren client never accepts TLS clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate == null ? new X509Certificate[0] : delegate.getAcceptedIssuers();
    }
}
