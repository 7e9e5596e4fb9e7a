package dev.wren.tools.cli;

import dev.wren.mqtt.MqttConfig;

import java.util.Locale;

/**
 * The {@code -L} URL of mosquitto_pub/mosquitto_sub: {@code mqtt(s)://[user[:password]@]host[:port]/topic}.
 *
 * <p>Parsed by hand rather than with {@link java.net.URI}: a topic filter such as {@code a/#} or {@code a/+}
 * is not a valid URI path ({@code #} would start a fragment), and mosquitto takes everything after the first
 * {@code /} following the authority as the topic, byte for byte, without percent-decoding.
 *
 * @param secure   {@code mqtts://} (TLS), default port 8883; {@code mqtt://} default port 1883
 * @param userName the user name, or null
 * @param password the password, or null
 * @param host     the host name or address (IPv6 without its brackets)
 * @param port     the port, 1..65535
 * @param topic    the topic (for sub: the filter), never empty
 */
public record MqttUrl(boolean secure, String userName, String password, String host, int port, String topic) {

    /** Default port of {@code mqtt://} (MQTT 3.1.1 §4.8 names none; IANA assigns 1883). */
    public static final int MQTT_PORT = 1883;
    /** Default port of {@code mqtts://} (IANA: MQTT over TLS). */
    public static final int MQTTS_PORT = 8883;

    /**
     * Parses {@code url}.
     *
     * @throws IllegalArgumentException naming the URL (its password masked) and what is wrong with it
     */
    public static MqttUrl parse(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        boolean secure;
        int rest;
        if (lower.startsWith("mqtt://")) {
            secure = false;
            rest = "mqtt://".length();
        } else if (lower.startsWith("mqtts://")) {
            secure = true;
            rest = "mqtts://".length();
        } else {
            throw bad(url, "it must start with mqtt:// or mqtts://");
        }
        int slash = url.indexOf('/', rest);
        if (slash < 0 || slash == url.length() - 1) {
            throw bad(url, "it has no topic: write mqtt://host[:port]/topic");
        }
        String authority = url.substring(rest, slash);
        String topic = url.substring(slash + 1);
        String user = null;
        String password = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int colon = userInfo.indexOf(':');
            user = colon < 0 ? userInfo : userInfo.substring(0, colon);
            password = colon < 0 ? null : userInfo.substring(colon + 1);
            if (user.isEmpty()) {
                throw bad(url, "the user name before '@' is empty");
            }
        }
        String host;
        String portText = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw bad(url, "the IPv6 address has no closing ']'");
            }
            host = authority.substring(1, close);
            String after = authority.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw bad(url, "expected ':port' after the IPv6 address, got '" + after + "'");
                }
                portText = after.substring(1);
            }
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            portText = colon < 0 ? null : authority.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw bad(url, "it has no host");
        }
        int port = secure ? MQTTS_PORT : MQTT_PORT;
        if (portText != null) {
            port = parsePort(url, portText);
        }
        return new MqttUrl(secure, user, password, host, port, topic);
    }

    private static int parsePort(String url, String text) {
        int port;
        try {
            port = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw bad(url, "port '" + text + "' is not a number");
        }
        if (port < 1 || port > 65535) {
            throw bad(url, "port " + port + " not in 1..65535");
        }
        return port;
    }

    private static IllegalArgumentException bad(String url, String why) {
        return new IllegalArgumentException("invalid URL '" + MqttConfig.maskPassword(url) + "': " + why);
    }

    /** The URL again, with the password masked. */
    @Override
    public String toString() {
        String auth = userName == null ? "" : userName + (password == null ? "" : ":****") + "@";
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return (secure ? "mqtts://" : "mqtt://") + auth + h + ":" + port + "/" + topic;
    }
}
