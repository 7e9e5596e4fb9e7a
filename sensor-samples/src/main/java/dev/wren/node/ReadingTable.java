package dev.wren.node;

import java.util.List;

/**
 * The publish decision for every reading channel, as primitive arrays indexed by channel (no object per
 * reading): a value is published when it moved by more than its deadband since the last publish, when its
 * heartbeat interval passed, or when nothing was published yet. Time comes in from the caller (a monotonic
 * clock in nanoseconds, compared by subtraction), so tests drive it with a fake clock.
 *
 * <p>While the broker is away the decision is the same: what is published then waits in the client's journal
 * until the broker is back. {@link #latestScaled(int)} is what the node publishes again after a reconnect, unless
 * {@link #latestPublishedSince} says it is already on its way.
 */
final class ReadingTable {
  private final long[] deadbandScaled;
  private final long[] heartbeatNanos;
  private final long[] latestScaled;
  private final boolean[] hasValue;
  private final long[] publishedScaled;
  private final long[] publishedAtNanos;
  private final boolean[] published;

  /** One channel per reading of every sensor, in configuration order. */
  ReadingTable(List<NodeConfig.Sensor> sensors) {
    int count = 0;
    for (NodeConfig.Sensor s : sensors) {
      count += s.readings().size();
    }
    deadbandScaled = new long[count];
    heartbeatNanos = new long[count];
    latestScaled = new long[count];
    hasValue = new boolean[count];
    publishedScaled = new long[count];
    publishedAtNanos = new long[count];
    published = new boolean[count];
    int channel = 0;
    for (NodeConfig.Sensor s : sensors) {
      for (NodeConfig.Reading r : s.readings()) {
        deadbandScaled[channel] = r.deadbandScaled();
        heartbeatNanos[channel] = s.heartbeatMillis() * 1_000_000L;
        channel++;
      }
    }
  }

  /** Number of channels. */
  int size() {
    return deadbandScaled.length;
  }

  /**
   * Records a new value of {@code channel} and says whether it is to be published now: the first value, a
   * move by more than the deadband, or the heartbeat due.
   */
  boolean offer(int channel, long valueScaled, long nowNanos) {
    latestScaled[channel] = valueScaled;
    hasValue[channel] = true;
    return shouldPublish(published[channel], publishedScaled[channel], publishedAtNanos[channel], valueScaled,
        nowNanos, deadbandScaled[channel], heartbeatNanos[channel]);
  }

  /** Notes that {@code valueScaled} of {@code channel} went out at {@code nowNanos}. */
  void markPublished(int channel, long valueScaled, long nowNanos) {
    published[channel] = true;
    publishedScaled[channel] = valueScaled;
    publishedAtNanos[channel] = nowNanos;
  }

  /** True when the latest value read was published at or after {@code sinceNanos}. */
  boolean latestPublishedSince(int channel, long sinceNanos) {
    return published[channel] && publishedScaled[channel] == latestScaled[channel]
        && publishedAtNanos[channel] - sinceNanos >= 0;
  }

  /** The value last published on {@code channel}; meaningful once one was. */
  long publishedScaled(int channel) {
    return publishedScaled[channel];
  }

  /** When the heartbeat publishes {@code channel} even if it does not move: its last publish plus the heartbeat. */
  long heartbeatDueNanos(int channel) {
    return publishedAtNanos[channel] + heartbeatNanos[channel];
  }

  /** True once the channel has been read at least once. */
  boolean hasValue(int channel) {
    return hasValue[channel];
  }

  /** The last value read, published or not. */
  long latestScaled(int channel) {
    return latestScaled[channel];
  }

  /**
   * The pure decision: publish when nothing was published yet, when {@code |value - last| > deadband}, or when
   * at least {@code heartbeatNanos} passed since the last publish.
   */
  static boolean shouldPublish(boolean publishedBefore, long lastScaled, long lastNanos, long valueScaled,
      long nowNanos, long deadbandScaled, long heartbeatNanos) {
    if (!publishedBefore) {
      return true;
    }
    if (Math.abs(valueScaled - lastScaled) > deadbandScaled) {
      return true;
    }
    return nowNanos - lastNanos >= heartbeatNanos;
  }
}
