package dev.wren.mqtt.internal;

/**
 * Packet ids of incoming QoS 2 messages delivered and answered with PUBREC but not yet released by PUBREL
 * (MQTT 3.1.1 §4.3.3, method A: deliver on PUBLISH, remember the id). A PUBLISH re-sent with such an id is
 * answered with PUBREC again but not delivered again [MQTT-4.3.3-2].
 */
final class IncomingQos2Table {

    private final int[] ids;
    private int count;

    IncomingQos2Table(int capacity) {
        ids = new int[capacity];
    }

    boolean contains(int id) {
        for (int i = 0; i < count; i++) {
            if (ids[i] == id) {
                return true;
            }
        }
        return false;
    }

    /** Adds {@code id}; false when the table is full. */
    boolean add(int id) {
        if (count == ids.length) {
            return false;
        }
        ids[count++] = id;
        return true;
    }

    /** Removes {@code id} if present (order is not kept). */
    void remove(int id) {
        for (int i = 0; i < count; i++) {
            if (ids[i] == id) {
                ids[i] = ids[--count];
                return;
            }
        }
    }

    int count() {
        return count;
    }

    int capacity() {
        return ids.length;
    }

    void clear() {
        count = 0;
    }
}
