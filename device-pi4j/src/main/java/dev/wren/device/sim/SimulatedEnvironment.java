package dev.wren.device.sim;

import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * A plausible indoor climate that drifts: a daily temperature/humidity/light cycle plus a bounded random walk.
 * Simulated chips sample it when they convert, so the real drivers see values that change like a room's.
 * {@link #hold} pins the values for tests. Allocation-free; not thread-safe (the node's thread drives the chips).
 */
public final class SimulatedEnvironment {
    private static final double DAY_NANOS = 86_400e9;

    private final LongSupplier nanoClock;
    private final SplittableRandom random;
    private final long startNanos;
    private long lastNanos;
    private double walkCelsius;
    private double walkPercent;
    private double walkPascals;
    private boolean held;
    private double temperatureCelsius;
    private double humidityPercent;
    private double pressurePascals;
    private double illuminanceLux;

    /**
     * Creates an environment at 21 °C, 50 %RH, 1013.25 hPa, starting at the clock's current time.
     *
     * @param nanoClock monotonic time in ns ({@code System::nanoTime} or a test clock)
     * @param seed random seed, so a run is repeatable
     */
    public SimulatedEnvironment(LongSupplier nanoClock, long seed) {
        this.nanoClock = nanoClock;
        this.random = new SplittableRandom(seed);
        this.startNanos = nanoClock.getAsLong();
        this.lastNanos = startNanos;
        update();
    }

    /** Advances the model to the clock's current time; chips call this at every conversion. */
    public void update() {
        if (held) {
            return;
        }
        long now = nanoClock.getAsLong();
        double stepSeconds = Math.max(0, now - lastNanos) / 1e9;
        lastNanos = now;
        // Random walk scaled by sqrt(elapsed time) and pulled back toward 0, so it stays bounded.
        double scale = Math.sqrt(Math.min(stepSeconds, 3600.0));
        walkCelsius = 0.999 * walkCelsius + 0.01 * scale * (random.nextDouble() * 2 - 1);
        walkPercent = 0.999 * walkPercent + 0.05 * scale * (random.nextDouble() * 2 - 1);
        walkPascals = 0.999 * walkPascals + 2.0 * scale * (random.nextDouble() * 2 - 1);
        double phase = 2 * Math.PI * ((now - startNanos) / DAY_NANOS);
        double daily = Math.sin(phase);
        temperatureCelsius = clamp(21.0 + 2.5 * daily + walkCelsius, 5, 35);
        humidityPercent = clamp(50.0 - 8.0 * daily + walkPercent, 10, 95);
        pressurePascals = clamp(101_325.0 + walkPascals, 95_000, 105_000);
        illuminanceLux = Math.max(0.0, 300.0 * daily + 20.0 * (random.nextDouble() - 0.5));
    }

    /**
     * Pins the climate to fixed values (drift stops) until {@link #release()}.
     *
     * @param celsius air temperature in °C
     * @param percent relative humidity in %RH
     * @param pascals pressure in Pa
     * @param lux illuminance in lx
     */
    public void hold(double celsius, double percent, double pascals, double lux) {
        held = true;
        temperatureCelsius = celsius;
        humidityPercent = percent;
        pressurePascals = pascals;
        illuminanceLux = lux;
    }

    /** Resumes drifting from the held values' underlying model. */
    public void release() {
        held = false;
        update();
    }

    /** Air temperature in °C at the last update. */
    public double temperatureCelsius() {
        return temperatureCelsius;
    }

    /** Relative humidity in %RH at the last update. */
    public double humidityPercent() {
        return humidityPercent;
    }

    /** Barometric pressure in Pa at the last update. */
    public double pressurePascals() {
        return pressurePascals;
    }

    /** Illuminance in lx at the last update. */
    public double illuminanceLux() {
        return illuminanceLux;
    }

    private static double clamp(double v, double lo, double hi) {
        return v < lo ? lo : Math.min(v, hi);
    }
}
