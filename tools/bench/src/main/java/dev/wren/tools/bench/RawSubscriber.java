package dev.wren.tools.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.concurrent.locks.LockSupport;

/**
 * A minimal subscriber on its own thread: one QoS 0 subscription, reads in 1 MiB chunks, counts PUBLISH frames
 * and, when asked, records the latency carried in each payload (its first 8 bytes: the sender's
 * {@link System#nanoTime()}, same process). It allocates nothing per message, so it is never the bottleneck and
 * adds nothing to the allocation figures.
 */
final class RawSubscriber implements AutoCloseable {
    private final Socket socket;
    private final Thread thread;
    private final long[] latencyNanos;
    private volatile long received;
    private volatile int latencyCount;
    private volatile Throwable failure;

    private RawSubscriber(Socket socket, long[] latencyNanos, String name) {
        this.socket = socket;
        this.latencyNanos = latencyNanos;
        this.thread = new Thread(this::readLoop, name);
        this.thread.setDaemon(true);
    }

    /** Connects, subscribes to {@code topic} at QoS 0 and starts reading; {@code latencySlots} 0 = no latency. */
    static RawSubscriber start(String host, int port, String topic, int latencySlots) throws IOException {
        Socket s = RawMqtt.connect(host, port, "bench-sub-" + Long.toHexString(System.nanoTime()));
        RawMqtt.subscribe(s, topic, 0);
        RawSubscriber sub = new RawSubscriber(s, latencySlots > 0 ? new long[latencySlots] : null, "bench-raw-subscriber");
        sub.thread.start();
        return sub;
    }

    /** Messages received so far. */
    long received() {
        return received;
    }

    /**
     * Waits until {@code count} messages arrived, or until none arrived for {@code stallMillis}; returns the
     * {@link System#nanoTime()} at which the last counted message was seen (the end of a throughput run).
     */
    long awaitReceived(long count, long stallMillis) throws IOException {
        long last = received;
        long lastChange = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            long r = received;
            if (r >= count) {
                return now;
            }
            if (r != last) {
                last = r;
                lastChange = now;
            } else if (now - lastChange > stallMillis * 1_000_000L) {
                return lastChange;
            }
            if (failure != null) {
                throw new IOException("raw subscriber failed after " + r + " messages", failure);
            }
            LockSupport.parkNanos(20_000);
        }
    }

    /** CPU time used so far by the reading thread, in nanoseconds ({@link java.lang.management.ThreadMXBean#getThreadCpuTime}). */
    long cpuNanos() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getThreadCpuTime(thread.getId());
    }

    /** The recorded latencies (nanoseconds), in arrival order; valid once the run is over. */
    long[] latencies() {
        return java.util.Arrays.copyOf(latencyNanos, latencyCount);
    }

    private void readLoop() {
        byte[] buf = new byte[1 << 20];
        int[] header = new int[1];
        int have = 0;
        long count = 0;
        int lat = 0;
        try {
            InputStream in = socket.getInputStream();
            while (true) {
                int n = in.read(buf, have, buf.length - have);
                if (n < 0) {
                    return;
                }
                long now = System.nanoTime();
                have += n;
                int p = 0;
                while (true) {
                    int frame = RawMqtt.frameLength(buf, p, have - p, header);
                    if (frame < 0 || frame > have - p) {
                        break;
                    }
                    if ((buf[p] & 0xF0) == 0x30) {
                        count++;
                        if (latencyNanos != null && lat < latencyNanos.length) {
                            int topicStart = p + header[0];
                            int topicLength = (buf[topicStart] & 0xFF) << 8 | (buf[topicStart + 1] & 0xFF);
                            int payload = topicStart + 2 + topicLength;   // QoS 0: no packet id
                            if (frame - (payload - p) >= 8) {
                                latencyNanos[lat++] = now - RawMqtt.readLong(buf, payload);
                            }
                        }
                    }
                    p += frame;
                }
                if (p > 0) {
                    System.arraycopy(buf, p, buf, 0, have - p);
                    have -= p;
                }
                if (have == buf.length) {
                    throw new IOException("frame larger than " + buf.length + " bytes");
                }
                latencyCount = lat;
                received = count;
            }
        } catch (IOException e) {
            if (!socket.isClosed()) {
                failure = e;
            }
        }
    }

    @Override
    public void close() {
        RawMqtt.disconnect(socket);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
