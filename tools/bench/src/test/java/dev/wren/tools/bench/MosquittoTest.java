package dev.wren.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The bench's own broker launcher (used when no -h/-p is given). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MosquittoTest {

    @Test
    void startedBrokerAcceptsMqttOnItsPortAndIsGoneAfterClose() throws IOException {
        int port;
        try (Mosquitto broker = Mosquitto.start(Mosquitto.defaultExecutable())) {
            port = broker.port();
            Socket s = RawMqtt.connect(broker.host(), port, "launcher-test");   // throws unless CONNACK accepted
            assertTrue(s.isConnected());
            RawMqtt.disconnect(s);
        }
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
    }

    @Test
    void tlsListenerAcceptsAVerifiedTlsClientAndItsCertificatesAreGoneAfterClose() throws IOException {
        java.nio.file.Path ca;
        int tlsPort;
        try (Mosquitto broker = Mosquitto.startWithTls(Mosquitto.defaultExecutable())) {
            tlsPort = broker.tlsPort();
            ca = broker.certificates().caPem;
            assertTrue(tlsPort > 0 && tlsPort != broker.port(), "TLS port " + tlsPort + " beside " + broker.port());
            javax.net.ssl.SSLSocketFactory tls = broker.certificates().sslContext().getSocketFactory();
            Socket s = RawMqtt.connect(broker.host(), tlsPort, "launcher-tls-test", tls);   // handshake, host name, CONNACK
            assertTrue(s instanceof javax.net.ssl.SSLSocket, "a TLS socket: " + s);
            assertTrue(((javax.net.ssl.SSLSocket) s).getSession().getProtocol().matches("TLSv1\\.[23]"),
                    "negotiated " + ((javax.net.ssl.SSLSocket) s).getSession().getProtocol());
            RawMqtt.disconnect(s);
            assertThrows(javax.net.ssl.SSLException.class,
                    () -> RawMqtt.connect(broker.host(), tlsPort, "launcher-tls-untrusted",
                            (javax.net.ssl.SSLSocketFactory) javax.net.ssl.SSLSocketFactory.getDefault()),
                    "the JVM's default trust store does not trust the throwaway CA");
        }
        assertTrue(!java.nio.file.Files.exists(ca), ca + " removed");
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", tlsPort).close());
    }

    @Test
    void missingExecutableIsReportedByNameAndLeavesNoTempDirectory() throws IOException {
        long before = benchTempDirs();
        IOException e = assertThrows(IOException.class, () -> Mosquitto.start("/nonexistent/mosquitto"));
        assertTrue(String.valueOf(e.getMessage()).contains("/nonexistent/mosquitto"), e.getMessage());
        assertEquals(before, benchTempDirs(), "temporary broker directories left behind");
    }

    private static long benchTempDirs() throws IOException {
        try (java.util.stream.Stream<java.nio.file.Path> dirs =
                     java.nio.file.Files.list(java.nio.file.Paths.get(System.getProperty("java.io.tmpdir")))) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("wren-bench-mosquitto")).count();
        }
    }
}
