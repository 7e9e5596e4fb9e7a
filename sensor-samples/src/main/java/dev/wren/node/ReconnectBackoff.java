package dev.wren.node;

import java.util.function.LongUnaryOperator;

/**
 * How long the node waits before the next connection attempt: exponential backoff from a minimum to a maximum,
 * with "equal jitter" (half the step fixed, half random) so that many nodes losing one broker do not all
 * come back in the same millisecond. Kept in one small class so that client-core's own automatic reconnect
 * (the reliability issue) can replace it.
 */
final class ReconnectBackoff {
  private final long minDelayMillis;
  private final long maxDelayMillis;
  /** Given n > 0, returns a value in [0, n); the random source, replaceable in tests. */
  private final LongUnaryOperator random;
  private int failures;

  ReconnectBackoff(long minDelayMillis, long maxDelayMillis, LongUnaryOperator random) {
    if (minDelayMillis <= 0 || maxDelayMillis < minDelayMillis) {
      throw new IllegalArgumentException("reconnect delays min " + minDelayMillis + " ms, max " + maxDelayMillis
          + " ms: need 0 < min <= max");
    }
    this.minDelayMillis = minDelayMillis;
    this.maxDelayMillis = maxDelayMillis;
    this.random = random;
  }

  /**
   * The wait before the next attempt after one more failure: the step {@code min * 2^(failures-1)}, capped at
   * max, of which half is fixed and half random.
   */
  long nextDelayMillis() {
    long step = maxDelayMillis;
    if (failures < 62 && minDelayMillis <= (maxDelayMillis >> failures)) {
      step = Math.min(maxDelayMillis, minDelayMillis << failures);
    }
    failures++;
    long half = step / 2;
    return step - half + random.applyAsLong(half + 1);
  }

  /** Failed attempts since the last success. */
  int failures() {
    return failures;
  }

  /** Called after a successful connection: the next loss starts again at the minimum. */
  void reset() {
    failures = 0;
  }
}
