package dev.wren.tools.sub;

import dev.wren.mqtt.MqttMessage;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * How mosquitto_sub and mosquitto_rr print a message (their shared {@code print_message}): the payload bytes as
 * they are, then a newline ({@code -N} leaves it out); with {@code -v} the topic, a space and the payload
 * ({@code (null)} for an empty one); with {@code -F} the format string ({@link SubFormat}), which overrides
 * {@code -v}. An empty payload without {@code -v} or {@code -F} prints nothing.
 */
public final class MessagePrinter {

    private static final byte[] NULL_PAYLOAD = "(null)".getBytes(StandardCharsets.US_ASCII);

    private final boolean verbose;
    private final boolean noNewline;
    private final SubFormat formatter;
    private final PrintStream err;

    /**
     * @param verbose   {@code -v}
     * @param noNewline {@code -N}
     * @param format    {@code -F}, or null
     * @param pretty    {@code --pretty} (for {@code %j}/{@code %J})
     * @param err       where a {@code %J} payload that is not JSON is reported
     */
    public MessagePrinter(boolean verbose, boolean noNewline, String format, boolean pretty, PrintStream err) {
        this.verbose = verbose;
        this.noNewline = noNewline;
        this.formatter = format == null ? null : new SubFormat(format, pretty, java.time.ZoneId.systemDefault());
        this.err = err;
    }

    /** Prints {@code message} to {@code out} and flushes it. */
    public void print(PrintStream out, MqttMessage message) {
        if (formatter != null) {
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            try {
                formatter.format(message, java.time.Instant.now(), text);
            } catch (SubFormat.NotJson e) {
                err.println(e.getMessage());
                text.reset();
            }
            out.write(text.toByteArray(), 0, text.size());
            if (!noNewline) {
                out.write('\n');
            }
            out.flush();
            return;
        }
        int length = message.payloadLength();
        if (verbose) {
            byte[] topic = message.topicAsString().getBytes(StandardCharsets.UTF_8);
            out.write(topic, 0, topic.length);
            out.write(' ');
            if (length == 0) {
                out.write(NULL_PAYLOAD, 0, NULL_PAYLOAD.length);
            }
        } else if (length == 0) {
            return;
        }
        out.write(message.payloadBuffer(), message.payloadOffset(), length);
        if (!noNewline) {
            out.write('\n');
        }
        out.flush();
    }
}
