package dev.wren.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReconnectBackoffTest {
  @Test
  void stepDoublesFromMinimumToMaximumWithHalfOfItRandom() {
    ReconnectBackoff lowest = new ReconnectBackoff(1_000, 60_000, n -> 0);
    ReconnectBackoff highest = new ReconnectBackoff(1_000, 60_000, n -> n - 1);
    long[] steps = {1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000};

    for (long step : steps) {
      assertEquals(step - step / 2, lowest.nextDelayMillis());
      assertEquals(step, highest.nextDelayMillis());
    }
  }

  @Test
  void jitterSpreadsDelaysOverTheUpperHalfOfTheStep() {
    SplittableRandom random = new SplittableRandom(7);
    ReconnectBackoff backoff = new ReconnectBackoff(1_000, 1_000, random::nextLong);
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int i = 0; i < 1_000; i++) {
      long d = backoff.nextDelayMillis();
      min = Math.min(min, d);
      max = Math.max(max, d);
    }

    assertTrue(min >= 500 && min < 520, "lowest " + min);
    assertTrue(max <= 1_000 && max > 980, "highest " + max);
  }

  @Test
  void successStartsAgainAtTheMinimum() {
    ReconnectBackoff backoff = new ReconnectBackoff(100, 10_000, n -> n - 1);
    backoff.nextDelayMillis();
    backoff.nextDelayMillis();
    assertEquals(2, backoff.failures());

    backoff.reset();

    assertEquals(100, backoff.nextDelayMillis());
  }

  @Test
  void manyFailuresStayAtTheMaximumWithoutOverflow() {
    ReconnectBackoff backoff = new ReconnectBackoff(1, 3_600_000, n -> n - 1);
    long last = 0;
    for (int i = 0; i < 200; i++) {
      last = backoff.nextDelayMillis();
    }
    assertEquals(3_600_000, last);
  }

  @Test
  void impossibleBoundsAreRejectedNamingThem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ReconnectBackoff(5_000, 1_000, n -> 0));
    assertTrue(e.getMessage().contains("min 5000 ms, max 1000 ms"), e.getMessage());
  }
}
