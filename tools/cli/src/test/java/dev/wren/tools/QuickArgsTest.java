package dev.wren.tools;

import dev.wren.tools.cli.MqttTool;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@code wren pub} and {@code wren sub} command lines read without picocli ({@link Wren#quick}) bind every option
 * exactly as picocli binds it, defaults included, and every command line not read plainly is left to picocli.
 */
class QuickArgsTest {

    /** Command lines, split at single spaces. */
    @ParameterizedTest
    @ValueSource(strings = {
        "pub -t t -m x",
        "pub -m x -t a/b -q 1 -r -d",
        "pub --topic a --message hello --qos 2 --retain --debug",
        "pub -t t -n -h broker.example -p 1884 -i id -u user -P secret -k 30",
        "pub --topic t --null-message --host h --port 1 --id x --username u --pw p --keepalive 65535",
        "pub -t t -l -I prefix --connect-timeout 3",
        "pub -t t -s -L mqtt://h:1/x --cafile ca.pem --cert c.pem --key k.pem --insecure",
        "pub -t t -f payload.bin --url mqtts://u:p@h/t",
        "pub -t t --file /tmp/x --stdin-file --stdin-line",
        "pub -t t -m x --repeat 5 --repeat-delay 0.25 -c -i keep --quiet",
        "pub -t t -m x --repeat-delay 2 --repeat 1",
        "pub -t t -m x --will-topic w --will-payload gone --will-qos 1 --will-retain",
        "pub -t t -m x -q 007 -p 000001883",
        "pub -t t -m  -q 0",
        "pub -t t -m x -V mqttv5 -x 60 -c -i keep",
        "pub -t t -m x --protocol-version 31 --session-expiry-interval 0",
        "pub -t t -m x -D publish content-type text/plain -D publish user-property k v --property connect receive-maximum 5",
        "pub -t t -m x -D PUBLISH User-Property k v -D will will-delay-interval 3",
        "pub",
        "sub -t a",
        "sub -t a -D connect user-property a b -D disconnect session-expiry-interval 0",
        "sub -t a --will-topic w --will-payload p --will-qos 2 --will-retain -D will content-type c",
        "sub -t a -V 5 -x 4294967295 -c -i keep",
        "sub -t a --protocol-version mqttv311 --session-expiry-interval \u221e",
        "sub -t a -t b/# --topic c -T a/x --filter-out a/y -U z --unsubscribe w",
        "sub -t a -q 2 -v -C 10 -W 30 -R -N -c -i keep -d --quiet",
        "sub --topic a --qos 1 --verbose --count 1 --timeout 5 --no-stale --no-newline --disable-clean-session",
        "sub -t a --retained-only -E --remove-retained -F %t_%p --pretty",
        "sub -t a --format %J --exit-after-subscribe --debug -h h -p 1 -u u -P p -k 5 -L mqtt://h/",
        "sub -t a --cafile ca.pem --cert c.pem --key k.pem --insecure --connect-timeout 2 -I pre",
        "sub",
        "rr -t a -e b -m x",
        "rr -t a -e b -n -q 2 -W 5 -v -N -R -c -i keep --quiet -V 311",
        "rr --topic a --response-topic b --file f --stdin-file --null-message --qos 1 --timeout 1 --verbose",
        "rr -t a -e b -s --no-newline --no-stale --disable-clean-session --format %t_%p --pretty",
        "rr -t a -e b -m x -D publish correlation-data c -D publish user-property k v -x 60 -h h -p 1",
        "rr",
    })
    void bindsWhatPicocliBinds(String line) throws ReflectiveOperationException {
        String[] args = line.split(" ", -1);
        MqttTool quick = Wren.quick(args);
        assertNotNull(quick, "read without picocli: " + line);
        CommandLine picocli = Wren.commandLine();
        picocli.parseArgs(args);
        Object parsed = picocli.getSubcommands().get(args[0]).getCommand();
        assertEquals(bound(parsed), bound(quick), line);
    }

    /** Forms, mistakes and help: picocli reads these (and reports the mistakes) as before. */
    @ParameterizedTest
    @ValueSource(strings = {
        "pub --help", "pub -t", "pub -t t -m", "pub --topic=t -m x", "pub -rd -t t -m x", "pub -t a -t b -m x",
        "pub -t t -r -r -m x", "pub -t t --topic u -m x", "pub -t t -m -5", "pub -t t -m -t", "pub -t t -m @file",
        "pub -t t -m x -q 1x", "pub -t t -m x -q +1", "pub -t t -m x -q -1", "pub -t t -m x -p 0x10",
        "pub -t t -m x -p 1234567890", "pub -t t -m x --repeat-delay 1e3", "pub -t t -m x --repeat-delay .",
        "pub -t t -m x --repeat-delay 1.2.3", "pub -t t -m x extra", "pub -t t -- -m x", "pub -t t -m x -X",
        "pub -t t -m x -", "pub -t t -m x --will-qos", "pub -t t -m x -k 5 --keepalive 6",
        "sub --help", "sub -t", "sub -t a -v -v", "sub -t a -C 1 --count 2", "sub -t -a", "sub -t a -F -%t",
        "sub -t a -F @Y", "sub -vt a", "sub -t a b", "sub -t a -W 1.5", "sub -t a -x", "sub -t a -V", "sub -t a -V 5 -x -1", "sub -t a -m x",
        "pub -t t -m x -D publish", "pub -t t -m x -D publish user-property k",
        "pub -t t -m x -D publish message-expiry-interval -1", "pub -t t -m x -D publish user-property -k v",
        "rr --help", "rr -t a -e b -l", "rr -t a -e", "rr -t a -e b -m x -C 1",
        "demo", "--help", "--version", "",
    })
    void leavesEverythingElseToPicocli(String line) {
        assertNull(Wren.quick(line.isEmpty() ? new String[0] : line.split(" ", -1)), line);
    }

    /** Every instance field of the command and of its connection options, by name. */
    private static Map<String, Object> bound(Object command) throws ReflectiveOperationException {
        Map<String, Object> values = new TreeMap<>();
        fields(command, "", values);
        Field connection = command.getClass().getDeclaredField("connection");
        connection.setAccessible(true);
        fields(connection.get(command), "connection.", values);
        return values;
    }

    private static void fields(Object o, String prefix, Map<String, Object> values) throws IllegalAccessException {
        for (Field f : o.getClass().getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || f.getName().equals("connection") || f.getName().equals("help")) {
                continue;
            }
            f.setAccessible(true);
            values.put(prefix + f.getName(), String.valueOf(f.get(o)));
        }
    }
}
