package dev.wren.mqtt.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The proxy's modes against a loopback echo server. */
@Timeout(30)
class FaultProxyTest {

    private ServerSocket echo;
    private Thread echoThread;

    @BeforeEach
    void startEcho() throws IOException {
        echo = new ServerSocket();
        echo.bind(new InetSocketAddress("127.0.0.1", 0));
        echoThread = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Thread t = new Thread(() -> {
                        try (Socket c = s; InputStream in = c.getInputStream(); OutputStream out = c.getOutputStream()) {
                            byte[] buf = new byte[4096];
                            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                                out.write(buf, 0, n);
                            }
                        } catch (IOException ignored) {
                            // peer reset
                        }
                    });
                    t.setDaemon(true);
                    t.start();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        echoThread.setDaemon(true);
        echoThread.start();
    }

    @AfterEach
    void stopEcho() throws Exception {
        echo.close();
        echoThread.join(5_000);
    }

    private FaultProxy proxy() {
        return FaultProxy.start("127.0.0.1", echo.getLocalPort(), 20_000);
    }

    private static Socket connect(FaultProxy p) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(p.host(), p.port()), 2_000);
        s.setSoTimeout(5_000);
        return s;
    }

    /** Reads exactly n bytes; returns how many read calls it took. */
    private static int readFully(InputStream in, byte[] dst) throws IOException {
        int calls = 0;
        for (int off = 0; off < dst.length; calls++) {
            int n = in.read(dst, off, dst.length - off);
            if (n < 0) {
                throw new IOException("end of stream after " + off + " of " + dst.length + " bytes");
            }
            off += n;
        }
        return calls;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() - deadline < 0, "timed out waiting for " + what);
            Thread.sleep(10); // polling a condition owned by other threads, with a deadline
        }
    }

    @Test
    void passForwardsBothWaysIntact() throws Exception {
        try (FaultProxy p = proxy(); Socket s = connect(p)) {
            byte[] sent = new byte[100_000];
            for (int i = 0; i < sent.length; i++) {
                sent[i] = (byte) (i * 31);
            }
            s.getOutputStream().write(sent);
            byte[] got = new byte[sent.length];
            readFully(s.getInputStream(), got);
            assertArrayEquals(sent, got);
            // The proxy counts a chunk after writing it, so the reader can be done before the count is.
            await(() -> p.bytesToBroker() == sent.length, sent.length + " bytes counted to the broker");
            await(() -> p.bytesToClient() == sent.length, sent.length + " bytes counted to the client");
        }
    }

    @Test
    void blackHoleAcceptsBytesForwardsNothingAndKeepsTheConnectionOpen() throws Exception {
        try (FaultProxy p = proxy(); Socket s = connect(p)) {
            p.mode(FaultProxy.Mode.BLACK_HOLE);
            s.getOutputStream().write("lost".getBytes(StandardCharsets.US_ASCII));
            await(() -> p.bytesDiscarded() == 4, "4 bytes discarded");
            s.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read(), "nothing comes back");
            assertEquals(0, p.bytesToBroker());
            assertEquals(1, p.openCount(), "no FIN, no RST: the connection looks alive");
            p.mode(FaultProxy.Mode.PASS);
            s.setSoTimeout(5_000);
            s.getOutputStream().write("back".getBytes(StandardCharsets.US_ASCII));
            byte[] got = new byte[4];
            readFully(s.getInputStream(), got);
            assertEquals("back", new String(got, StandardCharsets.US_ASCII), "switchable at run time");
        }
    }

    @Test
    void oneByteModeDeliversEveryByteInOrderInSeparateWrites() throws Exception {
        try (FaultProxy p = proxy(); Socket s = connect(p)) {
            p.oneBytePauseMicros(2_000).mode(FaultProxy.Mode.ONE_BYTE);
            byte[] sent = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);
            s.getOutputStream().write(sent);
            byte[] got = new byte[sent.length];
            int calls = readFully(s.getInputStream(), got);
            assertArrayEquals(sent, got);
            // One write per byte, counted by the proxy: how many reads the bytes took depends on how busy the machine
            // is (a reader descheduled for 2 ms finds two bytes), so it is printed, not asserted.
            await(() -> p.bytesToClient() == sent.length, sent.length + " bytes counted to the client");
            assertEquals(2L * sent.length, p.writeCount(), "one write per byte, both ways");
            System.out.println("one-byte mode: " + sent.length + " bytes echoed in " + calls + " reads");
        }
    }

    @Test
    void delayHoldsEachChunkBackBothWays() throws IOException {
        try (FaultProxy p = proxy(); Socket s = connect(p)) {
            p.delay(150);
            long start = System.nanoTime();
            s.getOutputStream().write(42);
            assertEquals(42, s.getInputStream().read());
            long roundTripMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(roundTripMillis >= 300, "round trip " + roundTripMillis + " ms through two 150 ms delays");
        }
    }

    @Test
    void cutResetsOpenConnectionsAndNewOnesWork() throws Exception {
        try (FaultProxy p = proxy(); Socket s = connect(p)) {
            s.getOutputStream().write(1);
            assertEquals(1, s.getInputStream().read());
            p.cut();
            IOException e = assertThrows(IOException.class, () -> {
                for (int i = 0; i < 100; i++) { // the RST may need a write to surface
                    s.getOutputStream().write(2);
                    if (s.getInputStream().read() < 0) {
                        throw new IOException("end of stream");
                    }
                }
            });
            assertFalse(e.getMessage().isEmpty());
            await(() -> p.openCount() == 0, "no open connection");
            try (Socket again = connect(p)) {
                again.getOutputStream().write(3);
                assertEquals(3, again.getInputStream().read());
            }
            assertEquals(2, p.acceptedCount());
        }
    }

    @Test
    void theProxyStopsItselfAfterItsLifetime() throws Exception {
        FaultProxy p = FaultProxy.start("127.0.0.1", echo.getLocalPort(), 300);
        int port = p.port();
        await(() -> !p.isRunning(), "proxy stopped");
        assertThrows(IOException.class, () -> new Socket("127.0.0.1", port).close(), "no longer listening");
    }
}
