package dev.wren.mqtt.transport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Loads Java KeyStore (JKS, JCEKS) and PKCS#12 files, choosing the type from the file's first bytes rather
 * than its name. Errors name the file and its role, never the password.
 */
final class KeyStoreFiles {

    private KeyStoreFiles() {
    }

    /**
     * Loads {@code file}; {@code password} may be null for a trust store (the integrity check is then skipped).
     *
     * @throws IOException naming the file when it is missing, unreadable, of an unknown format, or the password
     *                     does not open it
     */
    static KeyStore load(Path file, char[] password, String role) throws IOException {
        byte[] content = Pem.readFile(file, role);
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
    static List<X509Certificate> trustedCertificates(KeyStore store, Path file, String role) throws IOException {
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
    static ClientIdentity identity(KeyStore store, char[] password, Path file, String role) throws IOException {
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
            return new ClientIdentity(key, x509, where, where);
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
