package dev.wren.mqtt.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * TCP transport over a non-blocking {@link SocketChannel} and one {@link Selector}.
 *
 * <p>Why not {@code Socket.setSoTimeout}: every read timeout there throws a fresh
 * {@link java.net.SocketTimeoutException} (~700 bytes), so an idle client would allocate on every poll.
 * Here waiting is {@link Selector#select(long)}; the channel's key is never removed from the selected-key
 * set, so a select that finds it ready only updates the key's ready set and allocates nothing. Data moves
 * through two direct buffers allocated once ({@value #CHUNK_BYTES} bytes each), which also spares the JDK's
 * per-thread temporary direct-buffer cache. A write into a full send buffer waits on the selector until the socket
 * is writable again, until it makes progress or stalls for the write limit.
 */
final class TcpTransport implements Transport {

    /** Bytes moved per channel call; reads return at most this many. */
    static final int CHUNK_BYTES = 8192;
    private static final int DEFAULT_WRITE_STALL_MILLIS = 10_000;

    private final String peer;
    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(CHUNK_BYTES);
    private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(CHUNK_BYTES);
    private final int writeStallMillis;
    /** Writes that found the send buffer full (moved nothing); read by tests. */
    private long fullBufferWrites;
    private boolean closed;

    private TcpTransport(String peer, SocketChannel channel, Selector selector, SelectionKey key, int writeStallMillis) {
        this.peer = peer;
        this.channel = channel;
        this.selector = selector;
        this.key = key;
        this.writeStallMillis = writeStallMillis;
    }

    static TcpTransport open(String host, int port, int connectTimeoutMillis) throws IOException {
        InetSocketAddress address = TransportFactory.resolve(host, port, connectTimeoutMillis);
        SocketChannel channel = SocketChannel.open();
        Selector selector = null;
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, Boolean.TRUE);
            channel.socket().connect(address, connectTimeoutMillis); // blocking mode: honours the timeout
            channel.configureBlocking(false);
            selector = Selector.open();
            SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
            int stall = connectTimeoutMillis == 0 ? DEFAULT_WRITE_STALL_MILLIS : connectTimeoutMillis;
            return new TcpTransport(host + ":" + port, channel, selector, key, stall);
        } catch (IOException | RuntimeException e) {
            closeQuietly(selector);
            closeQuietly(channel);
            if (e instanceof java.net.SocketTimeoutException) {
                throw new java.net.SocketTimeoutException(
                        "connect to " + host + ":" + port + " timed out after " + connectTimeoutMillis + " ms");
            }
            throw e;
        }
    }

    @Override
    public int read(byte[] dst, int off, int len, int timeoutMillis) throws IOException {
        if (closed) {
            throw new IOException("transport to " + peer + " is closed");
        }
        if (len == 0) {
            return 0;
        }
        int n = readNow(dst, off, len);
        if (n != 0 || timeoutMillis <= 0) {
            return n;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            long leftNanos = deadline - System.nanoTime();
            if (leftNanos <= 0) {
                return 0;
            }
            selector.select(Math.max(1L, TimeUnit.NANOSECONDS.toMillis(leftNanos + 999_999L)));
            n = readNow(dst, off, len);
            if (n != 0) {
                return n;
            }
        }
    }

    private int readNow(byte[] dst, int off, int len) throws IOException {
        ByteBuffer buffer = readBuffer;
        buffer.clear();
        buffer.limit(Math.min(len, CHUNK_BYTES));
        int n = channel.read(buffer);
        if (n > 0) {
            buffer.flip();
            buffer.get(dst, off, n);
        }
        return n;
    }

    @Override
    public void write(byte[] src, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("transport to " + peer + " is closed");
        }
        int done = 0;
        while (done < len) {
            ByteBuffer buffer = writeBuffer;
            buffer.clear();
            int chunk = Math.min(len - done, CHUNK_BYTES);
            buffer.put(src, off + done, chunk);
            buffer.flip();
            long stallStart = 0;
            boolean stalled = false;
            while (buffer.hasRemaining()) {
                if (channel.write(buffer) > 0) {
                    stalled = false;
                    continue;
                }
                fullBufferWrites++;
                if (!stalled) {
                    stalled = true;
                    stallStart = System.nanoTime();
                    awaitWritable(writeStallMillis);
                } else {
                    long leftMillis = writeStallMillis - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stallStart);
                    if (leftMillis <= 0) {
                        throw new IOException("write to " + peer + " made no progress for " + writeStallMillis + " ms");
                    }
                    awaitWritable(leftMillis);
                }
            }
            done += chunk;
        }
    }

    /**
     * The socket's send buffer is full: wait until the kernel says it has room again (or {@code millis} pass), so a
     * writer that outpaces the peer makes one failed write per stall, not one every fraction of a millisecond. The
     * key listens for writability only while waiting, so arriving data (PUBACKs while publishing) cannot turn the
     * wait into a spin; it listens for reads again before this returns. The key stays in the selected-key set, so
     * this allocates nothing (see the class comment).
     */
    private void awaitWritable(long millis) throws IOException {
        key.interestOps(SelectionKey.OP_WRITE);
        try {
            selector.select(Math.max(1L, millis));
        } finally {
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    long fullBufferWrites() {
        return fullBufferWrites;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(selector);
        closeQuietly(channel);
    }

    /** Closes {@code c} (null: nothing), ignoring a failure. */
    static void closeQuietly(java.io.Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException ignored) {
            // Closing is best effort: the connection is being abandoned either way.
        }
    }

    @Override
    public String toString() {
        return "TcpTransport[" + peer + (closed ? ", closed]" : "]");
    }
}
