package dev.wren.mqtt.transport;

import java.io.IOException;

/**
 * Plain TCP connections (MQTT 3.1.1 §4.2, port 1883 by convention) over a non-blocking
 * {@link java.nio.channels.SocketChannel}, so that waiting for data allocates nothing.
 */
public final class TcpTransportFactory implements TransportFactory {

    /** The only instance: the factory holds no state. */
    public static final TcpTransportFactory INSTANCE = new TcpTransportFactory();

    private TcpTransportFactory() {
    }

    /**
     * Connects to {@code host:port}, resolving the name now.
     * A write that cannot make progress for {@code connectTimeoutMillis} (10 s when 0) fails with
     * {@link IOException}, so a peer that stops reading cannot hang the client.
     */
    @Override
    public Transport open(String host, int port, int connectTimeoutMillis) throws IOException {
        return TcpTransport.open(host, port, connectTimeoutMillis);
    }

    @Override
    public String toString() {
        return "TcpTransportFactory";
    }
}
