package dev.wren.tools.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The one table {@code wren bench} prints: a row per figure, a column per contender, each cell the value and its
 * ratio to the row's reference (the ceiling, the hello-world, or client-core's jar). Markdown, so the README can
 * hold it as printed.
 */
final class ResultTable {

    /** The contenders, in print order. */
    enum Column {
        CEILING("ceiling"), WREN("Wren"), PAHO("Paho 1.2.5 async (MqttAsyncClient)"),
        PAHO_BLOCKING("Paho 1.2.5 blocking (MqttClient)"), HIVEMQ("HiveMQ 1.3.3 async (Mqtt3AsyncClient)"),
        WREN_PUB("./wren pub"), MOSQUITTO_PUB("mosquitto_pub"), HELLO("Java hello-world");

        final String label;

        Column(String label) {
            this.label = label;
        }

        /** The column of a {@code --clients} name ({@code wren}, {@code paho}, {@code paho-blocking}, {@code hivemq}). */
        static Column ofClient(String client) {
            return valueOf(client.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        }
    }

    /** Which cell a row's ratios divide by. */
    private enum Reference { SAME_ROW_CEILING, QOS0_CEILING, HELLO, CLIENT_CORE }

    /** The figures, in print order. */
    enum Row {
        QOS0_32B("(1) QoS 0 throughput, 32 B payload [msg/s], median [min–max]", Reference.SAME_ROW_CEILING, 0),
        QOS0_1KB("(1) QoS 0 throughput, 1 KB payload [msg/s], median [min–max]", Reference.SAME_ROW_CEILING, 0),
        QOS1("(2) QoS 1 throughput, 32 B, window of the highest median [msg/s] (÷ QoS 0 ceiling)", Reference.QOS0_CEILING, 0),
        QOS2("(2) QoS 2 throughput, 32 B, window of the highest median [msg/s] (÷ QoS 0 ceiling)", Reference.QOS0_CEILING, 0),
        ALLOC_PUBLISH_QOS0("(4) allocated per message, publishing QoS 0 [B]", Reference.SAME_ROW_CEILING, 1),
        ALLOC_PUBLISH_QOS1("(4) allocated per message, publishing QoS 1 [B]", Reference.SAME_ROW_CEILING, 1),
        ALLOC_PUBLISH_QOS2("(4) allocated per message, publishing QoS 2 [B]", Reference.SAME_ROW_CEILING, 1),
        ALLOC_RECEIVE_QOS0("(4) allocated per message, receiving QoS 0 [B]", Reference.SAME_ROW_CEILING, 1),
        ALLOC_RECEIVE_QOS1("(4) allocated per message, receiving QoS 1 [B]", Reference.SAME_ROW_CEILING, 1),
        ALLOC_RECEIVE_QOS2("(4) allocated per message, receiving QoS 2 [B]", Reference.SAME_ROW_CEILING, 1),
        IDLE("(5) idle while connected [B/s]", Reference.SAME_ROW_CEILING, 1),
        ONESHOT_WALL("(6) one-shot wall time [ms], median [min–max] (÷ hello-world)", Reference.HELLO, 0),
        ONESHOT_RSS("(6) one-shot peak RSS [MiB], median [min–max] (÷ hello-world)", Reference.HELLO, 1),
        JAR("(7) client jar [KiB] (÷ client-core)", Reference.CLIENT_CORE, 1),
        JAR_WITH_DEPS("(7) with runtime dependencies [KiB] (÷ client-core)", Reference.CLIENT_CORE, 1);

        final String label;
        private final Reference reference;
        private final int decimals;

        Row(String label, Reference reference, int decimals) {
            this.label = label;
            this.reference = reference;
            this.decimals = decimals;
        }
    }

    private final Map<Row, Map<Column, Double>> values = new EnumMap<>(Row.class);
    private final Map<Row, Map<Column, String>> notes = new EnumMap<>(Row.class);
    private final List<String> footnotes = new ArrayList<>();

    /** Records a measured value. */
    void put(Row row, Column column, double value) {
        values.computeIfAbsent(row, r -> new EnumMap<>(Column.class)).put(column, value);
    }

    /** Adds a short note after a cell's value (e.g. the window that gave the best throughput). */
    void note(Row row, Column column, String note) {
        notes.computeIfAbsent(row, r -> new EnumMap<>(Column.class)).merge(column, note, (a, b) -> a + ", " + b);
    }

    /** Adds a line printed under the table. */
    void footnote(String text) {
        footnotes.add(text);
    }

    Double value(Row row, Column column) {
        Map<Column, Double> r = values.get(row);
        return r == null ? null : r.get(column);
    }

    private Double reference(Row row) {
        switch (row.reference) {
            case SAME_ROW_CEILING:
                return value(row, Column.CEILING);
            case QOS0_CEILING:
                return value(Row.QOS0_32B, Column.CEILING);
            case HELLO:
                return value(row, Column.HELLO);
            case CLIENT_CORE:
                return value(row, Column.WREN);
            default:
                throw new IllegalStateException("reference " + row.reference);
        }
    }

    String cell(Row row, Column column) {
        Double v = value(row, column);
        String note = notes.getOrDefault(row, java.util.Collections.emptyMap()).get(column);
        if (v == null) {
            return note == null ? "—" : note;
        }
        StringBuilder s = new StringBuilder(String.format(java.util.Locale.ROOT, "%,." + row.decimals + "f", v));
        Double ref = reference(row);
        // A ratio to ~0 (allocation of the raw ceiling) says nothing: print it only against a real reference.
        if (ref != null && Math.abs(ref) >= 0.5) {
            s.append(String.format(java.util.Locale.ROOT, " (%.2f×)", v / ref));
        }
        if (note != null) {
            s.append(" ").append(note);
        }
        return s.toString();
    }

    /** Renders the Markdown table and its footnotes. */
    String render() {
        List<String[]> lines = new ArrayList<>();
        Column[] columns = Column.values();
        String[] head = new String[columns.length + 1];
        head[0] = "figure";
        for (int c = 0; c < columns.length; c++) {
            head[c + 1] = columns[c].label;
        }
        lines.add(head);
        for (Row row : Row.values()) {
            String[] line = new String[columns.length + 1];
            line[0] = row.label;
            for (int c = 0; c < columns.length; c++) {
                line[c + 1] = cell(row, columns[c]);
            }
            lines.add(line);
        }
        StringBuilder out = new StringBuilder(markdown(lines));
        for (String f : footnotes) {
            out.append('\n').append(f);
        }
        return out.append('\n').toString();
    }

    /** Renders {@code lines} (the first is the header) as a Markdown table with aligned columns. */
    static String markdown(List<String[]> lines) {
        int[] width = new int[lines.get(0).length];
        for (String[] l : lines) {
            for (int i = 0; i < l.length; i++) {
                width[i] = Math.max(width[i], l[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int n = 0; n < lines.size(); n++) {
            appendLine(out, lines.get(n), width);
            if (n == 0) {
                String[] rule = new String[width.length];
                for (int i = 0; i < width.length; i++) {
                    rule[i] = "-".repeat(width[i]);
                }
                appendLine(out, rule, width);
            }
        }
        return out.toString();
    }

    private static void appendLine(StringBuilder out, String[] cells, int[] width) {
        out.append('|');
        for (int i = 0; i < cells.length; i++) {
            out.append(' ').append(cells[i]).append(" ".repeat(width[i] - cells[i].length())).append(" |");
        }
        out.append('\n');
    }
}
