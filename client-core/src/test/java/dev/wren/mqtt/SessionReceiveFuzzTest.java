package dev.wren.mqtt;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wren.mqtt.testing.FakeClock;
import dev.wren.mqtt.transport.Transport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Coverage-guided fuzzing (Jazzer) of the session's receive path: whatever bytes a server sends after (or
 * instead of) its CONNACK, in whatever fragments, the client either handles them or ends the connection with an
 * {@link MqttException} (protocol violation, lost connection, oversize packet, ...): no other exception
 * escapes, nothing hangs (the fake clock moves on every idle read; the number of polls is bounded), and the
 * handler only ever sees a message whose accessors work.
 */
class SessionReceiveFuzzTest {

    private static final AtomicLong INPUTS = new AtomicLong();
    private static final byte[] CONNACK_ACCEPTED = {0x20, 0x02, 0x00, 0x00};
    private static final byte[] P = {'p'};

    @FuzzTest(maxDuration = "30s")
    @Timeout(120)
    void serverBytes(FuzzedDataProvider data) throws Exception {
        INPUTS.incrementAndGet();
        boolean fuzzConnack = data.consumeBoolean();
        int maxChunk = data.consumeInt(1, 64);
        byte[] server = data.consumeRemainingAsBytes();
        FakeClock clock = new FakeClock();
        FuzzTransport transport = new FuzzTransport(clock, fuzzConnack ? server : concat(CONNACK_ACCEPTED, server), maxChunk);
        MqttClient client = new MqttClient(MqttConfig.builder().host("fuzz.test").clientId("f").keepAliveSeconds(10)
                .receiveBufferBytes(256).transmitBufferBytes(256).maxInflight(4).maxIncomingQos2(4)
                .operationTimeoutMillis(1_000).transportFactory((h, p, t) -> transport).clock(clock).build());
        boolean[] badMessage = new boolean[1];
        client.setDefaultHandler(m -> {
            badMessage[0] |= m.topic().length() == 0 || m.qos() > 2 || m.payloadLength() < 0;
            m.payloadAsString();
        });
        try {
            client.connect();
            client.publish("t/1", P, 0, 1, 1, false); // ids 1..3 in flight, so fuzzed acks can match them
            client.publish("t/2", P, 0, 1, 2, false);
            client.publish("t/3", P, 0, 1, 1, false);
            for (int i = 0; i < 64 && client.isConnected(); i++) {
                client.poll(100);
            }
        } catch (MqttException expected) {
            // the documented outcome for bytes the client cannot accept
        } finally {
            client.close();
        }
        if (badMessage[0]) {
            throw new AssertionError("the handler saw a message that should never have been delivered");
        }
    }

    @AfterAll
    static void reportInputs() {
        System.out.println("SessionReceiveFuzzTest: " + INPUTS.get() + " inputs executed");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** Serves the server's bytes in fragments of at most {@code maxChunk}, then end of stream; accepts any write. */
    private static final class FuzzTransport implements Transport {
        private final FakeClock clock;
        private final byte[] bytes;
        private final int maxChunk;
        private int position;
        private boolean closed;

        FuzzTransport(FakeClock clock, byte[] bytes, int maxChunk) {
            this.clock = clock;
            this.bytes = bytes;
            this.maxChunk = maxChunk;
        }

        @Override
        public int read(byte[] dst, int off, int len, int timeoutMillis) throws IOException {
            if (closed) {
                throw new IOException("closed");
            }
            if (position == bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, maxChunk), bytes.length - position);
            System.arraycopy(bytes, position, dst, off, n);
            position += n;
            if (timeoutMillis > 0) {
                clock.advanceMillis(1);
            }
            return n;
        }

        @Override
        public void write(byte[] src, int off, int len) throws IOException {
            if (closed) {
                throw new IOException("closed");
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
