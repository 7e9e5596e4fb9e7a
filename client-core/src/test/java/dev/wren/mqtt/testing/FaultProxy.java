package dev.wren.mqtt.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on loopback that stands between a client and a broker and injects faults, switchable at run time:
 *
 * <ul>
 *   <li>{@link Mode#PASS}: forwards both ways;</li>
 *   <li>{@link Mode#BLACK_HOLE}: accepts every byte and forwards none (a dead route: no FIN, no RST);</li>
 *   <li>{@link Mode#ONE_BYTE}: forwards one byte per TCP segment, with a pause between them;</li>
 *   <li>{@link Mode#DELAY}: forwards each chunk {@link #delayMillis} after it arrived (a long, slow link);</li>
 *   <li>{@link #cut()}: resets every open connection now (RST), as a NAT or a crashed router would.</li>
 * </ul>
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start(broker.host(), broker.port(), 60_000)) {
 *     ... MqttConfig.builder().host(proxy.host()).port(proxy.port()) ...
 *     proxy.mode(FaultProxy.Mode.BLACK_HOLE);
 * }
 * }</pre>
 *
 * <p>Bounded: at most {@value #MAX_CONNECTIONS} connections at once (more are closed on accept), at most
 * {@value #QUEUE_CHUNKS} chunks of up to {@value #CHUNK_BYTES} bytes queued per direction (the reader then waits),
 * and it stops itself after {@code maxLifetimeMillis} even if a test forgets to close it. Each connection
 * runs four daemon threads (a reader and a writer per direction): test support, not production code.
 */
public final class FaultProxy implements AutoCloseable {

    /** What the proxy does with the bytes it reads. */
    public enum Mode {
        /** Forward at once. */
        PASS,
        /** Read and discard: the peer's writes succeed, nothing arrives, the connection stays open. */
        BLACK_HOLE,
        /** Forward one byte per write, {@link #oneBytePauseMicros} apart. */
        ONE_BYTE,
        /** Forward each chunk {@link #delayMillis} after it was read. */
        DELAY
    }

    static final int MAX_CONNECTIONS = 32;
    static final int QUEUE_CHUNKS = 256;
    static final int CHUNK_BYTES = 8192;
    private static final int POLL_MILLIS = 50;

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    private final long deadlineNanos;
    private final Thread acceptor;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong toBroker = new AtomicLong();
    private final AtomicLong toClient = new AtomicLong();
    private final AtomicLong discarded = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private volatile Mode mode = Mode.PASS;
    private volatile int delayMillis;
    private volatile int oneBytePauseMicros = 100;
    private volatile boolean closed;

    private FaultProxy(String targetHost, int targetPort, long maxLifetimeMillis) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxLifetimeMillis);
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        server.setSoTimeout(POLL_MILLIS);
        acceptor = new Thread(this::acceptLoop, "fault-proxy-accept-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Starts a proxy on a free loopback port forwarding to {@code targetHost:targetPort} (connected per
     * accepted client, so a broker restarted on the same port is reached again).
     *
     * @param maxLifetimeMillis after this long the proxy closes itself
     */
    public static FaultProxy start(String targetHost, int targetPort, long maxLifetimeMillis) {
        if (maxLifetimeMillis <= 0) {
            throw new IllegalArgumentException("maxLifetimeMillis " + maxLifetimeMillis + " <= 0");
        }
        try {
            return new FaultProxy(targetHost, targetPort, maxLifetimeMillis);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start fault proxy: " + e.getMessage(), e);
        }
    }

    /** The loopback address clients connect to. */
    public String host() {
        return "127.0.0.1";
    }

    /** The port clients connect to. */
    public int port() {
        return server.getLocalPort();
    }

    /** Switches every connection, open or future, to {@code m} (bytes already queued follow the new mode). */
    public FaultProxy mode(Mode m) {
        this.mode = m;
        return this;
    }

    /** The current mode. */
    public Mode mode() {
        return mode;
    }

    /** Sets the delay of {@link Mode#DELAY} (0..60,000 ms) and switches to it. */
    public FaultProxy delay(int millis) {
        if (millis < 0 || millis > 60_000) {
            throw new IllegalArgumentException("delay " + millis + " ms outside 0..60000");
        }
        this.delayMillis = millis;
        return mode(Mode.DELAY);
    }

    /** The pause between bytes in {@link Mode#ONE_BYTE} (0..100,000 µs; default 100). */
    public FaultProxy oneBytePauseMicros(int micros) {
        if (micros < 0 || micros > 100_000) {
            throw new IllegalArgumentException("one-byte pause " + micros + " µs outside 0..100000");
        }
        this.oneBytePauseMicros = micros;
        return this;
    }

    /** Resets (RST) every open connection now; the mode is unchanged and new connections are accepted. */
    public void cut() {
        for (Connection c : connections) {
            c.close(true);
        }
    }

    /** Connections accepted since start. */
    public long acceptedCount() {
        return accepted.get();
    }

    /** Connections open now. */
    public int openCount() {
        return connections.size();
    }

    /** Bytes forwarded client → broker. */
    public long bytesToBroker() {
        return toBroker.get();
    }

    /** Bytes forwarded broker → client. */
    public long bytesToClient() {
        return toClient.get();
    }

    /** Socket writes made forwarding, both ways: one per byte in {@link Mode#ONE_BYTE}, one per chunk read else. */
    public long writeCount() {
        return writes.get();
    }

    /** Bytes read and dropped in {@link Mode#BLACK_HOLE}. */
    public long bytesDiscarded() {
        return discarded.get();
    }

    /** True until {@link #close()} or the lifetime ends. */
    public boolean isRunning() {
        return !closed;
    }

    /** Closes the listener and resets every connection; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        cut();
        if (Thread.currentThread() != acceptor) {
            try {
                acceptor.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "FaultProxy[" + host() + ":" + port() + " -> " + targetHost + ":" + targetPort + ", " + mode
                + ", " + connections.size() + " open, " + accepted.get() + " accepted]";
    }

    private void acceptLoop() {
        while (!closed) {
            if (System.nanoTime() - deadlineNanos >= 0) {
                close(); // the lifetime bound: never outlive a forgetful test
                return;
            }
            Socket client;
            try {
                client = server.accept();
            } catch (SocketTimeoutException tick) {
                continue;
            } catch (IOException e) {
                if (!closed) {
                    close();
                }
                return;
            }
            accepted.incrementAndGet();
            if (connections.size() >= MAX_CONNECTIONS) {
                closeQuietly(client, true);
                continue;
            }
            Socket broker = new Socket();
            try {
                broker.connect(new InetSocketAddress(targetHost, targetPort), 2_000);
            } catch (IOException refused) {
                // The broker is down: the client sees its connection reset, as it would without the proxy.
                closeQuietly(broker, false);
                closeQuietly(client, true);
                continue;
            }
            Connection c = new Connection(client, broker);
            connections.add(c);
            c.start();
        }
    }

    /** One client connection and its broker connection: two directions, each a reader and a writer thread. */
    private final class Connection {
        private final Socket client;
        private final Socket broker;
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean done;

        Connection(Socket client, Socket broker) {
            this.client = client;
            this.broker = broker;
        }

        void start() {
            try {
                client.setTcpNoDelay(true);
                broker.setTcpNoDelay(true);
                client.setSoTimeout(POLL_MILLIS);
                broker.setSoTimeout(POLL_MILLIS);
                direction(client.getInputStream(), broker.getOutputStream(), toBroker, "c2b");
                direction(broker.getInputStream(), client.getOutputStream(), toClient, "b2c");
            } catch (IOException e) {
                close(true);
                return;
            }
            for (Thread t : threads) {
                t.start();
            }
        }

        private void direction(InputStream in, OutputStream out, AtomicLong forwarded, String name) {
            BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUE_CHUNKS);
            String id = "fault-proxy-" + client.getPort() + "-" + name;
            threads.add(daemon(id + "-read", () -> read(in, queue)));
            threads.add(daemon(id + "-write", () -> write(queue, out, forwarded)));
        }

        private Thread daemon(String name, Runnable r) {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        }

        private void read(InputStream in, BlockingQueue<Chunk> queue) {
            byte[] buf = new byte[CHUNK_BYTES];
            try {
                while (!done) {
                    int n;
                    try {
                        n = in.read(buf);
                    } catch (SocketTimeoutException tick) {
                        continue;
                    }
                    if (n < 0) {
                        queue.put(Chunk.END);
                        return;
                    }
                    Chunk chunk = new Chunk(java.util.Arrays.copyOf(buf, n), System.nanoTime());
                    while (!done && !queue.offer(chunk, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                        // the writer is slow (delay, one byte at a time): wait, bounded by the queue
                    }
                }
            } catch (IOException | InterruptedException e) {
                close(false);
            }
        }

        private void write(BlockingQueue<Chunk> queue, OutputStream out, AtomicLong forwarded) {
            try {
                while (!done) {
                    Chunk c = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                    if (c == null) {
                        continue;
                    }
                    if (c == Chunk.END) {
                        close(false); // one side closed: close both, as a TCP relay does
                        return;
                    }
                    Mode m = mode;
                    if (m == Mode.BLACK_HOLE) {
                        discarded.addAndGet(c.bytes.length);
                        continue;
                    }
                    if (m == Mode.DELAY) {
                        long due = c.readNanos + TimeUnit.MILLISECONDS.toNanos(delayMillis);
                        for (long wait = due - System.nanoTime(); wait > 0 && !done; wait = due - System.nanoTime()) {
                            LockSupport.parkNanos(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)));
                        }
                    }
                    if (m == Mode.ONE_BYTE) {
                        for (byte b : c.bytes) {
                            out.write(b & 0xFF);
                            out.flush();
                            forwarded.incrementAndGet();
                            writes.incrementAndGet();
                            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(oneBytePauseMicros));
                        }
                    } else {
                        out.write(c.bytes);
                        out.flush();
                        forwarded.addAndGet(c.bytes.length);
                        writes.incrementAndGet();
                    }
                }
            } catch (IOException | InterruptedException e) {
                close(false);
            }
        }

        void close(boolean reset) {
            if (done) {
                return;
            }
            done = true;
            connections.remove(this);
            closeQuietly(client, reset);
            closeQuietly(broker, reset);
        }
    }

    private static final class Chunk {
        static final Chunk END = new Chunk(new byte[0], 0);
        final byte[] bytes;
        final long readNanos;

        Chunk(byte[] bytes, long readNanos) {
            this.bytes = bytes;
            this.readNanos = readNanos;
        }
    }

    private static void closeQuietly(Socket s, boolean reset) {
        try {
            if (reset && !s.isClosed()) {
                s.setSoLinger(true, 0); // close sends RST instead of FIN
            }
        } catch (SocketException ignored) {
            // already gone
        }
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }
}
