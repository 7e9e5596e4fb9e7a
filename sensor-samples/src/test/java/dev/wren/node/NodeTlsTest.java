package dev.wren.node;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wren.mqtt.testing.MosquittoExtension;
import dev.wren.mqtt.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The node over mutual TLS ({@code ssl://} with the config's CA, certificate and key files) to mosquitto. */
@Timeout(60)
class NodeTlsTest {
  private static final TestCertificates PKI = TestCertificates.get();

  @RegisterExtension
  static final MosquittoExtension BROKER = MosquittoExtension.builder()
      .extraListener("mtls", PKI.listenerLines(PKI.serverPem, PKI.serverKey, "require_certificate true"))
      .build();

  private final String room = RunningNode.freshRoom();

  @Test
  void nodeComesOnlineOverMutualTls() throws Exception {
    String yaml = tlsYaml(PKI.caPem.toString());
    try (Subscriber sub = new Subscriber(BROKER.uri(), "home/" + room + "/#");
        RunningNode node = RunningNode.start(yaml, room, "ssl://localhost:" + BROKER.port("mtls"))) {
      sub.await("home/" + room + "/status", "online", 10_000);
      sub.await("home/" + room + "/lights", "OFF", 10_000);
      assertTrue(node.node.isConnected());
    }
  }

  @Test
  void serverFromAnotherCaIsNeverTrustedAndTheNodeKeepsTrying() throws Exception {
    String yaml = tlsYaml(PKI.otherCaPem.toString());
    try (RunningNode node = RunningNode.start(yaml, room, "ssl://localhost:" + BROKER.port("mtls"))) {
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (node.node.failedAttempts() < 3) {
        assertTrue(System.nanoTime() - deadline < 0, "three refused attempts within 10 s");
        Thread.sleep(20); // polling with a deadline: the attempts are the node thread's
      }
      assertTrue(node.node.connectionCount() == 0, "connected to a server its CA file does not vouch for");
    }
  }

  @Test
  void unreadableKeyFileStopsTheStartNamingIt() {
    String yaml = tlsYaml(PKI.caPem.toString()).replace(PKI.clientEcKey.toString(), PKI.caPem.toString());
    NodeStartException e = assertThrows(NodeStartException.class,
        () -> RunningNode.start(yaml, room, "ssl://localhost:" + BROKER.port("mtls")));
    assertTrue(e.getMessage().contains("cannot set up TLS"), e.getMessage());
  }

  private static String tlsYaml(String caFile) {
    return """
        node: { room: ROOM, loop_period: 10ms }
        broker:
          url: BROKER
          reconnect: { min_delay: 100ms, max_delay: 400ms }
          tls:
            ca_file: %s
            cert_file: %s
            key_file: %s
        relays:
          - { name: lights, pin: 17 }
        """.formatted(caFile, PKI.clientEcPem, PKI.clientEcKey);
  }
}
