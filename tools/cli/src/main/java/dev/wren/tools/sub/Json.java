package dev.wren.tools.sub;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Just enough JSON for {@code %j} and {@code %J}: a parser (RFC 8259) and a printer that writes what cJSON writes,
 * as mosquitto_sub prints with it: compact, or with {@code --pretty} one object member a line, tab indented, arrays
 * on one line with {@code ", "}; numbers as {@code %d} when integral, else the shortest of {@code %1.15g} and
 * {@code %1.17g} that reads back the same.
 */
final class Json {
    private Json() {
    }

    /** A JSON value that prints itself. */
    interface Value {
        void print(StringBuilder out, boolean pretty, int depth);
    }

    record Str(String text) implements Value {
        @Override
        public void print(StringBuilder out, boolean pretty, int depth) {
            out.append('"');
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }
    }

    /** A number, true, false or null, printed as given. */
    record Num(String text) implements Value {
        @Override
        public void print(StringBuilder out, boolean pretty, int depth) {
            out.append(text);
        }
    }

    static final class Arr implements Value {
        final List<Value> items = new ArrayList<>();

        @Override
        public void print(StringBuilder out, boolean pretty, int depth) {
            out.append('[');
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) {
                    out.append(pretty ? ", " : ",");
                }
                items.get(i).print(out, pretty, depth + 1);
            }
            out.append(']');
        }
    }

    /** An object whose members keep their order and may repeat a name, as cJSON's ({@code cJSON_AddItemToObject}). */
    static final class Obj implements Value {
        final List<Map.Entry<String, Value>> members = new ArrayList<>();

        void put(String key, Value value) {
            members.add(Map.entry(key, value));
        }

        @Override
        public void print(StringBuilder out, boolean pretty, int depth) {
            out.append('{');
            if (pretty) {
                out.append('\n');
            }
            int i = 0;
            for (Map.Entry<String, Value> m : members) {
                if (pretty) {
                    out.append("\t".repeat(depth + 1));
                }
                new Str(m.getKey()).print(out, pretty, depth);
                out.append(pretty ? ":\t" : ":");
                m.getValue().print(out, pretty, depth + 1);
                if (++i < members.size()) {
                    out.append(',');
                }
                if (pretty) {
                    out.append('\n');
                }
            }
            if (pretty) {
                out.append("\t".repeat(depth));
            }
            out.append('}');
        }
    }

    /** The value {@code text} holds, or null if it is not JSON. */
    static Value parse(String text) {
        Parser p = new Parser(text);
        try {
            Value v = p.value();
            p.space();
            return p.at == text.length() ? v : null;
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return null;
        }
    }

    /** cJSON's number text for {@code d}. */
    static String number(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return "null";
        }
        if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
            return Long.toString((long) d);
        }
        String g = general(d, 15);
        return Double.parseDouble(g) == d ? g : general(d, 17);
    }

    /** C's {@code %1.<precision>g}. */
    private static String general(double d, int precision) {
        BigDecimal bd = new BigDecimal(d).round(new MathContext(precision));
        int exponent = bd.precision() - bd.scale() - 1;
        BigDecimal stripped = bd.stripTrailingZeros();
        if (exponent < -4 || exponent >= precision) {
            String digits = stripped.unscaledValue().abs().toString();
            String mantissa = digits.length() > 1 ? digits.charAt(0) + "." + digits.substring(1) : digits;
            return (d < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
                    + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
        }
        return stripped.toPlainString();
    }

    private static final class Parser {
        final String s;
        int at;

        Parser(String s) {
            this.s = s;
        }

        void space() {
            while (at < s.length() && " \t\r\n".indexOf(s.charAt(at)) >= 0) {
                at++;
            }
        }

        Value value() {
            space();
            char c = s.charAt(at);
            switch (c) {
                case '{' -> {
                    at++;
                    Obj o = new Obj();
                    space();
                    if (s.charAt(at) == '}') {
                        at++;
                        return o;
                    }
                    do {
                        space();
                        if (s.charAt(at) != '"') {
                            throw new IllegalArgumentException("key");
                        }
                        String key = string();
                        space();
                        expect(':');
                        o.put(key, value());
                        space();
                    } while (s.charAt(at++) == ',');
                    if (s.charAt(at - 1) != '}') {
                        throw new IllegalArgumentException("}");
                    }
                    return o;
                }
                case '[' -> {
                    at++;
                    Arr a = new Arr();
                    space();
                    if (s.charAt(at) == ']') {
                        at++;
                        return a;
                    }
                    do {
                        a.items.add(value());
                        space();
                    } while (s.charAt(at++) == ',');
                    if (s.charAt(at - 1) != ']') {
                        throw new IllegalArgumentException("]");
                    }
                    return a;
                }
                case '"' -> {
                    return new Str(string());
                }
                default -> {
                    for (String word : new String[] {"true", "false", "null"}) {
                        if (s.startsWith(word, at)) {
                            at += word.length();
                            return new Num(word);
                        }
                    }
                    int start = at;
                    while (at < s.length() && "+-0123456789.eE".indexOf(s.charAt(at)) >= 0) {
                        at++;
                    }
                    String text = s.substring(start, at);
                    if (!text.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?")) {
                        throw new IllegalArgumentException("number");
                    }
                    return new Num(number(Double.parseDouble(text)));
                }
            }
        }

        void expect(char c) {
            if (s.charAt(at++) != c) {
                throw new IllegalArgumentException(String.valueOf(c));
            }
        }

        String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = s.charAt(at++);
                if (c == '"') {
                    return b.toString();
                }
                if (c < 0x20) {
                    throw new IllegalArgumentException("control character");
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = s.charAt(at++);
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        b.append((char) Integer.parseInt(s.substring(at, at + 4), 16));
                        at += 4;
                    }
                    default -> throw new IllegalArgumentException("escape");
                }
            }
        }
    }
}
