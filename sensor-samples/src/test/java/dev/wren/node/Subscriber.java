package dev.wren.node;

import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A test's MQTT peer on the real broker (Wren's own client): subscribes, records every message with its arrival
 * time, and waits for one by polling on the test thread until a deadline.
 */
final class Subscriber implements AutoCloseable {
  private static final AtomicInteger IDS = new AtomicInteger();

  /** One message as it arrived. */
  record Received(String topic, String payload, boolean retain, long atNanos) {
    @Override
    public String toString() {
      return topic + "=" + payload + (retain ? " (retained)" : "");
    }
  }

  private final MqttClient client;
  private final List<Received> received = new ArrayList<>();

  Subscriber(String brokerUri, String... filters) throws Exception {
    this(brokerUri, "wren-test-" + IDS.incrementAndGet(), true, filters);
  }

  /**
   * A subscriber with its own client id; with {@code cleanSession} false the broker keeps its subscriptions and
   * queues QoS 1 messages while it is away, delivered (and recorded) as soon as it connects again.
   */
  Subscriber(String brokerUri, String clientId, boolean cleanSession, String... filters) throws Exception {
    client = new MqttClient(MqttConfig.builder().serverUri(brokerUri)
        .clientId(clientId).cleanSession(cleanSession).keepAliveSeconds(30).build());
    // Queued messages of a resumed session arrive before this client subscribes again: record them too.
    client.setDefaultHandler(this::record);
    client.connect();
    for (String f : filters) {
      client.subscribe(f, 1, this::record);
    }
  }

  private void record(dev.wren.mqtt.MqttMessage m) {
    received.add(new Received(m.topicAsString(), m.payloadAsString(), m.retain(), System.nanoTime()));
  }

  /** Publishes a text payload at QoS 1 and waits for the broker's PUBACK. */
  void publish(String topic, String payload, boolean retain) throws Exception {
    byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
    client.publish(topic, bytes, 0, bytes.length, 1, retain);
    if (!client.awaitInflight(5_000)) {
      throw new AssertionError("no PUBACK for " + topic);
    }
  }

  /** Waits until a message matching {@code p} has arrived (or had arrived); fails naming what did arrive. */
  Received await(String what, Predicate<Received> p, long timeoutMillis) throws Exception {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    while (true) {
      for (Received r : received) {
        if (p.test(r)) {
          return r;
        }
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("no " + what + " within " + timeoutMillis + " ms; arrived: " + received);
      }
      client.poll(20);
    }
  }

  /** Waits for {@code payload} on {@code topic}. */
  Received await(String topic, String payload, long timeoutMillis) throws Exception {
    return await(topic + "=" + payload, r -> r.topic().equals(topic) && r.payload().equals(payload), timeoutMillis);
  }

  /** Keeps polling for {@code millis}, collecting what arrives (for "nothing else came" checks). */
  void collectFor(long millis) throws Exception {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    while (System.nanoTime() - deadline < 0) {
      client.poll(Math.max(1, Math.min(20, (deadline - System.nanoTime()) / 1_000_000L)));
    }
  }

  /** Everything received so far on {@code topic}, in order. */
  List<Received> on(String topic) {
    return received.stream().filter(r -> r.topic().equals(topic)).toList();
  }

  /** Everything received so far. */
  List<Received> all() {
    return List.copyOf(received);
  }

  @Override
  public void close() {
    try {
      client.disconnect();
    } catch (Exception e) {
      // the broker may be gone in a restart test
    }
    client.close();
  }
}
