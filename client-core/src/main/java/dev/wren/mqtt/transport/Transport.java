package dev.wren.mqtt.transport;

import java.io.Closeable;
import java.io.IOException;

/**
 * A byte stream to one MQTT server, driven by a single thread (MQTT 3.1.1 §4.2: an ordered, lossless,
 * bi-directional connection).
 *
 * <p>Contract for every implementation:
 * <ul>
 *   <li>{@link #read} returns a positive count when bytes arrived, {@code 0} when nothing arrived within
 *       {@code timeoutMillis} ({@code 0} = do not wait), {@code -1} once the peer has closed its side
 *       (end of stream), and throws {@link IOException} when the connection fails. It never throws
 *       {@link java.net.SocketTimeoutException} for a timeout: a timeout is the ordinary result {@code 0}.</li>
 *   <li>{@link #write} writes all bytes or throws {@link IOException}.</li>
 *   <li>{@link #close} is idempotent and never throws; after it, read and write throw {@link IOException}.</li>
 *   <li>In steady state, read and write allocate nothing where the implementation can avoid it
 *       (TCP: yes; TLS: JSSE allocates).</li>
 * </ul>
 * Not thread-safe: the client that owns a transport is its only caller.
 */
public interface Transport extends Closeable {

    /**
     * Reads up to {@code len} bytes into {@code dst[off..off+len)}.
     *
     * @param timeoutMillis how long to wait for the first byte; 0 = return at once
     * @return bytes read (&gt; 0), 0 if nothing arrived within {@code timeoutMillis}, -1 at end of stream
     * @throws IOException when the connection fails or the transport is closed
     */
    int read(byte[] dst, int off, int len, int timeoutMillis) throws IOException;

    /**
     * Writes all {@code len} bytes of {@code src[off..off+len)}, blocking until they are handed to the network.
     *
     * @throws IOException when the connection fails, a write stalls past the implementation's limit, or the
     *                     transport is closed
     */
    void write(byte[] src, int off, int len) throws IOException;

    /** Closes the connection; idempotent; never throws. */
    @Override
    void close();
}
