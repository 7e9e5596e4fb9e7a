package dev.wren.mqtt.codec.v5;

import dev.wren.mqtt.codec.PacketType;

/** The packet type MQTT 5.0 adds to {@link PacketType} (MQTT 5.0 §2.1.2, Table 2-1). */
public final class PacketType5 {
    /** Authentication exchange, both directions (§3.15). */
    public static final int AUTH = 15;

    private PacketType5() {
    }

    /**
     * Returns the spec name of a packet type, AUTH included.
     *
     * @param type 0..15
     * @return e.g. {@code "AUTH"}; {@code "RESERVED"} for 0
     */
    public static String name(int type) {
        return type == AUTH ? "AUTH" : PacketType.name(type);
    }
}
