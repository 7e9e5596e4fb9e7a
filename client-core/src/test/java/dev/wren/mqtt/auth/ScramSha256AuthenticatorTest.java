package dev.wren.mqtt.auth;

import dev.wren.mqtt.MqttException;
import dev.wren.mqtt.MqttException.Reason;
import dev.wren.mqtt.testing.Rfc7677;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static dev.wren.mqtt.testing.Rfc7677.CLIENT_FINAL;
import static dev.wren.mqtt.testing.Rfc7677.CLIENT_FIRST;
import static dev.wren.mqtt.testing.Rfc7677.CLIENT_NONCE;
import static dev.wren.mqtt.testing.Rfc7677.PASSWORD;
import static dev.wren.mqtt.testing.Rfc7677.SERVER_FINAL;
import static dev.wren.mqtt.testing.Rfc7677.SERVER_FIRST;
import static dev.wren.mqtt.testing.Rfc7677.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SCRAM-SHA-256 against the exchange published in RFC 7677 §3 ({@link Rfc7677}), and the server messages a client
 * must refuse.
 */
class ScramSha256AuthenticatorTest {

    /** The RFC 7677 client, its client-first-message sent. */
    static ScramSha256Authenticator rfcClientStarted() throws MqttException {
        ScramSha256Authenticator a = new ScramSha256Authenticator(USER, PASSWORD.toCharArray(), Rfc7677.nonceSource());
        byte[] out = new byte[a.maxDataBytes()];
        assertEquals(CLIENT_FIRST, text(out, a.initialData(out, 0, out.length)));
        return a;
    }

    private final byte[] out = new byte[512];

    private static String text(byte[] b, int n) {
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private int respond(Authenticator a, String serverFirst) throws MqttException {
        byte[] in = bytes("xx" + serverFirst); // at an offset, as in a receive buffer
        return a.respond(in, 2, in.length - 2, out, 3, out.length - 3);
    }

    @Test
    void rfc7677ExchangeGivesThePublishedClientFinalMessageAndAcceptsThePublishedServerSignature() throws Exception {
        ScramSha256Authenticator a = rfcClientStarted();
        assertEquals("SCRAM-SHA-256", a.method());
        int n = respond(a, SERVER_FIRST);
        assertEquals(CLIENT_FINAL, new String(out, 3, n, StandardCharsets.UTF_8));
        byte[] last = bytes(SERVER_FINAL);
        a.verify(last, 0, last.length); // returns: the server knows the password
    }

    @Test
    void aTamperedServerSignatureIsRefused() throws Exception {
        ScramSha256Authenticator a = rfcClientStarted();
        respond(a, SERVER_FIRST);
        byte[] tampered = bytes(SERVER_FINAL.replace("v=6", "v=7"));
        MqttException e = assertThrows(MqttException.class, () -> a.verify(tampered, 0, tampered.length));
        assertEquals(Reason.AUTHENTICATION_FAILED, e.reason());
        assertTrue(e.getMessage().contains("expected server signature"), e.getMessage());
    }

    @Test
    void aServerErrorOrNoServerFinalMessageIsRefused() throws Exception {
        ScramSha256Authenticator a = rfcClientStarted();
        respond(a, SERVER_FIRST);
        byte[] error = bytes("e=invalid-proof");
        assertEquals(Reason.AUTHENTICATION_FAILED,
                assertThrows(MqttException.class, () -> a.verify(error, 0, error.length)).reason());
        ScramSha256Authenticator b = rfcClientStarted();
        respond(b, SERVER_FIRST);
        assertEquals(Reason.AUTHENTICATION_FAILED, assertThrows(MqttException.class, () -> b.verify(out, 0, 0)).reason());
    }

    @Test
    void aServerThatAcceptsBeforeTheClientProofIsRefused() throws Exception {
        ScramSha256Authenticator a = rfcClientStarted();
        byte[] last = bytes(SERVER_FINAL);
        MqttException e = assertThrows(MqttException.class, () -> a.verify(last, 0, last.length));
        assertTrue(e.getMessage().contains("before the client-final-message"), e.getMessage());
    }

    @Test
    void aServerNonceThatDoesNotExtendTheClientNonceIsRefused() throws Exception {
        MqttException e = assertThrows(MqttException.class,
                () -> respond(rfcClientStarted(), SERVER_FIRST.replace("r=rOpr", "r=xOpr")));
        assertEquals(Reason.AUTHENTICATION_FAILED, e.reason());
        assertTrue(e.getMessage().contains("does not extend the client nonce \"" + CLIENT_NONCE + "\""), e.getMessage());
        MqttException same = assertThrows(MqttException.class, () -> respond(rfcClientStarted(),
                "r=" + CLIENT_NONCE + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"));
        assertTrue(same.getMessage().contains("does not extend"), same.getMessage());
    }

    @Test
    void anIterationCountBelow4096OrUnreadableIsRefused() throws Exception {
        MqttException low = assertThrows(MqttException.class,
                () -> respond(rfcClientStarted(), SERVER_FIRST.replace("i=4096", "i=4095")));
        assertTrue(low.getMessage().contains("iteration count 4095 not in 4096..1000000"), low.getMessage());
        MqttException bad = assertThrows(MqttException.class,
                () -> respond(rfcClientStarted(), SERVER_FIRST.replace("i=4096", "i=lots")));
        assertTrue(bad.getMessage().contains("unreadable"), bad.getMessage());
        MqttException mandatory = assertThrows(MqttException.class,
                () -> respond(rfcClientStarted(), "m=ext," + SERVER_FIRST));
        assertTrue(mandatory.getMessage().contains("is not r=<nonce>,s=<salt>,i=<count>"), mandatory.getMessage());
        MqttException shortMessage = assertThrows(MqttException.class, () -> respond(rfcClientStarted(), "r=x"));
        assertTrue(shortMessage.getMessage().contains("\"r=x\" is not r=<nonce>"), shortMessage.getMessage());
    }

    @Test
    void aSecondServerFirstMessageIsRefused() throws Exception {
        ScramSha256Authenticator a = rfcClientStarted();
        respond(a, SERVER_FIRST);
        MqttException e = assertThrows(MqttException.class, () -> respond(a, SERVER_FIRST));
        assertTrue(e.getMessage().contains("after the client-final-message"), e.getMessage());
    }

    @Test
    void userNameCommaAndEqualsAreEscapedAndEachExchangeHasAFreshNonce() throws Exception {
        ScramSha256Authenticator a = new ScramSha256Authenticator("a=b,c", "p".toCharArray());
        String first = text(out, a.initialData(out, 0, out.length));
        assertTrue(first.startsWith("n,,n=a=3Db=2Cc,r="), first);
        assertEquals(20, first.length() - "n,,n=a=3Db=2Cc,r=".length());
        assertTrue(!first.equals(text(out, a.initialData(out, 0, out.length))), "a second exchange, a second nonce");
    }
}
