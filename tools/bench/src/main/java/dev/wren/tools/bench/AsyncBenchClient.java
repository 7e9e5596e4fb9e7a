package dev.wren.tools.bench;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What Paho's and HiveMQ's asynchronous runners share: the in-flight window as a semaphore released by each
 * publish's completion callback, a receive counter bumped by the client's callback thread, and idling by sleeping
 * (their own threads keep the connection).
 */
abstract class AsyncBenchClient implements BenchClient {
    private final String name;
    private Semaphore window;
    private int windowSize;
    volatile long received;
    volatile Throwable failure;

    AsyncBenchClient(String name) {
        this.name = name;
    }

    /** Sizes the window; call from {@link #connect}. */
    final void openWindow(int inflightWindow) {
        windowSize = inflightWindow;
        window = new Semaphore(inflightWindow);
    }

    /** Takes a window slot; call before handing a publish to the client. */
    final void acquireSlot() throws InterruptedException {
        window.acquire();
    }

    /** Frees a slot: the client reports the publish written (QoS 0) or acknowledged. */
    final void publishCompleted(Throwable error) {
        if (error != null) {
            failure = error;
        }
        window.release();
    }

    @Override
    public final void awaitPublished(long timeoutMillis) throws Exception {
        if (!window.tryAcquire(windowSize, timeoutMillis, TimeUnit.MILLISECONDS)) {
            throw new TimeoutException(name + ": " + (windowSize - window.availablePermits())
                    + " publishes still in flight after " + timeoutMillis + " ms");
        }
        window.release(windowSize);
        if (failure != null) {
            throw new IllegalStateException(name + " publish failed", failure);
        }
    }

    @Override
    public final long received() {
        return received;
    }

    @Override
    public final void awaitReceived(long count, long timeoutMillis) throws Exception {
        BenchClient.parkUntil(this::received, count, timeoutMillis, name);
    }

    @Override
    public final void idle(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    @Override
    public boolean ownsPayloadAfterPublish() {
        return false;   // both keep the caller's array until their I/O thread has encoded it
    }
}
