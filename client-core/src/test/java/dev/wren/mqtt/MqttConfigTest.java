package dev.wren.mqtt;

import dev.wren.mqtt.testing.Covers;
import dev.wren.mqtt.transport.TcpTransportFactory;
import dev.wren.mqtt.transport.TransportFactory;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Config parsing and validation: every refusal names the value and the range or rule. */
class MqttConfigTest {

    @Test
    void serverUriSchemesAndDefaultPorts() {
        MqttConfig tcp = MqttConfig.builder().serverUri("tcp://broker.local:1884").build();
        assertEquals("broker.local", tcp.host());
        assertEquals(1884, tcp.port());
        assertFalse(tcp.secure());
        assertEquals(1883, MqttConfig.builder().serverUri("mqtt://h").build().port());
        assertEquals("::1", MqttConfig.builder().serverUri("tcp://[::1]:1883").build().host());
        IllegalArgumentException noTlsLayer = assertThrows(IllegalArgumentException.class,
                () -> MqttConfig.builder().serverUri("mqtts://h").build(), "client-tls is not on this test class path");
        assertTrue(noTlsLayer.getMessage().contains("\"mqtts://h\"")
                && noTlsLayer.getMessage().contains("dev.wren:client-tls"), noTlsLayer.getMessage());
        TransportFactory own = (host, port, timeoutMillis) -> {
            throw new java.io.IOException("not opened by this test");
        };
        MqttConfig mqtts = MqttConfig.builder().serverUri("mqtts://h").transportFactory(own).build();
        assertEquals(8883, mqtts.port());
        assertSame(own, mqtts.transportFactory(), "an explicit factory wins over the scheme");
        IllegalArgumentException tls = assertThrows(IllegalArgumentException.class, () -> MqttConfig.builder()
                .serverUri("mqtts://h").transportFactory(TcpTransportFactory.INSTANCE).build());
        assertTrue(tls.getMessage().contains("TLS") && tls.getMessage().contains("8883"), tls.getMessage());
        IllegalArgumentException scheme = assertThrows(IllegalArgumentException.class,
                () -> MqttConfig.builder().serverUri("http://h"));
        assertTrue(scheme.getMessage().contains("\"http\""), scheme.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MqttConfig.builder().serverUri("tcp://h:1883/path"));
        assertThrows(IllegalArgumentException.class, () -> MqttConfig.builder().build(), "no host");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {
            "tcp://user:secret@host:1883",          // user-info is refused
            "http://user:secret@host:1883",         // scheme
            "tcp://user:secret@host:1883/path",     // path
            "tcp://user:secret@host:1883 x",        // not a URI at all
            "tcp://user:secret@",                   // no host
    })
    void serverUriRefusalMasksThePassword(String uri) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MqttConfig.builder().serverUri(uri));
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
        assertTrue(e.getMessage().contains("user:****@"), e.getMessage());
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            // uri                               | masked
            "tcp://user:secret@host:1883         | tcp://user:****@host:1883",
            "mqtt://user:p@ss@host/t             | mqtt://user:****@host/t",
            "mqtt://user:s:e:c@host/a@b          | mqtt://user:****@host/a@b",
            "mqtt://user@host:1883/t             | mqtt://user@host:1883/t",
            "tcp://host:1883                     | tcp://host:1883",
            "mqtt://host:1883/a:b@c              | mqtt://host:1883/a:b@c",
            "user:secret@host                    | user:****@host",
    })
    void maskPasswordHidesOnlyTheUserInfoPassword(String uri, String masked) {
        assertEquals(masked, MqttConfig.maskPassword(uri));
    }

    @Test
    void defaults() {
        MqttConfig c = MqttConfig.builder().host("h").build();
        assertEquals(1883, c.port());
        assertEquals("", c.clientId());
        assertTrue(c.cleanSession());
        assertEquals(60, c.keepAliveSeconds());
        assertEquals(10_000, c.connectTimeoutMillis());
        assertEquals(10_000, c.operationTimeoutMillis());
        assertEquals(16 * 1024, c.receiveBufferBytes());
        assertEquals(16 * 1024, c.transmitBufferBytes());
        assertEquals(16, c.maxInflight());
        assertEquals(64, c.maxIncomingQos2());
        assertEquals(16, c.maxSubscriptions());
    }

    @Test
    void rangesAreCheckedNamingValueAndRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MqttConfig.builder().keepAliveSeconds(65536));
        assertEquals("keepAliveSeconds 65536 not in 0..65535", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MqttConfig.builder().port(0));
        assertThrows(IllegalArgumentException.class, () -> MqttConfig.builder().receiveBufferBytes(63));
        assertThrows(IllegalArgumentException.class, () -> MqttConfig.builder().maxInflight(0));
        assertThrows(IllegalArgumentException.class, () -> MqttConfig.builder().will("a/+", new byte[0], 0, false));
        assertThrows(IllegalArgumentException.class, () -> MqttConfig.builder().will("a", new byte[0], 3, false));
        assertThrows(IllegalArgumentException.class, () -> MqttConfig.builder().clientId("a\u0000b"));
        IllegalArgumentException memory = assertThrows(IllegalArgumentException.class,
                () -> MqttConfig.builder().host("h").maxInflight(65_000).transmitBufferBytes(1 << 20).build());
        assertTrue(memory.getMessage().contains("2 GiB"), memory.getMessage());
    }

    @Test
    @Covers({"MQTT-3.1.2-22", "MQTT-3.1.3-7"})
    void passwordNeedsAUserNameAndIsNeverShown() {
        assertThrows(IllegalArgumentException.class,
                () -> MqttConfig.builder().host("h").password("pw".toCharArray()).build());
        MqttConfig c = MqttConfig.builder().host("h").userName("u").password("sécret".toCharArray()).build();
        assertArrayEquals("sécret".getBytes(StandardCharsets.UTF_8), c.password());
        assertFalse(c.toString().contains("sécret"), c.toString());
        assertTrue(c.toString().contains("****"));
        assertThrows(IllegalArgumentException.class, () -> MqttConfig.builder().host("h").cleanSession(false).build());
    }

    @Test
    void aConnectThatCannotFitTheTransmitBufferIsRefusedAtConstruction() {
        MqttConfig c = MqttConfig.builder().host("h").transmitBufferBytes(64).will("w", new byte[100], 0, false).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MqttClient(c));
        assertTrue(e.getMessage().contains("> transmitBufferBytes 64"), e.getMessage());
    }
}
