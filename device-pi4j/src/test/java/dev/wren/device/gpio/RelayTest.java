package dev.wren.device.gpio;

import dev.wren.device.DeviceException;
import dev.wren.device.DeviceException.Reason;
import dev.wren.device.sim.SimulatedClock;
import dev.wren.device.sim.SimulatedDigitalOutput;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RelayTest {
    private final SimulatedClock clock = new SimulatedClock(0);

    private SimulatedDigitalOutput line(int n) {
        return new SimulatedDigitalOutput("sim line " + n, clock, 64);
    }

    @Test
    void activeLowBoardIsDrivenHighForOffAtStartAndLowForOn() throws DeviceException {
        SimulatedDigitalOutput out = line(27);
        Relay relay = new Relay(out, new RelayConfig("heater", true, false, 0, null), clock);
        assertEquals(1, out.transitionCount());
        assertTrue(out.transitionHigh(0), "safe state off = high on an active-low board");
        relay.set(true);
        assertFalse(out.levelHigh());
        assertTrue(relay.isOn());
        assertTrue(relay.readBackOn());
    }

    @Test
    void closeAppliesTheSafeStateAndReleasesTheLine() throws DeviceException {
        SimulatedDigitalOutput out = line(27);
        Relay relay = new Relay(out, new RelayConfig("pump", false, false, 0, null), clock);
        relay.set(true);
        relay.close();
        assertFalse(out.levelHigh());
        assertTrue(out.isClosed());
        assertEquals(3, out.transitionCount(), "off at start, on, off at shutdown");
    }

    @Test
    void heldSafeRelayRefusesToSwitchOnAgainButMayBeSwitchedToItsSafeState() throws DeviceException {
        SimulatedDigitalOutput out = line(27);
        Relay relay = new Relay(out, new RelayConfig("pump", false, false, 0, null), clock);
        relay.set(true);
        relay.holdSafeState();
        assertFalse(out.levelHigh());
        assertTrue(relay.isHeldSafe());
        DeviceException e = assertThrows(DeviceException.class, () -> relay.set(true));
        assertEquals(Reason.HELD_SAFE, e.reason());
        assertTrue(e.getMessage().contains("relay pump (sim line 27) not switched on: held in its safe state"),
                e.getMessage());
        assertFalse(out.levelHigh(), "nothing written");
        relay.set(false);
        assertEquals(3, out.transitionCount(), "off at start, on, off when held");
    }

    @Test
    void safeStateAppliedFromAnotherThreadIsWhatTheLoopThreadSeesNext() throws Exception {
        SimulatedDigitalOutput out = line(27);
        Relay relay = new Relay(out, new RelayConfig("pump", false, false, 0, null), clock);
        relay.set(true);
        Thread watchdog = new Thread(() -> {
            try {
                relay.applySafeState();
            } catch (DeviceException e) {
                throw new AssertionError(e);
            }
        });
        watchdog.start();
        watchdog.join(10_000);
        assertFalse(relay.isOn(), "the state written by the other thread is visible here");
        assertFalse(out.levelHigh());
        assertEquals(2, relay.switchCount());
    }

    @Test
    void interlockRefusesASecondRelayOnAndNamesTheOne() throws DeviceException {
        InterlockGroup group = new InterlockGroup("blind");
        Relay up = new Relay(line(20), new RelayConfig("blind up", false, false, 0, group), clock);
        Relay down = new Relay(line(21), new RelayConfig("blind down", false, false, 0, group), clock);
        up.set(true);
        DeviceException e = assertThrows(DeviceException.class, () -> down.set(true));
        assertEquals(Reason.INTERLOCKED, e.reason());
        assertTrue(e.getMessage().contains("relay blind up of interlock group blind is on"), e.getMessage());
        assertFalse(down.isOn());
        up.set(false);
        down.set(true);
        assertTrue(down.isOn());
    }

    @Test
    void twoSafeOnRelaysInOneInterlockGroupAreAConfigurationError() throws DeviceException {
        InterlockGroup group = new InterlockGroup("hvac");
        new Relay(line(20), new RelayConfig("fan", false, true, 0, group), clock);
        assertThrows(IllegalArgumentException.class,
                () -> new Relay(line(21), new RelayConfig("fan2", false, true, 0, group), clock));
    }

    @Test
    void maximumOnTimeSwitchesOffFromTheLoopAndIsNotExtendedByRepeatedOn() throws DeviceException {
        SimulatedDigitalOutput out = line(22);
        Relay relay = new Relay(out, new RelayConfig("irrigation", false, false, 60_000, null), clock);
        relay.set(true);
        clock.advanceMillis(40_000);
        relay.set(true);                           // a repeated command must not restart the on-time
        assertFalse(relay.enforceMaxOnTime());
        clock.advanceMillis(20_000);
        assertTrue(relay.enforceMaxOnTime());
        assertFalse(relay.isOn());
        assertFalse(out.levelHigh());
        assertEquals(1, relay.maxOnTimeOffCount());
        assertEquals(60_000_000_000L, out.transitionNanos(2) - out.transitionNanos(1));
    }

    @Test
    void aLineThatDoesNotFollowIsReportedWithLineAndLevels() throws DeviceException {
        SimulatedDigitalOutput out = line(23);
        Relay relay = new Relay(out, new RelayConfig("boiler", false, false, 0, null), clock);
        out.setStuck(0);
        DeviceException e = assertThrows(DeviceException.class, () -> relay.set(true));
        assertEquals(Reason.READ_BACK_MISMATCH, e.reason());
        assertTrue(e.getMessage().contains("sim line 23"), e.getMessage());
        assertTrue(e.getMessage().contains("wrote high, read back low"), e.getMessage());
        assertFalse(relay.isOn(), "records the real state");
        assertEquals(1, relay.readBackFailures());
    }
}
