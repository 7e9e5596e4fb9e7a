package dev.wren.device.gpio;

/**
 * Relays of which at most one may be on at a time (heating and cooling, motor up and down). Switching one on while
 * another member is on is refused with {@link dev.wren.device.DeviceException.Reason#INTERLOCKED}; the caller
 * switches the other off first (break before make). Members are fixed when the relays are built.
 * Its members switch under the group as their common lock ({@link Relay}), so the check and the switch are one step.
 */
public final class InterlockGroup {
    private final String name;
    private Relay[] members = new Relay[0];

    /**
     * Creates an empty group.
     *
     * @param name for messages
     */
    public InterlockGroup(String name) {
        this.name = name;
    }

    /** The group's name. */
    public String name() {
        return name;
    }

    /** Number of relays in the group. */
    public int size() {
        return members.length;
    }

    void join(Relay relay) {
        if (relay.config().safeOn()) {
            for (Relay m : members) {
                if (m.config().safeOn()) {
                    throw new IllegalArgumentException("interlock group " + name + ": relays " + m.name() + " and "
                            + relay.name() + " are both safe-on; their safe state would violate the interlock");
                }
            }
        }
        Relay[] grown = new Relay[members.length + 1];
        System.arraycopy(members, 0, grown, 0, members.length);
        grown[members.length] = relay;
        members = grown;
    }

    /** The first member other than {@code relay} that is commanded on, or null. */
    Relay otherOn(Relay relay) {
        for (Relay m : members) {
            if (m != relay && m.isOn()) {
                return m;
            }
        }
        return null;
    }
}
