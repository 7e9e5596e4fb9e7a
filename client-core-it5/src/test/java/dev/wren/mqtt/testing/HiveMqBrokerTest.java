package dev.wren.mqtt.testing;

import dev.wren.mqtt.codec.ConnackView;
import dev.wren.mqtt.codec.ConnectEncoder;
import dev.wren.mqtt.codec.ConnectFields;
import dev.wren.mqtt.codec.FrameHeader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HiveMQ CE starter: a loopback port that speaks MQTT, a temp folder, and nothing left after close. */
class HiveMqBrokerTest {

    @Test
    void startsOnALoopbackPortAcceptsMqttAndLeavesNothingBehindWhenClosed() throws IOException {
        long t0 = System.nanoTime();
        HiveMqBroker broker = HiveMqBroker.start();
        long startMillis = (System.nanoTime() - t0) / 1_000_000;
        int port = broker.port();
        Path folder = broker.folder();
        try {
            System.out.println(broker + " started in " + startMillis + " ms");
            assertEquals("127.0.0.1", broker.host());
            assertTrue(Files.isRegularFile(folder.resolve("conf/config.xml")), folder + " holds the configuration");
            assertEquals(0, connack311(port), "an MQTT 3.1.1 CONNECT is accepted");
        } finally {
            broker.close();
        }
        assertThrows(IOException.class, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            }
        }, "the port is closed after close()");
        assertFalse(Files.exists(folder), folder + " is deleted after close()");
    }

    @Test
    void theConfigurationBindsLoopbackOnlyInMemoryWithoutTelemetry() {
        String xml = HiveMqBroker.config(1234);
        assertTrue(xml.contains("<port>1234</port><bind-address>127.0.0.1</bind-address>"), xml);
        assertTrue(xml.contains("<mode>in-memory</mode>"), xml);
        assertTrue(xml.contains("<anonymous-usage-statistics><enabled>false</enabled>"), xml);
    }

    /** Sends an MQTT 3.1.1 CONNECT and returns the CONNACK return code. */
    private static int connack311(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(15_000);
            ConnectFields f = new ConnectFields();
            f.clientId = "wren-smoke";
            byte[] out = new byte[ConnectEncoder.length(f)];
            ConnectEncoder.encode(out, 0, f);
            s.getOutputStream().write(out);
            byte[] in = new byte[4];
            InputStream is = s.getInputStream();
            int n = 0;
            while (n < in.length) {
                int r = is.read(in, n, in.length - n);
                assertTrue(r > 0, "end of stream after " + n + " bytes of CONNACK");
                n += r;
            }
            FrameHeader header = new FrameHeader();
            assertEquals(0, header.decode(in, 0, 4), "CONNACK header");
            ConnackView connack = new ConnackView();
            assertEquals(0, connack.decode(in, 2, 2), "CONNACK body");
            return connack.returnCode();
        }
    }
}
