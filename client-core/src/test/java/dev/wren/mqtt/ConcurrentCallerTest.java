package dev.wren.mqtt;

import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.FrameHeader;
import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.codec.PublishView;
import dev.wren.mqtt.testing.Packets;
import dev.wren.mqtt.transport.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two threads on one client (documented as one thread at a time): the entry guard names both threads, and no
 * corrupt frame reaches the transport, however the threads interleave.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConcurrentCallerTest {

    /**
     * Answers CONNACK, then is silent; keeps a copy of every write (thread-safe, so that the copies themselves stay
     * whole) and lets a test hold one write up while another thread calls the client.
     */
    private static class CopyingTransport implements Transport {
        final List<byte[]> writes = new ArrayList<>();
        volatile CountDownLatch holdNextPublish;
        final CountDownLatch publishHeld = new CountDownLatch(1);
        private boolean connackSent;

        @Override
        public int read(byte[] dst, int off, int len, int timeoutMillis) {
            if (!connackSent) {
                byte[] c = Packets.connack(false, 0);
                System.arraycopy(c, 0, dst, off, c.length);
                connackSent = true;
                return c.length;
            }
            return 0;
        }

        @Override
        public void write(byte[] src, int off, int len) {
            byte[] copy = Arrays.copyOfRange(src, off, off + len);
            CountDownLatch hold = holdNextPublish;
            if (hold != null && (copy[0] & 0xF0) == 0x30) {
                holdNextPublish = null;
                publishHeld.countDown();
                try {
                    hold.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            synchronized (writes) {
                writes.add(copy);
            }
        }

        @Override
        public void close() {
        }

        /**
         * Parses every write as whole packets; returns the PUBLISH payloads per topic ("a" / "b"), and fails on any
         * byte that is not a well-formed frame.
         */
        int[] publishesPerTopic() {
            int[] counts = new int[2];
            FrameHeader header = new FrameHeader();
            PublishView publish = new PublishView();
            synchronized (writes) {
                for (byte[] w : writes) {
                    int at = 0;
                    while (at < w.length) {
                        assertEquals(CodecStatus.OK, header.decode(w, at, w.length - at), "write " + Arrays.toString(w));
                        if (header.type() == PacketType.PUBLISH) {
                            assertEquals(CodecStatus.OK, publish.decode(w, at + header.headerLength(),
                                    header.remainingLength(), header.flags()), "corrupt PUBLISH");
                            String topic = publish.topic().toString();
                            int expectedLength = topic.equals("a") ? 10 : topic.equals("bbbb/bbbb") ? 37 : -1;
                            assertEquals(expectedLength, publish.payloadLength(), "PUBLISH to " + topic);
                            byte fill = (byte) topic.charAt(0);
                            for (int i = 0; i < publish.payloadLength(); i++) {
                                assertEquals(fill, w[at + header.frameLength() - publish.payloadLength() + i],
                                        "payload byte " + i + " of a PUBLISH to " + topic);
                            }
                            counts[topic.equals("a") ? 0 : 1]++;
                        }
                        at += header.frameLength();
                    }
                }
            }
            return counts;
        }
    }

    private static MqttClient connectedClient(CopyingTransport transport) throws Exception {
        MqttClient client = new MqttClient(MqttConfig.builder().host("broker.test").clientId("c").keepAliveSeconds(0)
                .transportFactory((host, port, timeout) -> transport).build());
        client.connect();
        return client;
    }

    private static byte[] filled(char c, int length) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) c);
        return b;
    }

    @Test
    void aCallFromASecondThreadWhileOneIsInsideThrowsNamingBothThreads() throws Exception {
        CopyingTransport transport = new CopyingTransport();
        MqttClient client = connectedClient(transport);
        CountDownLatch release = new CountDownLatch(1);
        transport.holdNextPublish = release;
        Throwable[] insideFailure = new Throwable[1];
        Thread inside = new Thread(() -> {
            try {
                client.publish("a", filled('a', 10), 0, 10, 0, false);
            } catch (Throwable t) {
                insideFailure[0] = t;
            }
        }, "publisher-inside");
        inside.start();
        assertTrue(transport.publishHeld.await(30, TimeUnit.SECONDS), "the first publish reached the transport");
        String caller = Thread.currentThread().getName();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> client.publish("bbbb/bbbb", filled('b', 37), 0, 37, 0, false));
        assertTrue(e.getMessage().contains("\"" + caller + "\"") && e.getMessage().contains("\"publisher-inside\"")
                && e.getMessage().contains("(publish)"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> client.poll(0), "poll too");
        release.countDown();
        inside.join(30_000);
        assertEquals(null, insideFailure[0]);
        assertEquals(0, client.poll(0), "the client is free again once the first call returned");
        assertEquals(1, transport.publishesPerTopic()[0]);
        assertEquals(0, transport.publishesPerTopic()[1], "the refused publish wrote nothing");
    }

    @Test
    void twoThreadsHammeringPublishNeverCorruptAFrameAndEveryReturnedPublishIsWritten() throws Exception {
        CopyingTransport transport = new CopyingTransport();
        MqttClient client = connectedClient(transport);
        int perThread = 50_000;
        CyclicBarrier start = new CyclicBarrier(2);
        int[] published = new int[2];
        int[] refused = new int[2];
        Throwable[] unexpected = new Throwable[2];
        AtomicBoolean namedBoth = new AtomicBoolean(true);
        Thread[] threads = new Thread[2];
        for (int k = 0; k < 2; k++) {
            int who = k;
            String topic = k == 0 ? "a" : "bbbb/bbbb";
            byte[] payload = filled(topic.charAt(0), k == 0 ? 10 : 37);
            threads[k] = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        try {
                            client.publish(topic, payload, 0, payload.length, 0, false);
                            published[who]++;
                        } catch (IllegalStateException e) {
                            refused[who]++;
                            if (!e.getMessage().contains("hammer-a") || !e.getMessage().contains("hammer-b")) {
                                namedBoth.set(false);
                            }
                        }
                    }
                } catch (Throwable t) {
                    unexpected[who] = t;
                }
            }, k == 0 ? "hammer-a" : "hammer-b");
            threads[k].start();
        }
        for (Thread t : threads) {
            t.join(50_000);
        }
        assertEquals(Arrays.asList(null, null), Arrays.asList(unexpected), "only the guard's exception escapes publish");
        int[] written = transport.publishesPerTopic();
        assertEquals(published[0], written[0], "every publish that returned normally was written, whole");
        assertEquals(published[1], written[1], "every publish that returned normally was written, whole");
        assertEquals(perThread, published[0] + refused[0]);
        assertTrue(namedBoth.get(), "each refusal names both threads");
        System.out.println("hammer: published " + Arrays.toString(published) + ", refused by the guard "
                + Arrays.toString(refused));
    }

    @Test
    void publishingFromAHandlerOnThePollingThreadStillWorks() throws Exception {
        CopyingTransport transport = new CopyingTransport() {
            private boolean delivered;

            @Override
            public int read(byte[] dst, int off, int len, int timeoutMillis) {
                int n = super.read(dst, off, len, timeoutMillis);
                if (n == 0 && !delivered) {
                    delivered = true;
                    byte[] p = Packets.publish("in", "x", 0, false, false, 0);
                    System.arraycopy(p, 0, dst, off, p.length);
                    return p.length;
                }
                return n;
            }
        };
        MqttClient client = connectedClient(transport);
        client.setDefaultHandler(m -> {
            try {
                client.publish("a", filled('a', 10), 0, 10, 0, false);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(1, client.poll(100));
        assertEquals(1, transport.publishesPerTopic()[0]);
        assertEquals(0, client.poll(0), "the guard was released by the outer call");
    }
}
