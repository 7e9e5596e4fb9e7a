package dev.wren.mqtt.testing;

import dev.wren.mqtt.MqttClient;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** End-to-end helpers over real brokers, shared by client-core's tests and those of client-tls and client-journal. */
public final class StreamCheck {

    private StreamCheck() {
    }

    /**
     * Publishes 60 QoS 1 payloads of 1 to 15,000 bytes (many TLS records, many socket reads), each filled with a
     * pattern of its index, from {@code pub} to {@code sub} (both connected) on {@code topic}, and asserts that they
     * arrive whole and in publish order (MQTT-7.1.2-1: the network connection is ordered and lossless).
     */
    public static void everyByteArrivesInOrder(MqttClient sub, MqttClient pub, String topic) throws Exception {
        List<byte[]> got = new ArrayList<>();
        sub.subscribe(topic, 1, m -> {
            byte[] copy = new byte[m.payloadLength()];
            m.copyPayload(copy, 0);
            got.add(copy);
        });
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            byte[] payload = new byte[1 + (i * 7919) % 15_000];
            for (int k = 0; k < payload.length; k++) {
                payload[k] = (byte) (i * 31 + k);
            }
            sent.add(payload);
            pub.publish(topic, payload, 0, payload.length, 1, false);
            sub.poll(0);
        }
        pumpUntil(() -> got.size() == sent.size() && pub.inflightCount() == 0, "60 messages", sub, pub);
        for (int i = 0; i < sent.size(); i++) {
            assertTrue(Arrays.equals(sent.get(i), got.get(i)), "message " + i + " of " + sent.get(i).length
                    + " bytes arrived as " + got.get(i).length + " bytes or changed");
        }
    }

    /** Polls the clients (round robin, short timeouts) until {@code done}, failing after 10 s naming {@code what}. */
    public static void pumpUntil(BooleanSupplier done, String what, MqttClient... cs) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting for " + what);
            }
            for (MqttClient c : cs) {
                c.poll(cs.length == 1 ? 20 : 2);
            }
        }
    }
}
