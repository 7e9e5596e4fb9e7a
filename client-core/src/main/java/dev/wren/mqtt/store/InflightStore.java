package dev.wren.mqtt.store;

/**
 * Where the encoded bytes of each in-flight PUBLISH are kept for re-sending (MQTT 3.1.1 §4.4), one fixed-size
 * slot per window position. The client encodes straight into {@link #array()} at {@link #offset(int)} and then
 * reports each state change, so that an implementation can write through to durable storage (a crash-safe
 * journal, artifact client-journal) without the session changing. One client drives its store from its one
 * thread; a store is never shared.
 */
public interface InflightStore {

    /**
     * The store a client uses when no {@link InflightStoreFactory} is configured: {@code slots * slotBytes} bytes in
     * memory, allocated once; no queueing beyond the window. Also the window of a durable store.
     */
    static InflightStore inMemory(int slots, int slotBytes) {
        return new ArenaInflightStore(slots, slotBytes);
    }

    /** Bytes one slot holds: the largest outgoing packet. */
    int slotBytes();

    /** The array holding every slot. */
    byte[] array();

    /** Index in {@link #array()} of slot {@code slot}'s first byte. */
    int offset(int slot);

    /** The frame in {@code slot} is complete: {@code length} bytes, packet id {@code packetId}, in publish order. */
    void stored(int slot, int packetId, int length);

    /** Length of the frame in {@code slot}. */
    int length(int slot);

    /** PUBREC arrived for {@code slot}: from now on PUBREL, not the PUBLISH, is what a resume re-sends. */
    void released(int slot);

    /** {@code slot}'s message is complete (PUBACK/PUBCOMP); its bytes may be reused. */
    void removed(int slot);

    // Queueing beyond the window (a journal); the in-memory store has none of it.

    /** True when messages beyond the window can wait in this store, in publish order. */
    default boolean queues() {
        return false;
    }

    /** Messages waiting beyond the window. */
    default int queuedCount() {
        return 0;
    }

    /** Puts a complete PUBLISH frame (packet id not yet assigned) behind the waiting ones. */
    default void enqueue(byte[] frame, int off, int length) {
        throw new UnsupportedOperationException("this in-flight store keeps the window only");
    }

    /** Moves the oldest waiting frame into {@code slot}; returns its length, or -1 when none waits. */
    default int takeInto(int slot) {
        return -1;
    }

    /** The packet id a frame taken into {@code slot} had before a restart (0 = none: never sent). */
    default int persistedPacketId(int slot) {
        return 0;
    }

    /** True when PUBREC had arrived, before a restart, for the QoS 2 frame taken into {@code slot}. */
    default boolean persistedReleased(int slot) {
        return false;
    }

    /** Messages dropped because the store was full (oldest waiting first). */
    default long droppedCount() {
        return 0;
    }

    /** Periodic upkeep from the receive loop (a journal's time-based sync). */
    default void maintain() {
    }

    /** Releases what the store holds open (a file); the store is not used afterwards. */
    default void close() {
    }
}
