package dev.wren.mqtt;

import dev.wren.mqtt.testing.FakeClock;
import dev.wren.mqtt.testing.ScriptedTransport;
import dev.wren.mqtt.testing.ScriptedTransportFactory;

import static dev.wren.mqtt.testing.Packets.connack;
import static dev.wren.mqtt.testing.Packets.connect;

/**
 * What session tests over scripted transports share: a fake clock, one scripted transport per connection, a
 * recording listener, and client "c" (persistent, keep-alive 10 s, operations time out after 5 s).
 */
abstract class ScriptedSessionTest {

    final FakeClock clock = new FakeClock();
    final ScriptedTransportFactory factory = new ScriptedTransportFactory();
    final RecordingListener events = new RecordingListener();

    /** Client "c" over {@link #factory}, {@link #clock} and {@link #events}; callers add or override settings. */
    MqttConfig.Builder config() {
        return MqttConfig.builder().host("broker.test").clientId("c").cleanSession(false).keepAliveSeconds(10)
                .operationTimeoutMillis(5000).transportFactory(factory).clock(clock).listener(events);
    }

    /** What client "c" sends in its MQTT 5.0 CONNECT with the defaults: Receive Maximum = maxIncomingQos2 (64). */
    static final byte[] CONNECT5_PROPS = dev.wren.mqtt.testing.Packets5.props(0x21, 0, 64);

    /** The next connection at MQTT 5.0: it expects the CONNECT of "c" and answers a CONNACK with {@code connackProps}. */
    ScriptedTransport accepted5(boolean sessionPresent, byte[] connackProps) {
        ScriptedTransport t = new ScriptedTransport(clock)
                .expect(dev.wren.mqtt.testing.Packets5.connect("c", false, 10, CONNECT5_PROPS))
                .send(dev.wren.mqtt.testing.Packets5.connack(sessionPresent, 0, connackProps));
        factory.then(t);
        return t;
    }

    /** The next connection: it expects CONNECT for client "c" (persistent, keep-alive 10 s) and answers CONNACK. */
    ScriptedTransport accepted(boolean sessionPresent) {
        ScriptedTransport t = new ScriptedTransport(clock).expect(connect("c", false, 10)).send(connack(sessionPresent, 0));
        factory.then(t);
        return t;
    }
}
