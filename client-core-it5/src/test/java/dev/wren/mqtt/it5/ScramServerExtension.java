package dev.wren.mqtt.it5;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.EnhancedAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.EnhancedAuthConnectInput;
import com.hivemq.extension.sdk.api.auth.parameter.EnhancedAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.EnhancedAuthOutput;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
import com.hivemq.extension.sdk.api.packets.general.DisconnectedReasonCode;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server side of SCRAM-SHA-256 (RFC 5802, RFC 7677) as a HiveMQ embedded extension with an
 * {@link EnhancedAuthenticator}, written for the end-to-end test of Wren's client: one user, {@code user} /
 * {@code pencil}, stored as RFC 5802 §3 keeps it (salt, iteration count, StoredKey, ServerKey; the salted password
 * derived with the JDK's PBKDF2, not the client's code). A second user, {@code forged}, with the same password, is
 * answered with a wrong server signature, to see the client refuse the server. Re-authentication (AUTH 0x19)
 * runs the same exchange.
 */
final class ScramServerExtension implements ExtensionMain {

    static final String METHOD = "SCRAM-SHA-256";
    private static final int ITERATIONS = 4096;

    private final byte[] salt = new byte[16];
    private final byte[] storedKey;
    private final byte[] serverKey;
    private final SecureRandom random = new SecureRandom();
    /** Per client id: client-first-message-bare, server-first-message, combined nonce, user. */
    private final Map<String, String[]> exchanges = new ConcurrentHashMap<>();
    /** What each exchange ended as, per client id: "success", or why it failed; for the test's messages. */
    final Map<String, String> outcomes = new ConcurrentHashMap<>();

    ScramServerExtension() {
        random.nextBytes(salt);
        try {
            byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec("pencil".toCharArray(), salt, ITERATIONS, 256)).getEncoded();
            storedKey = MessageDigest.getInstance("SHA-256").digest(hmac(salted, "Client Key"));
            serverKey = hmac(salted, "Server Key");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void extensionStart(ExtensionStartInput in, ExtensionStartOutput out) {
        Services.securityRegistry().setEnhancedAuthenticatorProvider(input -> new EnhancedAuthenticator() {
            @Override
            public void onConnect(EnhancedAuthConnectInput input, EnhancedAuthOutput output) {
                Optional<String> method = input.getConnectPacket().getAuthenticationMethod();
                if (!method.isPresent() || !METHOD.equals(method.get())) {
                    output.failAuthentication(DisconnectedReasonCode.BAD_AUTHENTICATION_METHOD,
                            "only " + METHOD + ", not " + method.orElse("none"));
                    return;
                }
                first(input.getClientInformation().getClientId(), input.getConnectPacket().getAuthenticationData(),
                        output);
            }

            @Override
            public void onReAuth(EnhancedAuthInput input, EnhancedAuthOutput output) {
                first(input.getClientInformation().getClientId(), input.getAuthPacket().getAuthenticationData(), output);
            }

            @Override
            public void onAuth(EnhancedAuthInput input, EnhancedAuthOutput output) {
                last(input.getClientInformation().getClientId(), input.getAuthPacket().getAuthenticationData(), output);
            }
        });
    }

    @Override
    public void extensionStop(ExtensionStopInput in, ExtensionStopOutput out) {
    }

    /** client-first-message in, server-first-message out (RFC 5802 §7). */
    private void first(String clientId, Optional<ByteBuffer> data, EnhancedAuthOutput output) {
        String clientFirst = text(data);
        String[] parts = clientFirst.split(",");
        if (!clientFirst.startsWith("n,,n=") || parts.length != 4 || !parts[3].startsWith("r=")) {
            fail(clientId, output, "client-first-message \"" + clientFirst + "\"");
            return;
        }
        String user = parts[2].substring(2);
        byte[] serverPart = new byte[18];
        random.nextBytes(serverPart);
        String nonce = parts[3].substring(2) + Base64.getEncoder().encodeToString(serverPart);
        String serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(salt) + ",i=" + ITERATIONS;
        exchanges.put(clientId, new String[] {clientFirst.substring(3), serverFirst, nonce, user});
        output.continueAuthentication(serverFirst.getBytes(StandardCharsets.UTF_8));
    }

    /** client-final-message in: the proof checked against StoredKey; server-final-message out (RFC 5802 §3). */
    private void last(String clientId, Optional<ByteBuffer> data, EnhancedAuthOutput output) {
        String[] exchange = exchanges.remove(clientId);
        String clientFinal = text(data);
        int proofAt = clientFinal.lastIndexOf(",p=");
        if (exchange == null || proofAt < 0 || !clientFinal.startsWith("c=biws,r=" + exchange[2] + ",p=")) {
            fail(clientId, output, "client-final-message \"" + clientFinal + "\"");
            return;
        }
        String authMessage = exchange[0] + "," + exchange[1] + "," + clientFinal.substring(0, proofAt);
        try {
            byte[] proof = Base64.getDecoder().decode(clientFinal.substring(proofAt + 3));
            byte[] clientKey = hmac(storedKey, authMessage);
            for (int i = 0; i < clientKey.length; i++) {
                clientKey[i] ^= proof[i]; // ClientSignature XOR ClientProof
            }
            boolean known = exchange[3].equals("user") || exchange[3].equals("forged");
            if (!known || !MessageDigest.isEqual(storedKey, MessageDigest.getInstance("SHA-256").digest(clientKey))) {
                fail(clientId, output, "proof of user \"" + exchange[3] + "\"");
                return;
            }
            byte[] signature = hmac(serverKey, authMessage);
            if (exchange[3].equals("forged")) {
                signature[0] ^= 1;
            }
            outcomes.put(clientId, "success");
            output.getDefaultPermissions().setDefaultBehaviour(DefaultAuthorizationBehaviour.ALLOW);
            output.authenticateSuccessfully(("v=" + Base64.getEncoder().encodeToString(signature))
                    .getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException | RuntimeException e) {
            fail(clientId, output, "client-final-message \"" + clientFinal + "\": " + e);
        }
    }

    private void fail(String clientId, EnhancedAuthOutput output, String what) {
        outcomes.put(clientId, "refused " + what);
        output.failAuthentication(DisconnectedReasonCode.NOT_AUTHORIZED, "SCRAM: bad " + what);
    }

    private static String text(Optional<ByteBuffer> data) {
        if (!data.isPresent()) {
            return "";
        }
        ByteBuffer b = data.get().duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }
}
