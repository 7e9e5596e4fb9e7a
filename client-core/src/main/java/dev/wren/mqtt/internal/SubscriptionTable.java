package dev.wren.mqtt.internal;

import dev.wren.mqtt.MessageHandler;
import dev.wren.mqtt.codec.Topics;

/**
 * Topic filters and their handlers, in subscription order, fixed capacity. Matching uses
 * {@link Topics#matches(CharSequence, byte[], int, int)} (MQTT 3.1.1 §4.7).
 */
final class SubscriptionTable {

    private final String[] filters;
    private final MessageHandler[] handlers;
    /** Requested QoS per filter, for resubscribing when the server has no session. */
    private final int[] qos;
    private int count;

    SubscriptionTable(int capacity) {
        filters = new String[capacity];
        handlers = new MessageHandler[capacity];
        qos = new int[capacity];
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

    /** Sets the handler of {@code filter}, adding it when new; false when new and the table is full. */
    boolean put(CharSequence filter, MessageHandler handler, int requestedQos) {
        int i = indexOf(filter);
        if (i < 0) {
            if (count == filters.length) {
                return false;
            }
            i = count++;
            filters[i] = filter.toString();
        }
        handlers[i] = handler;
        qos[i] = requestedQos;
        return true;
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
        count--;
        filters[count] = null;
        handlers[count] = null;
    }

    boolean matches(int i, byte[] topic, int off, int len) {
        return Topics.matches(filters[i], topic, off, len);
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
