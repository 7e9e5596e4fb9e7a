package dev.wren.tools.bench;

import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttConfig;
import dev.wren.mqtt.MqttTopic;
import dev.wren.mqtt.transport.TcpTransportFactory;
import dev.wren.mqtt.transport.Transport;
import dev.wren.mqtt.transport.TransportFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What automatic topic aliases save on the wire: a sensor node publishing three readings (5 B payloads) to three
 * topics, QoS 1 retained, counting the bytes the client writes (a counting {@link Transport} around TCP) while it
 * publishes, per message, at MQTT 3.1.1, at 5.0, and at 5.0 with {@code topicAliases(3)}. Not a test: it prints the
 * figures. CONNECT, CONNACK and DISCONNECT are left out; PUBACKs are read, not written, so what is counted is the
 * PUBLISH packets.
 */
final class AliasBench {
    /** Header of the rendered table; the smoke test finds the table by it. */
    static final String HEADER = "Topic aliases: 3 readings to 3 topics, QoS 1 retained, 5 B payload";
    static final String[] TOPICS = {"home/living_room/temperature", "home/living_room/humidity",
            "home/living_room/pressure"};

    private final String host;
    private final int port;
    private final int rounds;
    private final PrintWriter log;

    /** @param rounds publishes of the three readings per measurement */
    AliasBench(String host, int port, int rounds, PrintWriter log) {
        this.host = host;
        this.port = port;
        this.rounds = rounds;
        this.log = log;
    }

    /** Runs the three measurements and returns the table. */
    String run() throws Exception {
        double v311 = bytesPerMessage(MqttConfig.MQTT_3_1_1, 0);
        double v5 = bytesPerMessage(MqttConfig.MQTT_5, 0);
        double aliased = bytesPerMessage(MqttConfig.MQTT_5, 3);
        StringBuilder t = new StringBuilder();
        t.append("| ").append(HEADER).append(" | written [B/msg] |\n|---|---:|\n");
        row(t, "MQTT 3.1.1", v311);
        row(t, "MQTT 5.0, no aliases", v5);
        row(t, "MQTT 5.0, topicAliases(3)", aliased);
        t.append(String.format(Locale.ROOT, "%d messages per row (%d rounds of 3); topics %s, %s, %s. With aliases"
                        + " %.1f B/msg less than 5.0 without (%.0f %%).%n", 3 * rounds, rounds, TOPICS[0], TOPICS[1],
                TOPICS[2], v5 - aliased, 100 * (v5 - aliased) / v5));
        return t.toString();
    }

    private static void row(StringBuilder t, String label, double bytes) {
        t.append(String.format(Locale.ROOT, "| %s | %.2f |%n", label, bytes));
    }

    /** Bytes the client writes per message while publishing {@link #rounds} rounds of the three readings. */
    double bytesPerMessage(int protocol, int aliases) throws Exception {
        long[] written = new long[1];
        MqttConfig.Builder b = MqttConfig.builder().host(host).port(port).protocolVersion(protocol)
                .clientId("wren-bench-alias-" + protocol + "-" + aliases).transportFactory(counting(written));
        if (aliases > 0) {
            b.topicAliases(aliases);
        }
        MqttTopic[] topics = new MqttTopic[TOPICS.length];
        for (int i = 0; i < topics.length; i++) {
            topics[i] = MqttTopic.of(TOPICS[i]);
        }
        byte[] payload = "21.50".getBytes(StandardCharsets.US_ASCII);
        try (MqttClient client = new MqttClient(b.build())) {
            client.connect();
            long before = written[0];
            for (int r = 0; r < rounds; r++) {
                for (MqttTopic topic : topics) {
                    client.publish(topic, payload, 1, true);
                }
                client.poll(0);
            }
            long bytes = written[0] - before;
            if (!client.awaitInflight(30_000)) {
                throw new IOException("QoS 1 messages still unacknowledged after 30 s: " + client.inflightCount());
            }
            client.disconnect();
            double perMessage = (double) bytes / (3L * rounds);
            log.println(String.format(Locale.ROOT, "topic aliases: protocol %d, topicAliases(%d): %d B written for %d"
                    + " messages, %.2f B/msg", protocol, aliases, bytes, 3 * rounds, perMessage));
            return perMessage;
        }
    }

    /** TCP transports that add the bytes the client writes to {@code written[0]}. */
    static TransportFactory counting(long[] written) {
        return (h, p, timeoutMillis) -> {
            Transport tcp = TcpTransportFactory.INSTANCE.open(h, p, timeoutMillis);
            return new Transport() {
                @Override
                public int read(byte[] dst, int off, int len, int timeout) throws IOException {
                    return tcp.read(dst, off, len, timeout);
                }

                @Override
                public void write(byte[] src, int off, int len) throws IOException {
                    tcp.write(src, off, len);
                    written[0] += len;
                }

                @Override
                public void close() {
                    tcp.close();
                }
            };
        };
    }
}
