package dev.wren.tools.demo;

import dev.wren.tools.testing.Proc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code java -jar wren.jar demo} as a process, stopped as a user stops it: by a signal. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DemoJarIT {

    @Test
    void sigtermStopsTheNodeCleanlyWithItsOfflineStatusPrintedBeforeTheProcessExitsWithZero() {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar = Path.of(System.getProperty("wren.jar", "target/wren.jar"));
        assertTrue(Files.isRegularFile(jar), jar + " is built by mvn package");
        try (Proc demo = Proc.start(java, "-jar", jar.toString(), "demo")) {
            demo.awaitOutput("relay round trip", 30_000);
            demo.terminate();
            demo.await(30_000);
            String out = new String(demo.out(), StandardCharsets.UTF_8);
            int offline = out.indexOf("home/living_room/status = offline");
            assertTrue(offline > out.indexOf("stopping the node"), out);
            assertTrue(out.indexOf("demo stopped") > offline, out);
            assertEquals(0, demo.exitCode(), "SIGTERM is a clean stop\n" + out + demo.err());
            assertEquals("", demo.err(), "nothing on standard error: the broker's and Netty's logs stay quiet");
        }
    }
}
