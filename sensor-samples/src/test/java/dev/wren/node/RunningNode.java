package dev.wren.node;

import dev.wren.mqtt.MonotonicClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** A simulated node running on its own thread against the test's broker, stopped by {@link #close()}. */
final class RunningNode implements AutoCloseable {
  private static final AtomicInteger ROOMS = new AtomicInteger();

  final Node node;
  final NodeConfig config;
  private final Thread thread;
  private final Path journalDir;

  private RunningNode(NodeConfig config, Path journalDir, MonotonicClock clock) throws Exception {
    this.config = config;
    this.journalDir = journalDir;
    this.node = Node.create(config, clock);
    this.thread = new Thread(node::run, "node-" + config.room());
    thread.start();
  }

  /** A unique room name, so tests sharing one broker never see each other's retained messages. */
  static String freshRoom() {
    return "room" + ROOMS.incrementAndGet() + "_" + ProcessHandle.current().pid();
  }

  /**
   * Starts a node from YAML in which {@code ROOM} and {@code BROKER} are replaced; simulated IO. Without a
   * {@code journal} section the journal goes to a fresh temporary folder, removed by {@link #close()}.
   */
  static RunningNode start(String yaml, String room, String brokerUri) throws Exception {
    return start(yaml, room, brokerUri, MonotonicClock.SYSTEM);
  }

  /** As {@link #start(String, String, String)}, with the node on {@code clock}. */
  static RunningNode start(String yaml, String room, String brokerUri, MonotonicClock clock) throws Exception {
    String text = yaml.replace("ROOM", room).replace("BROKER", brokerUri);
    Path journalDir = null;
    if (!text.contains("journal:")) {
      journalDir = Files.createTempDirectory("wren-node-test-");
      text = withJournal(text, journalDir.resolve("node.journal"));
    }
    try {
      return new RunningNode(NodeConfig.parse(text, "test.yaml", Path.of(".")).withSimulate(true), journalDir, clock);
    } catch (Exception | Error e) {
      deleteTree(journalDir);
      throw e;
    }
  }

  /** {@code yaml} (which has no {@code journal} section) with its journal in {@code file}. */
  static String withJournal(String yaml, Path file) {
    return yaml + (yaml.endsWith("\n") ? "" : "\n") + "journal:\n  file: " + file + "\n";
  }

  /** Deletes a folder and what it holds; null is nothing to do. */
  static void deleteTree(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }

  /** Runs {@code f} on the loop thread (the simulated IO is not thread-safe) and returns its result. */
  <T> T onLoop(Function<NodeHardware, T> f) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    node.runOnLoop(() -> {
      try {
        result.complete(f.apply(node.hardware()));
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    return result.get(5, TimeUnit.SECONDS);
  }

  /** The latest value read on reading channel {@code c} (scaled to its decimals), read on the loop thread. */
  long latestReading(int c) throws Exception {
    CompletableFuture<Long> result = new CompletableFuture<>();
    node.runOnLoop(() -> result.complete(node.readings().hasValue(c) ? node.readings().latestScaled(c) : Long.MIN_VALUE));
    return result.get(5, TimeUnit.SECONDS);
  }

  /** Whether the node's loop thread is still running. */
  boolean loopAlive() {
    return thread.isAlive();
  }

  /** Whether the simulated line of relay {@code i} is driven high, read on the loop thread. */
  boolean relayLineHigh(int i) throws Exception {
    Boolean high = onLoop(h -> h.relayLines[i].levelHigh());
    return high;
  }

  /** Transitions the simulated line of relay {@code i} recorded, read on the loop thread. */
  int relayTransitions(int i) throws Exception {
    Integer count = onLoop(h -> h.relayLines[i].transitionCount());
    return count;
  }

  /** {@code <prefix>/<name>}. */
  String topic(String name) {
    return config.topic(name);
  }

  @Override
  public void close() {
    node.stop();
    try {
      if (!node.awaitStopped(10_000)) {
        throw new AssertionError("node did not stop within 10 s");
      }
      thread.join(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while stopping the node", e);
    } finally {
      if (!thread.isAlive()) {
        deleteTree(journalDir); // the journal is released once the loop stopped
      }
    }
  }
}
