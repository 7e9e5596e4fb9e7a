package dev.wren.mqtt.internal;

import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.store.InflightStore;

/**
 * Outgoing QoS 1/2 messages not yet completed (MQTT 3.1.1 §4.3.2, §4.3.3), as primitive arrays indexed by slot.
 * The encoded PUBLISH of each slot lives in an {@link InflightStore}. A sequence number per slot keeps the
 * original publish order for re-sending [MQTT-4.4.0-1, MQTT-4.6.0-1] even though acks free slots out of order; a
 * second one, given when the first PUBREC arrives, keeps the PUBREC order the PUBRELs must follow [MQTT-4.6.0-4].
 *
 * <pre>
 *   FREE --publish qos1--> AWAIT_PUBACK  --PUBACK-->  FREE
 *   FREE --publish qos2--> AWAIT_PUBREC  --PUBREC-->  AWAIT_PUBCOMP (PUBREL sent) --PUBCOMP--> FREE
 *                                                      AWAIT_PUBCOMP --PUBREC (again)--> AWAIT_PUBCOMP (PUBREL again)
 * </pre>
 */
final class InflightTable {

    static final byte FREE = 0;
    static final byte AWAIT_PUBACK = 1;
    static final byte AWAIT_PUBREC = 2;
    static final byte AWAIT_PUBCOMP = 3;
    /** Result of {@link #next} for an ack that does not fit the state: the server broke the QoS flow. */
    static final byte INVALID = -1;

    private final int[] packetId;
    private final byte[] state;
    private final long[] sequence;
    /** Order of the first PUBREC, for slots in {@link #AWAIT_PUBCOMP}. */
    private final long[] releaseSequence;
    private int count;
    /** Slots that may be in use at once ({@link #limit}). */
    private int limit;
    private long nextSequence;
    private long nextReleaseSequence;

    InflightTable(int capacity) {
        packetId = new int[capacity];
        state = new byte[capacity];
        sequence = new long[capacity];
        releaseSequence = new long[capacity];
        limit = capacity;
    }

    /**
     * The one transition check: the state after {@code ackType} (a {@link PacketType}) arrives in {@code current},
     * or {@link #INVALID}.
     */
    static byte next(byte current, int ackType) {
        switch (current) {
            case AWAIT_PUBACK:
                return ackType == PacketType.PUBACK ? FREE : INVALID;
            case AWAIT_PUBREC:
                return ackType == PacketType.PUBREC ? AWAIT_PUBCOMP : INVALID;
            case AWAIT_PUBCOMP:
                // A PUBREC again means our PUBREL may be lost: stay and send PUBREL again (§4.3.3).
                return ackType == PacketType.PUBCOMP ? FREE : ackType == PacketType.PUBREC ? AWAIT_PUBCOMP : INVALID;
            default:
                return INVALID;
        }
    }

    /** Name of a state, for error messages. */
    static String stateName(byte s) {
        switch (s) {
            case FREE:
                return "FREE";
            case AWAIT_PUBACK:
                return "AWAIT_PUBACK";
            case AWAIT_PUBREC:
                return "AWAIT_PUBREC";
            case AWAIT_PUBCOMP:
                return "AWAIT_PUBCOMP";
            default:
                return "INVALID";
        }
    }

    /**
     * What a message in state {@code s} is waiting for, in the words of someone who knows MQTT but not this class,
     * to follow "packet id N, " in an error message.
     */
    static String describe(byte s) {
        switch (s) {
            case AWAIT_PUBACK:
                return "which was sent at QoS 1 and awaits a PUBACK";
            case AWAIT_PUBREC:
                return "which was sent at QoS 2 and awaits a PUBREC";
            case AWAIT_PUBCOMP:
                return "which was sent at QoS 2, had its PUBREC answered by PUBREL, and awaits a PUBCOMP";
            default:
                return "which is not in flight";
        }
    }

    int capacity() {
        return state.length;
    }

    int count() {
        return count;
    }

    /** A free slot, or -1 when the window is full. */
    /**
     * Caps how many slots may be in use at once, at most {@link #capacity()}: the server's Receive Maximum (MQTT 5.0
     * §3.2.2.3.3) [MQTT-3.3.4-7]. Slots already in use beyond it stay; {@link #freeSlot()} finds none until fewer are.
     */
    void limit(int slots) {
        limit = slots;
    }

    /** Slots that may be in use at once: {@link #capacity()}, or less after {@link #limit(int)}. */
    int limit() {
        return limit;
    }

    int freeSlot() {
        if (count >= limit) {
            return -1;
        }
        for (int i = 0; i < state.length; i++) {
            if (state[i] == FREE) {
                return i;
            }
        }
        return -1;
    }

    /** The slot holding {@code id}, or -1. */
    int find(int id) {
        for (int i = 0; i < state.length; i++) {
            if (state[i] != FREE && packetId[i] == id) {
                return i;
            }
        }
        return -1;
    }

    /** Takes {@code slot} for {@code id}; entering {@link #AWAIT_PUBCOMP} here counts as its PUBREC arriving now. */
    void occupy(int slot, int id, byte newState) {
        packetId[slot] = id;
        state[slot] = FREE;
        sequence[slot] = nextSequence++;
        count++;
        set(slot, newState);
    }

    /** Moves {@code slot} to {@code newState}; the first entry into {@link #AWAIT_PUBCOMP} fixes its PUBREC order. */
    void set(int slot, byte newState) {
        if (newState == FREE) {
            count--;
        } else if (newState == AWAIT_PUBCOMP && state[slot] != AWAIT_PUBCOMP) {
            releaseSequence[slot] = nextReleaseSequence++; // a repeated PUBREC keeps the place of the first
        }
        state[slot] = newState;
    }

    byte state(int slot) {
        return state[slot];
    }

    int packetId(int slot) {
        return packetId[slot];
    }

    /** The occupied slot published next after sequence {@code after} (use -1 to start), or -1: original order. */
    int nextInOrder(long after) {
        int best = -1;
        for (int i = 0; i < state.length; i++) {
            if (state[i] != FREE && sequence[i] > after && (best < 0 || sequence[i] < sequence[best])) {
                best = i;
            }
        }
        return best;
    }

    long sequence(int slot) {
        return sequence[slot];
    }

    /** The {@link #AWAIT_PUBCOMP} slot whose PUBREC came next after release sequence {@code after} (-1 to start), or -1. */
    int nextReleasedInOrder(long after) {
        int best = -1;
        for (int i = 0; i < state.length; i++) {
            if (state[i] == AWAIT_PUBCOMP && releaseSequence[i] > after
                    && (best < 0 || releaseSequence[i] < releaseSequence[best])) {
                best = i;
            }
        }
        return best;
    }

    long releaseSequence(int slot) {
        return releaseSequence[slot];
    }
}
