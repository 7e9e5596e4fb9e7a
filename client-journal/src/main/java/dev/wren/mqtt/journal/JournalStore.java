package dev.wren.mqtt.journal;

import dev.wren.mqtt.MqttConfig;
import dev.wren.mqtt.MqttListener;
import dev.wren.mqtt.store.InflightStore;
import dev.wren.mqtt.store.InflightStoreFactory;

import java.nio.file.Path;

/**
 * A store-and-forward journal for a client's outgoing QoS 1/2 messages (MQTT 3.1.1 §4.4), given to
 * {@link MqttConfig.Builder#inflightStore}: every message is kept until acknowledged in one file, preallocated
 * to {@link #capacityBytes()} and never grown, so that it survives a crash or a power cut and is sent again,
 * first and in order, by the next client on the same file. Messages beyond the window wait in the file; when it
 * is full the oldest not yet sent are dropped and reported ({@link MqttListener#onMessagesDropped}), so publish
 * never blocks on it. What opening the file repaired is reported through {@link MqttListener#onJournalWarning}.
 *
 * <pre>
 * MqttConfig.builder().serverUri("tcp://broker:1883").cleanSession(false)
 *         .inflightStore(JournalStore.builder(Paths.get("/var/lib/wren/node.journal")).capacityBytes(256 * 1024).build())
 * </pre>
 * Immutable; each client built from it opens the file once (two clients on one file: the second is refused).
 */
public final class JournalStore implements InflightStoreFactory {

    private final Path file;
    private final int capacityBytes;
    private final int syncEveryRecords;
    private final int syncIntervalMillis;
    private final JournalChannels channels;

    JournalStore(Builder b) {
        this.file = b.file;
        this.capacityBytes = b.capacityBytes;
        this.syncEveryRecords = b.syncEveryRecords;
        this.syncIntervalMillis = b.syncIntervalMillis;
        this.channels = b.channels;
    }

    /**
     * A builder for a journal in {@code file} (created when missing), with every default: 1 MiB, forced to the
     * medium after every record.
     *
     * @throws IllegalArgumentException {@code file} is null
     */
    public static Builder builder(Path file) {
        if (file == null) {
            throw new IllegalArgumentException("journal file is null");
        }
        return new Builder(file);
    }

    /** The journal file. */
    public Path file() {
        return file;
    }

    /** Size of the journal file in bytes (preallocated, never grows). */
    public int capacityBytes() {
        return capacityBytes;
    }

    /** The journal forces to the medium after this many records (1 = every record; 0 = not by count). */
    public int syncEveryRecords() {
        return syncEveryRecords;
    }

    /** The journal forces this long after its first unforced write (0 = not by time), in ms. */
    public int syncIntervalMillis() {
        return syncIntervalMillis;
    }

    /**
     * Opens the file for a client of {@code config} and recovers what it holds: its window is
     * {@link MqttConfig#maxInflight()} frames of {@link MqttConfig#transmitBufferBytes()}.
     *
     * @throws IllegalArgumentException         the file is too small for {@code 2 * maxInflight + 1} PUBLISH packets of
     *                                          {@code transmitBufferBytes} (the message names the minimum)
     * @throws java.io.UncheckedIOException the file cannot be created, locked (in use by this process or another)
     *                                          or read; the message names the file and why
     */
    @Override
    public InflightStore create(MqttConfig config) {
        return JournalInflightStore.open(this, config, channels);
    }

    /** File, size and sync policy, as the client's {@code MqttConfig.toString()} shows them. */
    @Override
    public String toString() {
        return "journal " + file + " " + capacityBytes + " bytes, sync every " + syncEveryRecords + " records / "
                + syncIntervalMillis + " ms";
    }

    /** Collects and validates the settings; each setter throws {@link IllegalArgumentException} naming value and range. */
    public static final class Builder {
        final Path file;
        int capacityBytes = 1024 * 1024;
        int syncEveryRecords = 1;
        int syncIntervalMillis;
        JournalChannels channels = JournalChannels.SYSTEM;

        Builder(Path file) {
            this.file = file;
        }

        /**
         * Size of the file, a multiple of 128 from 1,024 bytes; default 1 MiB. It must hold {@code 2 * maxInflight + 1}
         * PUBLISH packets of {@code transmitBufferBytes} of the client (checked when the client is built).
         */
        public Builder capacityBytes(int bytes) {
            checkRange("journal capacityBytes", bytes, 1024, Integer.MAX_VALUE);
            if (bytes % 128 != 0) {
                throw new IllegalArgumentException("journal capacityBytes " + bytes + " is not a multiple of 128");
            }
            this.capacityBytes = bytes;
            return this;
        }

        /**
         * When the journal forces its writes to the medium: after every {@code everyRecords} records (0..1,000,000;
         * default 1, every record; 0 = not by count) and/or {@code intervalMillis} after the first unforced write
         * (0..3,600,000; default 0 = not by time). Unforced records survive a crash of the process, not a power cut.
         */
        public Builder sync(int everyRecords, int intervalMillis) {
            this.syncEveryRecords = checkRange("journal sync everyRecords", everyRecords, 0, 1_000_000);
            this.syncIntervalMillis = checkRange("journal sync intervalMillis", intervalMillis, 0, 3_600_000);
            return this;
        }

        /** How the files are opened (tests fail them); default {@link JournalChannels#SYSTEM}. */
        Builder channels(JournalChannels channels) {
            this.channels = channels;
            return this;
        }

        /** The journal settings; the file is opened by each client built with them. */
        public JournalStore build() {
            return new JournalStore(this);
        }

        private static int checkRange(String name, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " " + value + " not in " + min + ".." + max);
            }
            return value;
        }
    }
}
