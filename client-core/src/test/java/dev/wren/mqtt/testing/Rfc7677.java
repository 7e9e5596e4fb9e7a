package dev.wren.mqtt.testing;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * The SCRAM-SHA-256 exchange published in RFC 7677 §3 (user "user", password "pencil"): the messages each side
 * sends, and a random source that makes a client pick the RFC's client nonce.
 */
public final class Rfc7677 {

    private Rfc7677() {
    }

    public static final String USER = "user";
    public static final String PASSWORD = "pencil";
    public static final String CLIENT_NONCE = "rOprNGfwEbeRWgbNEkqO";
    public static final String CLIENT_FIRST = "n,,n=user,r=" + CLIENT_NONCE;
    public static final String SERVER_NONCE = CLIENT_NONCE + "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    public static final String SERVER_FIRST = "r=" + SERVER_NONCE + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    public static final String CLIENT_FINAL = "c=biws,r=" + SERVER_NONCE + ",p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    public static final String SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    /** A random source whose every {@code nextBytes} gives the 15 bytes that Base64 makes the RFC's client nonce. */
    public static SecureRandom nonceSource() {
        byte[] nonce = Base64.getDecoder().decode(CLIENT_NONCE);
        return new SecureRandom() {
            private static final long serialVersionUID = 1L;

            @Override
            public void nextBytes(byte[] bytes) {
                if (bytes.length != nonce.length) {
                    throw new AssertionError(bytes.length + " nonce bytes asked, the RFC's nonce has " + nonce.length);
                }
                System.arraycopy(nonce, 0, bytes, 0, nonce.length);
            }
        };
    }
}
