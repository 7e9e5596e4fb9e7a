package dev.wren.tools.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT) and SIGTERM as a flag the working thread polls, so it can finish cleanly (send DISCONNECT,
 * flush output) before the JVM exits: the shutdown hook sets the flag and then waits, up to
 * {@code graceMillis}, until the working thread calls {@link #close()}.
 */
public final class StopSignal implements AutoCloseable {

    private final CountDownLatch finished = new CountDownLatch(1);
    private final long graceMillis;
    private final Thread hook;
    private volatile boolean requested;

    private StopSignal(long graceMillis) {
        this.graceMillis = graceMillis;
        this.hook = new Thread(this::onShutdown, "wren-stop");
    }

    /** Registers the shutdown hook; the JVM waits at most {@code graceMillis} for {@link #close()} once stopping. */
    public static StopSignal install(long graceMillis) {
        StopSignal signal = new StopSignal(graceMillis);
        Runtime.getRuntime().addShutdownHook(signal.hook);
        return signal;
    }

    /** True once Ctrl-C or SIGTERM arrived, or {@link #request()} was called. */
    public boolean requested() {
        return requested;
    }

    /** Asks the working thread to stop, as Ctrl-C would. */
    public void request() {
        requested = true;
    }

    private void onShutdown() {
        requested = true;
        try {
            finished.await(graceMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Says the work is finished: a waiting shutdown hook returns; the hook is removed if the JVM is not stopping. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running (Ctrl-C): it returns now that finished is counted down.
        }
    }
}
