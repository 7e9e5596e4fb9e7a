package dev.wren.mqtt.transport;

import dev.wren.mqtt.testing.AllocationMeter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The TCP transport against a plain loopback server socket. */
@Timeout(30)
class TcpTransportTest {

    private ServerSocket server;
    private Transport transport;
    private Socket peer;

    @BeforeEach
    void connect() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        transport = TcpTransportFactory.INSTANCE.open("127.0.0.1", server.getLocalPort(), 2000);
        peer = server.accept();
    }

    @AfterEach
    void closeAll() throws IOException {
        transport.close();
        peer.close();
        server.close();
    }

    @Test
    void readReturnsWhatArrivedAndZeroOnTimeout() throws IOException {
        byte[] buf = new byte[16];
        assertEquals(0, transport.read(buf, 0, buf.length, 0), "nothing arrived, no wait");
        assertEquals(0, transport.read(buf, 0, buf.length, 30), "nothing arrived within 30 ms");
        peer.getOutputStream().write(new byte[] {1, 2, 3});
        int n = 0;
        while (n < 3) {
            n += transport.read(buf, 2 + n, 3 - n, 1000);
        }
        assertArrayEquals(new byte[] {1, 2, 3}, Arrays.copyOfRange(buf, 2, 5));
    }

    @Test
    void readWaitsForTheTimeout() throws IOException {
        long start = System.nanoTime();
        assertEquals(0, transport.read(new byte[4], 0, 4, 200));
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(elapsedMillis >= 195, "returned after " + elapsedMillis + " ms, before the 200 ms timeout");
    }

    @Test
    void endOfStreamIsMinusOne() throws IOException {
        peer.close();
        assertEquals(-1, transport.read(new byte[4], 0, 4, 1000));
    }

    @Test
    void closedTransportThrowsAndCloseIsIdempotent() {
        transport.close();
        transport.close();
        assertThrows(IOException.class, () -> transport.read(new byte[1], 0, 1, 0));
        assertThrows(IOException.class, () -> transport.write(new byte[1], 0, 1));
    }

    @Test
    void writesMoreThanOneChunkAndMoreThanTheSocketBuffers() throws Exception {
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        byte[] received = new byte[data.length];
        Thread reader = new Thread(() -> {
            try {
                InputStream in = peer.getInputStream();
                int n = 0;
                while (n < received.length) {
                    int r = in.read(received, n, received.length - n);
                    if (r < 0) {
                        break;
                    }
                    n += r;
                }
            } catch (IOException ignored) {
                // the assertion below reports the shortfall
            }
        });
        reader.start();
        transport.write(data, 0, data.length);
        reader.join(10_000);
        assertArrayEquals(data, received);
    }

    @Test
    void writeIntoAFullSendBufferWaitsUntilTheSocketDrainsInsteadOfRetrying() throws Exception {
        TcpTransport tcp = (TcpTransport) transport;
        byte[] data = new byte[16 * 1024 * 1024];
        IOException[] failed = new IOException[1];
        Thread writer = new Thread(() -> {
            try {
                tcp.write(data, 0, data.length);
            } catch (IOException e) {
                failed[0] = e;
            }
        }, "writer");
        writer.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (tcp.fullBufferWrites() == 0 && System.nanoTime() - deadline < 0) {
            Thread.sleep(1); // until the send buffer is full: the peer has not read a byte yet
        }
        assertTrue(tcp.fullBufferWrites() > 0, "the send buffer never filled");
        // The stimulus, not a synchronisation: the peer stays silent for 300 ms while the writer waits. Retrying
        // every 0.2 ms made about a thousand failed writes here; waiting on the selector makes one per stall.
        Thread.sleep(300);
        long failedWhileSilent = tcp.fullBufferWrites();
        byte[] sink = new byte[64 * 1024];
        InputStream in = peer.getInputStream();
        for (long n = 0; n < data.length; ) {
            int r = in.read(sink);
            assertTrue(r > 0, "end of stream after " + n + " bytes");
            n += r;
        }
        writer.join(10_000);

        assertEquals(null, failed[0]);
        assertTrue(failedWhileSilent <= 2, failedWhileSilent + " writes into the full buffer during a 300 ms stall");
    }

    @Test
    void writeToAPeerThatStopsReadingFailsInsteadOfHanging() throws IOException {
        Transport stalled = TcpTransport.open("127.0.0.1", server.getLocalPort(), 300);
        try (Socket silentPeer = server.accept()) {
            silentPeer.setReceiveBufferSize(4096); // the peer never reads
            byte[] data = new byte[64 * 1024 * 1024];
            IOException e = assertThrows(IOException.class, () -> stalled.write(data, 0, data.length));
            assertTrue(e.getMessage().contains("no progress for 300 ms"), e.getMessage());
        } finally {
            stalled.close();
        }
    }

    @Test
    void unresolvableHostAndRefusedPortFailWithIOException() throws IOException {
        assertThrows(IOException.class, () -> TcpTransportFactory.INSTANCE.open("no-such-host.invalid", 1883, 1000));
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        assertThrows(IOException.class, () -> TcpTransportFactory.INSTANCE.open("127.0.0.1", closedPort, 1000));
    }

    @Test
    void idleWaitingAndSmallReadsAndWritesAllocateNothing() throws Exception {
        byte[] buf = new byte[64];
        OutputStream out = peer.getOutputStream();
        InputStream in = peer.getInputStream();
        // The first selects set up the JDK's lazily built structures; the rounds below warm up the JIT.
        for (int i = 0; i < 100; i++) {
            roundTrip(buf, out, in);
        }
        // No assertions inside measured loops: JUnit's assertEquals allocates even when it passes.
        int[] nonZero = new int[1];
        AllocationMeter.assertSteadyStateAllocatesNothing("TCP transport idle read with a 2 ms timeout + idle poll",
                50, n -> {
                    for (int i = 0; i < n; i++) {
                        nonZero[0] += transport.read(buf, 0, buf.length, 2); // idle wait with a timeout
                        nonZero[0] += transport.read(buf, 0, buf.length, 0); // idle poll without waiting
                    }
                });
        assertEquals(0, nonZero[0], "bytes read while the peer was silent");
        // The peer drains on its own thread, so its allocations are not this thread's and the socket never fills.
        long[] drained = new long[1];
        Thread drain = new Thread(() -> {
            byte[] sink = new byte[4096];
            try {
                for (int r = in.read(sink); r >= 0; r = in.read(sink)) {
                    drained[0] += r;
                }
            } catch (IOException closed) {
                // the test closes the peer socket
            }
        }, "peer-drain");
        drain.setDaemon(true);
        drain.start();
        AllocationMeter.SteadyState s = AllocationMeter.assertSteadyStateAllocatesNothing("TCP transport 8-byte write",
                2000, n -> {
                    for (int i = 0; i < n; i++) {
                        transport.write(buf, 0, 8);
                    }
                });
        transport.close();
        drain.join(10_000);
        assertEquals(8 * s.operations(), drained[0], "every written byte reached the peer");
    }

    /** Writes 8 bytes through the transport, echoes them back from the peer, reads them. */
    private void roundTrip(byte[] buf, OutputStream out, InputStream in) throws IOException {
        transport.write(buf, 0, 8);
        int n = 0;
        while (n < 8) {
            n += in.read(buf, 8 + n, 8 - n); // peer side: allocation here is on this thread too, so avoid readNBytes
        }
        out.write(buf, 8, 8);
        n = 0;
        while (n < 8) {
            n += transport.read(buf, 16 + n, 8 - n, 1000);
        }
    }
}
