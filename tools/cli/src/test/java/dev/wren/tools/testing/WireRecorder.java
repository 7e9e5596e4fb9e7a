package dev.wren.tools.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback relay to a broker that records what the client sends: the MQTT packets a tool writes, to compare two
 * tools' packets byte for byte where the broker's log does not show them (MQTT 5.0 properties). One connection at a
 * time: {@link #take} returns the packets of the connection that ended last.
 */
public final class WireRecorder implements AutoCloseable {

    private final ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
    private final int upstreamPort;
    private final List<byte[]> finished = new ArrayList<>();

    /** Starts relaying connections to {@code 127.0.0.1:upstreamPort}. */
    public WireRecorder(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        Thread acceptor = new Thread(this::acceptLoop, "wire-recorder-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The relay's loopback port. */
    public int port() {
        return server.getLocalPort();
    }

    /**
     * The client's bytes of the next connection to end, split into packets (each whole, fixed header included).
     *
     * @throws AssertionError when no connection ends within {@code timeoutMillis}
     */
    public synchronized List<byte[]> take(long timeoutMillis) throws InterruptedException {
        long until = System.currentTimeMillis() + timeoutMillis;
        while (finished.isEmpty()) {
            long left = until - System.currentTimeMillis();
            if (left <= 0) {
                throw new AssertionError("no connection through the recorder ended within " + timeoutMillis + " ms");
            }
            wait(left);
        }
        return packets(finished.remove(0));
    }

    private synchronized void ended(byte[] clientBytes) {
        finished.add(clientBytes);
        notifyAll();
    }

    /** Splits a client's byte stream into packets by their remaining length (MQTT 3.1.1 §2.2.3). */
    private static List<byte[]> packets(byte[] stream) {
        List<byte[]> packets = new ArrayList<>();
        int at = 0;
        while (at < stream.length) {
            int length = 0;
            int shift = 0;
            int i = at + 1;
            while (true) {
                int b = stream[i++] & 0xFF;
                length |= (b & 0x7F) << shift;
                shift += 7;
                if ((b & 0x80) == 0) {
                    break;
                }
            }
            int end = i + length;
            packets.add(java.util.Arrays.copyOfRange(stream, at, end));
            at = end;
        }
        return packets;
    }

    private void acceptLoop() {
        try {
            while (true) {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                ByteArrayOutputStream recorded = new ByteArrayOutputStream();
                Thread up = new Thread(() -> {
                    pump(client, upstream, recorded);
                    ended(recorded.toByteArray());
                }, "wire-recorder-up");
                Thread down = new Thread(() -> pump(upstream, client, null), "wire-recorder-down");
                up.setDaemon(true);
                down.setDaemon(true);
                up.start();
                down.start();
            }
        } catch (IOException closed) {
            // close() ends the loop
        }
    }

    private static void pump(Socket from, Socket to, ByteArrayOutputStream recorded) {
        byte[] buf = new byte[8192];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buf)) > 0; ) {
                if (recorded != null) {
                    synchronized (recorded) {
                        recorded.write(buf, 0, n);
                    }
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException gone) {
            // either side closed
        } finally {
            try {
                to.close();
                from.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
