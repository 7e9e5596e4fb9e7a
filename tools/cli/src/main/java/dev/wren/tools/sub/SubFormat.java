package dev.wren.tools.sub;

import dev.wren.mqtt.MqttMessage;
import dev.wren.mqtt.codec.v5.Property;
import dev.wren.mqtt.codec.v5.PropertiesView;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code -F} output format of mosquitto_sub 2.0 (its man page, "OUTPUT FORMAT"), for MQTT 3.1.1 and 5.0 messages.
 *
 * <p>{@code %} sequences take the flags {@code -} (left align) and {@code 0} (zero padding), a field width and,
 * for {@code %t} and {@code %I}, a maximum width ({@code %10.10t}): {@code %t} topic, {@code %p} payload,
 * {@code %q} QoS, {@code %r} retain flag, {@code %m} message (packet) id, {@code %l} payload length, {@code %x}
 * and {@code %X} payload in hex, {@code %I} ISO-8601 local time, {@code %U} Unix time with nanoseconds,
 * {@code %j} and {@code %J} the message as JSON (payload as a string, or as JSON itself), {@code %%}. The MQTT 5.0
 * PUBLISH properties (§3.3.2.3) of a message received with {@code -V 5}: {@code %C} content type, {@code %R}
 * response topic (both may be truncated like {@code %t}), {@code %E} message expiry interval, {@code %F} payload
 * format indicator, {@code %A} topic alias, {@code %S} (first) subscription identifier, {@code %D} correlation data
 * (the bytes as they are, no width), {@code %P} the user properties as {@code key:value}, separated by spaces (no
 * width). An absent property prints as an empty value padded to its width (zeros with {@code 0}), except an absent
 * {@code %R}, which prints nothing, as mosquitto_sub 2.0.11 does; at MQTT 3.1.1
 * every property is absent. {@code %j}/{@code %J} add the properties as a {@code properties} member.
 * {@code @X} is {@code strftime}'s {@code %X} for the common conversions, {@code @N} the nanoseconds of the
 * second, {@code @@} an {@code @}. {@code \\ \0 \a \e \n \r \t \v} are escapes.
 */
final class SubFormat {
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxx", Locale.ROOT);
    private static final DateTimeFormatter JSON_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'xx", Locale.ROOT);
    private static final byte[] HEX_LOWER = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX_UPPER = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private final String format;
    private final boolean pretty;
    private final ZoneId zone;

    SubFormat(String format, boolean pretty, ZoneId zone) {
        this.format = format;
        this.pretty = pretty;
        this.zone = zone;
    }

    /** Thrown by {@link #format} for {@code %J} when the payload is not JSON; nothing is printed for it. */
    static final class NotJson extends Exception {
        private static final long serialVersionUID = 1L;

        NotJson(String topic) {
            super("Error: Message payload is not valid JSON on topic " + topic + ".");
        }
    }

    /** Writes {@code message} as the format says to {@code out}, at time {@code now}. */
    void format(MqttMessage message, Instant now, ByteArrayOutputStream out) throws NotJson {
        String topic = message.topicAsString();
        byte[] payload = new byte[message.payloadLength()];
        System.arraycopy(message.payloadBuffer(), message.payloadOffset(), payload, 0, payload.length);
        int i = 0;
        int n = format.length();
        while (i < n) {
            char c = format.charAt(i++);
            if (c == '%' && i < n) {
                boolean left = false;
                boolean zero = false;
                for (; i < n && (format.charAt(i) == '-' || format.charAt(i) == '0'); i++) {
                    if (format.charAt(i) == '-') {
                        left = true;
                    } else {
                        zero = true;
                    }
                }
                int width = 0;
                for (; i < n && Character.isDigit(format.charAt(i)); i++) {
                    width = width * 10 + (format.charAt(i) - '0');
                }
                int max = -1;
                if (i < n && format.charAt(i) == '.') {
                    max = 0;
                    for (i++; i < n && Character.isDigit(format.charAt(i)); i++) {
                        max = max * 10 + (format.charAt(i) - '0');
                    }
                }
                if (i >= n) {
                    break;
                }
                char conversion = format.charAt(i++);
                zero &= !left;
                switch (conversion) {
                    case '%' -> out.write('%');
                    case 't' -> pad(out, utf8(truncate(topic, max)), width, left, false);
                    case 'p' -> pad(out, payload, width, left, false);
                    case 'q' -> out.write('0' + message.qos());
                    case 'r' -> out.write(message.retain() ? '1' : '0');
                    case 'm' -> pad(out, ascii(Integer.toString(message.packetId())), width, left, zero);
                    case 'l' -> pad(out, ascii(Integer.toString(payload.length)), width, left, zero);
                    case 'x' -> pad(out, hex(payload, HEX_LOWER), width, left, zero);
                    case 'X' -> pad(out, hex(payload, HEX_UPPER), width, left, zero);
                    case 'I' -> pad(out, ascii(truncate(ISO.format(now.atZone(zone)), max)), width, left, false);
                    case 'U' -> out.writeBytes(ascii(String.format(Locale.ROOT, "%d.%09d", now.getEpochSecond(),
                            now.getNano())));
                    case 'j' -> json(out, message, topic, payload, now, false);
                    case 'J' -> json(out, message, topic, payload, now, true);
                    case 'C' -> pad(out, utf8(truncate(text(message, Property.CONTENT_TYPE), max)), width, left, false);
                    case 'R' -> {
                        // unlike %C, mosquitto_sub prints no padding for an absent response topic
                        byte[] topicBytes = bytes(message, Property.RESPONSE_TOPIC);
                        if (topicBytes.length > 0) {
                            pad(out, utf8(truncate(text(message, Property.RESPONSE_TOPIC), max)), width, left, false);
                        }
                    }
                    case 'E' -> pad(out, number(message, Property.MESSAGE_EXPIRY_INTERVAL), width, left, zero);
                    case 'F' -> pad(out, number(message, Property.PAYLOAD_FORMAT_INDICATOR), width, left, zero);
                    case 'A' -> pad(out, number(message, Property.TOPIC_ALIAS), width, left, zero);
                    case 'S' -> pad(out, number(message, Property.SUBSCRIPTION_IDENTIFIER), width, left, zero);
                    case 'D' -> out.writeBytes(bytes(message, Property.CORRELATION_DATA));
                    case 'P' -> userProperties(out, message.properties());
                    default -> {
                        out.write('%');
                        out.write(conversion);
                    }
                }
            } else if (c == '@' && i < n) {
                char conversion = format.charAt(i++);
                out.writeBytes(utf8(strftime(conversion, now.atZone(zone))));
            } else if (c == '\\' && i < n) {
                char escape = format.charAt(i++);
                switch (escape) {
                    case '\\' -> out.write('\\');
                    case '0' -> out.write(0);
                    case 'a' -> out.write(7);
                    case 'e' -> out.write(27);
                    case 'n' -> out.write('\n');
                    case 'r' -> out.write('\r');
                    case 't' -> out.write('\t');
                    case 'v' -> out.write(11);
                    default -> {
                        out.write('\\');
                        out.write(escape);
                    }
                }
            } else {
                out.writeBytes(utf8(String.valueOf(c)));
            }
        }
    }

    /** A string property of {@code message} as text; empty when absent or at MQTT 3.1.1. */
    private static String text(MqttMessage message, int id) {
        return new String(bytes(message, id), StandardCharsets.UTF_8);
    }

    /** The bytes of a string or binary property of {@code message}; empty when absent or at MQTT 3.1.1. */
    private static byte[] bytes(MqttMessage message, int id) {
        PropertiesView p = message.properties();
        if (p == null || !p.has(id)) {
            return new byte[0];
        }
        byte[] value = new byte[p.valueLength(id)];
        System.arraycopy(p.buffer(), p.valueOffset(id), value, 0, value.length);
        return value;
    }

    /** An integer property of {@code message} in decimal (four-byte values unsigned); empty when absent. */
    private static byte[] number(MqttMessage message, int id) {
        PropertiesView p = message.properties();
        return p == null || !p.has(id) ? new byte[0] : ascii(Long.toString(Integer.toUnsignedLong(p.intValue(id, 0))));
    }

    /** {@code %P}: each User Property in wire order as {@code key:value}, one space between them. */
    private static void userProperties(ByteArrayOutputStream out, PropertiesView p) {
        if (p == null) {
            return;
        }
        boolean first = true;
        p.reset();
        while (p.next()) {
            if (p.id() == Property.USER_PROPERTY) {
                if (!first) {
                    out.write(' ');
                }
                first = false;
                out.write(p.buffer(), p.keyOffset(), p.keyLength());
                out.write(':');
                out.write(p.buffer(), p.valueOffset(), p.valueLength());
            }
        }
    }

    /**
     * The {@code properties} member of {@code %j}/{@code %J}: the properties in wire order, named as mosquitto_sub
     * names them, the user properties gathered in one {@code user-properties} object where the first one is; null
     * when there are none (the member is then left out). Topic Alias and Subscription Identifier are not listed:
     * the client resolves the one and never asks for the other.
     */
    private static Json.Obj jsonProperties(PropertiesView p) {
        if (p == null) {
            return null;
        }
        Json.Obj o = new Json.Obj();
        Json.Obj user = null;
        p.reset();
        while (p.next()) {
            byte[] buf = p.buffer();
            String value = p.type() == Property.UTF8_STRING || p.type() == Property.BINARY_DATA
                    || p.type() == Property.UTF8_STRING_PAIR
                    ? new String(buf, p.valueOffset(), p.valueLength(), StandardCharsets.UTF_8) : null;
            switch (p.id()) {
                case Property.CONTENT_TYPE -> o.put("content-type", new Json.Str(value));
                case Property.CORRELATION_DATA -> o.put("correlation-data", new Json.Str(value));
                case Property.RESPONSE_TOPIC -> o.put("response-topic", new Json.Str(value));
                case Property.PAYLOAD_FORMAT_INDICATOR ->
                        o.put("payload-format-indicator", new Json.Num(Integer.toString(p.intValue())));
                case Property.MESSAGE_EXPIRY_INTERVAL ->
                        o.put("message-expiry-interval", new Json.Num(Long.toString(Integer.toUnsignedLong(p.intValue()))));
                case Property.USER_PROPERTY -> {
                    if (user == null) {
                        user = new Json.Obj();
                        o.put("user-properties", user);
                    }
                    user.put(new String(buf, p.keyOffset(), p.keyLength(), StandardCharsets.UTF_8), new Json.Str(value));
                }
                default -> {
                }
            }
        }
        return o.members.isEmpty() ? null : o;
    }

    private static String truncate(String text, int max) {
        return max >= 0 && text.length() > max ? text.substring(0, max) : text;
    }

    private static void pad(ByteArrayOutputStream out, byte[] value, int width, boolean left, boolean zero) {
        int fill = width - value.length;
        if (!left) {
            for (int k = 0; k < fill; k++) {
                out.write(zero ? '0' : ' ');
            }
        }
        out.writeBytes(value);
        if (left) {
            for (int k = 0; k < fill; k++) {
                out.write(' ');
            }
        }
    }

    private static byte[] hex(byte[] payload, byte[] digits) {
        byte[] hex = new byte[payload.length * 2];
        for (int k = 0; k < payload.length; k++) {
            hex[2 * k] = digits[(payload[k] >> 4) & 0xf];
            hex[2 * k + 1] = digits[payload[k] & 0xf];
        }
        return hex;
    }

    /** strftime(3) conversions that do not depend on the C locale's wording beyond English. */
    private static String strftime(char conversion, ZonedDateTime t) {
        return switch (conversion) {
            case '@' -> "@";
            case 'N' -> String.format(Locale.ROOT, "%09d", t.getNano());
            case 'Y' -> String.format(Locale.ROOT, "%04d", t.getYear());
            case 'y' -> String.format(Locale.ROOT, "%02d", t.getYear() % 100);
            case 'm' -> String.format(Locale.ROOT, "%02d", t.getMonthValue());
            case 'd' -> String.format(Locale.ROOT, "%02d", t.getDayOfMonth());
            case 'e' -> String.format(Locale.ROOT, "%2d", t.getDayOfMonth());
            case 'H' -> String.format(Locale.ROOT, "%02d", t.getHour());
            case 'M' -> String.format(Locale.ROOT, "%02d", t.getMinute());
            case 'S' -> String.format(Locale.ROOT, "%02d", t.getSecond());
            case 'j' -> String.format(Locale.ROOT, "%03d", t.getDayOfYear());
            case 's' -> Long.toString(t.toEpochSecond());
            case 'z' -> t.format(DateTimeFormatter.ofPattern("xx", Locale.ROOT));
            case 'Z' -> t.format(DateTimeFormatter.ofPattern("zzz", Locale.ROOT));
            case 'F' -> t.format(DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT));
            case 'T' -> t.format(DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT));
            case 'R' -> t.format(DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT));
            case 'a' -> t.format(DateTimeFormatter.ofPattern("EEE", Locale.ENGLISH));
            case 'A' -> t.format(DateTimeFormatter.ofPattern("EEEE", Locale.ENGLISH));
            case 'b', 'h' -> t.format(DateTimeFormatter.ofPattern("MMM", Locale.ENGLISH));
            case 'B' -> t.format(DateTimeFormatter.ofPattern("MMMM", Locale.ENGLISH));
            case 'p' -> t.getHour() < 12 ? "AM" : "PM";
            case 'n' -> "\n";
            case 't' -> "\t";
            case '%' -> "%";
            default -> "@" + conversion;
        };
    }

    /**
     * {@code %j}/{@code %J}: {@code {"tst":…,"topic":…,"qos":…,"retain":…,"payloadlen":…[,"mid":…],"payload":…}}, as
     * mosquitto_sub prints it (cJSON; {@code --pretty}: one member a line, tab indented). {@code %J} re-prints the
     * payload's JSON in the same style, as cJSON does.
     */
    private void json(ByteArrayOutputStream out, MqttMessage message, String topic, byte[] payload, Instant now,
                      boolean payloadIsJson) throws NotJson {
        Json.Value body = null;
        if (payloadIsJson) {
            body = Json.parse(new String(payload, StandardCharsets.UTF_8));
            if (body == null) {
                throw new NotJson(topic);
            }
        }
        Json.Obj o = new Json.Obj();
        o.put("tst", new Json.Str(JSON_TIME.format(now.atOffset(ZoneOffset.UTC))));
        o.put("topic", new Json.Str(topic));
        o.put("qos", new Json.Num(Integer.toString(message.qos())));
        o.put("retain", new Json.Num(message.retain() ? "1" : "0"));
        o.put("payloadlen", new Json.Num(Integer.toString(payload.length)));
        if (message.qos() > 0) {
            o.put("mid", new Json.Num(Integer.toString(message.packetId())));
        }
        Json.Obj properties = jsonProperties(message.properties());
        if (properties != null) {
            o.put("properties", properties);
        }
        // cJSON as mosquitto_sub uses it: an empty payload is null, not ""
        o.put("payload", payloadIsJson ? body
                : payload.length == 0 ? new Json.Num("null") : new Json.Str(new String(payload, StandardCharsets.UTF_8)));
        StringBuilder text = new StringBuilder();
        o.print(text, pretty, 0);
        out.writeBytes(utf8(text.toString()));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
