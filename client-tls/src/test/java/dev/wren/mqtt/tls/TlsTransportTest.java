package dev.wren.mqtt.tls;

import dev.wren.mqtt.transport.TcpTransportFactory;
import dev.wren.mqtt.transport.Transport;
import dev.wren.mqtt.codec.ConnectEncoder;
import dev.wren.mqtt.codec.ConnectFields;
import dev.wren.mqtt.codec.EmptyPacketEncoder;
import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.codec.PublishEncoder;
import dev.wren.mqtt.codec.SubscribeEncoder;
import dev.wren.mqtt.testing.Bytes;
import dev.wren.mqtt.testing.MosquittoExtension;
import dev.wren.mqtt.testing.TcpRelay;
import dev.wren.mqtt.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The TLS transport against a real mosquitto with one TLS listener per case, certificates from
 * {@link TestCertificates}; MQTT is spoken raw with the codec (CONNECT, CONNACK) so only the transport is tested.
 */
@Timeout(60)
class TlsTransportTest {

    private static final TestCertificates PKI = TestCertificates.get();
    private static final byte[] CONNACK_ACCEPTED = Bytes.hex("20 02 00 00");
    private static final int TIMEOUT_MILLIS = 5000;

    @RegisterExtension
    static final MosquittoExtension broker = MosquittoExtension.builder()
            .extraListener("tls", PKI.listenerLines(PKI.serverPem, PKI.serverKey))
            .extraListener("mtls", PKI.listenerLines(PKI.serverPem, PKI.serverKey, "require_certificate true"))
            .extraListener("tls13", PKI.listenerLines(PKI.serverPem, PKI.serverKey, "tls_version tlsv1.3"))
            .extraListener("wrong-host", PKI.listenerLines(PKI.wrongHostPem, PKI.wrongHostKey))
            .extraListener("expired", PKI.listenerLines(PKI.expiredPem, PKI.expiredKey))
            .extraListener("other-ca", PKI.listenerLines(PKI.otherServerPem, PKI.otherServerKey))
            .build();

    static TlsConfig.Builder trustTestCa() {
        return TlsConfig.builder().trustPemFile(PKI.caPem);
    }

    static TlsTransport open(TlsConfig config, String host, String listener) throws IOException {
        return (TlsTransport) TlsTransportFactory.create(config).open(host, broker.port(listener), TIMEOUT_MILLIS);
    }

    /** Sends CONNECT (clean session, keep-alive 0, client id {@code clientId}) and returns the 4 bytes that answer it. */
    static byte[] connack(Transport t, String clientId) throws IOException {
        byte[] connect = connectPacket(clientId);
        t.write(connect, 0, connect.length);
        return readFully(t, 4);
    }

    static byte[] readFully(Transport t, int count) throws IOException {
        byte[] buf = new byte[count];
        int n = 0;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
        while (n < count) {
            int r = t.read(buf, n, count - n, 100);
            if (r < 0) {
                throw new IOException("end of stream after " + n + " of " + count + " bytes");
            }
            n += r;
            assertTrue(System.nanoTime() - deadline < 0, "no " + count + " bytes within " + TIMEOUT_MILLIS + " ms");
        }
        return buf;
    }

    private static String failure(TlsConfig config, String host, String listener) {
        return assertThrows(IOException.class, () -> {
            try (Transport t = open(config, host, listener)) {
                connack(t, "should-fail");
            }
        }).getMessage();
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "expected \"" + part + "\" in: " + message);
        }
    }

    // ---- server authentication only ----

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "127.0.0.1"})
    void verifiedServerOverTls13AcceptsConnect(String host) throws IOException {
        try (TlsTransport t = open(trustTestCa().build(), host, "tls")) {
            assertEquals("TLSv1.3", t.protocol());
            assertArrayEquals(CONNACK_ACCEPTED, connack(t, "tls13-" + host));
        }
    }

    @Test
    void tls12OnlyConfigurationNegotiatesTls12() throws IOException {
        try (TlsTransport t = open(trustTestCa().protocols(TlsConfig.TLS_1_2).build(), "localhost", "tls")) {
            assertEquals("TLSv1.2", t.protocol());
            assertArrayEquals(CONNACK_ACCEPTED, connack(t, "tls12"));
        }
    }

    @Test
    void readReturnsZeroOnTimeoutAndMinusOneAtEndOfStream() throws IOException {
        try (TlsTransport t = open(trustTestCa().build(), "localhost", "tls")) {
            assertArrayEquals(CONNACK_ACCEPTED, connack(t, "eof"));
            byte[] buf = new byte[16];
            assertEquals(0, t.read(buf, 0, buf.length, 0), "nothing arrived, no wait");
            long start = System.nanoTime();
            assertEquals(0, t.read(buf, 0, buf.length, 200), "nothing arrived within 200 ms");
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(190), "read returned before its timeout");
            byte[] ping = new byte[2];
            EmptyPacketEncoder.encode(ping, 0, PacketType.PINGREQ);
            t.write(ping, 0, 2);
            long pingDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
            int got = 0;
            while (got < 2 && System.nanoTime() - pingDeadline < 0) {
                got += t.read(buf, got, 2 - got, 0); // never waits: the record is picked up once it is on the wire
            }
            assertArrayEquals(Bytes.hex("d0 00"), Arrays.copyOf(buf, 2), "PINGRESP read with timeout 0");
            byte[] disconnect = new byte[2];
            EmptyPacketEncoder.encode(disconnect, 0, PacketType.DISCONNECT);
            t.write(disconnect, 0, 2); // MQTT 3.1.1 §3.14.4: the server closes the connection
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
            int r;
            do {
                r = t.read(buf, 0, buf.length, 100);
                assertTrue(r <= 0, "no data expected after DISCONNECT, got " + r + " bytes");
            } while (r == 0 && System.nanoTime() - deadline < 0);
            assertEquals(-1, r, "end of stream once the broker closed the connection");
        }
    }

    @Test
    void closedTransportRefusesReadAndWrite() throws IOException {
        TlsTransport t = open(trustTestCa().build(), "localhost", "tls");
        t.close();
        t.close();
        assertContains(assertThrows(IOException.class, () -> t.read(new byte[1], 0, 1, 0)).getMessage(), "closed");
        assertContains(assertThrows(IOException.class, () -> t.write(new byte[1], 0, 1)).getMessage(), "closed");
    }

    @Test
    void trustComesFromJksPkcs12OrSeveralPemCertificates() throws IOException {
        char[] password = TestCertificates.TRUST_STORE_PASSWORD.toCharArray();
        List<TlsConfig> configs = Arrays.asList(
                TlsConfig.builder().trustStore(PKI.trustJks, password).build(),
                TlsConfig.builder().trustStore(PKI.trustP12, password).build(),
                TlsConfig.builder().trustStore(PKI.trustJks, null).build(),
                TlsConfig.builder().trustPemFile(PKI.bothCasPem).build());
        for (TlsConfig config : configs) {
            try (Transport t = open(config, "localhost", "tls")) {
                assertArrayEquals(CONNACK_ACCEPTED, connack(t, "trust"), config.toString());
            }
        }
    }

    /** A JDK TLS server on loopback presenting the test server certificate. */
    private static SSLServerSocket jdkTlsServer() throws Exception {
        KeyStore serverIdentity = KeyStore.getInstance("PKCS12");
        serverIdentity.load(null, null);
        char[] none = new char[0];
        serverIdentity.setKeyEntry("server", TlsTransportFactory.readPrivateKey(PKI.serverKey, "server key"), none,
                TlsTransportFactory.readCertificates(PKI.serverPem, "server certificate").toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(serverIdentity, none);
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
        return (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 2, InetAddress.getLoopbackAddress());
    }

    @Test
    void sniCarriesTheHostNameButNeverAnIpAddress() throws Exception {
        TlsTransportFactory factory = TlsTransportFactory.create(trustTestCa().build());
        try (SSLServerSocket server = jdkTlsServer()) {
            for (String host : new String[] {"localhost", "127.0.0.1"}) {
                CompletableFuture<List<SNIServerName>> requested = CompletableFuture.supplyAsync(() -> {
                    try (SSLSocket accepted = (SSLSocket) server.accept()) {
                        accepted.setSoTimeout(TIMEOUT_MILLIS);
                        accepted.startHandshake();
                        accepted.setSoTimeout(1); // close() would otherwise wait that long for the client's close_notify
                        return ((ExtendedSSLSession) accepted.getSession()).getRequestedServerNames();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                try (Transport t = factory.open(host, server.getLocalPort(), TIMEOUT_MILLIS)) {
                    List<SNIServerName> names = requested.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                    if (host.equals("localhost")) {
                        assertEquals(Collections.singletonList(new SNIHostName("localhost")), names);
                    } else {
                        assertEquals(Collections.emptyList(), names, "RFC 6066 §3: no IP literal in SNI");
                    }
                }
            }
        }
    }

    /**
     * A link that delivers the broker's bytes 7 at a time, 2 ms apart, read with a 1 ms timeout: most reads
     * time out in the middle of a TLS record; JSSE must keep the partial record so no byte is lost or reordered.
     */
    @Test
    void readTimeoutsInTheMiddleOfTlsRecordsLoseNoBytes() throws Exception {
        try (TcpRelay link = new TcpRelay(broker.port("tls"));
             TlsTransport t = (TlsTransport) TlsTransportFactory.create(trustTestCa().build())
                     .open("127.0.0.1", link.port(), TIMEOUT_MILLIS)) {
            link.slow = true;
            byte[] connect = connectPacket("slow-link");
            t.write(connect, 0, connect.length);
            int[] timeouts = new int[1];
            assertArrayEquals(CONNACK_ACCEPTED, readSlowly(t, 4, timeouts));
            CharSequence[] filters = {"wren/slow"};
            byte[] subscribe = new byte[SubscribeEncoder.length(filters, 1)];
            SubscribeEncoder.encode(subscribe, 0, 1, filters, new int[] {0}, 1);
            t.write(subscribe, 0, subscribe.length);
            assertArrayEquals(Bytes.hex("90 03 00 01 00"), readSlowly(t, 5, timeouts), "SUBACK granting QoS 0");
            byte[] payload = new byte[3000];
            new Random(6).nextBytes(payload);
            byte[] publish = new byte[PublishEncoder.length(filters[0].length(), 0, payload.length)];
            PublishEncoder.encode(publish, 0, filters[0], 0, false, false, 0, payload, 0, payload.length);
            t.write(publish, 0, publish.length);
            assertArrayEquals(publish, readSlowly(t, publish.length, timeouts), "the PUBLISH back, byte for byte");
            assertTrue(timeouts[0] > 50, "reads timed out mid-record only " + timeouts[0] + " times: link not slow enough");
        }
    }

    private static byte[] connectPacket(String clientId) {
        ConnectFields f = new ConnectFields().clear();
        f.clientId = clientId;
        byte[] connect = new byte[ConnectEncoder.length(f)];
        ConnectEncoder.encode(connect, 0, f);
        return connect;
    }

    private static byte[] readSlowly(Transport t, int count, int[] timeouts) throws IOException {
        byte[] buf = new byte[count];
        int n = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (n < count) {
            int r = t.read(buf, n, count - n, 1);
            assertTrue(r >= 0, "end of stream after " + n + " of " + count + " bytes");
            if (r == 0) {
                timeouts[0]++;
            }
            n += r;
            assertTrue(System.nanoTime() - deadline < 0, "only " + n + " of " + count + " bytes within 20 s");
        }
        return buf;
    }

    // ---- mutual TLS ----

    @ParameterizedTest
    @ValueSource(strings = {TlsConfig.TLS_1_3, TlsConfig.TLS_1_2})
    void mutualTlsWithPemRsaEcAndPkcs12ClientCertificates(String protocol) throws IOException {
        List<TlsConfig> configs = Arrays.asList(
                trustTestCa().protocols(protocol).clientCertificatePem(PKI.clientRsaPem, PKI.clientRsaKey).build(),
                trustTestCa().protocols(protocol).clientCertificatePem(PKI.clientEcPem, PKI.clientEcKey).build(),
                trustTestCa().protocols(protocol)
                        .clientKeyStore(PKI.clientP12, TestCertificates.CLIENT_P12_PASSWORD.toCharArray()).build());
        for (TlsConfig config : configs) {
            try (TlsTransport t = open(config, "localhost", "mtls")) {
                assertEquals(protocol, t.protocol());
                assertArrayEquals(CONNACK_ACCEPTED, connack(t, "mtls"), config.toString());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {TlsConfig.TLS_1_3, TlsConfig.TLS_1_2})
    void brokerRequiringAClientCertificateWhenNoneIsGivenSaysSo(String protocol) {
        int port = broker.port("mtls");
        assertContains(failure(trustTestCa().protocols(protocol).build(), "localhost", "mtls"),
                "server localhost:" + port + " requires a client certificate and none is configured");
    }

    @Test
    void clientCertificateFromAnotherCaIsReportedAsRefused() {
        String message = failure(trustTestCa().clientCertificatePem(PKI.otherClientPem, PKI.otherClientKey).build(),
                "localhost", "mtls");
        assertContains(message, "refused client certificate CN=stranger", PKI.otherClientPem.toString());
    }

    // ---- server identity failures ----

    @Test
    void serverCertificateFromAnotherCaNamesSubjectIssuerAndTrustedFile() {
        assertContains(failure(trustTestCa().build(), "localhost", "other-ca"),
                "server localhost", "'CN=localhost' issued by CN=Unrelated CA", "not signed by a trusted",
                "CA file " + PKI.caPem, "CN=Wren Test CA");
    }

    @Test
    void jvmDefaultTrustRejectsTheTestCa() {
        assertContains(failure(TlsConfig.builder().build(), "localhost", "tls"),
                "issued by CN=Wren Test CA", "not signed by a trusted", "JVM default trust store");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "127.0.0.1"})
    void certificateForAnotherHostNamesBothNames(String host) {
        assertContains(failure(trustTestCa().build(), host, "wrong-host"),
                "'CN=wrong.example.com'", "DNS:wrong.example.com", "does not match host " + host);
    }

    @Test
    void expiredServerCertificateNamesTheExpiryDate() {
        assertContains(failure(trustTestCa().build(), "localhost", "expired"),
                "server localhost", "'CN=localhost'", "expired on 2020-01-02T00:00:00Z");
    }

    @Test
    void tls12OnlyClientAgainstTls13OnlyBrokerNamesTheOfferedVersions() {
        assertContains(failure(trustTestCa().protocols(TlsConfig.TLS_1_2).build(), "localhost", "tls13"),
                "localhost:" + broker.port("tls13"), "none of the offered versions [TLSv1.2]");
    }

    // ---- insecure options ----

    @Test
    void skippingHostnameVerificationConnectsAndWarnsOnEveryConnection() throws IOException {
        List<String> warnings = new ArrayList<>();
        TlsTransportFactory factory = TlsTransportFactory.create(
                trustTestCa().insecureSkipHostnameVerification().warningSink(warnings::add).build());
        for (int i = 1; i <= 2; i++) {
            try (Transport t = factory.open("localhost", broker.port("wrong-host"), TIMEOUT_MILLIS)) {
                assertArrayEquals(CONNACK_ACCEPTED, connack(t, "insecure-host"));
            }
            assertEquals(i, warnings.size(), "one warning per connection: " + warnings);
            assertContains(warnings.get(i - 1), "localhost:" + broker.port("wrong-host"), "NO host name verification");
        }
        // The chain is still checked.
        assertContains(assertThrows(IOException.class,
                () -> factory.open("localhost", broker.port("other-ca"), TIMEOUT_MILLIS)).getMessage(), "not signed by a trusted");
    }

    @Test
    void trustingAnyCertificateConnectsToAnUnrelatedCaAndWarnsOnEveryConnection() throws IOException {
        List<String> warnings = new ArrayList<>();
        TlsTransportFactory factory = TlsTransportFactory.create(
                TlsConfig.builder().insecureTrustAnyServerCertificate().warningSink(warnings::add).build());
        for (String listener : new String[] {"other-ca", "expired", "wrong-host"}) {
            try (Transport t = factory.open("localhost", broker.port(listener), TIMEOUT_MILLIS)) {
                assertArrayEquals(CONNACK_ACCEPTED, connack(t, "insecure-any"));
            }
        }
        assertEquals(3, warnings.size(), warnings.toString());
        assertContains(warnings.get(0), "NO server certificate verification");
    }

    // ---- the wrong kind of port ----

    @Test
    void tlsToAPlainMqttListenerSaysItIsNotTls() {
        IOException e = assertThrows(IOException.class,
                () -> TlsTransportFactory.create(trustTestCa().build()).open("localhost", broker.port(), TIMEOUT_MILLIS));
        assertContains(e.getMessage(), "localhost:" + broker.port(), "plain MQTT port");
    }

    @Test
    void tlsHandshakeWithASilentServerTimesOutNamingTheServer() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();
            SocketTimeoutException e = assertThrows(SocketTimeoutException.class,
                    () -> TlsTransportFactory.create(trustTestCa().build()).open("127.0.0.1", silent.getLocalPort(), 300));
            // 300 ms, and the first TLS context of the JVM (seconds on a busy machine); not a minute of waiting.
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15), "bounded by the timeout");
            assertContains(e.getMessage(), "127.0.0.1:" + silent.getLocalPort(), "300 ms");
        }
    }

    /**
     * The reverse mistake at the transport level: plain TCP to a TLS listener. The broker reads CONNECT as a
     * broken TLS record and drops the connection: no CONNACK ever comes, only a TLS alert record, the end of
     * the stream or a reset.
     */
    @Test
    void plainTcpToATlsListenerGetsNoConnack() throws IOException {
        try (Transport t = TcpTransportFactory.INSTANCE.open("127.0.0.1", broker.port("tls"), TIMEOUT_MILLIS)) {
            byte[] connect = connectPacket("plain-to-tls");
            t.write(connect, 0, connect.length);
            byte[] answer = new byte[64];
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
            int n;
            try {
                do {
                    n = t.read(answer, 0, answer.length, 100);
                } while (n == 0 && System.nanoTime() - deadline < 0);
            } catch (SocketException reset) {
                assertContains(reset.getMessage(), "reset");
                return;
            }
            assertTrue(n != 0, "the broker neither answered nor closed within " + TIMEOUT_MILLIS + " ms");
            if (n > 0) {
                assertEquals(0x15, answer[0], "only a TLS alert record (RFC 8446 §5.1 content type 21) may come, got "
                        + Bytes.toHex(answer, 0, n));
            }
        }
    }
}
