package dev.wren.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wren.mqtt.testing.FakeClock;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code --simulate} is visibly alive: the simulated room of the built-in example, read at its interval (10 s) on an
 * injected clock, moves every reading past its default deadband within every minute, so something is published
 * each minute rather than only at the 5-minute heartbeat, and stays a plausible room while doing so.
 */
class NodeSimulationTest {
  private static final int MINUTES = 30;

  @Test
  void simulatedRoomCrossesEveryDefaultDeadbandWithinEveryMinute() throws Exception {
    NodeConfig config = NodeConfig.example();
    NodeConfig.Sensor sensor = config.sensors().get(0);
    for (NodeConfig.Reading r : sensor.readings()) {
      assertEquals(r.quantity().defaultDeadbandScaled(), r.deadbandScaled(), "the example uses the defaults");
    }
    FakeClock clock = new FakeClock();
    long heartbeatNanos = TimeUnit.MILLISECONDS.toNanos(sensor.heartbeatMillis());
    int channels = sensor.readings().size();
    ReadingTable table = new ReadingTable(config.sensors());
    double[] values = new double[channels];
    int[][] deadbandPublishes = new int[channels][MINUTES];
    double[] min = new double[channels];
    double[] max = new double[channels];
    Arrays.fill(min, Double.MAX_VALUE);
    Arrays.fill(max, -Double.MAX_VALUE);
    try (NodeHardware hardware = NodeHardware.simulated(config, clock::nanoTime)) {
      long start = clock.nanoTime();
      long[] lastPublishNanos = new long[channels];
      int samplesPerMinute = (int) (60_000 / sensor.intervalMillis());
      for (int sample = 0; sample <= MINUTES * samplesPerMinute; sample++) {
        long now = clock.nanoTime();
        hardware.sensors[0].read(values, 0);
        for (int c = 0; c < channels; c++) {
          long scaled = Math.round(values[c] * Math.pow(10, sensor.readings().get(c).quantity().decimals()));
          min[c] = Math.min(min[c], values[c]);
          max[c] = Math.max(max[c], values[c]);
          boolean heartbeatDue = sample > 0 && now - lastPublishNanos[c] >= heartbeatNanos;
          if (table.offer(c, scaled, now)) {
            if (sample > 0 && !heartbeatDue) {
              deadbandPublishes[c][(int) ((sample - 1) / samplesPerMinute)]++;
            }
            table.markPublished(c, scaled, now);
            lastPublishNanos[c] = now;
          }
        }
        clock.advanceMillis(sensor.intervalMillis());
      }
      System.out.printf("simulated %d min from %d ns: publishes by deadband per minute %s%n", MINUTES, start,
          Arrays.deepToString(deadbandPublishes));
    }
    for (int c = 0; c < channels; c++) {
      String name = sensor.readings().get(c).name();
      for (int m = 0; m < MINUTES; m++) {
        assertTrue(deadbandPublishes[c][m] > 0, name + " did not move past its deadband in minute " + (m + 1) + ": "
            + Arrays.toString(deadbandPublishes[c]));
      }
    }
    // Still a room: temperature, humidity and pressure within what a living room sees.
    assertTrue(min[0] > 10 && max[0] < 30, "temperature " + min[0] + ".." + max[0]);
    assertTrue(min[1] > 15 && max[1] < 85, "humidity " + min[1] + ".." + max[1]);
    assertTrue(min[2] > 990 && max[2] < 1035, "pressure " + min[2] + ".." + max[2]);
  }
}
