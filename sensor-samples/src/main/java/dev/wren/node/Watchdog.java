package dev.wren.node;

import dev.wren.device.DeviceException;
import dev.wren.device.gpio.Relay;
import dev.wren.mqtt.MonotonicClock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's own watchdog: a small thread that puts every relay into its safe state when the loop has not ticked
 * for {@link #boundNanos()} (3 loop periods, at least 1 s), and at once when the node stops
 * ({@link #holdSafe}). client-core runs no thread of its own, so a loop stuck in the network (a connect attempt
 * waiting up to {@code broker.connect_timeout} for CONNACK, a subscribe waiting for SUBACK, a write to a broker
 * that stopped reading) would otherwise leave a relay on past its {@code max_on}; the watchdog never touches the
 * network and does not wait for the loop.
 *
 * <p>Writers: the loop writes only {@link #tick} (one volatile long per pass); the watchdog thread writes only
 * its trip state in {@link #check}; relays are written through {@link Relay}, which serialises its writers
 * itself. The loop learns of a trip from {@link #tripCount()} and publishes the relays' new states.
 *
 * <p>The rule is {@link #check(long)}, a function of the clock's time, proven with an injected clock
 * ({@code WatchdogTest}); the thread only calls it every quarter bound, so a stall is caught within 1.25 bounds.
 * A trip is not latched: a loop that ticks again obeys new commands. A relay commanded on by a loop that keeps
 * stalling and recovering is on for at most {@code max_on} plus 1.25 bounds.
 */
final class Watchdog {
  private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);
  /** Loop periods without a tick before the watchdog trips. */
  static final int TICKS = 3;
  /** The least bound: a GC pause or a busy Pi must not switch a load off. */
  static final long MIN_BOUND_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final MonotonicClock clock;
  private final Relay[] relays;
  private final long boundNanos;
  /** Clock time of the loop's last pass; written by the loop thread only. */
  private volatile long lastTickNanos;
  /** Written by the watchdog thread only ({@link #check}). */
  private volatile long tripCount;
  /** The tick the last trip was for: one trip per stall. Watchdog thread only. */
  private long trippedTickNanos;
  private boolean tripped;
  private volatile Thread loopThread;
  private volatile boolean running;
  private Thread thread;

  /**
   * @param loopPeriodNanos the loop's tick; the bound is {@value #TICKS} of them, at least 1 s
   */
  Watchdog(MonotonicClock clock, Relay[] relays, long loopPeriodNanos) {
    this.clock = clock;
    this.relays = relays;
    this.boundNanos = boundNanos(loopPeriodNanos);
    this.lastTickNanos = clock.nanoTime();
  }

  /** {@value #TICKS} loop periods, at least {@link #MIN_BOUND_NANOS}. */
  static long boundNanos(long loopPeriodNanos) {
    return Math.max(TICKS * loopPeriodNanos, MIN_BOUND_NANOS);
  }

  /** How long the loop may go without a tick before the relays go safe. */
  long boundNanos() {
    return boundNanos;
  }

  /** The loop passed; called once per pass, on the loop thread. */
  void tick(long nowNanos) {
    lastTickNanos = nowNanos;
  }

  /** Times the watchdog put the relays in their safe state because the loop stalled. */
  long tripCount() {
    return tripCount;
  }

  /**
   * The rule: when the loop's last tick is {@link #boundNanos()} or more before {@code nowNanos} and this stall has
   * not tripped yet, every relay goes to its safe state.
   *
   * @return true when it tripped now
   */
  boolean check(long nowNanos) {
    long last = lastTickNanos;
    if (nowNanos - last < boundNanos || (tripped && last == trippedTickNanos)) {
      return false;
    }
    tripped = true;
    trippedTickNanos = last;
    LOG.warn("node loop has not run for {} ms (bound {} ms){}: switching every relay to its safe state",
        TimeUnit.NANOSECONDS.toMillis(nowNanos - last), TimeUnit.NANOSECONDS.toMillis(boundNanos), whereStuck());
    for (Relay r : relays) {
      try {
        r.applySafeState();
      } catch (DeviceException e) {
        LOG.error("relay {} did not reach its safe state: {}", r.name(), e.getMessage());
      }
    }
    tripCount++;
    return true;
  }

  /**
   * Puts every relay in its safe state and keeps it there (a command still being handled cannot switch it back):
   * for a stopping node, from whichever thread stops it. Does not wait for the loop or the network.
   */
  void holdSafe() {
    for (Relay r : relays) {
      try {
        r.holdSafeState();
      } catch (DeviceException e) {
        LOG.error("relay {} did not reach its safe state on stop: {}", r.name(), e.getMessage());
      }
    }
  }

  /** Starts the thread that watches {@code loop}; a daemon, so it never keeps the JVM alive. */
  synchronized void start(Thread loop) {
    if (thread != null || relays.length == 0) {
      return; // nothing to keep safe
    }
    loopThread = loop;
    running = true;
    long checkEveryNanos = boundNanos / 4;
    thread = new Thread(() -> {
      while (running) {
        LockSupport.parkNanos(checkEveryNanos);
        if (running) {
          check(clock.nanoTime());
        }
      }
    }, "wren-node-watchdog");
    thread.setDaemon(true);
    thread.start();
  }

  /** Ends the thread (after the loop has put the relays safe itself); returns at once. */
  synchronized void stop() {
    running = false;
    if (thread != null) {
      LockSupport.unpark(thread);
    }
  }

  /** ", stuck in Class.method" for the first Wren frame of the loop's stack: where to look. */
  private String whereStuck() {
    Thread loop = loopThread;
    if (loop == null) {
      return "";
    }
    for (StackTraceElement frame : loop.getStackTrace()) {
      if (frame.getClassName().startsWith("dev.wren.") && !frame.getClassName().startsWith("dev.wren.node.")) {
        String cls = frame.getClassName();
        return ", stuck in " + cls.substring(cls.lastIndexOf('.') + 1) + "." + frame.getMethodName();
      }
    }
    return "";
  }
}
