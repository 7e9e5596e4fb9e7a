package dev.wren.mqtt;

import dev.wren.mqtt.MqttException.Reason;
import dev.wren.mqtt.testing.Covers5;
import dev.wren.mqtt.testing.ScriptedTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static dev.wren.mqtt.testing.Packets5.props;
import static dev.wren.mqtt.testing.Packets5.publish;
import static dev.wren.mqtt.testing.Packets5.suback;
import static dev.wren.mqtt.testing.Packets5.subscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shared subscriptions {@code $share/<ShareName>/<filter>} (MQTT 5.0 §4.8.2) over scripted transports: validated,
 * refused when the server has none, and their messages matched against the filter after the ShareName.
 */
class SharedSubscriptionScriptTest extends ScriptedSessionTest {

    private final List<String> got = new ArrayList<>();

    private MqttClient connected() throws Exception {
        MqttClient client = new MqttClient(config().protocolVersion(MqttConfig.MQTT_5).build());
        client.connect();
        return client;
    }

    @Test
    void aSharedSubscriptionIsSentAsGivenAndItsMessagesMatchTheFilterAfterTheShareName() throws Exception {
        ScriptedTransport t = accepted5(false, new byte[0]);
        MqttClient client = connected();
        t.expect(subscribe(1, "$share/g1/sensors/+", 1)).send(suback(1, 1));
        assertEquals(1, client.subscribe("$share/g1/sensors/+", 1, m -> got.add(m.topicAsString())));
        t.send(publish("sensors/t", "1", 0, false, false, 0)).send(publish("other/t", "2", 0, false, false, 0));
        client.poll(100);
        assertEquals(List.of("sensors/t"), got);
        assertEquals(1, client.unhandledMessageCount(), "other/t matches no filter");
        t.assertFinished();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "$share//a    | 0 | (empty ShareName) [MQTT-4.8.2-1]",
            "$share/+/a   | 0 | the ShareName holds '+' [MQTT-4.8.2-2]",
            "$share/#     | 0 | the ShareName holds '#' [MQTT-4.8.2-2]",
            "$share/g     | 0 | (no filter after the ShareName) [MQTT-4.8.2-2]",
            "$share/g/    | 0 | (no filter after the ShareName) [MQTT-4.8.2-2]",
            "$share/g/a   | 5 | NO_LOCAL on the shared subscription",
    })
    @Covers5({"MQTT-4.8.2-1", "MQTT-4.8.2-2", "MQTT-3.8.3-4"})
    void aMalformedSharedSubscriptionOrOneWithNoLocalIsRefusedBeforeAnythingIsSent(String filter, int qos,
                                                                                  String why) throws Exception {
        ScriptedTransport t = accepted5(false, new byte[0]);
        MqttClient client = connected();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> client.subscribe(filter, qos, m -> got.add("?")));
        assertTrue(e.getMessage().contains(why), e.getMessage());
        t.assertFinished();
    }

    @Test
    void aServerWithoutSharedSubscriptionsRefusesOneBeforeAnythingIsSent() throws Exception {
        ScriptedTransport t = accepted5(false, props(0x2A, 0)); // Shared Subscription Available 0
        MqttClient client = connected();
        MqttException e = assertThrows(MqttException.class,
                () -> client.subscribe("$share/g/a", 1, m -> got.add("?")));
        assertEquals(Reason.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED, e.reason());
        assertTrue(e.getMessage().contains("Shared Subscription Available 0"), e.getMessage());
        t.assertFinished();
    }
}
