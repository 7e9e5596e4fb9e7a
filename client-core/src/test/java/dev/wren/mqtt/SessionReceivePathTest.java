package dev.wren.mqtt;

import dev.wren.mqtt.MqttException.Reason;
import dev.wren.mqtt.testing.Covers;
import dev.wren.mqtt.testing.FakeClock;
import dev.wren.mqtt.testing.ScriptedTransport;
import dev.wren.mqtt.testing.ScriptedTransportFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static dev.wren.mqtt.testing.Packets.connack;
import static dev.wren.mqtt.testing.Packets.connect;
import static dev.wren.mqtt.testing.Packets.pingreq;
import static dev.wren.mqtt.testing.Packets.pingresp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The receive path over a scripted transport and a fake clock: keep-alive judgement, deadlines, oversize checks. */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SessionReceivePathTest {

    private final FakeClock clock = new FakeClock();
    private final ScriptedTransportFactory factory = new ScriptedTransportFactory();
    private final RecordingListener events = new RecordingListener();
    private final List<String> received = new ArrayList<>();

    private MqttConfig.Builder config() {
        return MqttConfig.builder().host("broker.test").clientId("c").cleanSession(false).keepAliveSeconds(10)
                .operationTimeoutMillis(5000).transportFactory(factory).clock(clock).listener(events);
    }

    private ScriptedTransport accepted() {
        ScriptedTransport t = new ScriptedTransport(clock).expect(connect("c", false, 10)).send(connack(false, 0));
        factory.then(t);
        return t;
    }

    private MqttClient connectedClient(MqttConfig.Builder b) throws Exception {
        MqttClient client = new MqttClient(b.build());
        client.connect();
        client.setDefaultHandler(m -> received.add(m.topicAsString() + "=" + m.payloadAsString()));
        return client;
    }

    @Test
    void aPingrespThatArrivedBeforeALatePollIsReadBeforeTheDeadlineIsJudged() throws Exception {
        ScriptedTransport t = accepted().expect(pingreq()).send(pingresp());
        MqttClient client = connectedClient(config());
        assertEquals(0, client.poll(10_000), "PINGREQ goes out at 10 s");
        clock.advanceMillis(5_000); // the application was busy past the 4 s ping timeout; the PINGRESP waits unread
        assertEquals(1, client.poll(0), "the PINGRESP is handled");
        assertTrue(client.isConnected(), events.events.toString());
        t.assertFinished();
    }
}
