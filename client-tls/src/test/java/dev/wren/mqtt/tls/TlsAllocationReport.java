package dev.wren.mqtt.tls;

import dev.wren.mqtt.transport.TcpTransportFactory;
import dev.wren.mqtt.transport.Transport;
import dev.wren.mqtt.transport.TransportFactory;
import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttConfig;
import dev.wren.mqtt.MqttException;
import dev.wren.mqtt.MqttTopic;
import dev.wren.mqtt.codec.ConnectEncoder;
import dev.wren.mqtt.codec.ConnectFields;
import dev.wren.mqtt.codec.PublishEncoder;
import dev.wren.mqtt.codec.SubscribeEncoder;
import dev.wren.mqtt.testing.AllocationMeter;
import dev.wren.mqtt.testing.MosquittoExtension;
import dev.wren.mqtt.testing.TestCertificates;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Prints the bytes the calling thread allocates per MQTT message over plain TCP and over TLS 1.3 / 1.2,
 * at the transport level (the codec and the client add nothing per message): a real mosquitto on loopback,
 * a 64-byte payload, packets encoded once into reused buffers.
 *
 * <ul>
 *   <li>QoS 0 publish: one {@code write} of the PUBLISH.</li>
 *   <li>QoS 1 publish: {@code write} PUBLISH, {@code read} the 4-byte PUBACK.</li>
 *   <li>QoS 0 round trip: publish to a topic this connection subscribed to and read the PUBLISH back.</li>
 *   <li>idle read: one {@code read} with a 1 ms timeout, or none (0), that finds nothing.</li>
 * </ul>
 * Then the same through {@link MqttClient}: publish, {@code poll(0)}, and receive the message back.
 *
 * <pre>
 * mvn -B -q -o -pl client-tls test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
 *     -Dexec.args="-cp %classpath dev.wren.mqtt.tls.TlsAllocationReport 20000"
 * </pre>
 */
public final class TlsAllocationReport {

    private static final int PAYLOAD_BYTES = 64;
    private static final int IDLE_POLLS = 300;
    private static final byte[] TOPIC = "wren/alloc".getBytes(StandardCharsets.UTF_8);
    /** A topic nobody subscribed to, so write-only measurements are not disturbed by incoming copies. */
    private static final byte[] OTHER_TOPIC = "wren/alloc-unheard".getBytes(StandardCharsets.UTF_8);

    private TlsAllocationReport() {
    }

    /** @param args optional message count per measurement (default 20000) */
    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        TestCertificates pki = TestCertificates.get();
        MosquittoExtension broker = MosquittoExtension.builder()
                .extraListener("tls", pki.listenerLines(pki.serverPem, pki.serverKey)).build();
        broker.start();
        try {
            System.out.printf(Locale.ROOT, "bytes allocated per operation by the calling thread, %d messages of %d payload"
                    + " bytes, Java %s%n", messages, PAYLOAD_BYTES, System.getProperty("java.version"));
            System.out.printf(Locale.ROOT, "transport level%n%-8s %12s %12s %14s %14s %14s%n", "link", "QoS0 pub",
                    "QoS1 pub+ack", "QoS0 roundtrip", "idle 1ms read", "idle 0ms read");
            TlsConfig.Builder tls = TlsConfig.builder().trustPemFile(pki.caPem);
            TransportFactory tls13 = TlsTransportFactory.create(tls.protocols(TlsConfig.TLS_1_3).build());
            TransportFactory tls12 = TlsTransportFactory.create(tls.protocols(TlsConfig.TLS_1_2).build());
            row("TCP", TcpTransportFactory.INSTANCE, broker.port(), messages);
            row("TLS 1.3", tls13, broker.port("tls"), messages);
            row("TLS 1.2", tls12, broker.port("tls"), messages);
            System.out.printf(Locale.ROOT, "%nMqttClient, publish + poll(0) + receive back per message (subscribed to"
                    + " its own topic at the same QoS)%n%-8s %12s %12s%n", "link", "QoS 0", "QoS 1");
            clientRow("TCP", TcpTransportFactory.INSTANCE, broker.port(), messages);
            clientRow("TLS 1.3", tls13, broker.port("tls"), messages);
            clientRow("TLS 1.2", tls12, broker.port("tls"), messages);
        } finally {
            broker.stop();
        }
    }

    private static void row(String name, TransportFactory factory, int port, int messages) throws Exception {
        try (Transport t = factory.open("localhost", port, 5000)) {
            Link link = new Link(t);
            link.connectAndSubscribe();
            double qos0 = perOperation(messages, link::publishQos0);
            link.drain();
            double qos1 = perOperation(messages, link::publishQos1);
            double roundTrip = perOperation(messages, link::roundTripQos0);
            double idle = perOperation(IDLE_POLLS, link::idlePoll);
            double idleNoWait = perOperation(IDLE_POLLS, link::idlePollNoWait);
            System.out.printf(Locale.ROOT, "%-8s %12.0f %12.0f %14.0f %14.0f %14.0f%n", name, qos0, qos1, roundTrip, idle,
                    idleNoWait);
        }
    }

    private static void clientRow(String name, TransportFactory factory, int port, int messages) throws Exception {
        double[] perMessage = new double[2];
        for (int qos = 0; qos <= 1; qos++) {
            MqttConfig config = MqttConfig.builder().host("localhost").port(port).clientId("alloc-client-" + qos)
                    .transportFactory(factory).keepAliveSeconds(60).build();
            try (MqttClient client = new MqttClient(config)) {
                client.connect();
                int[] received = new int[1];
                client.subscribe("wren/alloc-client", qos, m -> received[0]++);
                MqttTopic topic = MqttTopic.of("wren/alloc-client");
                byte[] payload = new byte[PAYLOAD_BYTES];
                int q = qos;
                perMessage[qos] = perOperation(messages, i -> {
                    client.publish(topic, payload, 0, payload.length, q, false);
                    client.poll(0);
                    while (received[0] < i - 16) { // a steady sender: at most 16 messages not yet back
                        client.poll(1);
                    }
                });
                client.disconnect();
            } catch (MqttException e) {
                throw new IOException(e);
            }
        }
        System.out.printf(Locale.ROOT, "%-8s %12.0f %12.0f%n", name, perMessage[0], perMessage[1]);
    }

    /** Runs {@code op} a tenth of {@code count} times to warm up, then {@code count} times measured. */
    private static double perOperation(int count, Operation op) throws Exception {
        for (int i = 0; i < count / 10; i++) {
            op.run(i);
        }
        long cost = AllocationMeter.readingCost();
        long before = AllocationMeter.allocatedBytes();
        for (int i = 0; i < count; i++) {
            op.run(i);
        }
        long after = AllocationMeter.allocatedBytes();
        return (double) (after - before - cost) / count;
    }

    private interface Operation {
        void run(int i) throws Exception;
    }

    /** One connection with its reused buffers, subscribed to {@link #TOPIC}. */
    private static final class Link {
        private final Transport t;
        private final byte[] payload = new byte[PAYLOAD_BYTES];
        private final byte[] qos0 = new byte[PublishEncoder.length(TOPIC.length, 0, PAYLOAD_BYTES)];
        private final byte[] qos1 = new byte[PublishEncoder.length(OTHER_TOPIC.length, 1, PAYLOAD_BYTES)];
        private final byte[] qos0Other = new byte[PublishEncoder.length(OTHER_TOPIC.length, 0, PAYLOAD_BYTES)];
        private final byte[] in = new byte[4096];

        Link(Transport t) {
            this.t = t;
            PublishEncoder.encode(qos0, 0, TOPIC, 0, TOPIC.length, 0, false, false, 0, payload, 0, PAYLOAD_BYTES);
            PublishEncoder.encode(qos0Other, 0, OTHER_TOPIC, 0, OTHER_TOPIC.length, 0, false, false, 0, payload, 0,
                    PAYLOAD_BYTES);
        }

        void connectAndSubscribe() throws IOException {
            ConnectFields f = new ConnectFields().clear();
            f.clientId = "alloc-" + System.nanoTime();
            byte[] connect = new byte[ConnectEncoder.length(f)];
            ConnectEncoder.encode(connect, 0, f);
            t.write(connect, 0, connect.length);
            readExactly(4);
            CharSequence[] filters = {new String(TOPIC, StandardCharsets.UTF_8)};
            byte[] subscribe = new byte[SubscribeEncoder.length(filters, 1)];
            SubscribeEncoder.encode(subscribe, 0, 1, filters, new int[] {0}, 1);
            t.write(subscribe, 0, subscribe.length);
            readExactly(5);
        }

        void publishQos0(int i) throws IOException {
            t.write(qos0Other, 0, qos0Other.length);
        }

        void publishQos1(int i) throws IOException {
            int id = 1 + (i & 0x7FFF);
            PublishEncoder.encode(qos1, 0, OTHER_TOPIC, 0, OTHER_TOPIC.length, 1, false, false, id, payload, 0,
                    PAYLOAD_BYTES);
            t.write(qos1, 0, qos1.length);
            readExactly(4); // PUBACK
        }

        void roundTripQos0(int i) throws IOException {
            t.write(qos0, 0, qos0.length);
            readExactly(qos0.length);
        }

        void idlePoll(int i) throws IOException {
            if (t.read(in, 0, in.length, 1) != 0) {
                throw new IOException("unexpected data while idle");
            }
        }

        void idlePollNoWait(int i) throws IOException {
            if (t.read(in, 0, in.length, 0) != 0) {
                throw new IOException("unexpected data while idle");
            }
        }

        /** Lets the broker finish with the QoS 0 burst before request/response measurements. */
        void drain() throws IOException {
            while (t.read(in, 0, in.length, 200) > 0) {
                // discard
            }
        }

        private void readExactly(int count) throws IOException {
            int n = 0;
            while (n < count) {
                int r = t.read(in, n, count - n, 5000);
                if (r <= 0) {
                    throw new IOException(r < 0 ? "connection closed" : "no answer within 5 s");
                }
                n += r;
            }
        }
    }
}
