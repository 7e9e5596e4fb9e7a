package dev.wren.node;

/**
 * Every {@link NodeEndToEndTest} with {@code broker.protocol: 3.1.1}: the node's behaviour at 3.1.1 (a clean
 * session, the will at once, no message expiry) is what it was before 5.0 came, against the same mosquitto.
 */
class NodeEndToEndMqtt311Test extends NodeEndToEndTest {
  @Override
  String atProtocol(String yaml) {
    return yaml.replace("  keep_alive: 5s\n", "  keep_alive: 5s\n  protocol: 3.1.1\n");
  }
}
