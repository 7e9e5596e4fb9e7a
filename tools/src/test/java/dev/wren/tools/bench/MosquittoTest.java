package dev.wren.tools.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The bench's own broker launcher (used when no -h/-p is given). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MosquittoTest {

    @Test
    void startedBrokerAcceptsMqttOnItsPortAndIsGoneAfterClose() throws IOException {
        int port;
        try (Mosquitto broker = Mosquitto.start(Mosquitto.defaultExecutable())) {
            port = broker.port();
            Socket s = RawMqtt.connect(broker.host(), port, "launcher-test");   // throws unless CONNACK accepted
            assertTrue(s.isConnected());
            RawMqtt.disconnect(s);
        }
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
    }

    @Test
    void missingExecutableIsReportedByName() {
        IOException e = assertThrows(IOException.class, () -> Mosquitto.start("/nonexistent/mosquitto"));
        assertTrue(String.valueOf(e.getMessage()).contains("/nonexistent/mosquitto"), e.getMessage());
        assertFalse(e.getMessage().isEmpty());
    }
}
