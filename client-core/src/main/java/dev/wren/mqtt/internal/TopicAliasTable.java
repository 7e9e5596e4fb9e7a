package dev.wren.mqtt.internal;

/**
 * The server's topic aliases on this connection (MQTT 5.0 §3.3.2.3.4): alias 1..{@code capacity} to topic name bytes,
 * sized once. Names live packed in one arena (the receive buffer's size: a PUBLISH that sets an alias fits it, so
 * does its topic); re-mapping an alias closes the gap its old name leaves, a rare event, so lookups stay O(1).
 * Cleared with every new connection [MQTT-3.3.2-7].
 */
final class TopicAliasTable {

    private final byte[] arena;
    private final int[] offset;
    /** Name bytes of each alias (index alias - 1); -1 while unset. */
    private final int[] length;
    private int used;

    TopicAliasTable(int capacity, int arenaBytes) {
        this.arena = new byte[capacity == 0 ? 0 : arenaBytes];
        this.offset = new int[capacity];
        this.length = new int[capacity];
        clear();
    }

    /** The client's Topic Alias Maximum: aliases 1..capacity are valid. */
    int capacity() {
        return length.length;
    }

    /** Forgets every alias: a new connection [MQTT-3.3.2-7]. */
    void clear() {
        java.util.Arrays.fill(length, -1);
        used = 0;
    }

    /**
     * Maps {@code alias} (1..capacity) to {@code buf[off..off+len)}.
     *
     * @return false when the names would outgrow the arena (nothing changed but the old mapping's removal)
     */
    boolean put(int alias, byte[] buf, int off, int len) {
        int i = alias - 1;
        if (length[i] > 0) {
            remove(i);
        }
        if (len > arena.length - used) {
            length[i] = -1;
            return false;
        }
        System.arraycopy(buf, off, arena, used, len);
        offset[i] = used;
        length[i] = len;
        used += len;
        return true;
    }

    private void remove(int i) {
        int from = offset[i] + length[i];
        System.arraycopy(arena, from, arena, offset[i], used - from);
        for (int j = 0; j < length.length; j++) {
            if (length[j] > 0 && offset[j] >= from) {
                offset[j] -= length[i];
            }
        }
        used -= length[i];
        length[i] = -1;
    }

    byte[] array() {
        return arena;
    }

    /** Where the name of {@code alias} starts in {@link #array()}. */
    int offset(int alias) {
        return offset[alias - 1];
    }

    /** The name's byte count, or -1 when {@code alias} is not mapped on this connection. */
    int length(int alias) {
        return length[alias - 1];
    }

    /** Bytes the arena holds at most, for messages. */
    int arenaBytes() {
        return arena.length;
    }
}
