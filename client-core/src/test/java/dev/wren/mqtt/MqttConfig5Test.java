package dev.wren.mqtt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The MQTT 5.0 options of the configuration: defaults, ranges, and the protocol they need. */
class MqttConfig5Test {

    private static MqttConfig.Builder base() {
        return MqttConfig.builder().host("h");
    }

    private static MqttConfig.Builder v5() {
        return base().protocolVersion(MqttConfig.MQTT_5);
    }

    private static void refused(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "\"" + e.getMessage() + "\" names " + f);
        }
    }

    @Test
    void defaultsAreMqtt311AndTheSpecDefaultsOfEachProperty() {
        MqttConfig c = base().build();
        assertEquals(MqttConfig.MQTT_3_1_1, c.protocolVersion());
        assertEquals(0, c.sessionExpiryIntervalSeconds());
        assertEquals(64, c.receiveMaximum(), "maxIncomingQos2's default");
        assertEquals(268_435_460, c.maximumPacketSize());
        assertEquals(0, c.topicAliasMaximum());
        assertTrue(c.requestProblemInformation());
        assertFalse(c.requestResponseInformation());
        assertEquals(0, c.userProperties().length);
        assertEquals(0, c.willDelayIntervalSeconds());
        assertEquals(-1, c.willMessageExpirySeconds());
        assertFalse(c.willPayloadUtf8());
        assertNull(c.willContentType());
        assertNull(c.willResponseTopic());
        assertNull(c.willCorrelationData());
        assertEquals(0, c.willUserProperties().length);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 4, 5})
    void protocolVersionTakesThreeFourFiveAndAuto(int version) {
        assertEquals(version, base().protocolVersion(version).clientId("c").build().protocolVersion());
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 1, 2, 6, 255})
    void protocolVersionRefusesOtherValues(int version) {
        refused(() -> base().protocolVersion(version), "protocolVersion " + version, "AUTO");
    }

    @Test
    void eachRangeIsCheckedWithTheValueInTheMessage() {
        refused(() -> v5().sessionExpiryIntervalSeconds(-1), "sessionExpiryIntervalSeconds -1 not in 0..4294967295");
        refused(() -> v5().sessionExpiryIntervalSeconds(0x1_0000_0000L), "4294967296 not in 0..4294967295");
        refused(() -> v5().receiveMaximum(0), "receiveMaximum 0 not in 1..65535");
        refused(() -> v5().receiveMaximum(65536), "receiveMaximum 65536 not in 1..65535");
        refused(() -> v5().maximumPacketSize(0), "maximumPacketSize 0 not in 1..268435460");
        refused(() -> v5().maximumPacketSize(268_435_461), "maximumPacketSize 268435461 not in 1..268435460");
        refused(() -> v5().topicAliasMaximum(-1), "topicAliasMaximum -1 not in 0..65535");
        refused(() -> v5().topicAliasMaximum(65536), "topicAliasMaximum 65536 not in 0..65535");
        refused(() -> v5().willProperties(-1, -1, false, null, null, null), "will delayIntervalSeconds -1");
        refused(() -> v5().willProperties(0, -2, false, null, null, null), "will messageExpirySeconds -2");
        refused(() -> v5().willProperties(0, 0x1_0000_0000L, false, null, null, null), "4294967296");
        refused(() -> v5().willProperties(0, -1, false, null, null, new byte[65536]),
                "will correlationData length 65536 not in 0..65535");
    }

    @Test
    void theEndsOfEachRangeAreAccepted() {
        MqttConfig high = v5().sessionExpiryIntervalSeconds(MqttConfig.FOUR_BYTE_MAX).maxIncomingQos2(65535)
                .receiveMaximum(65535)
                .maximumPacketSize(268_435_460).topicAliasMaximum(65535)
                .will("w", new byte[0], 0, false)
                .willProperties(MqttConfig.FOUR_BYTE_MAX, MqttConfig.FOUR_BYTE_MAX, false, "", "r", new byte[65535])
                .build();
        assertEquals(4_294_967_295L, high.sessionExpiryIntervalSeconds());
        assertEquals(4_294_967_295L, high.willDelayIntervalSeconds());
        assertEquals(4_294_967_295L, high.willMessageExpirySeconds());
        assertEquals(65535, high.willCorrelationData().length);
        MqttConfig low = v5().sessionExpiryIntervalSeconds(0).receiveMaximum(1).maximumPacketSize(1)
                .topicAliasMaximum(0).will("w", new byte[0], 0, false).willProperties(0, 0, false, null, null, null)
                .build();
        assertEquals(1, low.receiveMaximum());
        assertEquals(1, low.maximumPacketSize());
        assertEquals(0, low.willMessageExpirySeconds());
    }

    /** Each 5.0-only option is refused at protocol 3.1 and 3.1.1, naming the option and its value. */
    @ParameterizedTest
    @ValueSource(ints = {3, 4})
    void everyMqtt5OptionIsRefusedAtProtocol3And4(int version) {
        UnaryOperator<MqttConfig.Builder> at = b -> b.protocolVersion(version).clientId("c");
        refused(() -> at.apply(base().sessionExpiryIntervalSeconds(30)).build(),
                "sessionExpiryIntervalSeconds 30 is an MQTT 5.0 option but protocolVersion is " + version,
                "protocolVersion(MQTT_5)");
        refused(() -> at.apply(base().receiveMaximum(20)).build(), "receiveMaximum 20 is an MQTT 5.0 option");
        refused(() -> at.apply(base().maximumPacketSize(4096)).build(), "maximumPacketSize 4096 is an MQTT 5.0");
        refused(() -> at.apply(base().topicAliasMaximum(5)).build(), "topicAliasMaximum 5 is an MQTT 5.0");
        refused(() -> at.apply(base().requestProblemInformation(false)).build(),
                "requestProblemInformation false is an MQTT 5.0");
        refused(() -> at.apply(base().requestResponseInformation(true)).build(),
                "requestResponseInformation true is an MQTT 5.0");
        refused(() -> at.apply(base().userProperty("site", "x")).build(), "userProperty \"site\" is an MQTT 5.0");
        refused(() -> at.apply(base().will("w", new byte[0], 0, false).willProperties(5, -1, false, null, null, null))
                .build(), "will delayIntervalSeconds 5 is an MQTT 5.0");
        refused(() -> at.apply(base().will("w", new byte[0], 0, false).willUserProperty("k", "v")).build(),
                "willUserProperty \"k\" is an MQTT 5.0");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 5})
    void mqtt5OptionsAreTakenAtProtocol5AndAuto(int version) {
        MqttConfig c = base().protocolVersion(version).sessionExpiryIntervalSeconds(30).receiveMaximum(20)
                .maximumPacketSize(4096).topicAliasMaximum(5).requestProblemInformation(false)
                .requestResponseInformation(true).userProperty("site", "north").userProperty("site", "south")
                .will("w/t", "bye".getBytes(StandardCharsets.UTF_8), 1, false)
                .willProperties(10, 3600, true, "text/plain", "w/reply", new byte[]{1, 2})
                .willUserProperty("k", "v").build();
        assertEquals(30, c.sessionExpiryIntervalSeconds());
        assertEquals(20, c.receiveMaximum());
        assertEquals(4096, c.maximumPacketSize());
        assertEquals(5, c.topicAliasMaximum());
        assertFalse(c.requestProblemInformation());
        assertTrue(c.requestResponseInformation());
        assertArrayEquals(new String[]{"site", "north", "site", "south"}, c.userProperties(), "in order, repeatable");
        assertEquals(10, c.willDelayIntervalSeconds());
        assertEquals(3600, c.willMessageExpirySeconds());
        assertTrue(c.willPayloadUtf8());
        assertEquals("text/plain", c.willContentType());
        assertEquals("w/reply", c.willResponseTopic());
        assertArrayEquals(new byte[]{1, 2}, c.willCorrelationData());
        assertArrayEquals(new String[]{"k", "v"}, c.willUserProperties());
    }

    @Test
    void receiveMaximumFollowsAndMayNotExceedTheIncomingQos2Table() {
        assertEquals(10, v5().maxIncomingQos2(10).build().receiveMaximum(), "default: the table's size");
        assertEquals(10, v5().maxIncomingQos2(20).receiveMaximum(10).build().receiveMaximum());
        refused(() -> v5().maxIncomingQos2(10).receiveMaximum(20).build(),
                "receiveMaximum 20 > maxIncomingQos2 10");
        refused(() -> v5().receiveMaximum(65535).build(), "receiveMaximum 65535 > maxIncomingQos2 64");
    }

    @Test
    void accessorsReturnCopies() {
        byte[] correlation = {1, 2};
        MqttConfig c = v5().userProperty("a", "b").will("w", new byte[0], 0, false)
                .willProperties(0, -1, false, null, null, correlation).build();
        correlation[0] = 9;
        c.userProperties()[0] = "changed";
        c.willCorrelationData()[1] = 9;
        assertArrayEquals(new String[]{"a", "b"}, c.userProperties());
        assertArrayEquals(new byte[]{1, 2}, c.willCorrelationData());
    }

    @Test
    void userPropertiesHaveAFixedCapacityAndEncodableStrings() {
        MqttConfig.Builder b = v5();
        for (int i = 0; i < MqttConfig.MAX_USER_PROPERTIES; i++) {
            b.userProperty("k" + i, "v");
        }
        refused(() -> b.userProperty("one", "more"), "userProperty count 17 not in 1..16");
        refused(() -> v5().userProperty(null, "v"), "userProperty name and value must not be null");
        refused(() -> v5().userProperty("k\u0000", "v"), "userProperty name", "U+0000");
        refused(() -> v5().willUserProperty("k", "\ud800"), "willUserProperty value", "surrogate");
        MqttConfig.Builder w = v5();
        for (int i = 0; i < MqttConfig.MAX_USER_PROPERTIES; i++) {
            w.willUserProperty("k" + i, "v");
        }
        refused(() -> w.willUserProperty("one", "more"), "willUserProperty count 17 not in 1..16");
    }

    @Test
    void willStringsAreChecked() {
        refused(() -> v5().willProperties(0, -1, false, null, "a/+/b", null), "will responseTopic \"a/+/b\"",
                "MQTT-3.3.2-14");
        refused(() -> v5().willProperties(0, -1, false, "x\u0000", null, null), "will contentType", "U+0000");
    }

    @Test
    void willPropertiesNeedAWill() {
        refused(() -> v5().willProperties(5, -1, false, null, null, null).build(), "there is no will");
        refused(() -> v5().willUserProperty("k", "v").build(), "there is no will");
    }

    @Test
    void payloadFormatUtf8NeedsAUtf8WillPayload() {
        refused(() -> v5().will("w", new byte[]{(byte) 0xC0, (byte) 0x80}, 0, false)
                .willProperties(0, -1, true, null, null, null).build(), "will payload of 2 bytes is not UTF-8",
                "§3.1.3.2.3");
        assertDoesNotThrow(() -> v5().will("w", "grüße".getBytes(StandardCharsets.UTF_8), 0, false)
                .willProperties(0, -1, true, null, null, null).build());
    }

    @Test
    void aPasswordAloneIsAllowedAtMqtt5Only() {
        byte[] pw = "pw".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(pw, v5().password(pw).build().password(), "MQTT 5.0 §3.1.2.9");
        refused(() -> base().password(pw).build(), "MQTT-3.1.2-22");
        refused(() -> base().protocolVersion(MqttConfig.MQTT_AUTO).password(pw).build(), "MQTT-3.1.2-22");
    }

    @Test
    void mqtt31NeedsAClientIdOf1To23Characters() {
        refused(() -> base().protocolVersion(MqttConfig.MQTT_3_1).build(), "clientId \"\" has 0 characters", "1..23");
        refused(() -> base().protocolVersion(MqttConfig.MQTT_3_1).clientId("abcdefghijklmnopqrstuvwx").build(),
                "has 24 characters");
        assertEquals("abcdefghijklmnopqrstuvw", base().protocolVersion(MqttConfig.MQTT_3_1)
                .clientId("abcdefghijklmnopqrstuvw").build().clientId());
    }

    @Test
    void toStringShowsTheMqtt5OptionsButNoSecrets() {
        MqttConfig c = v5().clientId("node").userName("u").password("sécret".toCharArray())
                .sessionExpiryIntervalSeconds(30).receiveMaximum(20).topicAliasMaximum(5)
                .userProperty("token", "hidden-value").will("w", new byte[0], 0, false)
                .willProperties(7, -1, false, null, null, null).build();
        String s = c.toString();
        assertTrue(s.contains("protocolVersion=5, sessionExpiryIntervalSeconds=30, receiveMaximum=20,"
                + " maximumPacketSize=268435460, topicAliasMaximum=5, userProperties=1, willDelayIntervalSeconds=7"), s);
        assertFalse(s.contains("hidden-value"), s);
        assertFalse(s.contains("sécret"), s);
        assertTrue(s.contains("password=****"), s);
        assertTrue(base().protocolVersion(MqttConfig.MQTT_AUTO).build().toString().contains("protocolVersion=AUTO"));
        assertTrue(base().build().toString().contains("protocolVersion=4}") || base().build().toString()
                .contains("protocolVersion=4,"), base().build().toString());
    }
}
