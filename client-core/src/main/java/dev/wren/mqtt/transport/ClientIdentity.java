package dev.wren.mqtt.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;

/** A client's private key and certificate chain for mutual TLS, with where each came from (for messages). */
final class ClientIdentity {

    private static final byte[] PROBE = "wren: does this key belong to this certificate?".getBytes(StandardCharsets.US_ASCII);

    final PrivateKey key;
    final X509Certificate[] chain;
    /** E.g. "client key file /etc/wren/client.key". */
    final String keyOrigin;
    /** E.g. "client certificate file /etc/wren/client.pem". */
    final String certificateOrigin;

    ClientIdentity(PrivateKey key, X509Certificate[] chain, String keyOrigin, String certificateOrigin) {
        this.key = key;
        this.chain = chain;
        this.keyOrigin = keyOrigin;
        this.certificateOrigin = certificateOrigin;
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
        String signatureAlgorithm;
        switch (keyAlgorithm) {
            case "RSA":
                signatureAlgorithm = "SHA256withRSA";
                break;
            case "EC":
                signatureAlgorithm = "SHA256withECDSA";
                break;
            default:
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
}
