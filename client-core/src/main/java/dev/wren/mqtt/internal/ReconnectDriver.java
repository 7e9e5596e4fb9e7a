package dev.wren.mqtt.internal;

import dev.wren.mqtt.MonotonicClock;
import dev.wren.mqtt.MqttConfig;
import dev.wren.mqtt.MqttException;
import dev.wren.mqtt.MqttException.Reason;
import dev.wren.mqtt.MqttListener;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Automatic reconnect: the backoff between attempts, when the next one is due, and the poll loop that makes them.
 * No thread: {@link #poll} on the caller's thread is the only place attempts happen. Drives the {@link Session}
 * it belongs to ({@link Session#connect()}, its receive loop) and reports through its listener.
 */
final class ReconnectDriver {

    private final Session session;
    private final MonotonicClock clock;
    private final MqttListener listener;
    private final InflightStore store;
    /** Delays between automatic reconnect attempts, and when the next one is due. */
    private final Backoff backoff;
    private long nextAttemptNanos;
    /** How long a connection must stay up before the backoff starts from its minimum again: the maximum delay. */
    private final long stableNanos;
    /** A connection was accepted and not yet lost; since when. */
    private boolean up;
    private long upSinceNanos;

    ReconnectDriver(Session session, MqttConfig config, InflightStore store) {
        this.session = session;
        this.clock = config.clock();
        this.listener = config.listener();
        this.store = store;
        this.backoff = new Backoff(config.reconnectMinDelayMillis(), config.reconnectMaxDelayMillis(),
                config.reconnectMultiplier(), config.reconnectJitter(), System.nanoTime() ^ config.clientId().hashCode());
        this.nextAttemptNanos = clock.nanoTime(); // the first attempt (poll before any connect) is due at once
        this.stableNanos = TimeUnit.MILLISECONDS.toNanos(config.reconnectMaxDelayMillis());
    }

    /**
     * A connection was accepted. The backoff is not reset yet: a broker that accepts and then drops the client at
     * once (a duplicate client id, an ACL) would otherwise get a reconnect every minimum delay, for ever. Only a
     * connection that stays up for the maximum delay resets it ({@link #schedule}).
     */
    void connected() {
        up = true;
        upSinceNanos = clock.nanoTime();
    }

    /**
     * {@link Session#poll} with automatic reconnect: while connected, as usual, except that a lost connection is not
     * thrown (the listener heard {@code onConnectionLost}) but schedules a reconnect after the next backoff delay;
     * while disconnected, waits for the next attempt (at most until the timeout) and makes it. A failed attempt
     * is reported to {@link dev.wren.mqtt.MqttListener#onReconnectScheduled} and never thrown. Still no thread:
     * this call is the only place attempts happen.
     */
    int poll(long timeoutMillis) throws IOException, MqttException {
        session.requireNotInHandler("poll");
        if (timeoutMillis < 0) {
            throw new IllegalArgumentException("timeoutMillis " + timeoutMillis + " < 0");
        }
        long deadline = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        // A second bound in real time, so an injected clock that does not move cannot make this wait forever.
        long realDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            session.requireNotEndedByCaller("poll");
            if (session.state == Session.CONNECTED) {
                try {
                    int handled = session.service(session.waitMillis(deadline));
                    if (handled > 0 || deadline - clock.nanoTime() <= 0) {
                        return handled;
                    }
                } catch (MqttException e) {
                    if (session.state == Session.CONNECTED || session.state == Session.CLOSED) {
                        throw e; // not a lost connection (e.g. a window timeout): the caller's business
                    }
                    schedule(e);
                }
                continue;
            }
            store.maintain();
            long now = clock.nanoTime();
            if (now - nextAttemptNanos >= 0) {
                attemptReconnect();
                continue;
            }
            long waitNanos = Math.min(deadline - now, nextAttemptNanos - now);
            if (waitNanos <= 0 || System.nanoTime() - realDeadline >= 0) {
                return 0;
            }
            LockSupport.parkNanos(Math.min(waitNanos, realDeadline - System.nanoTime()));
        }
    }

    /** One reconnect attempt: connect (resolving the host again, within connectTimeoutMillis), else back off. */
    private void attemptReconnect() throws MqttException {
        try {
            session.connect();
        } catch (IOException | MqttException e) {
            if (session.state == Session.CLOSED) {
                throw e instanceof MqttException ? (MqttException) e
                        : new MqttException(Reason.CONNECTION_LOST, e.getMessage(), e);
            }
            if (session.state == Session.CONNECTED) {
                session.closeTransport(); // connected, then a resubscription timed out: start over later
                session.state = Session.DISCONNECTED;
            }
            schedule(e);
        }
    }

    /**
     * A connection failed or an attempt did: the next attempt is due after the next backoff delay, which starts from
     * the minimum again if the connection that ended had stayed up for the maximum delay; tells the listener.
     */
    void schedule(Exception cause) {
        long now = clock.nanoTime();
        if (up && now - upSinceNanos >= stableNanos) {
            backoff.reset();
        }
        up = false;
        long delay = backoff.failed();
        nextAttemptNanos = now + delay;
        session.callbackDepth++;
        try {
            listener.onReconnectScheduled(cause, backoff.failures(), TimeUnit.NANOSECONDS.toMillis(delay));
        } finally {
            session.callbackDepth--;
        }
    }
}
