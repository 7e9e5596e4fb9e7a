package dev.wren.tools;

import dev.wren.mqtt.testing.MosquittoExtension;
import dev.wren.tools.testing.InProcessWren;
import dev.wren.tools.testing.Proc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input to {@code wren pub} and {@code wren sub}: a clear message naming the values, the exit code mosquitto uses. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ToolErrorsTest {

    @RegisterExtension
    static final MosquittoExtension SECURED = MosquittoExtension.builder().user("alice", "secret").build();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "pub -m x                                  | no topic: give -t TOPIC",
            "pub -t a/# -m x                           | Invalid publish topic 'a/#'",
            "pub -t a/+/b -m x                         | Invalid publish topic 'a/+/b'",
            "pub -t a                                  | no message: give one of -m MESSAGE, -f FILE, -s, -l or -n",
            "pub -t a -m x -n                          | Only one type of message can be sent at once; got -m and -n",
            "pub -t a -m x -q 3                        | Invalid QoS given: 3",
            "pub -t a -m x -i one -I two               | -i and -I cannot be used together",
            "pub -t a -m x -P secret                   | a password (-P) needs a user name (-u)",
            "pub -t a -m x --will-payload gone         | --will-payload, --will-qos and --will-retain need --will-topic",
            "pub -t a -m x --will-topic w/#            | Invalid will topic 'w/#'",
            "pub -m x -L http://h/a                    | invalid URL 'http://h/a': it must start with mqtt:// or mqtts://",
            "pub -m x -L mqtt://h/a -t b               | -t and -L both give a topic",
            "pub -m x -L mqtt://h/a -p 1884            | -L gives the host and port",
            "pub -t a -m x -k 70000                    | Invalid keepalive given, it must be between 5 and 65535 inclusive; got -k 70000",
            "sub -t a -k 4                             | Invalid keepalive given, it must be between 5 and 65535 inclusive; got -k 4",
            "sub                                       | no topic: give -t FILTER",
            "sub -t a/#/b                              | Invalid subscription topic 'a/#/b'",
            "sub -t a -T b+                            | Invalid filter topic 'b+'",
            "sub -t a -c                               | You must provide a client id if you are using the -c option",
            "sub -t a -c -I prefix-                    | You must provide a client id if you are using the -c option (-i ID",
            "sub -t a -C 0                             | Invalid message count \"0\"",
            "sub -t a -W 0                             | Invalid timeout \"0\"",
            "sub -t a -R --retained-only               | -R and --retained-only exclude each other",
    })
    void badArgumentsExitWithOneAndSayWhatIsWrong(String commandLine, String message) {
        InProcessWren.Result result = InProcessWren.run(commandLine.split(" "));
        assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
        assertTrue(result.err().contains(message), "expected '" + message + "' in\n" + result);
        assertTrue(result.err().contains("--help"), "points at --help:\n" + result);
    }

    @ParameterizedTest(name = "{0} -L {1}")
    @CsvSource({"pub, mqtt://user:secret@host:99999/t", "sub, mqtt://user:secret@host:port/t",
            "pub, mqtt://user:secret@/t", "sub, http://user:secret@host/t"})
    void refusedUrlIsShownWithItsPasswordMasked(String tool, String url) {
        InProcessWren.Result result = tool.equals("pub")
                ? InProcessWren.run(tool, "-m", "x", "-L", url) : InProcessWren.run(tool, "-L", url);
        assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
        assertTrue(result.err().contains("mqtt://user:****@") || result.err().contains("http://user:****@"),
                result.toString());
        assertTrue(!result.outText().contains("secret") && !result.err().contains("secret"), result.toString());
    }

    @ParameterizedTest(name = "{0} --quiet")
    @CsvSource({"pub", "sub"})
    void quietPrintsNoErrorAndExitsWithMosquittosCode(String tool) {
        String closedPort = Integer.toString(MosquittoExtension.freePort());
        List<String> args = new ArrayList<>(List.of("-h", "127.0.0.1", "-p", closedPort, "-t", "t", "--quiet"));
        if (tool.equals("pub")) {
            args.addAll(List.of("-m", "x"));
        }
        Proc mosquitto = Proc.start(tool.equals("pub") ? Proc.MOSQUITTO_PUB : Proc.MOSQUITTO_SUB,
                args.toArray(String[]::new)).await(10_000);
        List<String> wrenArgs = new ArrayList<>(List.of(tool));
        wrenArgs.addAll(args);
        InProcessWren.Result wren = InProcessWren.run(wrenArgs.toArray(String[]::new));
        assertEquals("", mosquitto.err(), "mosquitto --quiet");
        assertEquals("", wren.err(), wren.toString());
        assertEquals(mosquitto.exitCode(), wren.exitCode(), wren.toString());
    }

    @Test
    void persistentSessionWithoutClientIdIsRefusedAsByMosquittoPub() {
        Proc mosquitto = Proc.start(Proc.MOSQUITTO_PUB, "-t", "t", "-m", "x", "-c").await(10_000);
        InProcessWren.Result wren = InProcessWren.run("pub", "-t", "t", "-m", "x", "-c");
        assertEquals(mosquitto.exitCode(), wren.exitCode(), wren.toString());
        assertTrue(mosquitto.err().contains("You must provide a client id if you are using the -c option"));
        assertTrue(wren.err().contains("You must provide a client id if you are using the -c option"), wren.toString());
    }

    @Test
    void payloadFileThatDoesNotExistIsNamed() {
        InProcessWren.Result result = InProcessWren.run("pub", "-t", "a", "-f", "/no/such/file");
        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.err().contains("Unable to open file \"/no/such/file\": no such file."), result.toString());
    }

    @Test
    void missingTopicExitsWithTheCodeMosquittoPubUses() {
        Proc mosquitto = Proc.start(Proc.MOSQUITTO_PUB, "-m", "x").await(10_000);
        assertEquals(mosquitto.exitCode(), InProcessWren.run("pub", "-m", "x").exitCode());
    }

    @ParameterizedTest(name = "{0} -k {1}")
    @CsvSource({"pub, 0", "pub, 4", "pub, 5", "pub, 65535", "pub, 65536", "sub, 0", "sub, 4", "sub, 65536"})
    void keepAliveOutside5To65535IsRefusedAsByMosquitto(String tool, String keepAlive) {
        // Inside the range, the tool goes on to connect to a port where nothing listens: exit code 1 too,
        // so the exit code alone says nothing there; the message tells a refused -k from a refused connection.
        int closedPort = MosquittoExtension.freePort();
        String[] args = tool.equals("pub")
                ? new String[] {"-p", Integer.toString(closedPort), "-t", "a", "-m", "x", "-k", keepAlive}
                : new String[] {"-p", Integer.toString(closedPort), "-t", "a", "-k", keepAlive};
        Proc mosquitto = Proc.start("/usr/bin/mosquitto_" + tool, args).await(10_000);
        String[] wrenArgs = new String[args.length + 1];
        wrenArgs[0] = tool;
        System.arraycopy(args, 0, wrenArgs, 1, args.length);
        InProcessWren.Result result = InProcessWren.run(wrenArgs);
        assertEquals(mosquitto.exitCode(), result.exitCode(), mosquitto.err() + "\n" + result);
        boolean mosquittoRefusedK = mosquitto.err().contains("Invalid keepalive given");
        assertEquals(mosquittoRefusedK, result.err().contains("Invalid keepalive given"), mosquitto.err() + "\n" + result);
    }

    @Test
    void unreachableHostIsReportedAtOnceWithHostAndPort() throws Exception {
        int closedPort = MosquittoExtension.freePort();
        InProcessWren.Result result = InProcessWren.run("pub", "-h", "127.0.0.1", "-p", Integer.toString(closedPort),
                "-t", "a", "-m", "x");
        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.err().contains("connection to 127.0.0.1:" + closedPort + " refused"), result.toString());
        assertTrue(result.elapsedMillis() < ConnectionTimeouts.DEFAULT_MILLIS, result.toString());
    }

    @Test
    void brokerThatNeverAnswersIsReportedWhenTheConnectTimeoutEnds() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try (Socket ignored = silent.accept()) {
                    Thread.sleep(10_000); // holds the connection open without a CONNACK
                } catch (Exception done) {
                    // closed by the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            InProcessWren.Result result = InProcessWren.run("sub", "-h", "127.0.0.1", "-p",
                    Integer.toString(silent.getLocalPort()), "-t", "a", "--connect-timeout", "1");
            assertEquals(1, result.exitCode(), result.toString());
            assertTrue(result.err().contains("sent no CONNACK within 1000 ms"), result.toString());
            // At least the 1 s timeout; at most seconds more (a busy machine), and before the silent server lets go
            // after 10 s: the timeout ended the wait, not the server.
            assertTrue(result.elapsedMillis() >= 900 && result.elapsedMillis() < 9_000, result.toString());
        }
    }

    @Test
    void unknownHostIsNamed() {
        InProcessWren.Result result = InProcessWren.run("pub", "-h", "no-such-host.invalid", "-t", "a", "-m", "x");
        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.err().contains("unknown host 'no-such-host.invalid'"), result.toString());
    }

    @Test
    void wrongCredentialsPrintTheRefusalAndExitWithItsCodeAsMosquittoPubDoes() {
        List<String> args = new ArrayList<>(List.of("-h", SECURED.host(), "-p", Integer.toString(SECURED.port()),
                "-u", "alice", "-P", "wrong", "-t", "a", "-m", "x"));
        Proc mosquitto = Proc.start(Proc.MOSQUITTO_PUB, args.toArray(String[]::new)).await(10_000);
        args.add(0, "pub");
        InProcessWren.Result result = InProcessWren.run(args.toArray(String[]::new));
        assertEquals(mosquitto.exitCode(), result.exitCode(), mosquitto.err() + "\n" + result);
        assertTrue(result.exitCode() == 4 || result.exitCode() == 5, result.toString());
        assertTrue(result.err().contains("Connection Refused: ")
                && result.err().contains("CONNACK return code " + result.exitCode()), result.toString());
    }

    @Test
    void rightCredentialsPublish() {
        InProcessWren.Result result = InProcessWren.run("pub", "-h", SECURED.host(), "-p",
                Integer.toString(SECURED.port()), "-u", "alice", "-P", "secret", "-t", "a", "-m", "x", "-q", "1");
        assertEquals(0, result.exitCode(), result.toString());
    }

    /** The default connect timeout, for the bound on a refused connection. */
    private static final class ConnectionTimeouts {
        static final long DEFAULT_MILLIS = dev.wren.tools.cli.ConnectionOptions.DEFAULT_CONNECT_TIMEOUT_SECONDS * 1000L;
    }
}
