package dev.wren.mqtt.internal;

/**
 * The client's automatic outgoing topic aliases (MQTT 5.0 §3.3.2.3.4): a fixed table of topic names, each in its
 * slot of one arena allocated at build time, the least recently used replaced when the table is full. A function of
 * what it is given: the session asks {@link #alias} right before it sends a PUBLISH and encodes what it answers.
 * Aliases hold for one connection [MQTT-3.3.2-7] and never exceed the server's Topic Alias Maximum from CONNACK
 * [MQTT-3.3.2-9, MQTT-3.2.2-17]; with none from the server, none are used [MQTT-3.2.2-18].
 */
final class OutgoingAliases {

    /** The Topic Alias property takes 3 bytes: a topic of this size or less is sent as it is, no shorter aliased. */
    private static final int MIN_TOPIC_BYTES = 4;

    private final byte[] arena;
    private final int slotBytes;
    /** Topic bytes of each alias (index alias - 1); 0 while unmapped. */
    private final int[] length;
    /** When each alias was last used, in calls of {@link #alias}. */
    private final long[] lastUsed;
    /** A topic given as text is encoded here to be compared. */
    private final byte[] topic;
    private long uses;
    /** Aliases usable on this connection: 1..limit. */
    private int limit;

    /** A table of {@code capacity} aliases for topics of at most {@code slotBytes} UTF-8 bytes. */
    OutgoingAliases(int capacity, int slotBytes) {
        this.arena = new byte[capacity * slotBytes];
        this.slotBytes = slotBytes;
        this.length = new int[capacity];
        this.lastUsed = new long[capacity];
        this.topic = new byte[slotBytes];
    }

    /**
     * Forgets every alias for a new connection [MQTT-3.3.2-7] and uses at most {@code serverMaximum} of them (the
     * CONNACK's Topic Alias Maximum, 0 when absent).
     */
    void reset(int serverMaximum) {
        java.util.Arrays.fill(length, 0);
        limit = Math.min(length.length, serverMaximum);
    }

    /** Where a topic of {@link #slotBytes()} bytes at most, given as text, is encoded to be passed to {@link #alias}. */
    byte[] topicBuffer() {
        return topic;
    }

    /** The longest topic aliased, in UTF-8 bytes. */
    int slotBytes() {
        return slotBytes;
    }

    /**
     * The alias of the topic {@code buf[off..off+len)} for the PUBLISH about to be sent: mapped already, the topic
     * goes as the empty string; otherwise the least recently used alias (a free one first) is mapped to it now.
     *
     * @return an alias &gt; 0 already mapped (send no topic); -alias newly mapped (send topic and alias); 0 none (no
     *         alias on this connection, a topic too short to gain or too long for a slot)
     */
    int alias(byte[] buf, int off, int len) {
        if (limit == 0 || len < MIN_TOPIC_BYTES || len > slotBytes) {
            return 0;
        }
        uses++;
        int victim = -1; // the first free alias, else the least recently used
        for (int i = 0; i < limit; i++) {
            if (length[i] == len && equal(i, buf, off, len)) {
                lastUsed[i] = uses;
                return i + 1;
            }
            if (victim < 0 || length[victim] != 0 && (length[i] == 0 || lastUsed[i] < lastUsed[victim])) {
                victim = i;
            }
        }
        System.arraycopy(buf, off, arena, victim * slotBytes, len);
        length[victim] = len;
        lastUsed[victim] = uses;
        return -(victim + 1);
    }

    private boolean equal(int i, byte[] buf, int off, int len) {
        int at = i * slotBytes;
        for (int k = 0; k < len; k++) {
            if (arena[at + k] != buf[off + k]) {
                return false;
            }
        }
        return true;
    }
}
