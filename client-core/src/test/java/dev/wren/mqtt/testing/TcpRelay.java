package dev.wren.mqtt.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP relay to a server port, for link faults a broker cannot produce: {@link #slow} delivers the
 * server's bytes 7 at a time, 2 ms apart (TLS records arrive in pieces); {@link #cut()} drops every relayed
 * connection with a TCP reset, as a dead network or a crashed device would (no TLS close_notify, no
 * DISCONNECT). Each accepted connection gets its own upstream connection.
 */
public final class TcpRelay implements AutoCloseable {

    private final ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final int upstreamPort;
    /** When true, server-to-client bytes go 7 at a time with 2 ms pauses. */
    public volatile boolean slow;

    /** Starts relaying connections to {@code 127.0.0.1:upstreamPort}. */
    public TcpRelay(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        Thread acceptor = new Thread(this::acceptLoop, "tcp-relay-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The relay's own loopback port. */
    public int port() {
        return server.getLocalPort();
    }

    /** Resets every relayed connection on both sides; the relay keeps accepting new ones. */
    public void cut() {
        for (Socket s : sockets) {
            try {
                s.setSoLinger(true, 0); // close sends RST
                s.close();
            } catch (IOException ignored) {
                // Already gone.
            }
        }
        sockets.clear();
    }

    private void acceptLoop() {
        try {
            while (true) {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream, false);
                pump(upstream, client, true);
            }
        } catch (IOException closed) {
            // The relay was closed.
        }
    }

    private void pump(Socket from, Socket to, boolean towardsClient) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                while (true) {
                    boolean slowNow = slow && towardsClient;
                    int n = from.getInputStream().read(buf, 0, slowNow ? 7 : buf.length);
                    if (n < 0) {
                        to.shutdownOutput();
                        return;
                    }
                    to.getOutputStream().write(buf, 0, n);
                    if (slowNow) {
                        Thread.sleep(2); // the simulated slow link itself, not a wait for a condition
                    }
                }
            } catch (IOException | InterruptedException closed) {
                // Either side closed or the link was cut.
            }
        }, "tcp-relay-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Stops accepting and closes every relayed connection. */
    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
