package dev.wren.mqtt.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@link JournalChannels} whose channels fail chosen operations on command: "the next n writes fail", "the writes
 * after the next k fail", "every force fails until healed". Every channel it opened shares the one fault plan, so
 * a fault also reaches the file a journal creates beside its own (a resize).
 */
final class FaultyChannels implements JournalChannels {

    enum Op { WRITE, FORCE, TRUNCATE, READ }

    private static final class Plan {
        int pass;
        int fail;
        String message;
    }

    private final Map<Op, Plan> plans = new EnumMap<>(Op.class);
    private final Map<Op, int[]> calls = new EnumMap<>(Op.class);
    private int failures;

    FaultyChannels() {
        for (Op op : Op.values()) {
            plans.put(op, new Plan());
            calls.put(op, new int[1]);
        }
    }

    /** The next {@code count} calls of {@code op} (on any channel) throw {@link IOException}("Input/output error"). */
    FaultyChannels fail(Op op, int count) {
        return fail(op, 0, count, "Input/output error");
    }

    /** After {@code pass} more calls of {@code op} succeed, the {@code count} next throw {@code IOException(message)}. */
    FaultyChannels fail(Op op, int pass, int count, String message) {
        Plan p = plans.get(op);
        p.pass = pass;
        p.fail = count;
        p.message = message;
        return this;
    }

    /** Every call of {@code op} fails until {@link #heal}. */
    FaultyChannels failAlways(Op op) {
        return fail(op, 0, Integer.MAX_VALUE, "Input/output error");
    }

    /** No more faults. */
    FaultyChannels heal() {
        for (Plan p : plans.values()) {
            p.fail = 0;
        }
        return this;
    }

    /** Calls of {@code op} so far, failed or not. */
    int calls(Op op) {
        return calls.get(op)[0];
    }

    /** Calls that were made to fail so far. */
    int failures() {
        return failures;
    }

    private void check(Op op) throws IOException {
        calls.get(op)[0]++;
        Plan p = plans.get(op);
        if (p.fail == 0) {
            return;
        }
        if (p.pass > 0) {
            p.pass--;
            return;
        }
        if (p.fail != Integer.MAX_VALUE) {
            p.fail--;
        }
        failures++;
        throw new IOException(p.message);
    }

    @Override
    public FileChannel open(Path file, OpenOption... options) throws IOException {
        return new Faulty(FileChannel.open(file, options));
    }

    private final class Faulty extends FileChannel {
        private final FileChannel d;

        Faulty(FileChannel d) {
            this.d = d;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            check(Op.READ);
            return d.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            check(Op.READ);
            return d.read(dsts, offset, length);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            check(Op.READ);
            return d.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            check(Op.WRITE);
            return d.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            check(Op.WRITE);
            return d.write(srcs, offset, length);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            check(Op.WRITE);
            return d.write(src, position);
        }

        @Override
        public long position() throws IOException {
            return d.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            d.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return d.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            check(Op.TRUNCATE);
            d.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            check(Op.FORCE);
            d.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            throw new UnsupportedOperationException("the journal does not transfer");
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            throw new UnsupportedOperationException("the journal does not transfer");
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            throw new UnsupportedOperationException("the journal does not map");
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return d.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return d.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            d.close();
        }
    }
}
