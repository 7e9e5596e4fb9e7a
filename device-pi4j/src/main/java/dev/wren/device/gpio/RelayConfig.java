package dev.wren.device.gpio;

/**
 * How one relay output behaves. Immutable.
 */
public final class RelayConfig {
    private final String name;
    private final boolean activeLow;
    private final boolean safeOn;
    private final long maxOnMillis;
    private final InterlockGroup interlock;

    /**
     * Creates a relay configuration.
     *
     * @param name what the relay switches (for messages and the node's entity names), non-empty
     * @param activeLow true for the common opto-isolated relay boards that energise on a low input
     * @param safeOn the state applied at start and on shutdown; false (off) for almost every load
     * @param maxOnMillis longest time the relay may stay on before {@link Relay#enforceMaxOnTime} switches it off;
     *     0 for no limit
     * @param interlock group of relays of which at most one may be on, or null
     * @throws IllegalArgumentException naming a bad value
     */
    public RelayConfig(String name, boolean activeLow, boolean safeOn, long maxOnMillis, InterlockGroup interlock) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("relay name is empty");
        }
        if (maxOnMillis < 0) {
            throw new IllegalArgumentException("relay " + name + ": maxOnMillis " + maxOnMillis + " < 0");
        }
        this.name = name;
        this.activeLow = activeLow;
        this.safeOn = safeOn;
        this.maxOnMillis = maxOnMillis;
        this.interlock = interlock;
    }

    /** What the relay switches. */
    public String name() {
        return name;
    }

    /** True when a low line energises the relay. */
    public boolean activeLow() {
        return activeLow;
    }

    /** The state applied at start and shutdown. */
    public boolean safeOn() {
        return safeOn;
    }

    /** Longest on-time in ms, 0 for unlimited. */
    public long maxOnMillis() {
        return maxOnMillis;
    }

    /** The interlock group, or null. */
    public InterlockGroup interlock() {
        return interlock;
    }
}
