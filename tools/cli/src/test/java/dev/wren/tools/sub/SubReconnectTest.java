package dev.wren.tools.sub;

import dev.wren.mqtt.testing.MosquittoExtension;
import dev.wren.tools.testing.BrokerLog;
import dev.wren.tools.testing.InProcessWren;
import dev.wren.tools.testing.Proc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code wren sub} rides out a broker restart as {@code mosquitto_sub} does: it reconnects and subscribes again. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SubReconnectTest {

    @RegisterExtension
    static final MosquittoExtension BROKER = MosquittoExtension.builder().configLine(BrokerLog.LOG_SUBSCRIBE).build();

    @Test
    void keepsPrintingAfterTheBrokerIsKilledAndRestarted() throws Exception {
        String clientId = "sub-reconnect-" + ProcessHandle.current().pid();
        String subscribeLine = ": " + clientId + " 1 reconnect/#\n";
        CompletableFuture<InProcessWren.Result> wren = InProcessWren.start("sub", "-h", BROKER.host(), "-p",
                Integer.toString(BROKER.port()), "-i", clientId, "-t", "reconnect/#", "-q", "1", "-v", "-C", "2");
        awaitLogCount(subscribeLine, 1);
        publish("reconnect/a", "before");

        BROKER.kill();
        BROKER.start();
        // A fresh broker without persistence holds no session: the SUBSCRIBE must come again from the client.
        awaitLogCount(subscribeLine, 2);
        publish("reconnect/b", "after");

        InProcessWren.Result result = wren.get(30, TimeUnit.SECONDS);
        assertEquals(0, result.exitCode(), result.toString());
        assertEquals("reconnect/a before\nreconnect/b after\n", result.outText(), result.toString());
        assertTrue(result.err().contains("reconnecting in"), "the lost connection is reported on stderr\n" + result);
    }

    private static void publish(String topic, String payload) {
        Proc pub = Proc.start(Proc.MOSQUITTO_PUB, "-h", BROKER.host(), "-p", Integer.toString(BROKER.port()),
                "-t", topic, "-m", payload, "-q", "1").await(10_000);
        assertEquals(0, pub.exitCode(), "mosquitto_pub: " + pub.err());
    }

    /** Waits until {@code line} occurs {@code count} times in the broker's log (it is appended to across restarts). */
    private static void awaitLogCount(String line, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (occurrences(BROKER.log(), line) < count) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("'" + line.trim() + "' not seen " + count + " times within 20 s; log:\n"
                        + BROKER.log());
            }
            Thread.sleep(20); // polling a log file with a deadline: no event to wait on
        }
    }

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }
}
