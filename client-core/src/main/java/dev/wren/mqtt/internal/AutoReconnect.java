package dev.wren.mqtt.internal;

import dev.wren.mqtt.MqttConfig;
import dev.wren.mqtt.MqttException;
import dev.wren.mqtt.codec.v5.PropertiesWriter;
import dev.wren.mqtt.MqttException.Reason;
import dev.wren.mqtt.MqttListener;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Automatic reconnect, a layer over the session: the backoff between attempts, when the next one is due, and
 * {@link #poll}, which makes them. It takes over {@link #connect}, {@link #poll}, {@link #awaitInflight} and
 * {@code publish} (a lost connection is scheduled for a reconnect, not thrown); everything else is the session's as
 * it is. Built on {@link Session} by extension rather than by holding one and forwarding twenty calls: the same layer,
 * without a forwarding copy of the API in the jar. The session knows nothing of this layer; it was only built to
 * accept QoS 1/2 publishes and subscriptions while offline. No thread: {@link #poll} on the caller's thread is the
 * only place attempts happen.
 *
 * <pre>
 *   DISCONNECTED --attempt due: open (connectTimeoutMillis) + CONNECT--> CONNECTING --CONNACK--> CONNECTED
 *        ^                                                                |                        |
 *        +----- backoff delay (onReconnectScheduled) <-- failed / connectTimeoutMillis passed <----- lost
 * </pre>
 *
 * <p>{@code poll(timeout)} returns by its timeout in every state but one: the CONNACK wait is the session's
 * CONNECTING state with its own connect deadline, carried across polls; opening the transport (name lookup, TCP
 * connect, TLS handshake), which blocking sockets cannot resume, may take up to {@code connectTimeoutMillis} in the
 * poll that starts an attempt. Bounding it by the poll instead would fail every attempt of a caller whose polls are
 * shorter than a handshake (a TLS handshake on a Pi Zero takes longer than a node's 20 ms loop).
 */
final class AutoReconnect extends Session {

    /** Delays between automatic reconnect attempts, and when the next one is due. */
    private final Backoff backoff;
    private long nextAttemptNanos;
    /** How long a connection must stay up before the backoff starts from its minimum again: the maximum delay. */
    private final long stableNanos;
    /** A connection was accepted and not yet lost; since when. */
    private boolean up;
    private long upSinceNanos;

    /** A session that takes QoS 1/2 publishes and subscriptions offline, with reconnect above it. */
    AutoReconnect(MqttConfig config) {
        super(config, true);
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
    private void connected() {
        up = true;
        upSinceNanos = clock.nanoTime();
    }

    @Override
    public boolean connect() throws IOException, MqttException {
        boolean sessionPresent = super.connect();
        connected();
        return sessionPresent;
    }

    /**
     * As {@link Session#poll}, except that a lost connection is not thrown (the listener heard
     * {@code onConnectionLost}) but schedules a reconnect after the next backoff delay; while disconnected, waits
     * for the next attempt (at most until the timeout) and makes it; while connecting, waits for CONNACK until the
     * timeout or the attempt's connect deadline. A failed attempt is reported to
     * {@link MqttListener#onReconnectScheduled} and never thrown.
     */
    @Override
    public int poll(long timeoutMillis) throws IOException, MqttException {
        if (isClosed()) {
            return super.poll(timeoutMillis); // says the client is closed
        }
        requireNotInHandler("poll");
        if (timeoutMillis < 0) {
            throw new IllegalArgumentException("timeoutMillis " + timeoutMillis + " < 0");
        }
        long deadline = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        // A second bound in real time, so an injected clock that does not move cannot make this wait forever.
        long realDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            requireNotEndedByCaller("poll");
            if (isConnected()) {
                try {
                    int handled = service(waitMillis(deadline));
                    if (handled > 0 || deadline - clock.nanoTime() <= 0) {
                        return handled;
                    }
                } catch (MqttException e) {
                    if (isConnected() || isClosed()) {
                        throw e; // not a lost connection (e.g. a window timeout): the caller's business
                    }
                    schedule(e);
                }
                continue;
            }
            if (isConnecting()) {
                try {
                    if (continueConnect(waitMillis(deadline))) {
                        connected();
                        continue;
                    }
                } catch (IOException | MqttException e) {
                    attemptFailed(e);
                    continue;
                }
                if (deadline - clock.nanoTime() <= 0 || System.nanoTime() - realDeadline >= 0) {
                    return 0;
                }
                continue;
            }
            maintainStore();
            long now = clock.nanoTime();
            if (now - nextAttemptNanos >= 0) {
                // The open cannot be resumed, and cutting it to what is left of this poll would fail every attempt
                // of a caller that polls more often than a TLS handshake takes (a node's 20 ms loop, a Pi's
                // handshake): it gets connectTimeoutMillis, the one documented overrun of poll's timeout.
                try {
                    startConnect(config.connectTimeoutMillis());
                } catch (IOException | MqttException e) {
                    attemptFailed(e);
                }
                continue;
            }
            long waitNanos = Math.min(deadline - now, nextAttemptNanos - now);
            if (waitNanos <= 0 || System.nanoTime() - realDeadline >= 0) {
                return 0;
            }
            LockSupport.parkNanos(Math.min(waitNanos, realDeadline - System.nanoTime()));
        }
    }

    /** An attempt failed (open, CONNACK, or a resubscription after it): back off, unless the client was closed. */
    private void attemptFailed(Exception e) throws MqttException {
        if (isClosed()) {
            throw e instanceof MqttException ? (MqttException) e
                    : new MqttException(Reason.CONNECTION_LOST, e.getMessage(), e);
        }
        abandonConnection(); // connected, then a resubscription timed out: start over later
        schedule(e);
    }

    /**
     * A connection failed or an attempt did: the next attempt is due after the next backoff delay, which starts from
     * the minimum again if the connection that ended had stayed up for the maximum delay; tells the listener.
     */
    private void schedule(Exception cause) {
        long now = clock.nanoTime();
        if (up && now - upSinceNanos >= stableNanos) {
            backoff.reset();
        }
        up = false;
        long delay = backoff.failed();
        nextAttemptNanos = now + delay;
        notifyReconnectScheduled(cause, backoff.failures(), TimeUnit.NANOSECONDS.toMillis(delay));
    }

    /**
     * The session's one publish path, for both forms of the topic: a QoS 1/2 publish whose connection was lost on
     * the way (it was connected when the call began) keeps its message (in the window or the journal) and the
     * reconnect sends it; lost while it waited for a window slot, the message is offered again offline (queued in
     * the journal, or refused: the window is full). Anything else, and a refusal while already offline, is the
     * caller's.
     */
    @Override
    int publishChecked(CharSequence topicText, byte[] topicUtf8, int topicOff, int topicLen, byte[] payload, int off,
                       int len, int qos, boolean retain, PropertiesWriter props) throws IOException, MqttException {
        boolean wasConnected = isConnected();
        try {
            return super.publishChecked(topicText, topicUtf8, topicOff, topicLen, payload, off, len, qos, retain,
                    props);
        } catch (MqttException e) {
            if (qos == 0 || !wasConnected || !connectionLost()) {
                throw e;
            }
            schedule(e);
            int id = storedId();
            return id >= 0 ? id : super.publishChecked(topicText, topicUtf8, topicOff, topicLen, payload, off, len, qos,
                    retain, props);
        }
    }

    /** Drives {@link #poll} (reconnecting as needed) until no QoS 1/2 message is in flight or queued. */
    @Override
    public boolean awaitInflight(long timeoutMillis) throws IOException, MqttException {
        if (isClosed()) {
            return super.awaitInflight(timeoutMillis); // says the client is closed
        }
        requireNotInHandler("awaitInflight");
        long deadline = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        long realDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (inflightCount() > 0 || queuedCount() > 0) {
            long left = Math.min(deadline - clock.nanoTime(), realDeadline - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            poll(KeepAlive.ceilMillis(left));
        }
        return true;
    }
}
