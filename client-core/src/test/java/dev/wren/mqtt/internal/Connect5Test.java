package dev.wren.mqtt.internal;

import dev.wren.mqtt.MqttConfig;
import dev.wren.mqtt.testing.Bytes;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static dev.wren.mqtt.testing.Bytes.str;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The MQTT 5.0 CONNECT of a config, byte for byte (MQTT 5.0 §3.1). */
class Connect5Test {

    private static void assertBytes(byte[] expected, byte[] actual) {
        assertEquals(Bytes.toHex(expected), Bytes.toHex(actual));
    }

    @Test
    void everyOptionIsWrittenInItsPlace() {
        MqttConfig c = MqttConfig.builder().host("h").protocolVersion(MqttConfig.MQTT_5)
                .clientId("wren").keepAliveSeconds(30).userName("u").password("p".getBytes(StandardCharsets.UTF_8))
                .sessionExpiryIntervalSeconds(3600).receiveMaximum(20).maximumPacketSize(4096).topicAliasMaximum(5)
                .requestResponseInformation(true).requestProblemInformation(false).userProperty("a", "b")
                .will("w/t", "bye".getBytes(StandardCharsets.UTF_8), 1, true)
                .willProperties(10, 60, true, "t", "r", new byte[]{1, 2}).willUserProperty("k", "v")
                .build();
        byte[] expected = Bytes.of(
                0x10, 93,                           // CONNECT, remaining length
                str("MQTT"), 5,                     // protocol name, level 5 (§3.1.2.1, §3.1.2.2)
                0xEE,                               // user name, password, will retain, will QoS 1, will, clean start
                0x00, 30,                           // keep alive
                27,                                 // property length (§3.1.2.11)
                0x11, 0x00, 0x00, 0x0E, 0x10,       //   Session Expiry Interval 3600
                0x21, 0x00, 20,                     //   Receive Maximum 20
                0x27, 0x00, 0x00, 0x10, 0x00,       //   Maximum Packet Size 4096
                0x22, 0x00, 5,                      //   Topic Alias Maximum 5
                0x19, 1,                            //   Request Response Information 1
                0x17, 0,                            //   Request Problem Information 0
                0x26, str("a"), str("b"),           //   User Property a=b
                str("wren"),                        // client identifier
                32,                                 // will property length (§3.1.3.2)
                0x18, 0x00, 0x00, 0x00, 10,         //   Will Delay Interval 10
                0x01, 1,                            //   Payload Format Indicator 1 (UTF-8)
                0x02, 0x00, 0x00, 0x00, 60,         //   Message Expiry Interval 60
                0x03, str("t"),                     //   Content Type
                0x08, str("r"),                     //   Response Topic
                0x09, 0x00, 0x02, 0x01, 0x02,       //   Correlation Data
                0x26, str("k"), str("v"),           //   User Property k=v
                str("w/t"), str("bye"),             // will topic, will payload
                str("u"), str("p"));                // user name, password
        assertBytes(expected, Connect5.encode(c, true));
    }

    @Test
    void theDefaultsSendOnlyTheReceiveMaximumOfTheIncomingQos2Table() {
        MqttConfig c = MqttConfig.builder().host("h").protocolVersion(MqttConfig.MQTT_5).clientId("c").build();
        assertBytes(Bytes.of(0x10, 17, str("MQTT"), 5, 0x02, 0x00, 60,
                3, 0x21, 0x00, 64,                  // Receive Maximum 64: maxIncomingQos2's default
                str("c")), Connect5.encode(c, true));
    }

    @Test
    void cleanStartIsTheCallersAndAWillWithoutPropertiesHasAnEmptyBlock() {
        MqttConfig c = MqttConfig.builder().host("h").protocolVersion(MqttConfig.MQTT_AUTO).clientId("c")
                .cleanSession(false).keepAliveSeconds(0).will("w", new byte[0], 0, false).build();
        assertBytes(Bytes.of(0x10, 23, str("MQTT"), 5, 0x04, 0x00, 0x00, 3, 0x21, 0x00, 64, str("c"),
                0, str("w"), 0x00, 0x00),
                Connect5.encode(c, false));
    }

    @Test
    void aSessionThatNeverExpiresIsWrittenAsFourBytesOfOnes() {
        MqttConfig c = MqttConfig.builder().host("h").protocolVersion(MqttConfig.MQTT_5).clientId("c")
                .sessionExpiryIntervalSeconds(MqttConfig.FOUR_BYTE_MAX).build();
        assertBytes(Bytes.of(0x10, 22, str("MQTT"), 5, 0x02, 0x00, 60, 8, 0x11, 0xFF, 0xFF, 0xFF, 0xFF,
                0x21, 0x00, 64, str("c")),
                Connect5.encode(c, true));
    }
}
