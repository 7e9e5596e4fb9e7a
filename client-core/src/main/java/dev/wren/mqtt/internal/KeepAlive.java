package dev.wren.mqtt.internal;

/**
 * Keep-alive (MQTT 3.1.1 §3.1.2.10) as a pure function of the clock: the client must send something at least
 * every keep-alive interval [MQTT-3.1.2-23], so when nothing was sent for the interval it sends PINGREQ; when no
 * PINGRESP arrives within the ping timeout the connection is considered lost. Times are nanoseconds from a
 * monotonic clock, compared by subtraction.
 */
final class KeepAlive {

    /** Nothing due. */
    static final int IDLE = 0;
    /** Send PINGREQ now. */
    static final int SEND_PINGREQ = 1;
    /** The PINGRESP is overdue: the connection is lost. */
    static final int TIMED_OUT = 2;

    private KeepAlive() {
    }

    /**
     * What is due at {@code now}.
     *
     * @param quietSinceNanos since when the connection counts as quiet (the last send, or older: see the session)
     * @param lastSentNanos when the client last sent anything
     * @param intervalNanos keep-alive interval; 0 disables keep-alive
     * @param pingFromNanos what the outstanding PINGREQ's deadline counts from (ignored unless {@code pingOutstanding}):
     *                      when it was sent, or later while its PINGRESP is queued behind a packet still arriving. In
     *                      that case, when nothing was sent for an interval, another PINGREQ is due, since the client
     *                      must send something every interval [MQTT-3.1.2-23]
     */
    static int due(long now, long quietSinceNanos, long lastSentNanos, long intervalNanos, boolean pingOutstanding,
                   long pingFromNanos, long pingTimeoutNanos) {
        if (intervalNanos == 0) {
            return IDLE;
        }
        if (pingOutstanding) {
            if (now - pingFromNanos >= pingTimeoutNanos) {
                return TIMED_OUT;
            }
            return now - lastSentNanos >= intervalNanos ? SEND_PINGREQ : IDLE;
        }
        return now - quietSinceNanos >= intervalNanos ? SEND_PINGREQ : IDLE;
    }

    /** Nanoseconds from {@code now} until {@link #due} changes (0 if something is due now), or Long.MAX_VALUE. */
    static long nanosUntilDue(long now, long quietSinceNanos, long lastSentNanos, long intervalNanos,
                              boolean pingOutstanding, long pingFromNanos, long pingTimeoutNanos) {
        if (intervalNanos == 0) {
            return Long.MAX_VALUE;
        }
        long left = pingOutstanding
                ? Math.min(pingTimeoutNanos - (now - pingFromNanos), intervalNanos - (now - lastSentNanos))
                : intervalNanos - (now - quietSinceNanos);
        return Math.max(0L, left);
    }

    /** {@code nanos} as whole milliseconds, rounded up (a wait never ends early), 0 for none; never overflows. */
    static long ceilMillis(long nanos) {
        if (nanos <= 0) {
            return 0;
        }
        return nanos >= Long.MAX_VALUE - 999_999L ? Long.MAX_VALUE / 1_000_000L : (nanos + 999_999L) / 1_000_000L;
    }
}
