package dev.wren.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wren.device.DeviceException;
import dev.wren.device.gpio.Relay;
import dev.wren.device.gpio.RelayConfig;
import dev.wren.device.sim.SimulatedDigitalOutput;
import dev.wren.mqtt.testing.FakeClock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The watchdog's rule on an injected clock: safe state after 3 ticks without a pass (at least 1 s), once a stall. */
class WatchdogTest {
  private final FakeClock clock = new FakeClock(0);
  private final SimulatedDigitalOutput pumpLine = new SimulatedDigitalOutput("sim line 17", clock::nanoTime, 64);
  private final SimulatedDigitalOutput heaterLine = new SimulatedDigitalOutput("sim line 18", clock::nanoTime, 64);
  private final Relay pump;
  private final Relay heater;

  WatchdogTest() throws DeviceException {
    pump = new Relay(pumpLine, new RelayConfig("pump", false, false, 0, null), clock::nanoTime);
    // Active-low with safe state on: the watchdog applies each relay's own safe state, not "low".
    heater = new Relay(heaterLine, new RelayConfig("heater", true, true, 0, null), clock::nanoTime);
  }

  @Test
  void theBoundIsThreeLoopPeriodsAndAtLeastOneSecond() {
    assertEquals(TimeUnit.SECONDS.toNanos(1), Watchdog.boundNanos(TimeUnit.MILLISECONDS.toNanos(20)));
    assertEquals(TimeUnit.MILLISECONDS.toNanos(1_500), Watchdog.boundNanos(TimeUnit.MILLISECONDS.toNanos(500)));
  }

  @Test
  void relaysGoSafeWhenTheLoopHasNotTickedForTheBoundAndNotBefore() throws DeviceException {
    Watchdog watchdog = new Watchdog(clock, new Relay[] {pump, heater}, TimeUnit.MILLISECONDS.toNanos(500));
    watchdog.tick(clock.nanoTime());
    pump.set(true);
    heater.set(false);

    clock.advanceMillis(1_499);
    assertFalse(watchdog.check(clock.nanoTime()), "1499 ms < 3 x 500 ms");
    assertTrue(pump.isOn());
    clock.advanceMillis(1);
    assertTrue(watchdog.check(clock.nanoTime()), "1500 ms without a tick");
    assertFalse(pump.isOn());
    assertFalse(pumpLine.levelHigh());
    assertTrue(heater.isOn(), "the heater's safe state is on");
    assertFalse(heaterLine.levelHigh(), "on = low on an active-low board");
    assertEquals(1, watchdog.tripCount());

    clock.advanceMillis(10_000);
    assertFalse(watchdog.check(clock.nanoTime()), "one trip per stall");
    assertEquals(1, watchdog.tripCount());
  }

  @Test
  void aLoopThatTicksAgainIsWatchedAgainFromItsNewTick() throws DeviceException {
    Watchdog watchdog = new Watchdog(clock, new Relay[] {pump}, TimeUnit.MILLISECONDS.toNanos(20));
    clock.advanceMillis(1_000);
    assertTrue(watchdog.check(clock.nanoTime()), "no tick since construction: 1 s");

    watchdog.tick(clock.nanoTime()); // the loop is back and obeys a command
    pump.set(true);
    for (int i = 0; i < 100; i++) { // a loop ticking every 20 ms is never tripped
      clock.advanceMillis(20);
      watchdog.tick(clock.nanoTime());
      assertFalse(watchdog.check(clock.nanoTime()));
    }
    assertTrue(pump.isOn());
    clock.advanceMillis(999);
    assertFalse(watchdog.check(clock.nanoTime()));
    clock.advanceMillis(1);
    assertTrue(watchdog.check(clock.nanoTime()), "stalled again: a second trip");
    assertFalse(pump.isOn());
    assertEquals(2, watchdog.tripCount());
  }

  @Test
  void holdSafeSwitchesAtOnceAndACommandStillOnItsWayCannotSwitchBack() throws DeviceException {
    Watchdog watchdog = new Watchdog(clock, new Relay[] {pump, heater}, TimeUnit.MILLISECONDS.toNanos(20));
    pump.set(true);
    heater.set(false);
    watchdog.holdSafe(); // no clock movement: does not wait for any bound
    assertFalse(pump.isOn());
    assertTrue(heater.isOn());
    DeviceException e = assertThrows(DeviceException.class, () -> pump.set(true));
    assertEquals(DeviceException.Reason.HELD_SAFE, e.reason());
    assertFalse(pumpLine.levelHigh());
  }
}
