package dev.wren.mqtt;

import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.codec.v5.ReasonCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MQTT 5.0 reason codes as {@link MqttException.Reason}s: the codec's names, one mapping, no second table. */
class MqttExceptionReasonTest {

    /** Every failure code of the codec's table, by value, with the name of its constant in {@link ReasonCode}. */
    private static Map<Integer, String> failureCodes() throws IllegalAccessException {
        Map<Integer, String> codes = new TreeMap<>();
        for (Field f : ReasonCode.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class && f.getInt(null) >= 0x80) {
                codes.put(f.getInt(null), f.getName());
            }
        }
        return codes;
    }

    @Test
    void everyFailureReasonCodeMapsToTheReasonOfTheSameName() throws IllegalAccessException {
        Map<Integer, String> codes = failureCodes();
        assertEquals(35, codes.size(), "Table 2-6 lists 0x80..0xA2: " + codes);
        for (Map.Entry<Integer, String> c : codes.entrySet()) {
            assertEquals(c.getValue(), MqttException.Reason.forReasonCode(c.getKey()).name(),
                    "reason code 0x" + Integer.toHexString(c.getKey()) + " ("
                            + ReasonCode.name(PacketType.CONNACK, c.getKey()) + ")");
        }
    }

    /** The reason codes' constants are the last ones, so position inverts forReasonCode (as tools' Connections does). */
    @Test
    void theReasonCodeConstantsComeLastInCodeOrder() {
        MqttException.Reason[] all = MqttException.Reason.values();
        int first = MqttException.Reason.UNSPECIFIED_ERROR.ordinal();
        assertEquals(0xA2 - 0x80 + 1, all.length - first, "constants from UNSPECIFIED_ERROR on");
        assertSame(MqttException.Reason.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED, all[all.length - 1]);
    }

    @Test
    void theCodesTheIssueNamesMapAsTheSpecNamesThem() {
        assertSame(MqttException.Reason.UNSUPPORTED_PROTOCOL_VERSION, MqttException.Reason.forReasonCode(0x84));
        assertSame(MqttException.Reason.NOT_AUTHORIZED, MqttException.Reason.forReasonCode(0x87));
        assertSame(MqttException.Reason.QUOTA_EXCEEDED, MqttException.Reason.forReasonCode(0x97));
        assertSame(MqttException.Reason.PACKET_TOO_LARGE, MqttException.Reason.forReasonCode(0x95),
                "one PACKET_TOO_LARGE for the client's own limit and the server's reason code");
        assertSame(MqttException.Reason.KEEP_ALIVE_TIMEOUT, MqttException.Reason.forReasonCode(0x8D));
        assertSame(MqttException.Reason.SESSION_TAKEN_OVER, MqttException.Reason.forReasonCode(0x8E));
        assertSame(MqttException.Reason.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED,
                MqttException.Reason.forReasonCode(0xA2));
    }

    @ParameterizedTest
    @ValueSource(ints = {0x00, 0x04, 0x10, 0x7F, 0xA3, 0xFF, -1})
    void aCodeThatIsNotAFailureIsRefusedNamingIt(int code) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MqttException.Reason.forReasonCode(code));
        assertTrue(e.getMessage().contains("0x" + Integer.toHexString(code)), e.getMessage());
    }

    @Test
    void theMqtt311ConnackMappingIsUnchanged() {
        assertSame(MqttException.Reason.REFUSED_PROTOCOL_VERSION, MqttException.Reason.forConnackReturnCode(1));
        assertSame(MqttException.Reason.REFUSED_NOT_AUTHORIZED, MqttException.Reason.forConnackReturnCode(5));
    }
}
