package dev.wren.mqtt.journal;

import dev.wren.mqtt.MqttConfig;
import dev.wren.mqtt.store.InflightStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * An {@link InflightStore} whose messages live in a {@link Journal} file until acknowledged: the window's frames
 * are also kept in memory (for re-sending without reading the file), and messages beyond the window wait in the
 * journal in publish order. Every state change is written through, so a new client on the same file sends again,
 * first and in order, everything a crashed one had not completed.
 *
 * <p>A failing journal write (medium full or broken) surfaces as {@link UncheckedIOException} naming the file: from
 * {@code publish} saying whether the message is in the journal, from {@code poll} when a record cannot be read or a
 * state change still cannot be written. The window and the journal agree after any failure: an acknowledgement whose
 * mark cannot be written frees its window slot and is written later ({@link Journal#maintain}), holding back new
 * messages meanwhile, so that nothing is sent twice and sending resumes once the disk works again.
 */
final class JournalInflightStore implements InflightStore {

    /** The window's frames, in memory. */
    private final InflightStore window;
    private final Journal journal;
    /** The journal record of each window slot, or -1. */
    private final int[] handle;

    private JournalInflightStore(InflightStore window, Journal journal, int slots) {
        this.window = window;
        this.journal = journal;
        this.handle = new int[slots];
        Arrays.fill(handle, -1);
    }

    /** Opens {@code store}'s file for a client of {@code config}, through {@code channels}; recovers what it holds. */
    static JournalInflightStore open(JournalStore store, MqttConfig config, JournalChannels channels) {
        try {
            Journal j = Journal.open(store.file(), store.capacityBytes(), config.transmitBufferBytes(),
                    config.maxInflight(), store.syncEveryRecords(), store.syncIntervalMillis(),
                    config.clock(), channels, config.listener()::onJournalWarning);
            if (j.droppedCount() > 0) {
                config.listener().onMessagesDropped((int) j.droppedCount(), j.droppedCount()); // by a resize
            }
            return new JournalInflightStore(InflightStore.inMemory(config.maxInflight(), config.transmitBufferBytes()),
                    j, config.maxInflight());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open journal " + store.file() + ": " + e.getMessage(), e);
        }
    }

    Journal journal() {
        return journal;
    }

    @Override
    public int slotBytes() {
        return window.slotBytes();
    }

    @Override
    public byte[] array() {
        return window.array();
    }

    @Override
    public int offset(int slot) {
        return window.offset(slot);
    }

    @Override
    public void stored(int slot, int packetId, int length) {
        window.stored(slot, packetId, length);
        try {
            if (handle[slot] < 0) {
                // Placed straight into the window: journal it, then take it at once (nothing waits before it).
                handle[slot] = journal.append(window.array(), window.offset(slot), length, packetId);
                journal.take();
            } else {
                journal.assignPacketId(handle[slot], packetId); // a failed write is retried by maintain
            }
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public int length(int slot) {
        return window.length(slot);
    }

    @Override
    public void released(int slot) {
        window.released(slot);
        journal.release(handle[slot]); // a failed write is retried by maintain
    }

    @Override
    public void removed(int slot) {
        window.removed(slot);
        journal.remove(handle[slot]); // a failed write is retried by maintain; the record is never taken again
        handle[slot] = -1;
    }

    @Override
    public boolean queues() {
        return true;
    }

    @Override
    public int queuedCount() {
        return journal.queuedCount();
    }

    @Override
    public void enqueue(byte[] frame, int off, int length) {
        try {
            journal.append(frame, off, length, 0);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public int takeInto(int slot) {
        int h = journal.peek();
        if (h < 0) {
            return -1;
        }
        int length;
        try {
            length = journal.read(h, window.array(), window.offset(slot));
        } catch (IOException e) {
            throw failed(new IOException("reading the oldest waiting record failed (" + e.getMessage()
                    + "); it stays first in the journal", e));
        }
        journal.take();
        handle[slot] = h;
        return length;
    }

    @Override
    public int persistedPacketId(int slot) {
        return journal.packetId(handle[slot]);
    }

    @Override
    public boolean persistedReleased(int slot) {
        return journal.isReleased(handle[slot]);
    }

    @Override
    public long droppedCount() {
        return journal.droppedCount();
    }

    @Override
    public void maintain() {
        try {
            journal.maintain();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public void close() {
        try {
            journal.close();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    private UncheckedIOException failed(IOException e) {
        return new UncheckedIOException("journal " + journal + ": " + e.getMessage(), e);
    }
}
