package dev.wren.tools.pub;

import dev.wren.tools.Wren;
import dev.wren.tools.cli.ConnectionOptions;
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
 * {@code wren pub}'s command line read without picocli ({@link PubCommand#quick}) binds every option exactly as
 * picocli binds it, defaults included, and leaves to picocli every command line it does not read plainly.
 */
class PubQuickArgsTest {

    /** Command lines after {@code pub}, split at single spaces. */
    @ParameterizedTest
    @ValueSource(strings = {
        "-t t -m x",
        "-m x -t a/b -q 1 -r -d",
        "--topic a --message hello --qos 2 --retain --debug",
        "-t t -n -h broker.example -p 1884 -i id -u user -P secret -k 30",
        "--topic t --null-message --host h --port 1 --id x --username u --pw p --keepalive 65535",
        "-t t -l -I prefix --connect-timeout 3",
        "-t t -s -L mqtt://h:1/x --cafile ca.pem --cert c.pem --key k.pem --insecure",
        "-t t -f payload.bin --url mqtts://u:p@h/t",
        "-t t --file /tmp/x --stdin-file --stdin-line",
        "-t t -m x --repeat 5 --repeat-delay 0.25 -c -i keep --quiet",
        "-t t -m x --repeat-delay 2 --repeat 1",
        "-t t -m x --will-topic w --will-payload gone --will-qos 1 --will-retain",
        "-t t -m x -q 007 -p 000001883",
        "-t t -m  -q 0",
        "",
    })
    void bindsWhatPicocliBinds(String line) throws ReflectiveOperationException {
        String[] args = args(line);
        PubCommand quick = PubCommand.quick(args, 1);
        assertNotNull(quick, "read without picocli: " + line);
        CommandLine picocli = Wren.commandLine();
        picocli.parseArgs(args);
        PubCommand parsed = picocli.getSubcommands().get("pub").getCommand();
        assertEquals(bound(parsed), bound(quick), line);
    }

    /** Forms, mistakes and help: picocli reads these (and reports the mistakes) as before. */
    @ParameterizedTest
    @ValueSource(strings = {
        "--help", "-t", "-t t -m", "--topic=t -m x", "-rd -t t -m x", "-t a -t b -m x", "-t t -r -r -m x",
        "-t t --topic u -m x", "-t t -m -5", "-t t -m -t", "-t t -m @file", "-t t -m x -q 1x", "-t t -m x -q +1",
        "-t t -m x -q -1", "-t t -m x -p 0x10", "-t t -m x -p 1234567890", "-t t -m x --repeat-delay 1e3",
        "-t t -m x --repeat-delay .", "-t t -m x --repeat-delay 1.2.3", "-t t -m x extra", "-t t -- -m x",
        "-t t -m x -X", "-t t -m x -", "-t t -m x --will-qos", "-t t -m x -k 5 --keepalive 6",
    })
    void leavesEverythingElseToPicocli(String line) {
        assertNull(PubCommand.quick(args(line), 1), line);
    }

    private static String[] args(String line) {
        String[] rest = line.isEmpty() ? new String[0] : line.split(" ", -1);
        String[] args = new String[rest.length + 1];
        args[0] = "pub";
        System.arraycopy(rest, 0, args, 1, rest.length);
        return args;
    }

    /** Every instance field of the command and of its connection options, by name. */
    private static Map<String, Object> bound(PubCommand pub) throws ReflectiveOperationException {
        Map<String, Object> values = new TreeMap<>();
        fields(pub, "", values);
        Field connection = PubCommand.class.getDeclaredField("connection");
        fields((ConnectionOptions) connection.get(pub), "connection.", values);
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
