package dev.wren.tools.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MqttUrlTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            // url                                   | secure | user  | password | host        | port  | topic
            "mqtt://localhost/a/b                    | false  | null  | null     | localhost   | 1883  | a/b",
            "mqtts://broker.lan/a                    | true   | null  | null     | broker.lan  | 8883  | a",
            "mqtt://127.0.0.1:1884/x                 | false  | null  | null     | 127.0.0.1   | 1884  | x",
            "mqtt://alice@h/x                        | false  | alice | null     | h           | 1883  | x",
            "mqtt://alice:s3cr:et@h:99/x             | false  | alice | s3cr:et  | h           | 99    | x",
            "mqtt://alice:p@ss@h/x                   | false  | alice | p@ss     | h           | 1883  | x",
            "MQTT://[::1]:1885/sensors/#             | false  | null  | null     | ::1         | 1885  | sensors/#",
            "mqtt://h/home/+/temperature             | false  | null  | null     | h           | 1883  | home/+/temperature",
            "mqtt://h//leading/slash                 | false  | null  | null     | h           | 1883  | /leading/slash",
    })
    void parsesEveryPartOfTheUrl(String url, boolean secure, String user, String password, String host, int port,
                                 String topic) {
        assertEquals(new MqttUrl(secure, user, password, host, port, topic), MqttUrl.parse(url));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "http://h/x               | must start with mqtt:// or mqtts://",
            "mqtt://h                 | has no topic",
            "mqtt://h/                | has no topic",
            "mqtt://:1883/x           | has no host",
            "mqtt://h:port/x          | port 'port' is not a number",
            "mqtt://h:0/x             | port 0 not in 1..65535",
            "mqtt://h:70000/x         | port 70000 not in 1..65535",
            "mqtt://@h/x              | user name before '@' is empty",
            "mqtt://[::1/x            | no closing ']'",
    })
    void rejectsAMalformedUrlNamingItAndTheFault(String url, String fault) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MqttUrl.parse(url));
        assertTrue(e.getMessage().contains("'" + url + "'") && e.getMessage().contains(fault), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "mqtt://user:secret@host:99999/t   | port 99999 not in 1..65535",
            "mqtt://user:secret@:1883/t        | has no host",
            "mqtts://user:secret@h:x/t         | port 'x' is not a number",
    })
    void refusalShowsTheUrlWithItsPasswordMasked(String url, String fault) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MqttUrl.parse(url));
        assertTrue(e.getMessage().contains("user:****@") && e.getMessage().contains(fault), e.getMessage());
        assertTrue(!e.getMessage().contains("secret"), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void toStringMasksThePassword() {
        assertEquals("mqtt://alice:****@h:1883/x", MqttUrl.parse("mqtt://alice:secret@h/x").toString());
    }
}
