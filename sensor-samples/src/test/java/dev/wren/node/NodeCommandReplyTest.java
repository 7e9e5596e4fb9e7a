package dev.wren.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttConfig;
import dev.wren.mqtt.MqttMessage;
import dev.wren.mqtt.codec.v5.PropertiesView;
import dev.wren.mqtt.codec.v5.Property;
import dev.wren.mqtt.testing.MosquittoExtension;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Request/response on the relay commands at MQTT 5.0 against mosquitto (§4.10): a requester using client-core's
 * {@link MqttClient#request} gets the relay's resulting state with its correlation data, at the command's QoS, not
 * retained; a command without a Response Topic gets no reply (proven by an ordered marker: a later request's reply).
 */
@Timeout(120)
class NodeCommandReplyTest {
  @RegisterExtension
  static final MosquittoExtension BROKER = new MosquittoExtension();

  private final String room = RunningNode.freshRoom();
  private final String prefix = "home/" + room;
  private final String lights = prefix + "/lights";
  private final String replies = "replies/" + room;

  /** A reply as the requester's handler saw it (copied: the view is valid only while the handler runs). */
  private record Reply(String payload, byte[] correlation, int qos, boolean retain) {
  }

  @Test
  void commandWithAResponseTopicIsAnsweredWithTheNewStateAndItsCorrelationData() throws Exception {
    try (RunningNode node = RunningNode.start(five(), room, BROKER.uri());
         Subscriber states = new Subscriber(BROKER.uri(), prefix + "/#");
         Requester requester = new Requester()) {
      states.await(lights, "OFF", 10_000); // announced: the command subscription is in place

      Reply on = requester.request("ON", 1, "switch-on-1");
      assertEquals("ON", on.payload(), "the resulting state");
      assertArrayEquals("switch-on-1".getBytes(StandardCharsets.US_ASCII), on.correlation());
      assertEquals(1, on.qos(), "the command's QoS 1");
      assertFalse(on.retain(), "a reply is not retained");
      assertTrue(node.relayLineHigh(0), "the relay switched");
      states.await(lights, "ON", 10_000);

      Reply toggled = requester.request("TOGGLE", 0, "toggle-2");
      assertEquals("OFF", toggled.payload());
      assertArrayEquals("toggle-2".getBytes(StandardCharsets.US_ASCII), toggled.correlation());
      assertEquals(0, toggled.qos(), "the command's QoS 0 (the requester's subscription is at 1)");
      assertFalse(node.relayLineHigh(0));

      Reply invalid = requester.request("DIM", 1, "invalid-3");
      assertEquals("OFF", invalid.payload(), "an invalid command is answered with the unchanged state");
    }
  }

  @Test
  void commandWithoutAResponseTopicGetsNoReply() throws Exception {
    try (RunningNode node = RunningNode.start(five(), room, BROKER.uri());
         Subscriber states = new Subscriber(BROKER.uri(), prefix + "/#");
         Subscriber onReplies = new Subscriber(BROKER.uri(), replies);
         Requester requester = new Requester()) {
      states.await(lights, "OFF", 10_000);

      states.publish(lights + "/set", "ON", false); // no properties: a 3.1.1 client's command
      states.await(lights, "ON", 10_000);
      // The node answers in order: a reply to the plain command would reach the observer before this one.
      Reply marker = requester.request("OFF", 1, "marker");
      assertEquals("OFF", marker.payload());
      onReplies.await(replies, "OFF", 10_000);

      List<Subscriber.Received> seen = onReplies.on(replies);
      assertEquals(1, seen.size(), "the marker's reply alone: " + seen);
    }
  }

  /** {@link NodeEndToEndTest#YAML} at 5.0. */
  private static String five() {
    return NodeEndToEndTest.YAML.replace("  keep_alive: 5s\n", "  keep_alive: 5s\n  protocol: 5\n");
  }

  /** A 5.0 client sending commands to the lights with {@link MqttClient#request}. */
  private final class Requester implements AutoCloseable {
    private final MqttClient client = new MqttClient(MqttConfig.builder().serverUri(BROKER.uri())
        .clientId("requester-" + room).protocolVersion(MqttConfig.MQTT_5).keepAliveSeconds(30).build());
    private Reply reply;

    Requester() throws Exception {
      client.connect();
    }

    Reply request(String command, int qos, String correlation) throws Exception {
      byte[] payload = command.getBytes(StandardCharsets.US_ASCII);
      byte[] data = correlation.getBytes(StandardCharsets.US_ASCII);
      reply = null;
      boolean answered = client.request(lights + "/set", payload, 0, payload.length, qos, replies, data, 0,
          data.length, 10_000, this::record);
      assertTrue(answered, "no reply to " + command + " (" + correlation + ") within 10 s");
      return reply;
    }

    private void record(MqttMessage m) {
      PropertiesView p = m.properties();
      int at = p.valueOffset(Property.CORRELATION_DATA);
      reply = new Reply(m.payloadAsString(), Arrays.copyOfRange(p.buffer(), at,
          at + p.valueLength(Property.CORRELATION_DATA)), m.qos(), m.retain());
    }

    @Override
    public void close() throws Exception {
      client.disconnect();
      client.close();
    }
  }
}
