package dev.wren.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.wren.mqtt.testing.MosquittoExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Zero allocation per message, proven the blunt way: a forked JVM whose collector never frees memory (Epsilon)
 * and whose heap is 24 MiB pushes 1,000,000 QoS 0 and 200,000 QoS 1 messages through a real mosquitto, publishing
 * with one Wren client and receiving with another. Even 20 bytes per message would need 24 MB and end the run
 * with OutOfMemoryError. Run again with C1 only ({@code -XX:TieredStopAtLevel=1}), so that C2's escape analysis
 * cannot remove an allocation the code makes, and at MQTT 5.0 with properties on every message.
 */
class EpsilonAllocationTest {
    private static final int QOS0_MESSAGES = 1_000_000;
    private static final int QOS1_MESSAGES = 200_000;
    private static final long RUN_TIMEOUT_SECONDS = 200;

    @RegisterExtension
    static final MosquittoExtension BROKER = MosquittoExtension.builder().build();

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void millionQos0And200kQos1MessagesPassThroughA24MiBHeapThatIsNeverCollected() throws Exception {
        runForked();
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void sameWithC1OnlySoEscapeAnalysisCannotHideAnAllocation() throws Exception {
        runForked("-XX:TieredStopAtLevel=1");
    }

    /** Both clients at MQTT 5.0, every message with a message expiry, a content type and a user property. */
    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void sameAtProtocol5WithExpiryContentTypeAndAUserPropertyOnEveryMessage() throws Exception {
        runForked("-Dwren.epsilon.protocol=5");
    }

    private static void runForked(String... extraJvmOptions) throws Exception {
        String java = ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("cannot tell which java runs this test"));
        List<String> cmd = new ArrayList<>(Arrays.asList(java,
                "-XX:+UnlockExperimentalVMOptions", "-XX:+UseEpsilonGC", "-Xms24m", "-Xmx24m"));
        cmd.addAll(Arrays.asList(extraJvmOptions));
        cmd.addAll(Arrays.asList("-cp", System.getProperty("java.class.path"), Driver.class.getName(),
                BROKER.host(), Integer.toString(BROKER.port()),
                Integer.toString(QOS0_MESSAGES), Integer.toString(QOS1_MESSAGES)));
        Path output = Files.createTempFile("wren-epsilon", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!p.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail("forked run did not finish within " + RUN_TIMEOUT_SECONDS + " s:\n" + read(output));
            }
            String text = read(output);
            assertEquals(0, p.exitValue(), String.join(" ", extraJvmOptions) + "\n" + text);
            assertTrue(text.contains("received qos0=" + QOS0_MESSAGES + " qos1=" + QOS1_MESSAGES), text);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    /**
     * The forked program: args host, port, QoS 0 count, QoS 1 count. Publishes in rounds of {@value #ROUND}
     * and drains the subscriber after each round, so that the broker never holds more than a round (its queue
     * limits stay out of the way). Prints the counts and exits 0, or dies with OutOfMemoryError.
     */
    public static final class Driver {
        static final int ROUND = 64;
        private static final long DRAIN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

        private Driver() {
        }

        /** Runs the two floods. */
        public static void main(String[] args) throws Exception {
            String host = args[0];
            int port = Integer.parseInt(args[1]);
            int qos0 = Integer.parseInt(args[2]);
            int qos1 = Integer.parseInt(args[3]);
            long[] received = new long[2];
            int protocol = Integer.getInteger("wren.epsilon.protocol", MqttConfig.MQTT_3_1_1);
            MqttClient sub = new MqttClient(MqttConfig.builder().host(host).port(port).clientId("epsilon-sub")
                    .protocolVersion(protocol).build());
            MqttClient pub = new MqttClient(MqttConfig.builder().host(host).port(port).clientId("epsilon-pub")
                    .protocolVersion(protocol).build());
            PublishProperties props = protocol == MqttConfig.MQTT_5 ? new PublishProperties(64) : null;
            sub.connect();
            pub.connect();
            sub.subscribe("epsilon/q0", 0, m -> received[0]++);
            sub.subscribe("epsilon/q1", 1, m -> received[1]++);
            byte[] payload = "21.53 degrees Celsius, room 4".getBytes(StandardCharsets.US_ASCII);
            Runtime rt = Runtime.getRuntime();
            long usedBefore = rt.totalMemory() - rt.freeMemory();
            flood(pub, sub, MqttTopic.of("epsilon/q0"), 0, payload, props, qos0, received, 0);
            flood(pub, sub, MqttTopic.of("epsilon/q1"), 1, payload, props, qos1, received, 1);
            long usedAfter = rt.totalMemory() - rt.freeMemory();
            pub.disconnect();
            sub.disconnect();
            System.out.println("received qos0=" + received[0] + " qos1=" + received[1]
                    + "; heap used before " + usedBefore + " B, after " + usedAfter + " B");
        }

        private static void flood(MqttClient pub, MqttClient sub, MqttTopic topic, int qos, byte[] payload,
                                  PublishProperties props, int count, long[] received, int slot) throws Exception {
            long base = received[slot];
            int sent = 0;
            while (sent < count) {
                int n = Math.min(ROUND, count - sent);
                for (int i = 0; i < n; i++) {
                    if (props != null) { // filled afresh for every message, as a caller would
                        props.clear().messageExpiryIntervalSeconds(300).contentType("text/plain")
                                .userProperty("room", "4");
                    }
                    pub.publish(topic, payload, 0, payload.length, qos, false, props);
                }
                sent += n;
                long deadline = System.nanoTime() + DRAIN_TIMEOUT_NANOS;
                while (received[slot] - base < sent) {
                    if (System.nanoTime() - deadline > 0) {
                        throw new IllegalStateException("QoS " + qos + ": " + (received[slot] - base) + " of "
                                + sent + " messages arrived within 10 s");
                    }
                    sub.poll(1);
                    pub.poll(0);
                }
            }
            if (!pub.awaitInflight(10_000)) {
                throw new IllegalStateException("QoS " + qos + ": " + pub.inflightCount() + " still in flight after 10 s");
            }
        }
    }
}
