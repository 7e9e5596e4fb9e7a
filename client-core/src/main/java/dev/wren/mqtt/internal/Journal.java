package dev.wren.mqtt.internal;

import dev.wren.mqtt.MonotonicClock;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * A crash-safe store of outgoing QoS 1/2 PUBLISH frames that are not yet acknowledged, in one preallocated file
 * that never grows. Records come back, after a crash of the process or a power cut, in the order they were
 * appended; a record torn by the crash is detected by its checksum and skipped, and costs only itself.
 *
 * <h2>Life of a record</h2>
 * <pre>
 *   append ──▶ QUEUED ──take──▶ TAKEN (in the session's in-flight window) ──remove (PUBACK/PUBCOMP)──▶ gone
 *                │                 └─ release (PUBREC: PUBREL is what a resume sends) ─┘
 *                └─ dropped by the full-journal policy (oldest queued first)
 * </pre>
 * {@link #take} hands out queued records strictly in append order, so the records replayed after a restart
 * (all queued again on {@link #open}) go out before anything appended later [MQTT-4.6.0-2, -3].
 *
 * <h2>When the journal is full</h2>
 * An append never blocks and the file never grows: while the new record does not fit, the OLDEST QUEUED record
 * is dropped (marked dropped on disk, so it is not replayed either) and counted in {@link #droppedCount()}.
 * Taken records are never dropped; {@link #open} checks that the file holds {@code 2 * maxTaken + 1} records
 * of the largest size, so an append always finds room once the queued records are gone, however fragmented.
 *
 * <h2>Durability</h2>
 * Every write goes to the OS at once (a killed process loses nothing written). Surviving a power cut needs
 * the data on the medium: {@code syncEveryRecords} forces after every N appends (1 = each record, 0 = never
 * by count) and {@code syncIntervalMillis} forces once that long has passed since the first unforced write
 * (checked on append and on {@link #syncIfDue()}; 0 = never by time). Records not yet forced may be lost by a
 * power cut; acknowledgements not yet forced make records come back as duplicates, never as losses.
 *
 * <h2>File format</h2> (big-endian; the file is {@code blockCount} blocks of {@value #BLOCK_BYTES} bytes)
 * <pre>
 * block 0  file header: "WRENJRNL" | u32 version 1 | u32 block bytes | u32 block count | u32 CRC-32 of the 20 bytes before
 * record   starts on a block boundary and covers ceil((24 + frame length) / 128) consecutive blocks:
 *   0 u16 magic 0x574A ("WJ")
 *   2 u8  state: 'L' live, 'R' released (PUBREC seen), 'D' done (acknowledged), 'X' dropped ┐ rewritten in place,
 *   3 u8  0                                                                                 │ outside the CRC
 *   4 u16 packet identifier (0 = none yet)                                                  ┘
 *   6 u16 0
 *   8 u32 frame length
 *  12 u64 sequence number (append order; never reused)
 *  20 u32 CRC-32 (java.util.zip.CRC32) of bytes 6..19 and the frame
 *  24 the encoded PUBLISH frame
 * </pre>
 * Recovery reads every block boundary: a record whose magic, length and CRC hold is taken whole (its blocks
 * skipped); anything else is stale or torn and the scan moves on by one block. Blocks freed by an
 * acknowledgement keep their old bytes until reused, which is why the state byte, not erasure, marks a record
 * done. A state byte that is none of the four (a torn in-place write) counts as live: a duplicate, not a loss.
 *
 * <h2>Memory</h2>
 * Everything is allocated by {@link #open}: one direct buffer of the largest record, a block bitmap and four
 * per-block arrays (about 13 bytes per block, 104 KiB for a 1 MiB file). Appending, taking, reading, releasing,
 * removing and forcing allocate nothing. Not thread-safe: the session's thread owns it.
 */
final class Journal implements Closeable {

    /** Allocation unit and record alignment: small enough that a sensor reading fits one block. */
    static final int BLOCK_BYTES = 128;
    /** Bytes of a record before its frame. */
    static final int RECORD_HEADER_BYTES = 24;
    static final int FILE_VERSION = 1;

    static final byte LIVE = 'L';
    static final byte RELEASED = 'R';
    static final byte DONE = 'D';
    static final byte DROPPED = 'X';

    private static final byte[] FILE_MAGIC = {'W', 'R', 'E', 'N', 'J', 'R', 'N', 'L'};
    private static final int FILE_HEADER_BYTES = 24;
    private static final short RECORD_MAGIC = 0x574A;
    private static final int OFF_STATE = 2;
    private static final int OFF_PACKET_ID = 4;
    private static final int OFF_CRC_START = 6;
    private static final int OFF_LENGTH = 8;
    private static final int OFF_SEQUENCE = 12;
    private static final int OFF_CRC = 20;
    /** A block index never names a record: block 0 is the file header. */
    private static final int NONE = -1;

    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;
    private final int blockCount;
    private final int maxFrameBytes;
    private final int maxTaken;
    private final int syncEveryRecords;
    private final long syncIntervalNanos;
    private final MonotonicClock clock;

    private final ByteBuffer io;
    private final ByteBuffer inPlace = ByteBuffer.allocateDirect(4);
    private final CRC32 crc = new CRC32();

    /** One bit per block: set while a record covers it. */
    private final long[] usedBits;
    /** Per block where a record starts: its state (0 = no record starts here), frame length, packet id. */
    private final byte[] state;
    private final int[] frameLength;
    private final char[] packetId;
    /** Start blocks of live records in append order: a ring, the first {@link #takenCount} of them taken. */
    private final int[] order;
    private int orderHead;
    private int orderCount;
    private int takenCount;

    private int allocCursor = 1;
    private long nextSequence;
    private long droppedCount;
    private long appendedCount;
    private long syncCount;
    private final int recoveredCount;
    private final int corruptCount;

    private int appendsSinceSync;
    private boolean unsynced;
    private long firstUnsyncedNanos;
    private boolean closed;

    /**
     * Opens (or creates, preallocated with zeros) the journal file and recovers its live records, all queued
     * in append order.
     *
     * @param file               the journal file; created with its directory entry forced to disk
     * @param capacityBytes      file size, a multiple of {@value #BLOCK_BYTES}; never changes afterwards
     * @param maxFrameBytes      largest PUBLISH frame an append may hold (the transmit buffer size)
     * @param maxTaken           most records taken at once (the in-flight window), at least 1
     * @param syncEveryRecords   force to the medium after this many appends; 1 = every record, 0 = not by count
     * @param syncIntervalMillis force once this long after the first unforced write; 0 = not by time
     * @param clock              time for {@code syncIntervalMillis}
     * @throws IllegalArgumentException a size out of range, or a file too small for {@code 2 * maxTaken + 1}
     *                                  records of {@code maxFrameBytes} (the message names the minimum)
     * @throws IOException              the file cannot be created, locked (another process has it) or read, or
     *                                  it is not a journal, or one of another geometry (the message names both)
     */
    static Journal open(Path file, int capacityBytes, int maxFrameBytes, int maxTaken, int syncEveryRecords,
                        int syncIntervalMillis, MonotonicClock clock) throws IOException {
        if (maxFrameBytes < 2) {
            throw new IllegalArgumentException("journal maxFrameBytes " + maxFrameBytes + " < 2 (the smallest frame)");
        }
        if (maxTaken < 1) {
            throw new IllegalArgumentException("journal maxTaken " + maxTaken + " < 1");
        }
        if (syncEveryRecords < 0 || syncIntervalMillis < 0) {
            throw new IllegalArgumentException("journal syncEveryRecords " + syncEveryRecords
                    + " and syncIntervalMillis " + syncIntervalMillis + " must be >= 0");
        }
        if (capacityBytes % BLOCK_BYTES != 0) {
            throw new IllegalArgumentException("journal capacityBytes " + capacityBytes + " is not a multiple of "
                    + BLOCK_BYTES);
        }
        long minimum = minimumCapacityBytes(maxFrameBytes, maxTaken);
        if (capacityBytes < minimum) {
            throw new IllegalArgumentException("journal capacityBytes " + capacityBytes + " < " + minimum
                    + ": it must hold 2 * maxTaken + 1 = " + (2 * maxTaken + 1) + " records of maxFrameBytes "
                    + maxFrameBytes + " (" + blocksFor(maxFrameBytes) * BLOCK_BYTES + " bytes each) plus a header block");
        }
        if (clock == null) {
            throw new IllegalArgumentException("journal clock is null");
        }
        return new Journal(file, capacityBytes, maxFrameBytes, maxTaken, syncEveryRecords, syncIntervalMillis, clock);
    }

    /** The smallest file {@link #open} accepts for these limits. */
    static long minimumCapacityBytes(int maxFrameBytes, int maxTaken) {
        return (long) BLOCK_BYTES * (1 + (2L * maxTaken + 1) * blocksFor(maxFrameBytes));
    }

    /** Blocks a record of a {@code frameBytes}-byte frame covers. */
    static int blocksFor(int frameBytes) {
        return (RECORD_HEADER_BYTES + frameBytes + BLOCK_BYTES - 1) / BLOCK_BYTES;
    }

    private Journal(Path file, int capacityBytes, int maxFrameBytes, int maxTaken, int syncEveryRecords,
                    int syncIntervalMillis, MonotonicClock clock) throws IOException {
        this.path = file;
        this.blockCount = capacityBytes / BLOCK_BYTES;
        this.maxFrameBytes = maxFrameBytes;
        this.maxTaken = maxTaken;
        this.syncEveryRecords = syncEveryRecords;
        this.syncIntervalNanos = TimeUnit.MILLISECONDS.toNanos(syncIntervalMillis);
        this.clock = clock;
        this.io = ByteBuffer.allocateDirect(blocksFor(maxFrameBytes) * BLOCK_BYTES);
        this.usedBits = new long[(blockCount + 63) >>> 6];
        this.state = new byte[blockCount];
        this.frameLength = new int[blockCount];
        this.packetId = new char[blockCount];
        this.order = new int[blockCount];
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock l = null;
        try {
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException sameJvm) {
                l = null;
            }
            if (l == null) {
                throw new IOException("journal " + file + " is in use by another process");
            }
            this.channel = ch;
            this.lock = l;
            if (!readFileHeader(capacityBytes)) {
                format(capacityBytes);
            }
            int[] counts = recover();
            this.recoveredCount = counts[0];
            this.corruptCount = counts[1];
        } catch (IOException | RuntimeException e) {
            if (l != null) {
                try {
                    l.release();
                } catch (IOException ignored) {
                    // closing the channel releases it too
                }
            }
            ch.close();
            throw e;
        }
    }

    // ---------------------------------------------------------------- operations

    /**
     * Appends a frame as a new queued record (after the records already queued). When the file has no room,
     * drops the oldest queued records first ({@link #droppedCount()}). Forces per the sync policy.
     *
     * @param packetIdentifier the frame's packet identifier, or 0 when the session assigns one on {@link #take}
     * @return the record's handle, valid until {@link #remove} or a drop
     * @throws IllegalArgumentException {@code length} outside 2..maxFrameBytes, or a bad range
     * @throws IOException              the write failed (the record is then not in the journal)
     */
    int append(byte[] frame, int off, int length, int packetIdentifier) throws IOException {
        requireOpen();
        if (length < 2 || length > maxFrameBytes) {
            throw new IllegalArgumentException("frame of " + length + " bytes outside the journal's 2.."
                    + maxFrameBytes);
        }
        if (off < 0 || off > frame.length - length) {
            throw new IllegalArgumentException("frame range " + off + "+" + length + " outside array of " + frame.length);
        }
        int blocks = blocksFor(length);
        int start = allocate(blocks);
        while (start == NONE) {
            // Room for the window is guaranteed by open's size check, so a queued record is always there to drop.
            dropOldestQueued();
            start = allocate(blocks);
        }
        long sequence = nextSequence++;
        io.clear();
        io.putShort(RECORD_MAGIC).put(LIVE).put((byte) 0).putChar((char) packetIdentifier).putShort((short) 0)
                .putInt(length).putLong(sequence).putInt(0).put(frame, off, length);
        io.putInt(OFF_CRC, recordCrc(length)); // leaves position 0, limit at the record's end
        writeFully(io, position(start));
        markUsed(start, blocks, true);
        state[start] = LIVE;
        frameLength[start] = length;
        packetId[start] = (char) packetIdentifier;
        order[ringIndex(orderCount)] = start;
        orderCount++;
        appendedCount++;
        appendsSinceSync++;
        wrote();
        if (syncEveryRecords > 0 && appendsSinceSync >= syncEveryRecords) {
            sync();
        } else {
            syncIfDue();
        }
        return start;
    }

    /**
     * Takes the oldest queued record into the in-flight window.
     *
     * @return its handle, or -1 when nothing is queued
     * @throws IllegalStateException {@code maxTaken} records are taken already
     */
    int take() {
        requireOpen();
        if (takenCount == orderCount) {
            return NONE;
        }
        if (takenCount == maxTaken) {
            throw new IllegalStateException("journal: " + takenCount + " records taken already, maxTaken " + maxTaken);
        }
        return order[ringIndex(takenCount++)];
    }

    /**
     * Copies a record's frame to {@code dst} at {@code off}.
     *
     * @return the frame length
     * @throws IllegalArgumentException no live record has this handle, or {@code dst} is too small
     */
    int read(int handle, byte[] dst, int off) throws IOException {
        requireLive(handle);
        int length = frameLength[handle];
        if (off < 0 || off > dst.length - length) {
            throw new IllegalArgumentException("frame of " + length + " bytes does not fit array of " + dst.length
                    + " at " + off);
        }
        io.clear();
        io.limit(length);
        long pos = position(handle) + RECORD_HEADER_BYTES;
        while (io.hasRemaining()) {
            if (channel.read(io, pos + io.position()) < 0) {
                throw new IOException("journal " + path + " ends inside record at block " + handle);
            }
        }
        io.flip();
        io.get(dst, off, length);
        return length;
    }

    /**
     * Records the packet identifier the session gave a record, which is (again) a PUBLISH to send: the state
     * returns to live if it was released (a session that was not resumed starts QoS 2 over). Persisted, so a
     * resume after a restart re-sends it under the same identifier [MQTT-4.4.0-1].
     */
    void assignPacketId(int handle, int id) throws IOException {
        requireLive(handle);
        packetId[handle] = (char) id;
        state[handle] = LIVE;
        writeInPlace(handle);
    }

    /** PUBREC arrived for the record's QoS 2 message: from now on PUBREL is what a resume sends (MQTT 3.1.1 §4.3.3). */
    void release(int handle) throws IOException {
        requireLive(handle);
        state[handle] = RELEASED;
        writeInPlace(handle);
    }

    /** The message is complete (PUBACK or PUBCOMP): marks it done on disk and frees its blocks. */
    void remove(int handle) throws IOException {
        requireLive(handle);
        state[handle] = DONE;
        writeInPlace(handle);
        unlink(handle);
    }

    /** Forces written records to the medium now, whatever the policy (a no-op when nothing is unforced). */
    void sync() throws IOException {
        requireOpen();
        if (!unsynced) {
            return;
        }
        channel.force(false);
        syncCount++;
        unsynced = false;
        appendsSinceSync = 0;
    }

    /**
     * Forces when {@code syncIntervalMillis} has passed since the first unforced write; the session calls this
     * from {@code poll} so that a last record does not wait for the next append.
     *
     * @return true when it forced
     */
    boolean syncIfDue() throws IOException {
        requireOpen();
        if (unsynced && syncIntervalNanos > 0 && clock.nanoTime() - firstUnsyncedNanos >= syncIntervalNanos) {
            sync();
            return true;
        }
        return false;
    }

    /** Forces what is unforced and closes the file; idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            sync();
        } finally {
            closed = true;
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }

    // ---------------------------------------------------------------- queries

    /** The record's packet identifier (0 = none assigned). */
    int packetId(int handle) {
        requireLive(handle);
        return packetId[handle];
    }

    /** True when PUBREC was recorded for the record ({@link #release}). */
    boolean isReleased(int handle) {
        requireLive(handle);
        return state[handle] == RELEASED;
    }

    /** The record's frame length in bytes. */
    int frameLength(int handle) {
        requireLive(handle);
        return frameLength[handle];
    }

    /** Live records: queued plus taken. */
    int liveCount() {
        return orderCount;
    }

    /** Records appended (or recovered) and not yet taken. */
    int queuedCount() {
        return orderCount - takenCount;
    }

    /** Records taken and not yet removed. */
    int takenCount() {
        return takenCount;
    }

    /** Records dropped by the full-journal policy since {@link #open}. */
    long droppedCount() {
        return droppedCount;
    }

    /** Records appended since {@link #open}. */
    long appendedCount() {
        return appendedCount;
    }

    /** Times the file was forced to the medium since {@link #open}. */
    long syncCount() {
        return syncCount;
    }

    /** Live records found by {@link #open}. */
    int recoveredCount() {
        return recoveredCount;
    }

    /** Records {@link #open} found with a good magic but a bad length or checksum (torn writes), and skipped. */
    int corruptCount() {
        return corruptCount;
    }

    /** Bytes free for records now (not necessarily contiguous). */
    long freeBytes() {
        long used = 0;
        for (long w : usedBits) {
            used += Long.bitCount(w);
        }
        return (blockCount - used) * (long) BLOCK_BYTES;
    }

    /** The file size in bytes. */
    long capacityBytes() {
        return (long) blockCount * BLOCK_BYTES;
    }

    /** The largest frame {@link #append} accepts. */
    int maxFrameBytes() {
        return maxFrameBytes;
    }

    @Override
    public String toString() {
        return "Journal[" + path + ", " + orderCount + " live (" + takenCount + " taken), " + freeBytes() + "/"
                + capacityBytes() + " bytes free, " + droppedCount + " dropped]";
    }

    // ---------------------------------------------------------------- internals

    private void dropOldestQueued() throws IOException {
        if (takenCount == orderCount) {
            throw new IllegalStateException("journal full with nothing queued to drop: " + this);
        }
        int handle = order[ringIndex(takenCount)];
        state[handle] = DROPPED;
        writeInPlace(handle);
        unlink(handle);
        droppedCount++;
    }

    /** Frees a record's blocks and takes it out of the order ring (keeping the rest in order). */
    private void unlink(int handle) {
        int i = 0;
        while (order[ringIndex(i)] != handle) {
            i++;
        }
        if (i < takenCount) {
            takenCount--;
        }
        // Acks mostly free the oldest record: shifting the few before it keeps this O(window).
        for (int j = i; j > 0; j--) {
            order[ringIndex(j)] = order[ringIndex(j - 1)];
        }
        orderHead = ringIndex(1);
        orderCount--;
        markUsed(handle, blocksFor(frameLength[handle]), false);
        state[handle] = 0;
    }

    private int ringIndex(int i) {
        int r = orderHead + i;
        return r >= order.length ? r - order.length : r;
    }

    /** Next fit from where the last record went: spreads writes over the medium and keeps them mostly sequential. */
    private int allocate(int blocks) {
        int run = 0;
        int runStart = NONE;
        int b = allocCursor;
        for (int scanned = 0; scanned < blockCount + blocks; scanned++, b++) {
            if (b >= blockCount) {
                b = 1; // a record never wraps around the end of the file
                run = 0;
            }
            if (isUsed(b)) {
                run = 0;
            } else {
                if (run++ == 0) {
                    runStart = b;
                }
                if (run == blocks) {
                    allocCursor = runStart + blocks;
                    return runStart;
                }
            }
        }
        return NONE;
    }

    private boolean isUsed(int block) {
        return (usedBits[block >>> 6] & (1L << block)) != 0;
    }

    private void markUsed(int start, int blocks, boolean used) {
        for (int b = start; b < start + blocks; b++) {
            if (used) {
                usedBits[b >>> 6] |= 1L << b;
            } else {
                usedBits[b >>> 6] &= ~(1L << b);
            }
        }
    }

    /** CRC of the record in {@link #io} (header bytes 6..19 and the frame), leaving io's position at 0. */
    private int recordCrc(int length) {
        crc.reset();
        io.limit(RECORD_HEADER_BYTES + length).position(OFF_CRC_START);
        io.limit(OFF_CRC);
        crc.update(io);
        io.limit(RECORD_HEADER_BYTES + length).position(RECORD_HEADER_BYTES);
        crc.update(io);
        io.position(0);
        return (int) crc.getValue();
    }

    /** Rewrites a record's mutable header bytes (state, packet id): one 4-byte write inside one block. */
    private void writeInPlace(int handle) throws IOException {
        inPlace.clear();
        inPlace.put(state[handle]).put((byte) 0).putChar(packetId[handle]).flip();
        writeFully(inPlace, position(handle) + OFF_STATE);
        wrote();
    }

    private void wrote() {
        if (!unsynced) {
            unsynced = true;
            firstUnsyncedNanos = clock.nanoTime();
        }
    }

    private void writeFully(ByteBuffer src, long pos) throws IOException {
        while (src.hasRemaining()) {
            channel.write(src, pos + src.position());
        }
    }

    private static long position(int block) {
        return (long) block * BLOCK_BYTES;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("journal " + path + " is closed");
        }
    }

    private void requireLive(int handle) {
        requireOpen();
        if (handle < 1 || handle >= blockCount || state[handle] == 0) {
            throw new IllegalArgumentException("no live journal record at handle " + handle);
        }
    }

    // ---------------------------------------------------------------- open: header, format, recovery

    /** True when the file holds a journal header of this geometry; false when it is new (empty or all zeros). */
    private boolean readFileHeader(int capacityBytes) throws IOException {
        long size = channel.size();
        ByteBuffer h = ByteBuffer.allocate(FILE_HEADER_BYTES);
        while (h.hasRemaining() && channel.read(h, h.position()) > 0) {
            // read what there is
        }
        byte[] a = h.array();
        boolean blank = true;
        for (byte x : a) {
            blank &= x == 0;
        }
        if (blank) {
            return false; // new, or a crash during format before the header was written: format again
        }
        crc.reset();
        crc.update(a, 0, FILE_HEADER_BYTES - 4);
        if (!Arrays.equals(Arrays.copyOf(a, FILE_MAGIC.length), FILE_MAGIC)
                || h.getInt(FILE_HEADER_BYTES - 4) != (int) crc.getValue()) {
            throw new IOException("file " + path + " is not a Wren journal (no valid header); move it away");
        }
        int version = h.getInt(8);
        int blockBytes = h.getInt(12);
        int blocks = h.getInt(16);
        if (version != FILE_VERSION || blockBytes != BLOCK_BYTES || blocks != blockCount || size != capacityBytes) {
            throw new IOException("journal " + path + " has version " + version + ", " + blocks + " blocks of "
                    + blockBytes + " bytes (" + size + " bytes); configured version " + FILE_VERSION + ", "
                    + blockCount + " blocks of " + BLOCK_BYTES + " bytes (" + capacityBytes
                    + "): use the size it was made with, or move it away to start empty");
        }
        return true;
    }

    /** Writes zeros through the whole file (so the space is really taken), then the header; forces both. */
    private void format(int capacityBytes) throws IOException {
        channel.truncate(0);
        ByteBuffer zeros = ByteBuffer.allocate(Math.min(capacityBytes, 64 * 1024));
        for (long pos = 0; pos < capacityBytes; ) {
            zeros.clear();
            zeros.limit((int) Math.min(zeros.capacity(), capacityBytes - pos));
            pos += channel.write(zeros, pos);
        }
        channel.force(true);
        ByteBuffer h = ByteBuffer.allocate(FILE_HEADER_BYTES);
        h.put(FILE_MAGIC).putInt(FILE_VERSION).putInt(BLOCK_BYTES).putInt(blockCount);
        crc.reset();
        crc.update(h.array(), 0, FILE_HEADER_BYTES - 4);
        h.putInt((int) crc.getValue()).flip();
        writeFully(h, 0);
        channel.force(true);
        forceDirectory(path.toAbsolutePath().getParent());
    }

    private static void forceDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true); // makes the new directory entry durable on Linux
        } catch (IOException unsupported) {
            // Some platforms cannot open a directory; the file's own data is forced regardless.
        }
    }

    /** Scans every block boundary; returns {live records found, torn records skipped}. */
    private int[] recover() throws IOException {
        markUsed(0, 1, true);
        long[] keys = new long[blockCount];
        int live = 0;
        int corrupt = 0;
        long maxSequence = -1;
        for (int b = 1; b < blockCount; ) {
            int length = readValidRecord(b);
            if (length == NONE) {
                if (io.limit() >= 2 && io.getShort(0) == RECORD_MAGIC && io.get(OFF_STATE) != DONE
                        && io.get(OFF_STATE) != DROPPED) {
                    corrupt++; // a record that was live when the crash tore it (or its bytes were reused)
                }
                b++;
                continue;
            }
            long sequence = io.getLong(OFF_SEQUENCE);
            maxSequence = Math.max(maxSequence, sequence);
            byte s = io.get(OFF_STATE);
            int blocks = blocksFor(length);
            if (s != DONE && s != DROPPED) {
                state[b] = s == RELEASED ? RELEASED : LIVE;
                frameLength[b] = length;
                packetId[b] = io.getChar(OFF_PACKET_ID);
                markUsed(b, blocks, true);
                if (sequence < 0 || sequence >= 1L << 40) {
                    throw new IOException("journal " + path + " record at block " + b + " has sequence " + sequence
                            + " beyond 2^40");
                }
                keys[live++] = sequence << 24 | b; // blockCount < 2^24 (a 2 GiB file of 128-byte blocks is 2^24)
            }
            b += blocks;
        }
        Arrays.sort(keys, 0, live);
        for (int i = 0; i < live; i++) {
            order[i] = (int) (keys[i] & 0xFFFFFF);
        }
        orderHead = 0;
        orderCount = live;
        takenCount = 0;
        nextSequence = maxSequence + 1;
        if (live > 0) {
            int newest = order[live - 1];
            allocCursor = newest + blocksFor(frameLength[newest]);
        }
        return new int[] {live, corrupt};
    }

    /**
     * Reads the record starting at {@code block} into {@link #io}; returns its frame length when magic, length
     * and CRC hold, else -1 (with io's limit at the bytes read, for the caller's torn-record count).
     */
    private int readValidRecord(int block) throws IOException {
        io.clear();
        io.limit(RECORD_HEADER_BYTES);
        long pos = position(block);
        if (!readFully(pos)) {
            return NONE;
        }
        if (io.getShort(0) != RECORD_MAGIC) {
            return NONE;
        }
        int length = io.getInt(OFF_LENGTH);
        if (length < 2 || length > maxFrameBytes || block + blocksFor(length) > blockCount) {
            return NONE;
        }
        io.limit(RECORD_HEADER_BYTES + length);
        if (!readFully(pos)) {
            return NONE;
        }
        int stored = io.getInt(OFF_CRC);
        return recordCrc(length) == stored ? length : NONE;
    }

    private boolean readFully(long pos) throws IOException {
        while (io.hasRemaining()) {
            if (channel.read(io, pos + io.position()) < 0) {
                return false;
            }
        }
        return true;
    }
}
