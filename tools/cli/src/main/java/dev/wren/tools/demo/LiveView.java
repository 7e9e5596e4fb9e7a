package dev.wren.tools.demo;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What {@code wren demo} shows: every topic under the node's prefix with its latest value and age, the node's
 * status, its relay and the last few events (the {@code /set} round trip). On a terminal the whole view is
 * redrawn in place with ANSI cursor movement; otherwise each message and event is one plain line, so a log
 * or a test reads it top to bottom. Called from one thread.
 */
final class LiveView {

    /** Erase from the cursor to the end of the screen (ECMA-48 ED, parameter 0). */
    private static final String ERASE_BELOW = "\u001b[J";
    private static final int EVENTS_SHOWN = 6;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final PrintStream out;
    private final boolean ansi;
    private final String title;
    private final String statusTopic;
    private final String relayTopic;
    private final LongSupplier nanoClock;
    private final Map<String, Row> rows = new LinkedHashMap<>();
    private final Deque<String> events = new ArrayDeque<>();
    private int linesDrawn;

    /** The latest value of one topic. */
    private record Row(String value, boolean retained, long receivedNanos) {
    }

    /**
     * @param out         where to draw
     * @param ansi        redraw in place (a terminal) or print plain lines
     * @param title       the first line (what runs where)
     * @param statusTopic the node's online/offline topic
     * @param relayTopic  the relay's state topic
     * @param nanoClock   monotonic time for ages ({@link System#nanoTime})
     */
    LiveView(PrintStream out, boolean ansi, String title, String statusTopic, String relayTopic, LongSupplier nanoClock) {
        this.out = out;
        this.ansi = ansi;
        this.title = title;
        this.statusTopic = statusTopic;
        this.relayTopic = relayTopic;
        this.nanoClock = nanoClock;
        if (!ansi) {
            out.println(title);
            out.flush();
        }
    }

    /** A message arrived on {@code topic}. */
    void onMessage(String topic, String payload, boolean retained) {
        rows.put(topic, new Row(payload, retained, nanoClock.getAsLong()));
        if (!ansi) {
            out.println(LocalTime.now().format(CLOCK) + "  " + topic + " = " + payload + (retained ? "  (retained)" : ""));
            out.flush();
        }
    }

    /** Something happened that the view should say (a command sent, a round trip, stopping). */
    void event(String text) {
        String line = LocalTime.now().format(CLOCK) + "  " + text;
        events.addLast(line);
        while (events.size() > EVENTS_SHOWN) {
            events.removeFirst();
        }
        if (!ansi) {
            out.println(line);
            out.flush();
        }
    }

    /** The latest value of {@code topic}, or null if nothing arrived on it. */
    String value(String topic) {
        Row row = rows.get(topic);
        return row == null ? null : row.value();
    }

    /** How many distinct topics have a value. */
    int topicCount() {
        return rows.size();
    }

    /** Redraws the view in place (ANSI only; plain output has nothing to redraw). */
    void redraw() {
        if (!ansi) {
            return;
        }
        List<String> lines = render(nanoClock.getAsLong());
        StringBuilder screen = new StringBuilder();
        if (linesDrawn > 0) {
            // Cursor Previous Line (ECMA-48 CPL): back to the first line drawn last time.
            screen.append("\u001b[").append(linesDrawn).append('F');
        }
        screen.append(ERASE_BELOW);
        for (String line : lines) {
            screen.append(line).append('\n');
        }
        out.print(screen);
        out.flush();
        linesDrawn = lines.size();
    }

    /** The view as lines, ages measured at {@code nowNanos}. */
    List<String> render(long nowNanos) {
        List<String> lines = new ArrayList<>();
        lines.add(title);
        lines.add("");
        lines.add(String.format("  %-8s %-10s %s", "status", orDash(value(statusTopic)), age(statusTopic, nowNanos)));
        lines.add(String.format("  %-8s %-10s %s", "relay", orDash(value(relayTopic)), age(relayTopic, nowNanos)));
        lines.add("");
        int width = 5;
        for (String topic : rows.keySet()) {
            width = Math.max(width, topic.length());
        }
        lines.add(String.format("  %-" + width + "s  %-12s %s", "topic", "value", "age"));
        for (Map.Entry<String, Row> e : rows.entrySet()) {
            lines.add(String.format("  %-" + width + "s  %-12s %s", e.getKey(), e.getValue().value(),
                    age(e.getKey(), nowNanos)));
        }
        lines.add("");
        lines.add("  events");
        for (String event : events) {
            lines.add("  " + event);
        }
        return lines;
    }

    private String age(String topic, long nowNanos) {
        Row row = rows.get(topic);
        if (row == null) {
            return "";
        }
        long seconds = (nowNanos - row.receivedNanos()) / 1_000_000_000L;
        return seconds + " s ago" + (row.retained() ? " (retained)" : "");
    }

    private static String orDash(String value) {
        return value == null ? "-" : value;
    }
}
