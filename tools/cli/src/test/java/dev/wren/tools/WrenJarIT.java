package dev.wren.tools;

import dev.wren.mqtt.testing.MosquittoExtension;
import dev.wren.tools.testing.BrokerLog;
import dev.wren.tools.testing.Proc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code java -jar wren.jar pub|sub} as processes, the way a user runs them. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WrenJarIT {

    @RegisterExtension
    static final MosquittoExtension BROKER = MosquittoExtension.builder().configLine(BrokerLog.LOG_SUBSCRIBE).build();

    /** Starts {@code java -jar wren.jar args...} on the JVM running the tests (21+), with {@code stdin}. */
    static Proc wren(byte[] stdin, String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar = Path.of(System.getProperty("wren.jar", "target/wren.jar"));
        assertTrue(Files.isRegularFile(jar), jar + " is built by mvn package");
        List<String> command = new ArrayList<>(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        return Proc.start(stdin, java, command.toArray(String[]::new));
    }

    @Test
    void subFromTheJarPrintsWhatPubFromTheJarSends() {
        String port = Integer.toString(BROKER.port());
        try (Proc subscriber = wren(new byte[0], "sub", "-h", BROKER.host(), "-p", port, "-t", "jar/#", "-v",
                "-C", "2", "-i", "jar-sub")) {
            BrokerLog.awaitSubscribed(BROKER, "jar-sub", "jar/#");
            Proc publisher = wren("first\nsecond\n".getBytes(StandardCharsets.UTF_8), "pub", "-h", BROKER.host(),
                    "-p", port, "-t", "jar/lines", "-l", "-q", "1").await(30_000);
            assertEquals(0, publisher.exitCode(), publisher.err());
            subscriber.await(30_000);
            assertEquals(0, subscriber.exitCode(), subscriber.err());
            assertEquals("jar/lines first\njar/lines second\n", new String(subscriber.out(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void versionIsTheProjectVersion() {
        Proc version = wren(new byte[0], "--version").await(30_000);
        assertEquals(0, version.exitCode(), version.err());
        assertEquals("wren " + System.getProperty("wren.version", "0.1.0-SNAPSHOT") + "\n",
                new String(version.out(), StandardCharsets.UTF_8));
    }

    /** Ctrl-C (SIGINT) ends {@code wren sub} with 0, as it ends mosquitto_sub (its --help says so too). */
    @Test
    void ctrlCEndsSubWithZeroAsItEndsMosquittoSub() throws Exception {
        String port = Integer.toString(BROKER.port());
        try (Proc mosquitto = Proc.start(Proc.MOSQUITTO_SUB, "-h", BROKER.host(), "-p", port, "-t", "int/#",
                "-i", "int-mosquitto");
             Proc wren = wren(new byte[0], "sub", "-h", BROKER.host(), "-p", port, "-t", "int/#", "-i", "int-wren")) {
            BrokerLog.awaitSubscribed(BROKER, "int-mosquitto", "int/#");
            BrokerLog.awaitSubscribed(BROKER, "int-wren", "int/#");
            for (Proc p : List.of(mosquitto, wren)) {
                new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
                p.await(30_000);
            }
            assertEquals(0, mosquitto.exitCode(), "mosquitto_sub: " + mosquitto.err());
            assertEquals(mosquitto.exitCode(), wren.exitCode(), "wren sub: " + wren.err());
        }
    }

    @Test
    void usageErrorFromTheJarExitsWithOne() {
        Proc publisher = wren(new byte[0], "pub", "-m", "x").await(30_000);
        assertEquals(1, publisher.exitCode());
        assertTrue(publisher.err().contains("no topic"), publisher.err());
    }
}
