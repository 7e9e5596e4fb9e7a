package dev.wren.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wren.mqtt.testing.MosquittoExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Topic aliases on the node's readings at MQTT 5.0 against mosquitto (whose Topic Alias Maximum is 10 by default),
 * counted on the wire by a {@link PublishTap} between node and broker: a subscriber gets every reading on its full
 * topic, and a reading published again names its topic by the 2-byte alias. Prints the bytes per reading with and
 * without aliases:
 * {@code mvn -B -q -o -pl sensor-samples -am test -Dwren.fuzz.skip=true -Dtest=NodeTopicAliasTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Timeout(120)
class NodeTopicAliasTest {
  @RegisterExtension
  static final MosquittoExtension BROKER = new MosquittoExtension();

  private static final String[] READINGS = {"temperature", "humidity", "pressure"};
  /** A Topic Alias property: identifier 0x23 and a two byte integer (MQTT 5.0 §3.3.2.3.4). */
  private static final int ALIAS_PROPERTY_BYTES = 3;

  private final String room = RunningNode.freshRoom();
  private final String prefix = "home/" + room;

  /** {@link NodeEndToEndTest#YAML} at 5.0 with {@code publishLines} and, unless {@code journal}, the journal off. */
  private static String five(boolean journal, String... publishLines) {
    StringBuilder yaml = new StringBuilder(NodeEndToEndTest.YAML.replace("  keep_alive: 5s\n",
        "  keep_alive: 60s\n  protocol: 5\n"));
    if (publishLines.length > 0) {
      yaml.append("publish:\n");
      for (String line : publishLines) {
        yaml.append("  ").append(line).append('\n');
      }
    }
    return journal ? yaml.toString() : yaml + "journal:\n  enabled: false\n";
  }

  @Test
  void subscriberGetsEveryReadingOnItsFullTopicWhileTheNodeSendsAliases() throws Exception {
    try (PublishTap tap = new PublishTap(BROKER.host(), BROKER.port());
         Subscriber sub = new Subscriber(BROKER.uri(), prefix + "/#");
         RunningNode node = RunningNode.start(five(false), room, tap.uri())) {
      for (String reading : READINGS) {
        String topic = prefix + "/" + reading;
        sub.await(reading + " three times", r -> sub.on(topic).size() >= 3, 20_000);
      }
      for (String reading : READINGS) {
        List<PublishTap.Frame> sent = tap.on(prefix + "/" + reading);
        // A reading taken before CONNACK waited in the window: such a stored frame goes whole, without an alias.
        int first = firstAliased(sent);
        assertTrue(first >= 0 && sent.get(first).topicSent() > 0, "one with topic and alias: " + sent);
        assertTrue(first < sent.size() - 1, "one after it: " + sent);
        for (PublishTap.Frame later : sent.subList(first + 1, sent.size())) {
          assertEquals(0, later.topicSent(), "later ones by the alias alone: " + sent);
          assertEquals(sent.get(first).alias(), later.alias(), sent.toString());
        }
      }
      assertEquals(1, node.node.connectionCount());
    }
  }

  @Test
  void aReadingAgainIsSmallerByItsTopicLessTheAliasProperty() throws Exception {
    Bytes with = measure(five(false));
    Bytes without = measure(five(false, "topic_aliases: 0"));
    Bytes journalled = measure(five(true));

    System.out.println("wire bytes per reading, node -> broker PUBLISH frame at MQTT 5.0 (QoS 1, with"
        + " message expiry), topic " + prefix + "/<reading>:");
    for (int i = 0; i < READINGS.length; i++) {
      int topicBytes = with.topic[i];
      System.out.printf("  %-11s (topic %d B, payload %d B): without aliases %d; with aliases first %d, then %d;"
              + " with aliases and the journal on: first %d, then %d%n", READINGS[i], topicBytes,
          without.payload[i], without.first[i], with.first[i], with.steady[i], journalled.first[i],
          journalled.steady[i]);
      // Frames compared without their payloads: the simulated room's values differ between the runs.
      // The rooms' names may differ in length by a digit: each run's own topic length counts.
      int withoutOverhead = without.steadyOverhead[i] - without.topic[i] + topicBytes;
      assertEquals(withoutOverhead + ALIAS_PROPERTY_BYTES, with.firstOverhead[i], "first: topic and alias");
      assertEquals(withoutOverhead - (topicBytes - ALIAS_PROPERTY_BYTES), with.steadyOverhead[i],
          READINGS[i] + " again: the topic's " + topicBytes + " bytes less the alias property's 3");
      assertEquals(without.firstOverhead[i], without.steadyOverhead[i], "without aliases every one alike");
      // With the journal on, each reading is taken from the journal for its first send: aliased the same way.
      assertEquals(with.firstOverhead[i] - topicBytes, journalled.firstOverhead[i] - journalled.topic[i],
          READINGS[i] + " through the journal, first: topic and alias");
      assertEquals(with.steadyOverhead[i], journalled.steadyOverhead[i], READINGS[i] + " through the journal, again");
    }
  }

  /**
   * Per reading: its topic's bytes, the first frame sent on the connection (the first aliased one when aliases are
   * on) and the third from it, whole and without payload, and that one's payload size.
   */
  private record Bytes(int[] topic, int[] first, int[] steady, int[] firstOverhead, int[] steadyOverhead,
      int[] payload) {
  }

  /** The index of the first frame that set up an alias (topic and alias), or the first frame when none did. */
  private static int firstAliased(List<PublishTap.Frame> sent) {
    for (int i = 0; i < sent.size(); i++) {
      if (sent.get(i).alias() > 0) {
        return i;
      }
    }
    return sent.isEmpty() ? -1 : 0;
  }

  private Bytes measure(String yaml) throws Exception {
    String room = RunningNode.freshRoom();
    String prefix = "home/" + room;
    Bytes b = new Bytes(new int[3], new int[3], new int[3], new int[3], new int[3], new int[3]);
    try (PublishTap tap = new PublishTap(BROKER.host(), BROKER.port());
         RunningNode node = RunningNode.start(yaml, room, tap.uri())) {
      for (int i = 0; i < READINGS.length; i++) {
        String topic = prefix + "/" + READINGS[i];
        // The first published after CONNACK (before it, a reading waits in the window and goes whole), then two more.
        tap.await(READINGS[i] + " three times after the first aliased one", frames -> {
          List<PublishTap.Frame> on = frames.stream().filter(f -> f.topic().equals(topic)).toList();
          return on.size() - firstAliased(on) >= 3;
        }, 20_000);
        List<PublishTap.Frame> sent = tap.on(topic);
        int first = firstAliased(sent);
        PublishTap.Frame steady = sent.get(first + 2);
        b.topic[i] = topic.getBytes(StandardCharsets.UTF_8).length;
        b.first[i] = sent.get(first).frameBytes();
        b.firstOverhead[i] = sent.get(first).overheadBytes();
        b.steady[i] = steady.frameBytes();
        b.steadyOverhead[i] = steady.overheadBytes();
        b.payload[i] = steady.payloadBytes();
        assertEquals(1, steady.connection(), "one connection: " + sent);
      }
    }
    return b;
  }
}
