package dev.wren.device;

/** Internal bias resistor of an input line. */
public enum Pull {
    /** No bias: the circuit drives the line (e.g. a PIR module's push-pull output). */
    OFF,
    /** Pull-up: an open contact reads high, a closed contact to ground reads low (use active-low). */
    UP,
    /** Pull-down: an open contact reads low, a closed contact to 3V3 reads high. */
    DOWN
}
