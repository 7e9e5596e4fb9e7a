package dev.wren.tools.cli;

import dev.wren.mqtt.testing.MosquittoExtension;
import dev.wren.mqtt.testing.TestCertificates;
import dev.wren.tools.ExitCodes;
import dev.wren.tools.testing.BrokerLog;
import dev.wren.tools.testing.InProcessWren;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --cafile}, {@code --cert}, {@code --key}, {@code --insecure} and {@code mqtts://} against mosquitto's TLS
 * listeners: one with the server certificate for localhost, one requiring a client certificate, one presenting a
 * certificate for another host name.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsOptionsTest {

    private static final TestCertificates PKI = TestCertificates.get();

    @RegisterExtension
    static final MosquittoExtension BROKER = MosquittoExtension.builder()
            .configLine(BrokerLog.LOG_SUBSCRIBE)
            .extraListener("tls", PKI.listenerLines(PKI.serverPem, PKI.serverKey))
            .extraListener("mtls", PKI.listenerLines(PKI.serverPem, PKI.serverKey, "require_certificate true"))
            .extraListener("wronghost", PKI.listenerLines(PKI.wrongHostPem, PKI.wrongHostKey))
            .build();

    private static String port(String listener) {
        return Integer.toString(BROKER.port(listener));
    }

    @Test
    void subOverMutualTlsReceivesWhatPubSendsOverMqttsWithCafile() throws Exception {
        CompletableFuture<InProcessWren.Result> sub = InProcessWren.start("sub", "-h", "localhost", "-p",
                port("mtls"), "--cafile", PKI.caPem.toString(), "--cert", PKI.clientEcPem.toString(), "--key",
                PKI.clientEcKey.toString(), "-t", "tls/#", "-v", "-C", "1", "-W", "20", "-i", "tls-sub");
        BrokerLog.awaitSubscribed(BROKER, "tls-sub", "tls/#");
        InProcessWren.Result pub = InProcessWren.run("pub", "-L", "mqtts://localhost:" + port("tls") + "/tls/a",
                "--cafile", PKI.caPem.toString(), "-m", "over TLS", "-q", "1");
        assertEquals(0, pub.exitCode(), pub.toString());
        InProcessWren.Result received = sub.get(30, TimeUnit.SECONDS);
        assertEquals(0, received.exitCode(), received.toString());
        assertEquals("tls/a over TLS\n", received.outText());
    }

    @Test
    void mutualTlsListenerRefusesAClientWithoutCertificate() {
        InProcessWren.Result pub = InProcessWren.run("pub", "-h", "localhost", "-p", port("mtls"), "--cafile",
                PKI.caPem.toString(), "-t", "tls/a", "-m", "x", "--connect-timeout", "5");
        assertEquals(1, pub.exitCode(), pub.toString());
        assertTrue(pub.err().contains("localhost:" + port("mtls")), pub.toString());
    }

    @Test
    void serverCertificateForAnotherHostIsRefusedUnlessInsecure() {
        InProcessWren.Result strict = InProcessWren.run("pub", "-h", "localhost", "-p", port("wronghost"),
                "--cafile", PKI.caPem.toString(), "-t", "tls/a", "-m", "x", "--connect-timeout", "5");
        assertEquals(1, strict.exitCode(), strict.toString());
        assertTrue(strict.err().contains("localhost"), strict.toString());

        InProcessWren.Result insecure = InProcessWren.run("pub", "-h", "localhost", "-p", port("wronghost"),
                "--cafile", PKI.caPem.toString(), "--insecure", "-t", "tls/a", "-m", "x", "--connect-timeout", "5");
        assertEquals(0, insecure.exitCode(), insecure.toString());
        assertTrue(insecure.err().contains("Warning:"), "--insecure is said on standard error:\n" + insecure);
    }

    @Test
    void serverSignedByAnUntrustedCaIsRefusedEvenWithInsecure() {
        InProcessWren.Result pub = InProcessWren.run("pub", "-h", "localhost", "-p", port("tls"), "--cafile",
                PKI.otherCaPem.toString(), "--insecure", "-t", "tls/a", "-m", "x", "--connect-timeout", "5");
        assertEquals(1, pub.exitCode(), pub.toString());
    }

    @Test
    void plainMqttAtTheTlsPortFailsWithinTheConnectTimeout() {
        InProcessWren.Result pub = InProcessWren.run("pub", "-h", "localhost", "-p", port("tls"), "-t", "tls/a",
                "-m", "x", "--connect-timeout", "3");
        assertEquals(1, pub.exitCode(), pub.toString());
        assertTrue(pub.elapsedMillis() < 10_000, pub.toString());
    }

    @Test
    void caFileThatIsNotPemIsNamedInTheError() {
        InProcessWren.Result pub = InProcessWren.run("pub", "-t", "a", "-m", "x", "--cafile", "/etc/hostname");
        assertEquals(1, pub.exitCode(), pub.toString());
        assertTrue(pub.err().contains("TLS") && pub.err().contains("/etc/hostname"), pub.toString());
    }

    @Test
    void certWithoutKeyIsAUsageError() {
        InProcessWren.Result pub = InProcessWren.run("pub", "-t", "a", "-m", "x", "--cert",
                PKI.clientEcPem.toString());
        assertEquals(ExitCodes.USAGE, pub.exitCode(), pub.toString());
        assertTrue(pub.err().contains("--cert and --key go together"), pub.toString());
    }
}
