package dev.wren.mqtt.tls;

import dev.wren.mqtt.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Configuration-time errors: every file problem surfaces from {@link TlsTransportFactory#create}, naming the file. */
@Timeout(60)
class TlsConfigTest {

    private static final TestCertificates PKI = TestCertificates.get();
    private static final char[] P12_PASSWORD = TestCertificates.CLIENT_P12_PASSWORD.toCharArray();
    private static final char[] TRUST_PASSWORD = TestCertificates.TRUST_STORE_PASSWORD.toCharArray();

    @TempDir
    Path tmp;

    private static String createFails(TlsConfig config) {
        return assertThrows(IOException.class, () -> TlsTransportFactory.create(config)).getMessage();
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "expected \"" + part + "\" in: " + message);
        }
    }

    private Path write(String name, String content) throws IOException {
        return Files.write(tmp.resolve(name), content.getBytes(StandardCharsets.US_ASCII));
    }

    private static String pemBlock(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END " + label + "-----\n";
    }

    // ---- CA file ----

    @Test
    void missingCaFileIsNamed() {
        Path missing = tmp.resolve("no-such-ca.pem");
        IOException e = assertThrows(FileNotFoundException.class,
                () -> TlsTransportFactory.create(TlsConfig.builder().trustPemFile(missing).build()));
        assertEquals("CA file " + missing + " not found", e.getMessage());
    }

    @Test
    void caPathThatCannotBeReadAsAFileIsNamed() {
        assertContains(createFails(TlsConfig.builder().trustPemFile(tmp).build()),
                "CA file " + tmp + " cannot be read: it is a directory");
    }

    @Test
    void caFileThatIsNotPemIsNamed() throws IOException {
        Path text = write("notes.txt", "this is not a certificate\n");
        assertContains(createFails(TlsConfig.builder().trustPemFile(text).build()),
                "CA file " + text + " holds no PEM certificate", "-----BEGIN CERTIFICATE-----");
        Path empty = write("empty.pem", "");
        assertContains(createFails(TlsConfig.builder().trustPemFile(empty).build()), empty.toString(), "the file is empty");
    }

    @Test
    void derCaFileGetsTheConversionCommand() throws IOException {
        X509Certificate ca = TlsTransportFactory.readCertificates(PKI.caPem, "CA file").get(0);
        Path der = Files.write(tmp.resolve("ca.der"), encoded(ca));
        assertContains(createFails(TlsConfig.builder().trustPemFile(der).build()), der.toString(), "binary DER",
                "openssl x509 -inform der");
    }

    @Test
    void caFileHoldingOnlyAKeySaysWhatItHolds() {
        assertContains(createFails(TlsConfig.builder().trustPemFile(PKI.serverKey).build()),
                "CA file " + PKI.serverKey + " holds no PEM certificate", "it holds 'PRIVATE KEY'");
    }

    @Test
    void damagedCertificateIsNumberedInItsFile() throws IOException {
        String good = new String(Files.readAllBytes(PKI.caPem), StandardCharsets.US_ASCII);
        Path bad = write("bad.pem", good + "-----BEGIN CERTIFICATE-----\n!!not base64!!\n-----END CERTIFICATE-----\n");
        assertContains(createFails(TlsConfig.builder().trustPemFile(bad).build()), "CA file " + bad, "certificate #2",
                "not valid base64");
        Path junk = write("junk.pem", pemBlock("CERTIFICATE", new byte[] {0x30, 0x03, 0x02, 0x01, 0x00}));
        assertContains(createFails(TlsConfig.builder().trustPemFile(junk).build()), "certificate #1 cannot be parsed");
    }

    @Test
    void pemWithTextAroundAndCrlfLineEndsIsRead() throws IOException {
        String both = new String(Files.readAllBytes(PKI.bothCasPem), StandardCharsets.US_ASCII);
        Path dressed = write("dressed.pem", "Certificate:\n    Data: (openssl x509 -text)\n" + both.replace("\n", "\r\n"));
        List<X509Certificate> cas = TlsTransportFactory.readCertificates(dressed, "CA file");
        assertEquals(2, cas.size());
        assertEquals("CN=Unrelated CA", cas.get(0).getSubjectX500Principal().getName());
        assertEquals("CN=Wren Test CA", cas.get(1).getSubjectX500Principal().getName());
    }

    // ---- trust store ----

    @Test
    void trustStoreProblemsNameTheFile() throws IOException {
        assertContains(createFails(TlsConfig.builder().trustStore(PKI.trustP12, "wrong".toCharArray()).build()),
                "trust store " + PKI.trustP12 + " (PKCS12) cannot be opened: wrong password");
        assertContains(createFails(TlsConfig.builder().trustStore(PKI.caPem, TRUST_PASSWORD).build()),
                "trust store " + PKI.caPem + " is neither a Java KeyStore nor a PKCS#12 file", "looks like PEM");
        assertContains(createFails(TlsConfig.builder().trustStore(PKI.clientP12, P12_PASSWORD).build()),
                "trust store " + PKI.clientP12 + " holds no trusted certificate entry");
        Path missing = tmp.resolve("missing.jks");
        assertContains(createFails(TlsConfig.builder().trustStore(missing, TRUST_PASSWORD).build()),
                "trust store " + missing + " not found");
    }

    // ---- client certificate and key ----

    @Test
    void keyOfAnotherPairIsRefusedNamingBothFiles() {
        // Both EC P-256: only the signature probe can tell.
        assertContains(createFails(TlsConfig.builder().clientCertificatePem(PKI.clientEcPem, PKI.serverKey).build()),
                "private key in client key file " + PKI.serverKey, "does not match the certificate CN=wren-client-ec",
                "client certificate file " + PKI.clientEcPem);
        assertContains(createFails(TlsConfig.builder().clientCertificatePem(PKI.clientRsaPem, PKI.clientEcKey).build()),
                "EC key in client key file " + PKI.clientEcKey, "does not match the certificate CN=wren-client-rsa",
                PKI.clientRsaPem.toString(), "RSA public key");
    }

    @Test
    void keyFormatsOtherThanUnencryptedPkcs8GetTheOpensslCommand() throws IOException {
        Path pkcs1 = write("pkcs1.key", pemBlock("RSA PRIVATE KEY", new byte[] {1, 2, 3}));
        assertContains(createFails(TlsConfig.builder().clientCertificatePem(PKI.clientRsaPem, pkcs1).build()),
                "client key file " + pkcs1, "'RSA PRIVATE KEY'", "openssl pkcs8 -topk8 -nocrypt -in " + pkcs1);
        Path sec1 = write("sec1.key", pemBlock("EC PRIVATE KEY", new byte[] {1, 2, 3}));
        assertContains(createFails(TlsConfig.builder().clientCertificatePem(PKI.clientEcPem, sec1).build()),
                "'EC PRIVATE KEY'", "openssl pkcs8 -topk8");
        Path encrypted = write("enc.key", pemBlock("ENCRYPTED PRIVATE KEY", new byte[] {1, 2, 3}));
        assertContains(createFails(TlsConfig.builder().clientCertificatePem(PKI.clientEcPem, encrypted).build()),
                "client key file " + encrypted + " holds an encrypted key");
        assertContains(createFails(TlsConfig.builder().clientCertificatePem(PKI.clientEcPem, PKI.clientEcPem).build()),
                "client key file " + PKI.clientEcPem + " holds no PEM private key", "'CERTIFICATE'");
    }

    @Test
    void clientKeyStoreProblemsNameTheFile() {
        assertContains(createFails(TlsConfig.builder().clientKeyStore(PKI.clientP12, "wrong".toCharArray()).build()),
                "client key store " + PKI.clientP12, "wrong password");
        assertContains(createFails(TlsConfig.builder().clientKeyStore(PKI.trustJks, TRUST_PASSWORD).build()),
                "client key store " + PKI.trustJks + " must hold exactly one private key entry; it holds 0");
    }

    @Test
    void pemAndPkcs12ClientIdentitiesLoad() throws IOException {
        for (TlsConfig config : new TlsConfig[] {
                TlsConfig.builder().clientCertificatePem(PKI.clientRsaPem, PKI.clientRsaKey).build(),
                TlsConfig.builder().clientCertificatePem(PKI.clientEcPem, PKI.clientEcKey).build(),
                TlsConfig.builder().clientKeyStore(PKI.clientP12, P12_PASSWORD).build()}) {
            assertTrue(TlsTransportFactory.create(config).config().hasClientCertificate(), config.toString());
        }
        assertEquals("EC", TlsTransportFactory.readPrivateKey(PKI.clientEcKey, "k").getAlgorithm());
        assertEquals("RSA", TlsTransportFactory.readPrivateKey(PKI.clientRsaKey, "k").getAlgorithm());
    }

    // ---- options ----

    @Test
    void onlyTls12And13AreAccepted() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TlsConfig.builder().protocols("TLSv1.3", "TLSv1.1"));
        assertEquals("protocol \"TLSv1.1\" is not one of TLSv1.3, TLSv1.2", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TlsConfig.builder().protocols());
    }

    @Test
    void defaultsVerifyEverythingOverTls13And12() {
        TlsConfig config = TlsConfig.builder().build();
        assertEquals(TlsConfig.TrustSource.JVM_DEFAULT, config.trustSource());
        assertFalse(config.insecureSkipHostnameVerification());
        assertFalse(config.insecureTrustAnyServerCertificate());
        assertFalse(config.hasClientCertificate());
        assertEquals("[TLSv1.3, TLSv1.2]", java.util.Arrays.toString(config.protocols()));
        assertTrue(TlsConfig.builder().insecureTrustAnyServerCertificate().build().insecureSkipHostnameVerification(),
                "trusting any certificate also skips its names");
    }

    // ---- credentials never leak ----

    @Test
    void passwordsAndKeyMaterialNeverAppearInToStringOrErrors() throws IOException {
        List<String> texts = new ArrayList<>();
        TlsConfig full = TlsConfig.builder().trustStore(PKI.trustP12, TRUST_PASSWORD)
                .clientKeyStore(PKI.clientP12, P12_PASSWORD).insecureSkipHostnameVerification().build();
        texts.add(full.toString());
        texts.add(TlsTransportFactory.create(full).toString());
        assertContains(full.toString(), PKI.trustP12.toString(), PKI.clientP12.toString(), "INSECURE");
        // Wrong passwords that contain the real ones, so that echoing either would show.
        char[] wrongP12 = (TestCertificates.CLIENT_P12_PASSWORD + "x").toCharArray();
        char[] wrongTrust = (TestCertificates.TRUST_STORE_PASSWORD + "x").toCharArray();
        texts.addAll(messages(createFailure(TlsConfig.builder().clientKeyStore(PKI.clientP12, wrongP12).build())));
        texts.addAll(messages(createFailure(TlsConfig.builder().trustStore(PKI.trustP12, wrongTrust).build())));
        texts.addAll(messages(createFailure(TlsConfig.builder().trustStore(PKI.trustJks, wrongTrust).build())));
        // A damaged key whose bytes carry a marker: neither the base64 text nor the bytes may be echoed.
        byte[] secret = "SECRET-KEY-MATERIAL-5b1e".getBytes(StandardCharsets.US_ASCII);
        String block = pemBlock("PRIVATE KEY", secret);
        Path damaged = write("damaged.key", block);
        texts.addAll(messages(createFailure(TlsConfig.builder().clientCertificatePem(PKI.clientEcPem, damaged).build())));
        String base64 = Base64.getEncoder().encodeToString(secret);
        for (String text : texts) {
            assertFalse(text.contains(TestCertificates.CLIENT_P12_PASSWORD), text);
            assertFalse(text.contains(TestCertificates.TRUST_STORE_PASSWORD), text);
            assertFalse(text.contains("SECRET-KEY-MATERIAL"), text);
            assertFalse(text.contains(base64.substring(0, 16)), text);
        }
        assertContains(texts.get(texts.size() - 1), "client key file " + damaged, "neither an RSA nor an EC");
    }

    private static IOException createFailure(TlsConfig config) {
        return assertThrows(IOException.class, () -> TlsTransportFactory.create(config));
    }

    /** The message and toString of the exception and every cause. */
    private static List<String> messages(Throwable t) {
        List<String> all = new ArrayList<>();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.add(String.valueOf(c.getMessage()));
            all.add(c.toString());
        }
        return all;
    }

    private static byte[] encoded(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new AssertionError(e);
        }
    }
}
