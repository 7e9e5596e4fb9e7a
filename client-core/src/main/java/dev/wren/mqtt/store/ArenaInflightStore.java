package dev.wren.mqtt.store;

/** {@link InflightStore#inMemory}: one array of {@code slots * slotBytes}, allocated once. */
final class ArenaInflightStore implements InflightStore {

    private final byte[] arena;
    private final int slotBytes;
    private final int[] length;

    ArenaInflightStore(int slots, int slotBytes) {
        this.arena = new byte[slots * slotBytes];
        this.slotBytes = slotBytes;
        this.length = new int[slots];
    }

    @Override
    public int slotBytes() {
        return slotBytes;
    }

    @Override
    public byte[] array() {
        return arena;
    }

    @Override
    public int offset(int slot) {
        return slot * slotBytes;
    }

    @Override
    public void stored(int slot, int packetId, int frameLength) {
        length[slot] = frameLength;
    }

    @Override
    public int length(int slot) {
        return length[slot];
    }

    @Override
    public void released(int slot) {
        // Memory keeps the PUBLISH bytes: the session state says PUBREL is due.
    }

    @Override
    public void removed(int slot) {
        length[slot] = 0;
    }
}
