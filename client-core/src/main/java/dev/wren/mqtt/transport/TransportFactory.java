package dev.wren.mqtt.transport;

import java.io.IOException;

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
}
