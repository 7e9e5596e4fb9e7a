package dev.wren.mqtt.it5;

import dev.wren.mqtt.MqttException;
import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.ConnectFields;
import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.codec.v5.ConnackView;
import dev.wren.mqtt.codec.v5.ConnectEncoder;
import dev.wren.mqtt.codec.v5.ReasonCode;
import dev.wren.mqtt.testing.Bytes;
import dev.wren.mqtt.testing.HiveMqBroker;
import dev.wren.mqtt.testing.MosquittoExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Refusals from real 5.0 brokers, decoded with the 5.0 codec and named through {@link MqttException.Reason}: what
 * issue 16's session will turn into exceptions, and what its protocol fallback (AUTO) will meet.
 */
class ConnackRefusal5Test {

    @RegisterExtension
    static final MosquittoExtension MOSQUITTO = MosquittoExtension.builder().user("alice", "secret").build();
    @RegisterExtension
    static final HiveMqBroker HIVEMQ = HiveMqBroker.perClass();

    @Test
    void aBadPasswordIsRefusedByMosquittoWithReasonCode0x87NamedNotAuthorized() throws IOException {
        ConnectFields f = new ConnectFields();
        f.clientId = "wren-refused";
        f.userName = "alice";
        f.password = "wrong".getBytes(StandardCharsets.UTF_8);
        f.passwordLength = f.password.length;
        try (Wire5Client c = new Wire5Client("mosquitto/refused", "127.0.0.1", MOSQUITTO.port())) {
            c.send(ConnectEncoder.encode(c.tx, 0, f, null, null));
            c.expect(PacketType.CONNACK);
            ConnackView connack = new ConnackView();
            assertEquals("OK", CodecStatus.name(connack.decode(c.buffer(), c.bodyOffset(), c.bodyLength())));
            System.out.println("CONNACK from mosquitto for a bad password: reason 0x"
                    + Integer.toHexString(connack.reasonCode()) + "\n" + Wire5Client.describe(connack.properties()));
            // mosquitto 2.0.11 answers a wrong password with 0x87 Not authorized, not 0x86 Bad User Name or Password
            assertEquals(ReasonCode.NOT_AUTHORIZED, connack.reasonCode());
            assertSame(MqttException.Reason.NOT_AUTHORIZED,
                    MqttException.Reason.forReasonCode(connack.reasonCode()));
        }
    }

    /**
     * A CONNECT at protocol level 6 (no such MQTT): what each broker answers, byte for byte. mosquitto answers as a
     * 3.1.1 server must [MQTT-3.1.2-2 of 3.1.1]: CONNACK return code 1 in the 3.1.1 format, then it closes; HiveMQ
     * closes without a CONNACK, which a 5.0 server may do [MQTT-3.1.2-2 of 5.0: it MAY send 0x84]. The AUTO
     * fallback of issue 16 meets either.
     */
    @ParameterizedTest
    @CsvSource({"mosquitto, '20 02 00 01, then closed'", "hivemq, closed without CONNACK"})
    void anUnknownProtocolLevelIsRefused(String broker, String expected) throws IOException {
        byte[] connect = Bytes.of(0x10, 13, Bytes.str("MQTT"), 6, 0x02, 0x00, 60, Bytes.str("x"));
        String reply;
        try (Socket s = new Socket("127.0.0.1", broker.equals("mosquitto") ? MOSQUITTO.port() : HIVEMQ.port())) {
            s.setSoTimeout(Wire5Client.FRAME_TIMEOUT_MILLIS);
            s.getOutputStream().write(connect);
            byte[] in = new byte[64];
            int n = 0;
            while (true) {
                int r = s.getInputStream().read(in, n, in.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
            reply = n == 0 ? "closed without CONNACK" : Bytes.toHex(in, 0, n) + ", then closed";
        }
        System.out.println(broker + " answers a level 6 CONNECT with: " + reply);
        assertEquals(expected, reply);
    }
}
