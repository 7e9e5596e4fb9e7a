package dev.wren.mqtt.testing;

import dev.wren.mqtt.transport.Transport;
import dev.wren.mqtt.transport.TransportFactory;

import java.io.IOException;
import java.util.ArrayDeque;

/** Hands out prepared {@link ScriptedTransport}s, one per {@code open}, in order (one per connect). */
public final class ScriptedTransportFactory implements TransportFactory {

    private final ArrayDeque<ScriptedTransport> connections = new ArrayDeque<>();
    private int opened;

    /** Queues {@code transport} as the next connection. */
    public ScriptedTransportFactory then(ScriptedTransport transport) {
        connections.add(transport);
        return this;
    }

    @Override
    public Transport open(String host, int port, int connectTimeoutMillis) throws IOException {
        ScriptedTransport next = connections.poll();
        if (next == null) {
            throw new IOException("connection refused: no scripted connection left after " + opened);
        }
        opened++;
        return next;
    }

    /** How many connections were opened. */
    public int openedCount() {
        return opened;
    }
}
