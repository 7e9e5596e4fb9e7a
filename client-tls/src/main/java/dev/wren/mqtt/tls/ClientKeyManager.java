package dev.wren.mqtt.tls;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Offers the one configured client certificate (or none) for mutual TLS: the client's private key and certificate
 * chain, with where each came from (for messages). It remembers which sockets the server asked for a certificate
 * (TLS 1.3 RFC 8446 §4.3.2, TLS 1.2 RFC 5246 §7.4.4), so that a later alert or closed connection can be explained
 * as "the broker requires a client certificate".
 */
final class ClientKeyManager extends X509ExtendedKeyManager {

    private static final String ALIAS = "wren-client";
    private static final byte[] PROBE = "wren: does this key belong to this certificate?".getBytes(StandardCharsets.US_ASCII);

    /** The client's key, or null when no client certificate is configured (then all the identity fields are). */
    final PrivateKey key;
    final X509Certificate[] chain;
    /** E.g. "client key file /etc/wren/client.key". */
    final String keyOrigin;
    /** E.g. "client certificate file /etc/wren/client.pem". */
    final String certificateOrigin;
    /** Sockets whose server sent a CertificateRequest; entries removed by {@link #takeRequest}. */
    private final Set<Socket> requested = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<Socket, Boolean>()));

    /** A key manager with the client's key and chain, or with all four null when none is configured. */
    ClientKeyManager(PrivateKey key, X509Certificate[] chain, String keyOrigin, String certificateOrigin) {
        this.key = key;
        this.chain = chain;
        this.keyOrigin = keyOrigin;
        this.certificateOrigin = certificateOrigin;
    }

    /** The configured certificate for messages, "subject from origin", or null when none is configured. */
    String certificate() {
        return key == null ? null : subject() + " from " + certificateOrigin;
    }

    /** The leaf certificate's subject, for messages. */
    String subject() {
        return chain[0].getSubjectX500Principal().getName();
    }

    /**
     * Signs a probe with the key and verifies it with the certificate's public key, so that a key from another
     * pair fails now, naming both files, instead of as an opaque handshake alert later.
     */
    void checkKeyMatchesCertificate() throws IOException {
        String keyAlgorithm = key.getAlgorithm();
        String certificateAlgorithm = chain[0].getPublicKey().getAlgorithm();
        if (!keyAlgorithm.equals(certificateAlgorithm)) {
            throw new IOException("the " + keyAlgorithm + " key in " + keyOrigin + " does not match the certificate "
                    + subject() + " in " + certificateOrigin + ", which holds an " + certificateAlgorithm + " public key");
        }
        String signatureAlgorithm = keyAlgorithm.equals("RSA") ? "SHA256withRSA"
                : keyAlgorithm.equals("EC") ? "SHA256withECDSA" : null;
        if (signatureAlgorithm == null) {
            throw new IOException(keyOrigin + " holds a " + keyAlgorithm + " key; Wren supports RSA and EC client keys");
        }
        boolean matches;
        try {
            Signature signer = Signature.getInstance(signatureAlgorithm);
            signer.initSign(key);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(signatureAlgorithm);
            verifier.initVerify(chain[0].getPublicKey());
            verifier.update(PROBE);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            // The key was parsed but cannot sign (e.g. damaged parameters): as unusable as a wrong one.
            matches = false;
        }
        if (!matches) {
            throw new IOException("the private key in " + keyOrigin + " does not match the certificate " + subject()
                    + " in " + certificateOrigin + " (a signature made with the key does not verify with the certificate)");
        }
    }

    /** True (once) when the server asked {@code socket}'s handshake for a client certificate. */
    boolean takeRequest(Socket socket) {
        return requested.remove(socket);
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        if (socket != null) {
            requested.add(socket);
        }
        return matches(keyTypes) ? ALIAS : null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return matches(keyTypes) ? ALIAS : null;
    }

    private boolean matches(String[] keyTypes) {
        if (key == null || keyTypes == null) {
            return false;
        }
        String algorithm = key.getAlgorithm();
        for (String type : keyTypes) {
            if (algorithm.equals(type)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return matches(new String[] {keyType}) ? new String[] {ALIAS} : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return key != null && ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return key != null && ALIAS.equals(alias) ? key : null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
