package dev.wren.mqtt;

import dev.wren.mqtt.testing.Packets;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A hostile server on a real socket: CONNACK, then the head of a PUBLISH announcing 268,435,455 bytes (the most
 * MQTT allows, §2.2.3), then one byte every 200 ms. The client's calls must still return by their timeouts, and
 * keep-alive must go on. Rules about time are proven with the fake clock in {@link SessionReceivePathTest}; this
 * test checks the real transport with generous bounds.
 */
class TricklingServerTest {

    private static final long GAP_MILLIS = 200;

    /** Accepts one client, answers CONNACK, trickles the PUBLISH, and counts PINGREQs the client sends. */
    private static final class TricklingServer implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        final AtomicInteger pingreqs = new AtomicInteger();
        final AtomicInteger trickled = new AtomicInteger();
        private final Thread writer = new Thread(this::serve, "trickling-server");
        private volatile Socket socket;

        TricklingServer() throws IOException {
            writer.setDaemon(true);
            writer.start();
        }

        private void serve() {
            try (Socket s = server.accept()) {
                socket = s;
                Thread reader = new Thread(() -> countPingreqs(s), "trickling-server-reader");
                reader.setDaemon(true);
                reader.start();
                OutputStream out = s.getOutputStream();
                out.write(Packets.connack(false, 0));
                out.write(new byte[] {0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F, 0x00, 0x01, 't'});
                out.flush();
                while (!s.isClosed()) {
                    Thread.sleep(GAP_MILLIS);
                    out.write(0);
                    out.flush();
                    trickled.incrementAndGet();
                }
            } catch (IOException | InterruptedException ignored) {
                // the client went, or the test ended
            }
        }

        /** Reads what the client sends; a PINGREQ (C0 00) is the only two-byte packet starting with C0. */
        private void countPingreqs(Socket s) {
            try {
                InputStream in = s.getInputStream();
                int previous = -1;
                for (int b = in.read(); b >= 0; b = in.read()) {
                    if (previous == 0xC0 && b == 0x00) {
                        pingreqs.incrementAndGet();
                    }
                    previous = b;
                }
            } catch (IOException ignored) {
                // closed
            }
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            Socket s = socket;
            if (s != null) {
                s.close();
            }
            server.close();
            writer.interrupt();
        }
    }

    @Test
    void pollReturnsByItsTimeoutAndPingsWhileALargestPublishTricklesOverASocket() throws Exception {
        try (TricklingServer server = new TricklingServer()) {
            MqttClient client = new MqttClient(MqttConfig.builder().host("127.0.0.1").port(server.port())
                    .clientId("trickled").keepAliveSeconds(2).operationTimeoutMillis(3000).build());
            try {
                // Preemptive, so that a poll that never returns fails the test instead of hanging the suite.
                assertTimeoutPreemptively(Duration.ofSeconds(40), () -> {
                    client.connect();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    int polls = 0;
                    while (server.pingreqs.get() == 0 || polls < 10) {
                        assertTrue(System.nanoTime() - deadline < 0, "no PINGREQ within 20 s, after " + polls + " polls");
                        long start = System.nanoTime();
                        client.poll(200);
                        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                        assertTrue(tookMillis < 5000, "poll(200) took " + tookMillis + " ms");
                        assertTrue(client.isConnected(), "bytes keep coming, the connection stays");
                        polls++;
                    }
                    assertTrue(server.trickled.get() > 0, "the drain was under way");
                });
            } finally {
                client.close();
            }
        }
    }
}
