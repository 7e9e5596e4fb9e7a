package dev.wren.mqtt.journal;

import dev.wren.mqtt.MonotonicClock;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.text.SimpleDateFormat;
import java.util.Arrays;
import java.util.Date;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
 * <h2>When a write fails</h2>
 * Memory and file never disagree in a way that loses or repeats a message. A failed {@link #append} leaves the
 * record out (its partial bytes erased, now or by the next call) and says "NOT in the journal"; a failed force after
 * a good write says "IS in the journal". A failed in-place write ({@link #assignPacketId}, {@link #release},
 * {@link #remove}) keeps the change in memory and marks it for {@link #maintain}, which the session calls from every
 * poll: an acknowledged record leaves the order at once, and while its DONE mark is unwritten it holds a place of
 * the window ({@link #peek} hands out nothing beyond {@code maxTaken}), so a crash meanwhile brings back at most a
 * window of acknowledged messages, and sending resumes by itself once the disk works again.
 *
 * <h2>Opening</h2>
 * A file open by a journal of this JVM is refused before any channel to it is opened (closing a second channel
 * would drop the process's POSIX lock), one locked by another process is refused by its lock. A file of another
 * size is resized (see {@link #open(Path, int, int, int, int, int, MonotonicClock, JournalChannels, Consumer)}).
 * A file that holds data is never reformatted: a damaged header copy is restored from the other, both damaged are
 * rebuilt from the records, and a file with neither header nor record is moved aside, never overwritten.
 *
 * <h2>File format</h2> (big-endian; the file is {@code blockCount} blocks of {@value #BLOCK_BYTES} bytes)
 * <pre>
 * block 0  file header at offset 0, and the same 24 bytes again at offset 64 (journals made before the copy have
 *          only the first; opening adds the copy):
 *          "WRENJRNL" | u32 version 1 | u32 block bytes | u32 block count | u32 CRC-32 of the 20 bytes before
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
    /** Where block 0 keeps the second copy of the file header, so that one damaged copy loses nothing. */
    static final int HEADER_COPY_OFFSET = 64;
    /** {@link #readHeader}: neither copy is valid. */
    private static final int NO_HEADER = -1;
    /** {@link #readHeader}: a valid header of a version or block size this code does not read. */
    private static final int UNREADABLE = -2;
    /** The journals open in this JVM, by {@link #registryKey}: a second open is refused before touching the file. */
    private static final Set<Path> OPEN_FILES = new HashSet<>();

    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;
    /** This file's entry in {@link #OPEN_FILES}. */
    private final Path registryKey;
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
    /** One bit per record start block whose state or packet id in memory is not yet written (a write failed). */
    private final long[] dirtyBits;
    private int dirtyCount;
    /** Records acknowledged whose DONE mark is not yet written: out of the order ring, their blocks still held. */
    private int deferredDoneCount;
    /** Start block of a record whose append failed and whose magic could not yet be erased, or NONE. */
    private int pendingErase = NONE;
    /** Start blocks of live records in append order: a ring, the first {@link #takenCount} of them taken. */
    private final int[] order;
    private int orderHead;
    private int orderCount;
    private int takenCount;

    private int allocCursor = 1;
    private long nextSequence;
    private long droppedCount;
    private long syncCount;
    private int recoveredCount;
    private int corruptCount;
    /** Records {@link #recover} found whole (live, done or dropped): proof that a file without a header is a journal. */
    private int validCount;

    private int appendsSinceSync;
    private boolean unsynced;
    private long firstUnsyncedNanos;
    private boolean closed;

    /**
     * Opens (or creates, preallocated with zeros) the journal file and recovers its live records, all queued
     * in append order.
     *
     * <p>Order of the checks, each before anything is written: the same file open in this JVM (refused before any
     * channel is opened, since closing a second channel to a locked file releases the process's lock on it), the
     * file's lock (another process), the header (two copies, at offset 0 and {@value #HEADER_COPY_OFFSET}; the
     * first journals had only the first, which is then added), the records.
     *
     * @param file               the journal file; created with its directory entry forced to disk
     * @param capacityBytes      file size, a multiple of {@value #BLOCK_BYTES}; a file of another size is resized
     * @param maxFrameBytes      largest PUBLISH frame an append may hold (the transmit buffer size)
     * @param maxTaken           most records taken at once (the in-flight window), at least 1
     * @param syncEveryRecords   force to the medium after this many appends; 1 = every record, 0 = not by count
     * @param syncIntervalMillis force once this long after the first unforced write; 0 = not by time
     * @param clock              time for {@code syncIntervalMillis}
     * @param channels           how files are opened: {@link JournalChannels#SYSTEM}, or a test's faulty channels
     * @param warnings           told what open repaired: a header restored from its copy or rebuilt from the records,
     *                           a file resized (its pending records carried over, the oldest waiting dropped when they
     *                           do not fit), a file that cannot be read moved aside (both paths named) and replaced
     *                           by an empty journal
     * @throws IllegalArgumentException a size out of range, or a file too small for {@code 2 * maxTaken + 1}
     *                                  records of {@code maxFrameBytes} (the message names the minimum)
     * @throws IOException              the file cannot be created (the message names the size asked and the space
     *                                  free), locked (by this process or another: the message says which) or read
     */
    static Journal open(Path file, int capacityBytes, int maxFrameBytes, int maxTaken, int syncEveryRecords,
                        int syncIntervalMillis, MonotonicClock clock, JournalChannels channels,
                        Consumer<String> warnings) throws IOException {
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
        Geometry g = new Geometry(file, capacityBytes, maxFrameBytes, maxTaken, syncEveryRecords, syncIntervalMillis,
                clock, channels, warnings, registryKey(file));
        synchronized (OPEN_FILES) {
            if (!OPEN_FILES.add(g.key)) {
                throw new IOException("journal " + file + " is in use by this process (another client in this JVM"
                        + " has it open; close that client first)");
            }
        }
        boolean opened = false;
        try {
            Journal j = openRegistered(g);
            opened = true;
            return j;
        } finally {
            if (!opened) {
                unregister(g.key);
            }
        }
    }

    /** What {@link #open} was asked for, handed through its steps. */
    static final class Geometry { // not private: at Java 8 bytecode its private constructor needs an access class
        final Path file;
        final int capacityBytes;
        final int maxFrameBytes;
        final int maxTaken;
        final int syncEveryRecords;
        final int syncIntervalMillis;
        final MonotonicClock clock;
        final JournalChannels channels;
        final Consumer<String> warnings;
        final Path key;

        Geometry(Path file, int capacityBytes, int maxFrameBytes, int maxTaken, int syncEveryRecords,
                 int syncIntervalMillis, MonotonicClock clock, JournalChannels channels, Consumer<String> warnings,
                 Path key) {
            this.file = file;
            this.capacityBytes = capacityBytes;
            this.maxFrameBytes = maxFrameBytes;
            this.maxTaken = maxTaken;
            this.syncEveryRecords = syncEveryRecords;
            this.syncIntervalMillis = syncIntervalMillis;
            this.clock = clock;
            this.channels = channels;
            this.warnings = warnings;
            this.key = key;
        }
    }

    /** The name this JVM's registry of open journals knows {@code file} by: its real path (or its parent's). */
    private static Path registryKey(Path file) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        if (Files.exists(abs)) {
            return abs.toRealPath();
        }
        Path parent = abs.getParent();
        return parent != null && Files.isDirectory(parent) ? parent.toRealPath().resolve(abs.getFileName()) : abs;
    }

    private static void unregister(Path key) {
        synchronized (OPEN_FILES) {
            OPEN_FILES.remove(key);
        }
    }

    private static Journal openRegistered(Geometry g) throws IOException {
        FileChannel ch = g.channels.open(g.file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException sameJvm) {
            lock = null; // locked in this JVM by something other than a journal (the registry excludes journals)
            ch.close();
            throw new IOException("journal " + g.file + " is locked by this process outside the journal");
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close(); // no lock of this process on the file: closing releases nothing
            throw new IOException("journal " + g.file + " is in use by another process (it holds the file's lock)");
        }
        Journal j = null;
        try {
            long size = ch.size();
            int headerBlocks = size == 0 ? NO_HEADER : readHeader(ch, g);
            if (headerBlocks == NO_HEADER && isAllZeros(ch, size)) {
                // New, or a crash while it was being created: nothing in it to keep.
                j = new Journal(g, ch, lock, g.capacityBytes / BLOCK_BYTES);
                j.create(g.file, size == 0);
                j.recover();
                return j;
            }
            if (headerBlocks == UNREADABLE) {
                return moveAside(g, ch, lock, "its header is of another version or block size");
            }
            int blocks = (int) Math.min(headerBlocks == NO_HEADER ? Integer.MAX_VALUE : headerBlocks,
                    size / BLOCK_BYTES);
            if (blocks < 2) {
                return moveAside(g, ch, lock, "it is " + size + " bytes with no journal header");
            }
            j = new Journal(g, ch, lock, blocks);
            j.recover();
            if (headerBlocks == NO_HEADER) {
                if (j.validCount == 0) {
                    j = null;
                    return moveAside(g, ch, lock, "neither header copy is valid and no record is");
                }
                j.writeHeaders();
                g.warnings.accept("journal " + g.file + ": both copies of its header were damaged; rebuilt from its "
                        + j.validCount + " records (" + j.recoveredCount + " pending)");
            }
            if (blocks == g.capacityBytes / BLOCK_BYTES && size == g.capacityBytes) {
                return j;
            }
            return resize(g, j, size);
        } catch (IOException | RuntimeException | Error e) {
            if (j == null || !j.closed) {
                try {
                    lock.release();
                } catch (IOException ignored) {
                    // closing the channel releases it too
                } finally {
                    ch.close();
                }
            }
            throw e;
        }
    }

    /**
     * Moves a file that holds no readable journal aside under a timestamped name, says so, and starts an empty
     * journal in its place: nothing is destroyed, and the client keeps running.
     */
    private static Journal moveAside(Geometry g, FileChannel ch, FileLock lock, String why) throws IOException {
        String stamp = new SimpleDateFormat("yyyyMMdd-HHmmss").format(new Date());
        Path aside = g.file.resolveSibling(g.file.getFileName() + ".unreadable-" + stamp);
        for (int n = 2; Files.exists(aside); n++) {
            aside = g.file.resolveSibling(g.file.getFileName() + ".unreadable-" + stamp + "-" + n);
        }
        Files.move(g.file, aside, StandardCopyOption.ATOMIC_MOVE); // still locked by us, so no one writes meanwhile
        try {
            lock.release();
        } finally {
            ch.close();
        }
        g.warnings.accept("journal " + g.file + " cannot be read (" + why + "): moved aside to " + aside
                + "; starting with an empty journal");
        return openRegistered(g);
    }

    /**
     * Carries every pending record of {@code old} (a file of another size) over to a journal of the configured
     * size: written beside it, forced, then renamed over it in one step, so a crash at any point leaves either the
     * old file whole or the new one. When the records do not all fit, the oldest waiting are dropped
     * ({@link #droppedCount()}). Closes {@code old}.
     */
    private static Journal resize(Geometry g, Journal old, long oldSize) throws IOException {
        Path beside = g.file.resolveSibling(g.file.getFileName() + ".resizing");
        Files.deleteIfExists(beside); // left by a crash during an earlier resize: the old file is still whole
        FileChannel ch = g.channels.open(beside, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        Journal j = null;
        try {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                throw new IOException("journal " + beside + " (the resized copy being written) is locked by another"
                        + " process");
            }
            j = new Journal(g, ch, lock, g.capacityBytes / BLOCK_BYTES);
            j.create(beside, true);
            j.markUsed(0, 1, true);
            byte[] frame = new byte[g.maxFrameBytes];
            for (int i = 0; i < old.orderCount; i++) {
                int h = old.order[old.ringIndex(i)];
                int length = old.read(h, frame, 0);
                j.place(frame, 0, length, old.packetId[h], old.state[h]);
            }
            j.channel.force(true);
            Files.move(beside, g.file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory(g.file.toAbsolutePath().getParent());
        } catch (IOException | RuntimeException | Error e) {
            try {
                ch.close();
            } finally {
                Files.deleteIfExists(beside);
            }
            throw e;
        }
        old.closed = true;
        try {
            old.lock.release(); // the old file's name is the new one's now: its lock guards nothing any more
        } finally {
            old.channel.close();
        }
        j.recoveredCount = j.orderCount;
        j.corruptCount = old.corruptCount;
        j.unsynced = false;
        g.warnings.accept("journal " + g.file + " resized from " + oldSize + " to " + g.capacityBytes + " bytes: "
                + j.orderCount + " pending records carried over" + (j.droppedCount == 0 ? ""
                : ", " + j.droppedCount + " of the oldest waiting dropped (they did not fit)"));
        return j;
    }

    /** The smallest file {@link #open} accepts for these limits. */
    static long minimumCapacityBytes(int maxFrameBytes, int maxTaken) {
        return (long) BLOCK_BYTES * (1 + (2L * maxTaken + 1) * blocksFor(maxFrameBytes));
    }

    /** Blocks a record of a {@code frameBytes}-byte frame covers. */
    static int blocksFor(int frameBytes) {
        return (RECORD_HEADER_BYTES + frameBytes + BLOCK_BYTES - 1) / BLOCK_BYTES;
    }

    private Journal(Geometry g, FileChannel channel, FileLock lock, int blockCount) {
        this.path = g.file;
        this.channel = channel;
        this.lock = lock;
        this.registryKey = g.key;
        this.blockCount = blockCount;
        this.maxFrameBytes = g.maxFrameBytes;
        this.maxTaken = g.maxTaken;
        this.syncEveryRecords = g.syncEveryRecords;
        this.syncIntervalNanos = TimeUnit.MILLISECONDS.toNanos(g.syncIntervalMillis);
        this.clock = g.clock;
        this.io = ByteBuffer.allocateDirect(blocksFor(maxFrameBytes) * BLOCK_BYTES);
        this.usedBits = new long[(blockCount + 63) >>> 6];
        this.state = new byte[blockCount];
        this.frameLength = new int[blockCount];
        this.packetId = new char[blockCount];
        this.order = new int[blockCount];
        this.dirtyBits = new long[usedBits.length];
    }

    // ---------------------------------------------------------------- operations

    /**
     * Appends a frame as a new queued record (after the records already queued). When the file has no room,
     * drops the oldest queued records first ({@link #droppedCount()}). Forces per the sync policy.
     *
     * @param packetIdentifier the frame's packet identifier, or 0 when the session assigns one on {@link #take}
     * @return the record's handle, valid until {@link #remove} or a drop
     * @throws IllegalArgumentException {@code length} outside 2..maxFrameBytes, or a bad range
     * @throws IOException              a write failed: the message says "the message is NOT in the journal"; or
     *                                  the force after a good write failed: "the message IS in the journal"
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
        if (pendingErase != NONE) {
            try {
                erasePending();
            } catch (IOException e) {
                throw notAppended("erasing the record of a failed append at block " + pendingErase, e);
            }
        }
        int start = place(frame, off, length, packetIdentifier, LIVE);
        appendsSinceSync++;
        try {
            if (syncEveryRecords > 0 && appendsSinceSync >= syncEveryRecords) {
                sync();
            } else {
                syncIfDue();
            }
        } catch (IOException e) {
            throw new IOException("journal " + path + ": forcing to the medium failed (" + e.getMessage()
                    + "): the message IS in the journal (written, not yet forced; the next sync tries again)", e);
        }
        return start;
    }

    /** Writes a record behind the queued ones, dropping the oldest queued while there is no room; no forcing. */
    private int place(byte[] frame, int off, int length, int packetIdentifier, byte recordState) throws IOException {
        int blocks = blocksFor(length);
        int start = allocate(blocks);
        while (start == NONE) {
            // Room for the window is guaranteed by open's size check, so a queued record is always there to drop.
            dropOldestQueued();
            start = allocate(blocks);
        }
        long sequence = nextSequence++;
        io.clear();
        io.putShort(RECORD_MAGIC).put(recordState).put((byte) 0).putChar((char) packetIdentifier).putShort((short) 0)
                .putInt(length).putLong(sequence).putInt(0).put(frame, off, length);
        io.putInt(OFF_CRC, recordCrc(length)); // leaves position 0, limit at the record's end
        markUsed(start, blocks, true);
        try {
            writeFully(channel, io, position(start));
        } catch (IOException e) {
            // Part of the record may be on disk; a whole one would come back after a crash: erase its magic first.
            frameLength[start] = length;
            pendingErase = start;
            wrote();
            try {
                erasePending();
            } catch (IOException ignored) {
                // Its blocks stay held until the erase succeeds (the next append or maintain tries again).
            }
            throw notAppended("writing a record of " + length + " bytes at block " + start, e);
        }
        state[start] = recordState;
        frameLength[start] = length;
        packetId[start] = (char) packetIdentifier;
        order[ringIndex(orderCount)] = start;
        orderCount++;
        wrote();
        return start;
    }

    private IOException notAppended(String what, IOException e) {
        return new IOException("journal " + path + ": " + what + " failed (" + e.getMessage()
                + "): the message is NOT in the journal", e);
    }

    /**
     * Takes the oldest queued record into the in-flight window.
     *
     * @return its handle, or -1 when nothing is queued
     * @throws IllegalStateException {@code maxTaken} records are taken already
     */
    int take() {
        int next = peek();
        if (next != NONE) {
            takenCount++;
        }
        return next;
    }

    /**
     * The record {@link #take} would hand out now, without taking it (so that a failed {@link #read} leaves it
     * queued).
     *
     * @return its handle, or -1 when nothing is queued, or while acknowledged records whose DONE mark could not be
     *         written yet hold the room of the window ({@link #maintain} writes them)
     * @throws IllegalStateException {@code maxTaken} records are taken already
     */
    int peek() {
        requireOpen();
        if (takenCount == orderCount) {
            return NONE;
        }
        if (takenCount + deferredDoneCount >= maxTaken) {
            if (deferredDoneCount > 0) {
                return NONE;
            }
            throw new IllegalStateException("journal: " + takenCount + " records taken already, maxTaken " + maxTaken);
        }
        return order[ringIndex(takenCount)];
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
        if (!readFully(position(handle) + RECORD_HEADER_BYTES)) {
            throw new IOException("journal " + path + " ends inside record at block " + handle);
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
    void assignPacketId(int handle, int id) {
        requireLive(handle);
        packetId[handle] = (char) id;
        state[handle] = LIVE;
        writeOrDefer(handle);
    }

    /** PUBREC arrived for the record's QoS 2 message: from now on PUBREL is what a resume sends (MQTT 3.1.1 §4.3.3). */
    void release(int handle) {
        requireLive(handle);
        state[handle] = RELEASED;
        writeOrDefer(handle);
    }

    /**
     * The message is complete (PUBACK or PUBCOMP): marks it done on disk and frees its blocks. When the mark cannot
     * be written, the record leaves the order at once (it is never handed out again) but keeps its blocks and a
     * place in the window's room until {@link #maintain} writes the mark: a crash before that brings it back as a
     * duplicate, as for an acknowledgement not yet forced, and never more of them than the window holds.
     */
    void remove(int handle) {
        requireLive(handle);
        state[handle] = DONE;
        unlinkOrder(handle);
        if (writeOrDefer(handle)) {
            free(handle);
        } else {
            deferredDoneCount++;
        }
    }

    /**
     * Writes the state changes and erasures that failed before ({@link #remove}, {@link #release},
     * {@link #assignPacketId}, a failed {@link #append}), then forces if {@code syncIntervalMillis} is due. The session
     * calls this from every {@code poll}, so that a journal whose disk works again catches up by itself.
     *
     * @throws IOException a write still fails (what is left is tried again on the next call)
     */
    void maintain() throws IOException {
        requireOpen();
        if (dirtyCount > 0 || pendingErase != NONE) {
            writeDeferred();
        }
        syncIfDue();
    }

    /** State changes in memory not yet written to the file (their writes failed; {@link #maintain} retries). */
    int deferredCount() {
        return dirtyCount + (pendingErase == NONE ? 0 : 1);
    }

    /** Rewrites the record's in-place bytes; on failure marks it dirty for {@link #maintain}. True when written. */
    private boolean writeOrDefer(int handle) {
        try {
            writeInPlace(handle);
            if (isSet(dirtyBits, handle)) {
                set(dirtyBits, handle, false);
                dirtyCount--;
            }
            return true;
        } catch (IOException e) {
            if (!isSet(dirtyBits, handle)) {
                set(dirtyBits, handle, true);
                dirtyCount++;
            }
            return false;
        }
    }

    private void writeDeferred() throws IOException {
        if (pendingErase != NONE) {
            erasePending();
        }
        for (int w = 0; w < dirtyBits.length && dirtyCount > 0; w++) {
            while (dirtyBits[w] != 0) {
                int handle = (w << 6) + Long.numberOfTrailingZeros(dirtyBits[w]);
                writeInPlace(handle);
                set(dirtyBits, handle, false);
                dirtyCount--;
                if (state[handle] == DONE) {
                    free(handle);
                    deferredDoneCount--;
                }
            }
        }
    }

    /** Zeroes the magic of the record whose append failed, then frees its blocks. */
    private void erasePending() throws IOException {
        inPlace.clear();
        inPlace.putShort((short) 0).flip();
        writeFully(channel, inPlace, position(pendingErase));
        markUsed(pendingErase, blocksFor(frameLength[pendingErase]), false);
        pendingErase = NONE;
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
            if (dirtyCount > 0 || pendingErase != NONE) {
                writeDeferred();
            }
            sync();
        } finally {
            closed = true;
            try {
                lock.release();
            } finally {
                try {
                    channel.close();
                } finally {
                    unregister(registryKey);
                }
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
        byte was = state[handle];
        state[handle] = DROPPED;
        try {
            writeInPlace(handle);
        } catch (IOException e) {
            state[handle] = was; // still queued: the append that needed its room fails instead
            throw notAppended("dropping the oldest waiting record (block " + handle + ") to make room", e);
        }
        if (isSet(dirtyBits, handle)) {
            set(dirtyBits, handle, false); // the DROPPED mark superseded the change not yet written
            dirtyCount--;
        }
        unlinkOrder(handle);
        free(handle);
        droppedCount++;
    }

    /** Takes a record out of the order ring (keeping the rest in order). */
    private void unlinkOrder(int handle) {
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
    }

    /** Frees a record's blocks. */
    private void free(int handle) {
        markUsed(handle, blocksFor(frameLength[handle]), false);
        state[handle] = 0;
    }

    private static boolean isSet(long[] bits, int i) {
        return (bits[i >>> 6] & (1L << i)) != 0;
    }

    private static void set(long[] bits, int i, boolean on) {
        if (on) {
            bits[i >>> 6] |= 1L << i;
        } else {
            bits[i >>> 6] &= ~(1L << i);
        }
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
            if (isSet(usedBits, b)) {
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

    private void markUsed(int start, int blocks, boolean used) {
        for (int b = start; b < start + blocks; b++) {
            set(usedBits, b, used);
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
        writeFully(channel, inPlace, position(handle) + OFF_STATE);
        wrote();
    }

    private void wrote() {
        if (!unsynced) {
            unsynced = true;
            firstUnsyncedNanos = clock.nanoTime();
        }
    }

    /** Writes {@code src} from its position to its limit at file position {@code pos}. */
    private static void writeFully(FileChannel ch, ByteBuffer src, long pos) throws IOException {
        int start = src.position();
        while (src.hasRemaining()) {
            ch.write(src, pos + src.position() - start);
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

    /**
     * Reads both header copies and repairs a damaged one from the other (a journal made before the copy existed
     * gets it, silently).
     *
     * @return the block count the header gives, {@link #NO_HEADER} when neither copy is valid, {@link #UNREADABLE}
     *         when a valid copy names a version or block size this code does not read
     */
    private static int readHeader(FileChannel ch, Geometry g) throws IOException {
        ByteBuffer block = ByteBuffer.allocate(BLOCK_BYTES);
        while (block.hasRemaining() && ch.read(block, block.position()) > 0) {
            // read what there is
        }
        byte[] b = block.array();
        boolean first = isHeader(b, 0);
        boolean second = isHeader(b, HEADER_COPY_OFFSET);
        if (!first && !second) {
            return NO_HEADER;
        }
        int good = first ? 0 : HEADER_COPY_OFFSET;
        int version = block.getInt(good + 8);
        int blockBytes = block.getInt(good + 12);
        if (version != FILE_VERSION || blockBytes != BLOCK_BYTES) {
            return UNREADABLE;
        }
        if (!first || !second) {
            int bad = first ? HEADER_COPY_OFFSET : 0;
            boolean blank = true;
            for (int i = bad; i < bad + FILE_HEADER_BYTES; i++) {
                blank &= b[i] == 0;
            }
            ByteBuffer copy = ByteBuffer.wrap(b, good, FILE_HEADER_BYTES).slice();
            writeFully(ch, copy, bad);
            ch.force(false);
            if (!(first && blank)) { // a blank second copy: a journal from before the copy, not damage
                g.warnings.accept("journal " + g.file + ": the header copy at offset " + bad
                        + " was damaged; restored from the copy at offset " + good);
            }
        }
        return block.getInt(good + 16);
    }

    private static boolean isHeader(byte[] b, int off) {
        for (int i = 0; i < FILE_MAGIC.length; i++) {
            if (b[off + i] != FILE_MAGIC[i]) {
                return false;
            }
        }
        CRC32 c = new CRC32();
        c.update(b, off, FILE_HEADER_BYTES - 4);
        return ByteBuffer.wrap(b).getInt(off + FILE_HEADER_BYTES - 4) == (int) c.getValue();
    }

    private static boolean isAllZeros(FileChannel ch, long size) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(64 * 1024, Math.max(size, 1)));
        for (long pos = 0; pos < size; ) {
            buf.clear();
            int n = ch.read(buf, pos);
            if (n < 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                if (buf.get(i) != 0) {
                    return false;
                }
            }
            pos += n;
        }
        return true;
    }

    /**
     * Writes zeros through the whole file (so the space is really taken), then both header copies; forces both.
     * When that fails (a full file system), removes the file it was writing, which holds nothing yet.
     *
     * @param file     the file being written ({@link #path}, or the file beside it during a resize)
     * @param created  true when the file was empty: its directory entry is new and is forced too
     * @throws IOException naming the file, the size asked and the space free
     */
    private void create(Path file, boolean created) throws IOException {
        long capacity = capacityBytes();
        try {
            ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(capacity, 64 * 1024));
            for (long pos = 0; pos < capacity; ) {
                zeros.clear();
                zeros.limit((int) Math.min(zeros.capacity(), capacity - pos));
                pos += channel.write(zeros, pos);
            }
            if (channel.size() > capacity) {
                channel.truncate(capacity); // a larger all-zero file: a crash while an older one was created
            }
            channel.force(true);
            writeHeaders();
        } catch (IOException e) {
            try {
                channel.close();
            } finally {
                Files.deleteIfExists(file);
            }
            closed = true;
            long free = -1;
            try {
                free = Files.getFileStore(file.toAbsolutePath().getParent()).getUsableSpace();
            } catch (IOException | RuntimeException unknown) {
                // the message says the space is unknown
            }
            throw new IOException("cannot create journal " + file + " of " + capacity + " bytes (" + e.getMessage()
                    + "); the partial file was removed; space free there: "
                    + (free < 0 ? "unknown" : free + " bytes"), e);
        }
        if (created) {
            forceDirectory(file.toAbsolutePath().getParent());
        }
    }

    /** Writes both header copies (first the copy, then the one at offset 0, each forced). */
    private void writeHeaders() throws IOException {
        ByteBuffer h = ByteBuffer.allocate(FILE_HEADER_BYTES);
        h.put(FILE_MAGIC).putInt(FILE_VERSION).putInt(BLOCK_BYTES).putInt(blockCount);
        crc.reset();
        crc.update(h.array(), 0, FILE_HEADER_BYTES - 4);
        h.putInt((int) crc.getValue());
        for (int at : new int[] {HEADER_COPY_OFFSET, 0}) {
            h.flip();
            writeFully(channel, h, at);
            channel.force(true);
        }
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

    /** Scans every block boundary: queues the live records in append order, counts the valid and the torn ones. */
    private void recover() throws IOException {
        markUsed(0, 1, true);
        long[] keys = new long[blockCount];
        int live = 0;
        int corrupt = 0;
        int valid = 0;
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
            valid++;
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
        recoveredCount = live;
        corruptCount = corrupt;
        validCount = valid;
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
