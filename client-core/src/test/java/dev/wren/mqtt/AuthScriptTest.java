package dev.wren.mqtt;

import dev.wren.mqtt.MqttException.Reason;
import dev.wren.mqtt.auth.Authenticator;
import dev.wren.mqtt.auth.ScramSha256Authenticator;
import dev.wren.mqtt.testing.Covers5;
import dev.wren.mqtt.testing.Rfc7677;
import dev.wren.mqtt.testing.ScriptedTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static dev.wren.mqtt.testing.Bytes.of;
import static dev.wren.mqtt.testing.Bytes.str;
import static dev.wren.mqtt.testing.Packets.puback;
import static dev.wren.mqtt.testing.Packets5.auth;
import static dev.wren.mqtt.testing.Packets5.connack;
import static dev.wren.mqtt.testing.Packets5.connect;
import static dev.wren.mqtt.testing.Packets5.props;
import static dev.wren.mqtt.testing.Packets5.publish;
import static dev.wren.mqtt.testing.Rfc7677.CLIENT_FINAL;
import static dev.wren.mqtt.testing.Rfc7677.CLIENT_FIRST;
import static dev.wren.mqtt.testing.Rfc7677.SERVER_FINAL;
import static dev.wren.mqtt.testing.Rfc7677.SERVER_FIRST;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MQTT 5.0 enhanced authentication (§4.12, §3.15) over scripted transports, byte for byte: the SCRAM-SHA-256 exchange
 * of RFC 7677 in CONNECT, AUTH and CONNACK; re-authentication; the server's mistakes the client must refuse; and the
 * connect deadline across the round trips.
 */
class AuthScriptTest extends ScriptedSessionTest {

    private static final String SCRAM = "SCRAM-SHA-256";
    /** Receive Maximum (the config's default), then the method and the client-first-message. */
    private static final byte[] SCRAM_CONNECT_PROPS = props(0x21, 0, 64, 0x15, str(SCRAM), 0x16, str(CLIENT_FIRST));
    /** DISCONNECT with a reason code and no properties (§3.14.2.1). */
    private static byte[] disconnect(int reasonCode) {
        return of(0xE0, 0x01, reasonCode);
    }

    /** An authenticator that sends no data and accepts any; tests override the step they need. */
    private static class Plain implements Authenticator {
        private final String method;
        private final int maxDataBytes;

        Plain(String method, int maxDataBytes) {
            this.method = method;
            this.maxDataBytes = maxDataBytes;
        }

        @Override
        public String method() {
            return method;
        }

        @Override
        public int maxDataBytes() {
            return maxDataBytes;
        }

        @Override
        public int initialData(byte[] dst, int off, int max) {
            return 0;
        }

        @Override
        public int respond(byte[] challenge, int off, int len, byte[] dst, int dstOff, int max) {
            return 0;
        }

        @Override
        public void verify(byte[] data, int off, int len) {
        }
    }

    private MqttConfig.Builder scramConfig() {
        return config().protocolVersion(MqttConfig.MQTT_5).authenticator(new ScramSha256Authenticator(Rfc7677.USER,
                Rfc7677.PASSWORD.toCharArray(), Rfc7677.nonceSource()));
    }

    /** A connection that expects the SCRAM CONNECT and sends the RFC's server-first-message. */
    private ScriptedTransport challenged() {
        ScriptedTransport t = new ScriptedTransport(clock).expect(connect("c", false, 10, SCRAM_CONNECT_PROPS))
                .send(auth(0x18, SCRAM, SERVER_FIRST));
        factory.then(t);
        return t;
    }

    /** {@link #challenged}, then the client's proof and the server's CONNACK 0x00 with the server-final-message. */
    private ScriptedTransport scramAccepted() {
        return challenged().expect(auth(0x18, SCRAM, CLIENT_FINAL))
                .send(connack(false, 0, props(0x15, str(SCRAM), 0x16, str(SERVER_FINAL))));
    }

    @Test
    @Covers5({"MQTT-3.1.2-30", "MQTT-4.12.0-2", "MQTT-4.12.0-3", "MQTT-4.12.0-5", "MQTT-3.15.2-1"})
    void scramExchangeOfRfc7677ConnectsWithMethodAndDataInConnectAuthAndConnack() throws Exception {
        ScriptedTransport t = scramAccepted();
        MqttClient client = new MqttClient(scramConfig().build());
        assertFalse(client.connect());
        assertTrue(client.isConnected());
        assertEquals(java.util.List.of("connected false"), events.events);
        t.assertFinished(); // CONNECT, then only AUTH until CONNACK: the script takes no other byte
    }

    @Test
    void aTamperedServerSignatureInConnackEndsTheConnectWithDisconnect0x80() {
        ScriptedTransport t = challenged().expect(auth(0x18, SCRAM, CLIENT_FINAL))
                .send(connack(false, 0, props(0x15, str(SCRAM), 0x16, str(SERVER_FINAL.replace("v=6", "v=7")))))
                .expect(disconnect(0x80));
        MqttClient client = new MqttClient(scramConfig().build());
        MqttException e = assertThrows(MqttException.class, client::connect);
        assertEquals(Reason.AUTHENTICATION_FAILED, e.reason());
        assertTrue(e.getMessage().startsWith("AUTHENTICATION_FAILED: authenticator \"SCRAM-SHA-256\" refused the"
                + " server's CONNACK: SCRAM-SHA-256: server-final-message \"v=7"), e.getMessage());
        assertFalse(client.isConnected());
        assertTrue(t.isClosed());
        t.assertFinished();
    }

    @Test
    void aChallengeTheAuthenticatorRefusesEndsTheConnectWithDisconnect0x80() {
        ScriptedTransport t = new ScriptedTransport(clock).expect(connect("c", false, 10, SCRAM_CONNECT_PROPS))
                .send(auth(0x18, SCRAM, SERVER_FIRST.replace("i=4096", "i=1"))).expect(disconnect(0x80));
        factory.then(t);
        MqttException e = assertThrows(MqttException.class, new MqttClient(scramConfig().build())::connect);
        assertEquals(Reason.AUTHENTICATION_FAILED, e.reason());
        assertTrue(e.getMessage().contains("refused the server's AUTH 0x18: SCRAM-SHA-256: iteration count 1 not in"
                + " 4096..1000000"), e.getMessage());
        t.assertFinished();
    }

    @ParameterizedTest
    @CsvSource({"0x87, NOT_AUTHORIZED", "0x8C, BAD_AUTHENTICATION_METHOD", "0x86, BAD_USER_NAME_OR_PASSWORD"})
    @Covers5({"MQTT-4.12.0-1", "MQTT-4.12.0-4"})
    void aConnackRefusalDuringTheExchangeIsItsReason(String code, Reason reason) {
        ScriptedTransport t = challenged().expect(auth(0x18, SCRAM, CLIENT_FINAL))
                .send(connack(false, Integer.decode(code), props()));
        MqttException e = assertThrows(MqttException.class, new MqttClient(scramConfig().build())::connect);
        assertEquals(reason, e.reason());
        assertTrue(e.getMessage().contains("CONNACK reason code " + code.toLowerCase()), e.getMessage());
        assertTrue(t.isClosed());
        t.assertFinished();
    }

    @Test
    @Covers5({"MQTT-4.12.0-5"})
    void anAuthWithAnotherMethodIsAProtocolErrorAnsweredWithDisconnect0x82() {
        ScriptedTransport t = new ScriptedTransport(clock).expect(connect("c", false, 10, SCRAM_CONNECT_PROPS))
                .send(auth(0x18, "SCRAM-SHA-1", SERVER_FIRST)).expect(disconnect(0x82));
        factory.then(t);
        MqttException e = assertThrows(MqttException.class, new MqttClient(scramConfig().build())::connect);
        assertEquals(Reason.PROTOCOL_VIOLATION, e.reason());
        assertEquals("MQTT-4.12.0-5", e.ruleId());
        assertTrue(e.getMessage().contains("AUTH Authentication Method \"SCRAM-SHA-1\", not the CONNECT's"
                + " \"SCRAM-SHA-256\""), e.getMessage());
        t.assertFinished();
    }

    @Test
    @Covers5({"MQTT-4.12.0-5"})
    void aSuccessfulConnackWithoutTheMethodIsAProtocolError() {
        ScriptedTransport t = challenged().expect(auth(0x18, SCRAM, CLIENT_FINAL))
                .send(connack(false, 0, props())).expect(disconnect(0x82));
        MqttException e = assertThrows(MqttException.class, new MqttClient(scramConfig().build())::connect);
        assertEquals("MQTT-4.12.0-5", e.ruleId());
        assertTrue(e.getMessage().contains("CONNACK Authentication Method absent"), e.getMessage());
        t.assertFinished();
    }

    @Test
    @Covers5({"MQTT-4.12.0-6", "MQTT-4.12.0-7"})
    void withoutAnAuthenticatorAnAuthFromTheServerIsAProtocolErrorAndTheClientSendsNoAuth() throws Exception {
        byte[] connectProps = props(0x21, 0, 64);
        ScriptedTransport t = new ScriptedTransport(clock).expect(connect("c", false, 10, connectProps))
                .send(auth(0x18, SCRAM, SERVER_FIRST)).expect(disconnect(0x82));
        factory.then(t);
        MqttClient client = new MqttClient(config().protocolVersion(MqttConfig.MQTT_5).build());
        MqttException e = assertThrows(MqttException.class, client::connect);
        assertEquals("MQTT-4.12.0-6", e.ruleId());
        t.assertFinished();

        // Connected, no AUTH may go out [MQTT-4.12.0-7], and one coming in ends the connection the same way.
        ScriptedTransport u = new ScriptedTransport(clock).expect(connect("c", false, 10, connectProps))
                .send(connack(false, 0, props()));
        factory.then(u);
        client.connect();
        IllegalStateException misuse = assertThrows(IllegalStateException.class, client::reauthenticate);
        assertTrue(misuse.getMessage().contains("[MQTT-4.12.0-7]"), misuse.getMessage());
        u.send(auth(0x00, SCRAM, null)).expect(disconnect(0x82));
        assertEquals("MQTT-4.12.0-6", assertThrows(MqttException.class, () -> client.poll(100)).ruleId());
        u.assertFinished();
    }

    @Test
    void withoutAnAuthenticatorAConnackWithAMethodIsAProtocolError() {
        ScriptedTransport t = new ScriptedTransport(clock).expect(connect("c", false, 10, props(0x21, 0, 64)))
                .send(connack(false, 0, props(0x15, str(SCRAM)))).expect(disconnect(0x82));
        factory.then(t);
        MqttException e = assertThrows(MqttException.class,
                new MqttClient(config().protocolVersion(MqttConfig.MQTT_5).build())::connect);
        assertEquals("MQTT-4.12.0-6", e.ruleId());
        t.assertFinished();
    }

    @Test
    void anAuthSuccessBeforeConnackIsAProtocolError() {
        ScriptedTransport t = new ScriptedTransport(clock).expect(connect("c", false, 10, SCRAM_CONNECT_PROPS))
                .send(auth(0x00, SCRAM, SERVER_FINAL)).expect(disconnect(0x82));
        factory.then(t);
        MqttException e = assertThrows(MqttException.class, new MqttClient(scramConfig().build())::connect);
        assertEquals(Reason.PROTOCOL_VIOLATION, e.reason());
        assertTrue(e.getMessage().contains("AUTH reason code 0x0 Success before CONNACK"), e.getMessage());
        t.assertFinished();
    }

    /**
     * An authenticator that takes a second of the injected clock per answer (a key derivation on a slow device) with
     * a server that keeps challenging: the connect still ends by connectTimeoutMillis, however many round trips.
     */
    @Test
    void theConnectDeadlineHoldsAcrossTheRoundTripsOfTheExchange() {
        Authenticator slow = new Plain("echo", 512) {
            @Override
            public int respond(byte[] challenge, int off, int len, byte[] dst, int dstOff, int max) {
                clock.advanceMillis(1_000);
                System.arraycopy(challenge, off, dst, dstOff, len);
                return len;
            }
        };
        ScriptedTransport t = new ScriptedTransport(clock)
                .expect(connect("c", false, 10, props(0x21, 0, 64, 0x15, str("echo"))));
        for (int i = 0; i < 10; i++) {
            t.send(auth(0x18, "echo", "round " + i)).expect(auth(0x18, "echo", "round " + i));
        }
        factory.then(t);
        MqttClient client = new MqttClient(config().protocolVersion(MqttConfig.MQTT_5).connectTimeoutMillis(3_500)
                .authenticator(slow).build());
        long start = clock.nanoTime();
        MqttException e = assertThrows(MqttException.class, client::connect);
        assertEquals(Reason.CONNECT_TIMEOUT, e.reason());
        assertEquals(4_000, clock.millisSince(start), "the fourth answer passed the 3.5 s deadline; no fifth");
        assertTrue(t.isClosed());
    }

    /**
     * With automatic reconnect the exchange runs across polls, a new one per connection, and a QoS 1 message
     * published offline waits for the CONNACK: only AUTH goes out before it.
     */
    @Test
    @Covers5({"MQTT-3.1.2-30"})
    void withAutomaticReconnectEachConnectionRunsItsOwnExchangeAndSendsNothingButAuthBeforeConnack() throws Exception {
        scramAccepted().expect(publish("t", "1", 1, false, false, 1)).send(puback(1)).endOfStream();
        ScriptedTransport second = scramAccepted();
        MqttClient client = new MqttClient(scramConfig().automaticReconnect(true).reconnectBackoff(100, 100, 1.0, 0.0)
                .build());
        client.publish("t", "1".getBytes(StandardCharsets.UTF_8), 1, false); // offline: queued
        for (int i = 0; i < 100 && !second.isFinished(); i++) {
            client.poll(50);
            clock.advanceMillis(50); // the backoff before the reconnect runs on the injected clock
        }
        second.assertFinished();
        assertTrue(client.isConnected());
        assertEquals(java.util.List.of("connected false", "complete 1", "lost CONNECTION_LOST", "connected false"),
                events.events);
    }

    @Test
    @Covers5({"MQTT-4.12.1-1"})
    void reauthenticationSendsAuth0x19AndCompletesInPollWithTheListenerTold() throws Exception {
        ScriptedTransport t = scramAccepted();
        MqttClient client = new MqttClient(scramConfig().build());
        client.connect();
        // Other packets flow meanwhile: a publish between AUTH 0x19 and the server's challenge.
        t.expect(auth(0x19, SCRAM, CLIENT_FIRST)).expect(publish("t", "1", 1, false, false, 1)).send(puback(1))
                .send(auth(0x18, SCRAM, SERVER_FIRST)).expect(auth(0x18, SCRAM, CLIENT_FINAL))
                .send(auth(0x00, SCRAM, SERVER_FINAL));
        client.reauthenticate();
        assertThrows(IllegalStateException.class, client::reauthenticate, "one re-authentication at a time");
        client.publish("t", "1".getBytes(StandardCharsets.UTF_8), 1, false);
        while (!events.events.contains("reauthenticated") && !t.isFinished()) {
            client.poll(100);
        }
        client.poll(0);
        assertEquals(java.util.List.of("connected false", "complete 1", "reauthenticated"), events.events);
        assertTrue(client.isConnected());
        t.assertFinished();
    }

    @Test
    @Covers5({"MQTT-4.12.1-2"})
    void aFailedReauthenticationEndsTheConnectionWithDisconnect0x80() throws Exception {
        ScriptedTransport t = scramAccepted();
        MqttClient client = new MqttClient(scramConfig().build());
        client.connect();
        t.expect(auth(0x19, SCRAM, CLIENT_FIRST)).send(auth(0x18, SCRAM, SERVER_FIRST))
                .expect(auth(0x18, SCRAM, CLIENT_FINAL)).send(auth(0x00, SCRAM, "v=AAAA"))
                .expect(disconnect(0x80));
        client.reauthenticate();
        MqttException e = assertThrows(MqttException.class, () -> client.poll(1_000));
        assertEquals(Reason.AUTHENTICATION_FAILED, e.reason());
        assertEquals(java.util.List.of("connected false", "lost AUTHENTICATION_FAILED"), events.events);
        t.assertFinished();
    }

    @Test
    void anAuthWhileNoReauthenticationIsUnderWayIsAProtocolError() throws Exception {
        ScriptedTransport t = scramAccepted();
        MqttClient client = new MqttClient(scramConfig().build());
        client.connect();
        t.send(auth(0x18, SCRAM, SERVER_FIRST)).expect(disconnect(0x82));
        MqttException e = assertThrows(MqttException.class, () -> client.poll(1_000));
        assertTrue(e.getMessage().contains("with no re-authentication under way"), e.getMessage());
        t.assertFinished();
    }

    @Test
    void anAuthenticatorThatThrowsOrOverrunsItsBufferEndsTheConnectInOrder() throws Exception {
        Authenticator broken = new Plain("broken", 4) {
            @Override
            public int respond(byte[] challenge, int off, int len, byte[] dst, int dstOff, int max) {
                return max + 1;
            }

            @Override
            public void verify(byte[] data, int off, int len) {
                throw new IllegalArgumentException("bug");
            }
        };
        byte[] connectProps = props(0x21, 0, 64, 0x15, str("broken"));
        ScriptedTransport t = new ScriptedTransport(clock).expect(connect("c", false, 10, connectProps))
                .send(auth(0x18, "broken", "x")).expect(disconnect(0x80));
        factory.then(t);
        MqttClient client = new MqttClient(config().protocolVersion(MqttConfig.MQTT_5).authenticator(broken).build());
        MqttException e = assertThrows(MqttException.class, client::connect);
        assertEquals(Reason.AUTHENTICATION_FAILED, e.reason());
        assertTrue(e.getMessage().contains("returned 5 bytes of data, not 0..maxDataBytes 4"), e.getMessage());
        t.assertFinished();

        ScriptedTransport u = new ScriptedTransport(clock).expect(connect("c", false, 10, connectProps))
                .send(connack(false, 0, props(0x15, str("broken")))).expect(disconnect(0x80));
        factory.then(u);
        MqttException again = assertThrows(MqttException.class, client::connect); // not stuck in CONNECTING
        assertTrue(again.getMessage().contains("refused the server's CONNACK: java.lang.IllegalArgumentException: bug"),
                again.getMessage());
        u.assertFinished();
    }

    @Test
    void anAuthFrameThatCannotFitTheTransmitBufferIsRefusedWhenTheClientIsBuilt() {
        Authenticator large = new Plain("large", 2_000);
        MqttConfig config = config().protocolVersion(MqttConfig.MQTT_5).transmitBufferBytes(1024).authenticator(large)
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MqttClient(config));
        assertTrue(e.getMessage().contains("authentication data up to 2000 bytes) > transmitBufferBytes 1024"),
                e.getMessage());
    }

    @Test
    void anAuthenticatorNeedsProtocol5() {
        for (int version : new int[] {MqttConfig.MQTT_3_1_1, MqttConfig.MQTT_AUTO}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> scramConfig().protocolVersion(version).build());
            assertTrue(e.getMessage().startsWith("authenticator \"SCRAM-SHA-256\" needs protocolVersion(MQTT_5)"),
                    e.getMessage());
        }
        assertTrue(scramConfig().build().toString().contains("authenticationMethod=\"SCRAM-SHA-256\""));
    }
}
