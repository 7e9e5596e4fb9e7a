package dev.wren.mqtt.internal;

import dev.wren.mqtt.codec.PublishEncoder;
import dev.wren.mqtt.store.InflightStore;
import dev.wren.mqtt.testing.Bytes;
import org.junit.jupiter.api.Test;

import static dev.wren.mqtt.testing.Packets.publish;
import static dev.wren.mqtt.testing.Packets.pubrel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The outgoing window alone: a table that answers "slot or full", hands out ids, and re-sends in order. */
class OutgoingWindowTest {

    private final RecordingLink link = new RecordingLink();
    private final InflightTable inflight = new InflightTable(3);
    private final InflightStore store = InflightStore.inMemory(3, 64);
    private final OutgoingWindow window = new OutgoingWindow(new byte[64], inflight, store, new WriteBatch(link, 16, 0),
            null);

    /** Encodes a QoS {@code qos} PUBLISH with {@code id} into a free slot and puts it in flight. */
    private int put(String payload, int qos, int id) {
        int slot = window.freeSlot();
        byte[] p = payload.getBytes();
        int n = PublishEncoder.encode(store.array(), store.offset(slot), "t", qos, false, false, id, p, 0, p.length);
        window.occupy(slot, id, qos, n);
        return slot;
    }

    @Test
    void aFullWindowAnswersNoSlot() {
        put("a", 1, 1);
        put("b", 1, 2);
        put("c", 1, 3);
        assertEquals(-1, window.freeSlot());
    }

    @Test
    void packetIdsSkipThoseInFlightAndTheReservedOneAndWrap() {
        put("a", 1, 2);
        assertEquals(1, window.nextPacketId(0));
        assertEquals(4, window.nextPacketId(3), "2 in flight, 3 reserved for a SUBSCRIBE");
        for (int i = 5; i < 65535; i++) {
            window.nextPacketId(0);
        }
        assertEquals(65535, window.nextPacketId(0));
        assertEquals(1, window.nextPacketId(0), "wraps past 65535, and 2 is still in flight");
        assertEquals(3, window.nextPacketId(0));
    }

    @Test
    void resumeWithASessionResendsWithDupAndPubrelInPublishOrder() throws Exception {
        put("a", 1, 1);
        int released = put("b", 2, 2);
        inflight.set(released, InflightTable.AWAIT_PUBCOMP);
        put("c", 2, 3);
        window.resume(true, 0);
        assertArrayEquals(Bytes.of(publish("t", "a", 1, false, true, 1), pubrel(2), publish("t", "c", 2, false, true, 3)),
                link.written());
    }

    @Test
    void resumeWithoutASessionPublishesEverythingAgainAsNew() throws Exception {
        put("a", 1, 1);
        int released = put("b", 2, 2);
        inflight.set(released, InflightTable.AWAIT_PUBCOMP);
        window.resume(true, 0);
        link.reset();
        window.resume(false, 0);
        assertArrayEquals(Bytes.of(publish("t", "a", 1, false, false, 1), publish("t", "b", 2, false, false, 2)),
                link.written(), "DUP cleared [MQTT-3.3.1-1]; a released message starts over from PUBLISH");
        assertEquals(InflightTable.AWAIT_PUBREC, inflight.state(released));
    }
}
