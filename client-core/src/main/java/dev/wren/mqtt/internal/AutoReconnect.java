package dev.wren.mqtt.internal;

import dev.wren.mqtt.MessageHandler;
import dev.wren.mqtt.MonotonicClock;
import dev.wren.mqtt.MqttConfig;
import dev.wren.mqtt.MqttException;
import dev.wren.mqtt.MqttException.Reason;
import dev.wren.mqtt.MqttListener;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Automatic reconnect, a layer over the {@link Session} it owns: the backoff between attempts, when the next one is
 * due, and {@link #poll}, which makes them. No thread: {@link #poll} on the caller's thread is the only place
 * attempts happen. The session knows nothing of this layer; it was only built to accept QoS 1/2 publishes and
 * subscriptions while offline.
 *
 * <pre>
 *   DISCONNECTED --attempt due: open (bounded by the poll) + CONNECT--> CONNECTING --CONNACK--> CONNECTED
 *        ^                                                                |                        |
 *        +----- backoff delay (onReconnectScheduled) <-- failed / connectTimeoutMillis passed <----- lost
 * </pre>
 *
 * <p>{@code poll(timeout)} returns by its timeout in every state: the CONNACK wait is the session's CONNECTING
 * state with its own connect deadline, carried across polls; opening the transport (TCP connect, TLS handshake),
 * which cannot be resumed, gets {@code min(connectTimeoutMillis, what is left of the poll)}, at least 1 ms. A poll
 * shorter than the handshake therefore fails the attempt (reported, then retried after the backoff): poll with a
 * timeout longer than the connection takes to open.
 */
final class AutoReconnect implements ClientSession {

    private final Session session;
    private final MqttConfig config;
    private final MonotonicClock clock;
    private final MqttListener listener;
    /** Delays between automatic reconnect attempts, and when the next one is due. */
    private final Backoff backoff;
    private long nextAttemptNanos;
    /** How long a connection must stay up before the backoff starts from its minimum again: the maximum delay. */
    private final long stableNanos;
    /** A connection was accepted and not yet lost; since when. */
    private boolean up;
    private long upSinceNanos;

    AutoReconnect(Session session, MqttConfig config) {
        this.session = session;
        this.config = config;
        this.clock = config.clock();
        this.listener = config.listener();
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
        boolean sessionPresent = session.connect();
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
        if (session.isClosed()) {
            return session.poll(timeoutMillis); // says the client is closed
        }
        session.requireNotInHandler("poll");
        if (timeoutMillis < 0) {
            throw new IllegalArgumentException("timeoutMillis " + timeoutMillis + " < 0");
        }
        long deadline = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        // A second bound in real time, so an injected clock that does not move cannot make this wait forever.
        long realDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            session.requireNotEndedByCaller("poll");
            if (session.isConnected()) {
                try {
                    int handled = session.service(session.waitMillis(deadline));
                    if (handled > 0 || deadline - clock.nanoTime() <= 0) {
                        return handled;
                    }
                } catch (MqttException e) {
                    if (session.isConnected() || session.isClosed()) {
                        throw e; // not a lost connection (e.g. a window timeout): the caller's business
                    }
                    schedule(e);
                }
                continue;
            }
            if (session.isConnecting()) {
                try {
                    if (session.continueConnect(session.waitMillis(deadline))) {
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
            session.maintainStore();
            long now = clock.nanoTime();
            if (now - nextAttemptNanos >= 0) {
                // The open cannot be resumed: it gets what is left of this poll, within connectTimeoutMillis.
                int openMillis = (int) Math.max(1, Math.min(config.connectTimeoutMillis(), KeepAlive.ceilMillis(deadline - now)));
                try {
                    session.startConnect(openMillis);
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
        if (session.isClosed()) {
            throw e instanceof MqttException ? (MqttException) e
                    : new MqttException(Reason.CONNECTION_LOST, e.getMessage(), e);
        }
        session.abandonConnection(); // connected, then a resubscription timed out: start over later
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
        session.notifyReconnectScheduled(cause, backoff.failures(), TimeUnit.NANOSECONDS.toMillis(delay));
    }

    /**
     * A QoS 1/2 publish whose connection was lost on the way (it was connected when the call began): the message is
     * kept (in the window or the journal), and the reconnect sends it; or, lost while it waited for a window slot,
     * it is offered again offline (queued in the journal, or refused: the window is full). Anything else, and a
     * refusal while already offline, is the caller's.
     *
     * @return the packet id to report, or -1 to publish again
     */
    private int lostWhilePublishing(MqttException e, int qos, boolean wasConnected) throws MqttException {
        if (qos == 0 || !wasConnected || !session.connectionLost()) {
            throw e;
        }
        schedule(e);
        return session.storedId();
    }

    @Override
    public int publish(CharSequence topic, byte[] payload, int off, int len, int qos, boolean retain)
            throws IOException, MqttException {
        boolean wasConnected = session.isConnected();
        try {
            return session.publish(topic, payload, off, len, qos, retain);
        } catch (MqttException e) {
            int id = lostWhilePublishing(e, qos, wasConnected);
            return id >= 0 ? id : session.publish(topic, payload, off, len, qos, retain);
        }
    }

    @Override
    public int publish(byte[] topicUtf8, int topicOff, int topicLen, byte[] payload, int off, int len, int qos,
                       boolean retain) throws IOException, MqttException {
        boolean wasConnected = session.isConnected();
        try {
            return session.publish(topicUtf8, topicOff, topicLen, payload, off, len, qos, retain);
        } catch (MqttException e) {
            int id = lostWhilePublishing(e, qos, wasConnected);
            return id >= 0 ? id : session.publish(topicUtf8, topicOff, topicLen, payload, off, len, qos, retain);
        }
    }

    /** Drives {@link #poll} (reconnecting as needed) until no QoS 1/2 message is in flight or queued. */
    @Override
    public boolean awaitInflight(long timeoutMillis) throws IOException, MqttException {
        if (session.isClosed()) {
            return session.awaitInflight(timeoutMillis); // says the client is closed
        }
        session.requireNotInHandler("awaitInflight");
        long deadline = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        long realDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (session.inflightCount() > 0 || session.queuedCount() > 0) {
            long left = Math.min(deadline - clock.nanoTime(), realDeadline - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            poll(KeepAlive.ceilMillis(left));
        }
        return true;
    }

    // Everything else is the session's as it is.

    @Override
    public boolean isConnected() {
        return session.isConnected();
    }

    @Override
    public int subscribe(CharSequence filter, int qos, MessageHandler handler) throws IOException, MqttException {
        return session.subscribe(filter, qos, handler);
    }

    @Override
    public int subscribe(CharSequence[] filters, int[] qos, MessageHandler handler, int[] returnCodes)
            throws IOException, MqttException {
        return session.subscribe(filters, qos, handler, returnCodes);
    }

    @Override
    public void unsubscribe(CharSequence filter) throws IOException, MqttException {
        session.unsubscribe(filter);
    }

    @Override
    public void unsubscribe(CharSequence[] filters) throws IOException, MqttException {
        session.unsubscribe(filters);
    }

    @Override
    public void setDefaultHandler(MessageHandler handler) {
        session.setDefaultHandler(handler);
    }

    @Override
    public void flush() throws MqttException {
        session.flush();
    }

    @Override
    public int inflightCount() {
        return session.inflightCount();
    }

    @Override
    public int queuedCount() {
        return session.queuedCount();
    }

    @Override
    public long droppedCount() {
        return session.droppedCount();
    }

    @Override
    public long oversizeMessageCount() {
        return session.oversizeMessageCount();
    }

    @Override
    public long unhandledMessageCount() {
        return session.unhandledMessageCount();
    }

    @Override
    public void disconnect() throws IOException {
        session.disconnect();
    }

    @Override
    public void disconnect(long closeWaitMillis) throws IOException {
        session.disconnect(closeWaitMillis);
    }

    @Override
    public void close() {
        session.close();
    }

    @Override
    public String toString() {
        return session.toString();
    }
}
