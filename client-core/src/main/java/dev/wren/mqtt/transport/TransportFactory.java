package dev.wren.mqtt.transport;

import java.io.IOException;
import java.net.InetSocketAddress;

/** Opens {@link Transport}s; the client calls it once per {@code connect}. */
public interface TransportFactory {

    /**
     * Opens a new connection, resolving {@code host} again on every call so that a reconnect follows a
     * DNS or IP change.
     *
     * @param connectTimeoutMillis how long the connection (and any handshake) may take; 0 = no limit
     * @throws IOException when the host does not resolve, refuses, or the timeout passes
     */
    Transport open(String host, int port, int connectTimeoutMillis) throws IOException;

    /**
     * Whether the transports it opens are encrypted (TLS). The client uses it only for its error messages: a
     * plain-TCP connect that meets TLS bytes says the port may expect {@code ssl://}. Default false.
     */
    default boolean encrypted() {
        return false;
    }

    /**
     * Checks the arguments of {@link #open} and resolves {@code host} now, on every open: the first step of every
     * factory here (TCP, and TLS in client-tls).
     *
     * @throws java.net.UnknownHostException naming the host when it does not resolve
     */
    static InetSocketAddress resolve(String host, int port, int connectTimeoutMillis) throws IOException {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " not in 1..65535");
        }
        if (connectTimeoutMillis < 0) {
            throw new IllegalArgumentException("connectTimeoutMillis " + connectTimeoutMillis + " < 0");
        }
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new java.net.UnknownHostException("cannot resolve host " + host);
        }
        return address;
    }
}
