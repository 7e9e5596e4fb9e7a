package dev.wren.mqtt.internal;

import dev.wren.mqtt.MessageHandler;
import dev.wren.mqtt.codec.Topics;

/**
 * Topic filters and their handlers, in subscription order, fixed capacity; each marked pending while the server has
 * not yet answered it (subscribed offline: sent after the next CONNACK). Matching uses
 * {@link Topics#matches(CharSequence, byte[], int, int)} (MQTT 3.1.1 §4.7), for a shared subscription
 * {@code $share/<group>/<filter>} on the filter after the group (MQTT 5.0 §4.8.2).
 */
final class SubscriptionTable {

    /** A shared subscription's filter starts with this (MQTT 5.0 §4.8.2). */
    static final String SHARE = "$share/";

    private final String[] filters;
    private final MessageHandler[] handlers;
    /** Requested QoS per filter, for resubscribing when the server has no session. */
    private final int[] qos;
    /** Subscribed while offline and not yet answered by a SUBACK: to be sent after the next CONNACK. */
    private final boolean[] pending;
    /** What a topic is matched against: the filter, or for a shared subscription the part after its group. */
    private final String[] matchFilters;
    /** MQTT 5.0 Subscription Identifier per filter (§3.8.2.1.2), 0 for none. */
    private final int[] subscriptionIds;
    private int count;

    SubscriptionTable(int capacity) {
        filters = new String[capacity];
        handlers = new MessageHandler[capacity];
        qos = new int[capacity];
        pending = new boolean[capacity];
        matchFilters = new String[capacity];
        subscriptionIds = new int[capacity];
    }

    int count() {
        return count;
    }

    int capacity() {
        return filters.length;
    }

    /** Index of {@code filter}, or -1. */
    int indexOf(CharSequence filter) {
        for (int i = 0; i < count; i++) {
            if (contentEquals(filters[i], filter)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Sets the handler of {@code filter}, adding it (not pending) when new.
     *
     * @return its index; -1 when new and the table is full
     */
    int put(CharSequence filter, MessageHandler handler, int requestedQos) {
        int i = indexOf(filter);
        if (i < 0) {
            if (count == filters.length) {
                return -1;
            }
            i = count++;
            filters[i] = filter.toString();
            matchFilters[i] = filters[i].startsWith(SHARE) // group and filter checked by the session
                    ? filters[i].substring(filters[i].indexOf('/', SHARE.length()) + 1) : filters[i];
            pending[i] = false;
            subscriptionIds[i] = 0;
        }
        handlers[i] = handler;
        qos[i] = requestedQos;
        return i;
    }

    /** Marks filter {@code i} as waiting for the next CONNACK to be sent, or as answered. */
    void setPending(int i, boolean waiting) {
        pending[i] = waiting;
    }

    boolean pending(int i) {
        return pending[i];
    }

    /** True when some filter waits for the next CONNACK to be sent. */
    boolean anyPending() {
        for (int i = 0; i < count; i++) {
            if (pending[i]) {
                return true;
            }
        }
        return false;
    }

    /** Removes {@code filter} if present, keeping the order of the rest. */
    void remove(CharSequence filter) {
        int i = indexOf(filter);
        if (i < 0) {
            return;
        }
        System.arraycopy(filters, i + 1, filters, i, count - i - 1);
        System.arraycopy(handlers, i + 1, handlers, i, count - i - 1);
        System.arraycopy(qos, i + 1, qos, i, count - i - 1);
        System.arraycopy(pending, i + 1, pending, i, count - i - 1);
        System.arraycopy(matchFilters, i + 1, matchFilters, i, count - i - 1);
        System.arraycopy(subscriptionIds, i + 1, subscriptionIds, i, count - i - 1);
        count--;
        filters[count] = null;
        matchFilters[count] = null;
        handlers[count] = null;
    }

    boolean matches(int i, byte[] topic, int off, int len) {
        return Topics.matches(matchFilters[i], topic, off, len);
    }

    /** The Subscription Identifier of filter {@code i} (MQTT 5.0 §3.8.2.1.2), 0 for none. */
    int subscriptionId(int i) {
        return subscriptionIds[i];
    }

    void setSubscriptionId(int i, int id) {
        subscriptionIds[i] = id;
    }

    MessageHandler handler(int i) {
        return handlers[i];
    }

    int qos(int i) {
        return qos[i];
    }

    String filter(int i) {
        return filters[i];
    }

    /** True when {@code a} and {@code b} hold the same chars (filters compare by content, whatever their type). */
    static boolean contentEquals(CharSequence a, CharSequence b) {
        if (a.length() != b.length()) {
            return false;
        }
        for (int i = 0; i < a.length(); i++) {
            if (a.charAt(i) != b.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
