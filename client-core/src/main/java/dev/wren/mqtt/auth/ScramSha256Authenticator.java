package dev.wren.mqtt.auth;

import dev.wren.mqtt.MqttException;
import dev.wren.mqtt.MqttException.Reason;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SCRAM-SHA-256 (RFC 5802 with the SHA-256 of RFC 7677) as an MQTT 5.0 {@link Authenticator}, without channel
 * binding (gs2 header {@code n,,}): CONNECT carries the client-first-message, the server's AUTH 0x18 the
 * server-first-message, the client's AUTH 0x18 the client-final-message, and CONNACK 0x00 the server-final-message,
 * whose server signature must match: the server proves it knows the password too. JDK {@link Mac},
 * {@link MessageDigest} and {@link SecureRandom} only.
 *
 * <p>Refused (an {@link MqttException} {@code AUTHENTICATION_FAILED} naming the value): a combined nonce that does not
 * start with the client's (RFC 5802 §5.1 r), an iteration count outside {@value #MIN_ITERATIONS}..{@value
 * #MAX_ITERATIONS} (RFC 7677 §4 asks for at least 4096), a mandatory extension ({@code m=}), a server error
 * ({@code e=}), a wrong or missing server signature, a step out of order. User name and password are used as UTF-8
 * without SASLprep: keep them ASCII. Each exchange allocates a few hundred bytes (key derivation, Base64); a
 * connection or re-authentication is one exchange, so nothing is allocated per message.
 */
public final class ScramSha256Authenticator implements Authenticator {

    /** The SASL mechanism name, the Authentication Method. */
    public static final String METHOD = "SCRAM-SHA-256";
    /** The lowest iteration count accepted (RFC 7677 §4). */
    public static final int MIN_ITERATIONS = 4096;
    /** The highest iteration count accepted: more would hold a small device in the key derivation for minutes. */
    public static final int MAX_ITERATIONS = 1_000_000;

    private static final String GS2_HEADER = "n,,";
    private static final String CHANNEL_BINDING = "c=biws"; // Base64 of the gs2 header "n,,"

    private final String saslName;
    private final byte[] password;
    private final SecureRandom random;
    /** The client-first-message-bare of the exchange under way, null before the first. */
    private String clientFirstBare;
    private String clientNonce;
    /** The server signature the server-final-message must carry; null until the client-final-message is sent. */
    private byte[] serverSignature;

    /** A SCRAM-SHA-256 client for {@code user} with {@code password} (copied), nonces from a new {@link SecureRandom}. */
    public ScramSha256Authenticator(String user, char[] password) {
        this(user, password, new SecureRandom());
    }

    /**
     * As {@link #ScramSha256Authenticator(String, char[])} with the client nonce drawn from {@code random}: 15 bytes
     * per exchange, sent as 20 Base64 characters.
     */
    public ScramSha256Authenticator(String user, char[] password, SecureRandom random) {
        if (user == null || user.isEmpty() || password == null || random == null) {
            throw new IllegalArgumentException("SCRAM needs a user (\"" + user + "\"), a password and a random source");
        }
        this.saslName = user.replace("=", "=3D").replace(",", "=2C"); // RFC 5802 §5.1 saslname
        ByteBuffer utf8 = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        this.password = new byte[utf8.remaining()];
        utf8.get(this.password);
        this.random = random;
    }

    @Override
    public String method() {
        return METHOD;
    }

    /** The client-final-message with a server nonce of up to 256 characters, and the escaped user name. */
    @Override
    public int maxDataBytes() {
        return 384 + saslName.length() * 3;
    }

    /** The client-first-message: {@code n,,n=<user>,r=<client nonce>} (RFC 5802 §7). */
    @Override
    public int initialData(byte[] dst, int off, int max) throws MqttException {
        byte[] nonce = new byte[15];
        random.nextBytes(nonce);
        clientNonce = base64(nonce);
        clientFirstBare = "n=" + saslName + ",r=" + clientNonce;
        serverSignature = null;
        return put(GS2_HEADER + clientFirstBare, dst, off, max);
    }

    /**
     * Takes the server-first-message {@code r=<nonce>,s=<salt>,i=<count>}, derives the keys (RFC 5802 §3) and writes
     * the client-final-message {@code c=biws,r=<nonce>,p=<client proof>}.
     */
    @Override
    public int respond(byte[] challenge, int off, int len, byte[] dst, int dstOff, int max) throws MqttException {
        if (clientFirstBare == null || serverSignature != null) {
            throw refused("a server-first-message " + (clientFirstBare == null ? "before the client-first-message"
                    : "after the client-final-message"));
        }
        String serverFirst = new String(challenge, off, len, StandardCharsets.UTF_8);
        String[] attrs = serverFirst.split(",", -1);
        if (attrs.length < 3 || !attrs[0].startsWith("r=") || !attrs[1].startsWith("s=") || !attrs[2].startsWith("i=")) {
            throw refused("server-first-message \"" + serverFirst + "\" is not r=<nonce>,s=<salt>,i=<count> (RFC 5802 §7)");
        }
        String nonce = attrs[0].substring(2);
        if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
            throw refused("server nonce \"" + nonce + "\" does not extend the client nonce \"" + clientNonce + "\"");
        }
        int iterations;
        byte[] salt;
        try {
            iterations = Integer.parseInt(attrs[2].substring(2));
            salt = Base64.getDecoder().decode(attrs[1].substring(2));
        } catch (IllegalArgumentException e) {
            throw refused("salt or iteration count unreadable in \"" + serverFirst + "\"");
        }
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw refused("iteration count " + iterations + " not in " + MIN_ITERATIONS + ".." + MAX_ITERATIONS);
        }
        String finalWithoutProof = CHANNEL_BINDING + ",r=" + nonce;
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + finalWithoutProof)
                .getBytes(StandardCharsets.UTF_8);
        byte[] proof;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            byte[] salted = hi(mac, salt, iterations);
            byte[] clientKey = hmac(mac, salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
            byte[] clientSignature = hmac(mac, MessageDigest.getInstance("SHA-256").digest(clientKey), authMessage);
            proof = clientKey;
            for (int i = 0; i < proof.length; i++) {
                proof[i] ^= clientSignature[i];
            }
            serverSignature = hmac(mac, hmac(mac, salted, "Server Key".getBytes(StandardCharsets.US_ASCII)),
                    authMessage);
        } catch (GeneralSecurityException e) {
            throw refused(e.toString());
        }
        return put(finalWithoutProof + ",p=" + base64(proof), dst, dstOff, max);
    }

    /** Checks the server-final-message {@code v=<server signature>} (RFC 5802 §3, §7); {@code e=} is a refusal. */
    @Override
    public void verify(byte[] data, int off, int len) throws MqttException {
        if (serverSignature == null) {
            throw refused("the server accepted before the client-final-message: it has not proved it knows the"
                    + " password");
        }
        String serverFinal = new String(data, off, len, StandardCharsets.UTF_8);
        byte[] expected = serverSignature;
        serverSignature = null;
        clientFirstBare = null; // this exchange is over
        byte[] got = null;
        if (serverFinal.startsWith("v=")) {
            try {
                got = Base64.getDecoder().decode(serverFinal.substring(2));
            } catch (IllegalArgumentException unreadable) {
                // refused below
            }
        }
        if (got == null || !MessageDigest.isEqual(expected, got)) {
            throw refused("server-final-message \"" + serverFinal + "\" does not carry the expected server"
                    + " signature: the server does not know the password");
        }
    }

    /** Hi(password, salt, i) of RFC 5802 §2.2: PBKDF2 with HMAC-SHA-256, one block. */
    private byte[] hi(Mac mac, byte[] salt, int iterations) throws GeneralSecurityException {
        mac.init(new SecretKeySpec(password, "HmacSHA256"));
        mac.update(salt);
        byte[] u = mac.doFinal(new byte[] {0, 0, 0, 1});
        byte[] result = u.clone();
        for (int n = 1; n < iterations; n++) {
            mac.update(u);
            mac.doFinal(u, 0);
            for (int i = 0; i < result.length; i++) {
                result[i] ^= u[i];
            }
        }
        return result;
    }

    private static byte[] hmac(Mac mac, byte[] key, byte[] data) throws GeneralSecurityException {
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    private static int put(String message, byte[] dst, int off, int max) throws MqttException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > max) {
            throw refused("message of " + bytes.length + " bytes > " + max + " bytes of room");
        }
        System.arraycopy(bytes, 0, dst, off, bytes.length);
        return bytes.length;
    }

    private static String base64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private static MqttException refused(String why) {
        return new MqttException(Reason.AUTHENTICATION_FAILED, "SCRAM-SHA-256: " + why);
    }
}
