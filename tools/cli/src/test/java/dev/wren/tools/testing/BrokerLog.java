package dev.wren.tools.testing;

import dev.wren.mqtt.testing.MosquittoExtension;

import java.util.concurrent.TimeUnit;

/** Waits for lines in mosquitto's log; the broker must log subscriptions ({@code log_type subscribe}). */
public final class BrokerLog {

    private BrokerLog() {
    }

    /** The configuration line that makes mosquitto log each SUBSCRIBE as {@code <client id> <qos> <filter>}. */
    public static final String LOG_SUBSCRIBE = "log_type subscribe";

    /**
     * The configuration line that makes mosquitto log everything: each connection as {@code New client connected
     * from <address> as <client id> (p2, c<clean>, k<keep-alive>).}, its will, and every packet in and out.
     */
    public static final String LOG_ALL = "log_type all";

    /** Waits until the log contains {@code text}, at most 10 s; returns the log. */
    public static String awaitLogged(MosquittoExtension broker, String text) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() - deadline < 0) {
            String log = broker.log();
            if (log.contains(text)) {
                return log;
            }
            pause();
        }
        throw new AssertionError("'" + text + "' not logged within 10 s; log:\n" + broker.log());
    }

    /** Waits until client {@code clientId} has subscribed to {@code filter} (at any QoS), at most 10 s. */
    public static void awaitSubscribed(MosquittoExtension broker, String clientId, String filter) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() - deadline < 0) {
            String log = broker.log();
            for (int qos = 0; qos <= 2; qos++) {
                if (log.contains(": " + clientId + " " + qos + " " + filter + "\n")) {
                    return;
                }
            }
            pause();
        }
        throw new AssertionError(clientId + " did not subscribe to " + filter + " within 10 s; log:\n" + broker.log());
    }

    private static void pause() {
        try {
            Thread.sleep(10); // polling a log file with a deadline: no event to wait on
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
