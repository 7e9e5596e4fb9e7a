package dev.wren.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReadingTableTest {
  private static final long MS = 1_000_000L;
  /** Temperature with deadband 0.10 °C (10 in hundredths), heartbeat 1 s. */
  private final ReadingTable table = new ReadingTable(List.of(new NodeConfig.Sensor(SensorType.DS18B20, -1, -1,
      "28-0316a2794cff", 100, 1_000, true, List.of(new NodeConfig.Reading(Quantity.TEMPERATURE, "t", 10)))));
  private long nowNanos = 5_000 * MS;

  @Test
  void latestValuePublishedSinceAnOutageBeganIsNotRepeatedButAnOlderOrUnpublishedOneIs() {
    long lost = nowNanos;
    assertFalse(table.latestPublishedSince(0, lost), "nothing published yet");
    nowNanos += 10 * MS;
    publish(2153);
    assertTrue(table.latestPublishedSince(0, lost), "published during the outage: in the journal already");
    assertFalse(table.latestPublishedSince(0, nowNanos + 1), "published before the outage");

    nowNanos += 10 * MS;
    table.offer(0, 2158, nowNanos); // within the deadband: read, not published
    assertFalse(table.latestPublishedSince(0, lost), "the latest value read never went out");
  }

  @Test
  void firstValueIsAlwaysPublished() {
    assertTrue(table.offer(0, 2153, nowNanos));
  }

  @Test
  void moveWithinDeadbandIsHeldBackAndBeyondItGoesOut() {
    publish(2153);
    nowNanos += 100 * MS;

    assertFalse(table.offer(0, 2163, nowNanos), "+0.10 is not more than the 0.10 deadband");
    assertFalse(table.offer(0, 2143, nowNanos), "-0.10 is not more than the 0.10 deadband");
    assertTrue(table.offer(0, 2164, nowNanos), "+0.11 is");
    assertTrue(table.offer(0, 2142, nowNanos), "-0.11 is");
  }

  @Test
  void deadbandIsMeasuredFromTheLastPublishedValueNotTheLastRead() {
    publish(2153);
    for (int v = 2154; v <= 2163; v++) {
      nowNanos += 10 * MS;
      assertFalse(table.offer(0, v, nowNanos), "creeping to " + v);
    }
    nowNanos += 10 * MS;
    assertTrue(table.offer(0, 2164, nowNanos), "0.11 away from 21.53 in total");
  }

  @Test
  void heartbeatPublishesAnUnchangedValueOnTime() {
    publish(2153);

    assertFalse(table.offer(0, 2153, nowNanos + 999 * MS));
    assertTrue(table.offer(0, 2153, nowNanos + 1_000 * MS));
  }

  @Test
  void heartbeatSurvivesTheClockWrappingPastLongMax() {
    nowNanos = Long.MAX_VALUE - 500 * MS;
    publish(2153);

    assertFalse(table.offer(0, 2153, nowNanos + 999 * MS));
    assertTrue(table.offer(0, 2153, nowNanos + 1_000 * MS));
  }

  @Test
  void latestValueIsKeptWhetherPublishedOrNot() {
    assertFalse(table.hasValue(0));
    publish(2153);
    table.offer(0, 2155, nowNanos);

    assertTrue(table.hasValue(0));
    assertEquals(2155, table.latestScaled(0));
  }

  @Test
  void channelsAreOnePerReadingInConfigurationOrder() {
    NodeConfig c = NodeConfig.example();
    ReadingTable example = new ReadingTable(c.sensors());

    assertEquals(3, example.size());
    example.markPublished(1, 500, 0);
    assertFalse(example.offer(1, 505, 1), "humidity deadband 0.5 %RH is 5 tenths");
    assertTrue(example.offer(1, 506, 1));
  }

  private void publish(long value) {
    table.offer(0, value, nowNanos);
    table.markPublished(0, value, nowNanos);
  }
}
