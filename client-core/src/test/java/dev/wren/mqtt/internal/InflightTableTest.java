package dev.wren.mqtt.internal;

import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.testing.Covers;
import org.junit.jupiter.api.Test;

import static dev.wren.mqtt.internal.InflightTable.AWAIT_PUBACK;
import static dev.wren.mqtt.internal.InflightTable.AWAIT_PUBCOMP;
import static dev.wren.mqtt.internal.InflightTable.AWAIT_PUBREC;
import static dev.wren.mqtt.internal.InflightTable.FREE;
import static dev.wren.mqtt.internal.InflightTable.INVALID;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The in-flight transition check, as a table, and the publish order kept across out-of-order acks. */
class InflightTableTest {

    @Test
    @Covers({"MQTT-4.3.2-1", "MQTT-4.3.3-1"})
    void transitionTable() {
        int[] acks = {PacketType.PUBACK, PacketType.PUBREC, PacketType.PUBCOMP};
        byte[][] expected = {
            // PUBACK        PUBREC          PUBCOMP
            {INVALID, INVALID, INVALID},              // FREE
            {FREE, INVALID, INVALID},                 // AWAIT_PUBACK (QoS 1)
            {INVALID, AWAIT_PUBCOMP, INVALID},        // AWAIT_PUBREC (QoS 2)
            {INVALID, AWAIT_PUBCOMP, FREE},           // AWAIT_PUBCOMP (PUBREL sent; PUBREC again -> PUBREL again)
        };
        byte[] states = {FREE, AWAIT_PUBACK, AWAIT_PUBREC, AWAIT_PUBCOMP};
        for (int s = 0; s < states.length; s++) {
            for (int a = 0; a < acks.length; a++) {
                assertEquals(expected[s][a], InflightTable.next(states[s], acks[a]),
                        InflightTable.stateName(states[s]) + " + " + PacketType.name(acks[a]));
            }
        }
    }

    @Test
    @Covers({"MQTT-4.6.0-1"})
    void originalOrderSurvivesSlotReuse() {
        InflightTable t = new InflightTable(3);
        t.occupy(0, 10, AWAIT_PUBACK);
        t.occupy(1, 11, AWAIT_PUBACK);
        t.occupy(2, 12, AWAIT_PUBACK);
        t.set(0, FREE);
        t.occupy(t.freeSlot(), 13, AWAIT_PUBREC); // reuses slot 0, but was published last
        StringBuilder order = new StringBuilder();
        long after = -1;
        for (int slot = t.nextInOrder(after); slot >= 0; slot = t.nextInOrder(after)) {
            after = t.sequence(slot);
            order.append(t.packetId(slot)).append(' ');
        }
        assertEquals("11 12 13 ", order.toString());
        assertEquals(3, t.count());
        assertEquals(-1, t.freeSlot());
    }

    @Test
    @Covers({"MQTT-4.6.0-4"})
    void pubrecOrderIsKeptApartFromPublishOrderAndARepeatedPubrecKeepsItsPlace() {
        InflightTable t = new InflightTable(4);
        t.occupy(0, 20, AWAIT_PUBREC);
        t.occupy(1, 21, AWAIT_PUBREC);
        t.occupy(2, 22, AWAIT_PUBACK);
        t.occupy(3, 23, AWAIT_PUBREC);
        t.set(3, InflightTable.next(t.state(3), PacketType.PUBREC));
        t.set(0, InflightTable.next(t.state(0), PacketType.PUBREC));
        t.set(3, InflightTable.next(t.state(3), PacketType.PUBREC)); // again: still first
        StringBuilder order = new StringBuilder();
        long after = -1;
        for (int slot = t.nextReleasedInOrder(after); slot >= 0; slot = t.nextReleasedInOrder(after)) {
            after = t.releaseSequence(slot);
            order.append(t.packetId(slot)).append(' ');
        }
        assertEquals("23 20 ", order.toString());
    }
}
