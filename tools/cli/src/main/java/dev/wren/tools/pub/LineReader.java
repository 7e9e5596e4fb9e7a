package dev.wren.tools.pub;

import dev.wren.tools.ExitCodes;
import dev.wren.tools.cli.ToolFailure;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads lines of standard input on a daemon thread, so that the publishing thread can keep the MQTT session
 * alive while no line comes. A line ends at {@code \n}, which is removed (a {@code \r} before it is kept, as
 * mosquitto_pub keeps it); a last line without {@code \n} counts; an empty line is an empty message.
 */
final class LineReader implements AutoCloseable {

    /** One line: {@code bytes[0, length)}. */
    record Line(byte[] bytes, int length) {
    }

    /** Marks the end of input. */
    static final Line END = new Line(new byte[0], 0);

    private static final int QUEUE_LINES = 64;

    private final BlockingQueue<Line> queue = new ArrayBlockingQueue<>(QUEUE_LINES);
    private final InputStream in;
    private final int maxLineBytes;
    private final Thread thread;
    private volatile RuntimeException failure;

    private LineReader(InputStream in, int maxLineBytes) {
        this.in = new java.io.BufferedInputStream(in);
        this.maxLineBytes = maxLineBytes;
        this.thread = new Thread(this::readAll, "wren-pub-stdin");
        thread.setDaemon(true);
    }

    /** Starts reading {@code in}. */
    static LineReader start(InputStream in, int maxLineBytes) {
        LineReader reader = new LineReader(in, maxLineBytes);
        reader.thread.start();
        return reader;
    }

    /**
     * The next line, {@link #END} after the last one, or null if none came within {@code timeoutMillis}.
     *
     * @throws ToolFailure a line longer than the limit, or a read error
     */
    Line next(long timeoutMillis) throws InterruptedException {
        Line line = queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        if (line == END && failure != null) {
            throw failure;
        }
        return line;
    }

    private void readAll() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        long lineNumber = 1;
        try {
            int b;
            while ((b = in.read()) != -1) {
                if (b == '\n') {
                    put(line);
                    lineNumber++;
                } else if (line.size() == maxLineBytes) {
                    failure = new ToolFailure(ExitCodes.USAGE, "Error: line " + lineNumber + " of standard input is"
                            + " longer than " + maxLineBytes + " bytes, the most -l sends; use -s or -f for large payloads.");
                    break;
                } else {
                    line.write(b);
                }
            }
            if (failure == null && line.size() > 0) {
                put(line);
            }
        } catch (IOException e) {
            failure = new ToolFailure(ExitCodes.IO, "Error: cannot read standard input: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            return;
        }
        try {
            queue.put(END);
        } catch (InterruptedException ignored) {
            // closed while the consumer stopped taking lines: nobody waits for END
        }
    }

    private void put(ByteArrayOutputStream line) throws InterruptedException {
        queue.put(new Line(line.toByteArray(), line.size()));
        line.reset();
    }

    /** Stops the reader thread if it is still waiting for input. */
    @Override
    public void close() {
        thread.interrupt();
    }
}
