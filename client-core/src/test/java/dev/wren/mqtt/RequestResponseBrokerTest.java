package dev.wren.mqtt;

import dev.wren.mqtt.codec.v5.PropertiesView;
import dev.wren.mqtt.codec.v5.Property;
import dev.wren.mqtt.testing.AllocationMeter;
import dev.wren.mqtt.testing.MosquittoExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link MqttClient#request} end to end through mosquitto 2.0.11: a responder client on its own thread answers each
 * request on its Response Topic with its Correlation Data and the request's payload; the requester gets each
 * answer, and after the first call allocates nothing per request on its thread.
 */
@Timeout(120)
class RequestResponseBrokerTest {

    @RegisterExtension
    static final MosquittoExtension BROKER = MosquittoExtension.builder()
            .configLine("set_tcp_nodelay true") // a PUBACK and the answer back to back: no Nagle wait between them
            .build();

    private static final long WAIT_MILLIS = 30_000;

    private MqttClient responder;
    private Thread responderThread;
    private volatile boolean stop;
    private final AtomicReference<Throwable> responderFailure = new AtomicReference<>();

    private static MqttConfig.Builder config(String clientId) {
        return MqttConfig.builder().protocolVersion(MqttConfig.MQTT_5).host(BROKER.host()).port(BROKER.port())
                .clientId(clientId).keepAliveSeconds(60).operationTimeoutMillis((int) WAIT_MILLIS);
    }

    /** Answers every message on svc/echo: the payload back, to its Response Topic, with its Correlation Data. */
    @BeforeEach
    void startResponder() throws Exception {
        responder = new MqttClient(config("responder").build());
        responder.connect();
        PublishProperties answer = new PublishProperties(64);
        responder.subscribe("svc/echo", 1, m -> {
            PropertiesView p = m.properties();
            answer.clear().correlationData(p.buffer(), p.valueOffset(Property.CORRELATION_DATA),
                    p.valueLength(Property.CORRELATION_DATA));
            responder.publish(p.text(Property.RESPONSE_TOPIC), m.payloadBuffer(), m.payloadOffset(),
                    m.payloadLength(), 1, false, answer);
        });
        responderThread = new Thread(() -> {
            try {
                while (!stop) {
                    responder.poll(10);
                }
                responder.disconnect();
            } catch (Throwable e) {
                responderFailure.set(e);
            }
        }, "responder");
        responderThread.start(); // the client is handed over: this thread does not touch it again
    }

    @AfterEach
    void stopResponder() throws Exception {
        stop = true;
        responderThread.join(WAIT_MILLIS);
        responder.close();
        assertEquals(null, responderFailure.get(), "the responder failed");
    }

    @Test
    void eachRequestGetsItsOwnAnswerAndARepeatedRequestAllocatesNothing() throws Exception {
        try (MqttClient client = new MqttClient(config("requester").build())) {
            client.connect();
            byte[] correlation = new byte[8];
            byte[] payload = new byte[4];
            int[] got = new int[2]; // answers, answers whose payload was the request's
            MessageHandler sink = m -> {
                got[0]++;
                if (m.payloadEquals(payload, 0, 4)) {
                    got[1]++;
                }
            };
            for (int i = 0; i < 20; i++) {
                payload[0] = (byte) i;
                correlation[7] = (byte) i;
                assertTrue(client.request("svc/echo", payload, 0, 4, 1, "requester/answers", correlation, 0, 8,
                        WAIT_MILLIS, sink), "answer to request " + i);
            }
            assertEquals(20, got[0]);
            assertEquals(20, got[1], "each answer carries its request's payload");

            long[] sent = {0};
            AllocationMeter.SteadyState s = AllocationMeter.assertSteadyStateAllocatesNothing("wren 5.0 request()"
                    + " with a QoS 1 request and answer through mosquitto", 200, n -> {
                        for (int i = 0; i < n; i++) {
                            sent[0]++;
                            correlation[0] = (byte) sent[0];
                            correlation[1] = (byte) (sent[0] >> 8);
                            payload[1] = (byte) sent[0];
                            if (!client.request("svc/echo", payload, 0, 4, 1, "requester/answers", correlation, 0,
                                    8, WAIT_MILLIS, sink)) {
                                throw new AssertionError("no answer"); // allocates only on failure
                            }
                        }
                    });
            assertEquals(20 + s.operations(), got[1], "every answer matched its request");
            client.disconnect();
        }
    }
}
