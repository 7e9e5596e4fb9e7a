package dev.wren.mqtt.transport;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Offers the one configured client certificate (or none) for mutual TLS, and remembers which sockets the
 * server asked for a certificate (TLS 1.3 RFC 8446 §4.3.2, TLS 1.2 RFC 5246 §7.4.4), so that a later
 * alert or closed connection can be explained as "the broker requires a client certificate".
 */
final class ClientKeyManager extends X509ExtendedKeyManager {

    private static final String ALIAS = "wren-client";

    private final ClientIdentity identity;
    /** Sockets whose server sent a CertificateRequest; entries removed by {@link #takeRequest}. */
    private final Set<Socket> requested = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<Socket, Boolean>()));

    /** @param identity the client's key and chain, or null when none is configured */
    ClientKeyManager(ClientIdentity identity) {
        this.identity = identity;
    }

    /** The configured identity, or null. */
    ClientIdentity identity() {
        return identity;
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
        if (identity == null || keyTypes == null) {
            return false;
        }
        String algorithm = identity.key.getAlgorithm();
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
        return identity != null && ALIAS.equals(alias) ? identity.chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return identity != null && ALIAS.equals(alias) ? identity.key : null;
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
