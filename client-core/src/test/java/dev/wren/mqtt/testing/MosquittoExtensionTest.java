package dev.wren.mqtt.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The broker starter itself, checked with raw MQTT bytes so it does not depend on the client under test. */
@Timeout(60)
class MosquittoExtensionTest {

    @RegisterExtension
    static final MosquittoExtension broker = MosquittoExtension.builder()
            .user("alice", "secret")
            .acl("user alice\ntopic readwrite a/#\n")
            .extraListener("second", "allow_anonymous true")
            .build();

    /** CONNECT, protocol level 4, clean session, keep-alive 0, client id "t", with user name and password. */
    private static byte[] connect(String user, String password) {
        byte[] body = Bytes.of(Bytes.str("MQTT"), 0x04, 0xC2, 0x00, 0x00, Bytes.str("t"), Bytes.str(user), Bytes.str(password));
        return Bytes.of(0x10, body.length, body);
    }

    private static byte[] connack(int port, byte[] connect) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(connect);
            byte[] reply = new byte[4];
            new DataInputStream(s.getInputStream()).readFully(reply);
            return reply;
        }
    }

    @Test
    void acceptsTheRightPasswordAndRefusesAWrongOne() throws IOException {
        assertArrayEquals(Bytes.hex("20 02 00 00"), connack(broker.port(), connect("alice", "secret")));
        assertArrayEquals(Bytes.hex("20 02 00 05"), connack(broker.port(), connect("alice", "wrong")),
                "CONNACK return code 5 (not authorized) for a wrong password");
    }

    @Test
    void extraListenerHasItsOwnPort() throws IOException {
        int second = broker.port("second");
        assertTrue(second != broker.port());
        assertArrayEquals(Bytes.hex("20 02 00 00"), connack(second, connect("alice", "secret")));
    }

    @Test
    void killedBrokerRestartsOnTheSamePort() throws IOException {
        int port = broker.port();
        long pid = broker.pid();
        broker.kill();
        assertFalse(broker.isRunning());
        assertThrows(IOException.class, () -> connack(port, connect("alice", "secret")));
        broker.start();
        assertTrue(broker.pid() != pid);
        assertEquals(port, broker.port());
        assertArrayEquals(Bytes.hex("20 02 00 00"), connack(port, connect("alice", "secret")));
    }

    @Test
    void missingBinaryNamesTheDebianPackage() {
        MosquittoExtension missing = MosquittoExtension.builder().binary(Paths.get("/nonexistent/mosquitto")).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, missing::start);
        assertTrue(e.getMessage().contains("Debian package mosquitto"), e.getMessage());
        assertTrue(e.getMessage().contains("/nonexistent/mosquitto"), e.getMessage());
    }
}
