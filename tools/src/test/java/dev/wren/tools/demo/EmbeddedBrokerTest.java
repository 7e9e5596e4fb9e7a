package dev.wren.tools.demo;

import dev.wren.tools.testing.InProcessWren;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EmbeddedBrokerTest {

    @Test
    void carriesRetainedMessagesOnLoopbackAndDeletesItsFolderWhenClosed() throws Exception {
        Path dir;
        try (EmbeddedBroker broker = EmbeddedBroker.start()) {
            dir = broker.dataDir();
            assertEquals("127.0.0.1", broker.host());
            assertTrue(broker.port() > 0);
            String port = Integer.toString(broker.port());
            InProcessWren.Result pub = InProcessWren.run("pub", "-h", broker.host(), "-p", port, "-t", "demo/t",
                    "-m", "kept", "-r", "-q", "1");
            assertEquals(0, pub.exitCode(), pub.toString());
            CompletableFuture<InProcessWren.Result> sub = InProcessWren.start("sub", "-h", broker.host(), "-p", port,
                    "-t", "demo/#", "-v", "-C", "1", "-W", "10");
            InProcessWren.Result received = sub.get(20, TimeUnit.SECONDS);
            assertEquals(0, received.exitCode(), received.toString());
            assertEquals("demo/t kept\n", received.outText());
        }
        assertFalse(Files.exists(dir), dir + " deleted");
    }
}
