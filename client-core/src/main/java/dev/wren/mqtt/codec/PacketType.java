package dev.wren.mqtt.codec;

/** MQTT control packet types, the high nibble of fixed header byte 1 (MQTT 3.1.1 §2.2.1, Table 2.1). */
public final class PacketType {
    /** Client request to connect to the server (§3.1). */
    public static final int CONNECT = 1;
    /** Connect acknowledgment (§3.2). */
    public static final int CONNACK = 2;
    /** Publish message (§3.3). */
    public static final int PUBLISH = 3;
    /** Publish acknowledgment, QoS 1 (§3.4). */
    public static final int PUBACK = 4;
    /** Publish received, QoS 2 part 1 (§3.5). */
    public static final int PUBREC = 5;
    /** Publish release, QoS 2 part 2 (§3.6). */
    public static final int PUBREL = 6;
    /** Publish complete, QoS 2 part 3 (§3.7). */
    public static final int PUBCOMP = 7;
    /** Client subscribe request (§3.8). */
    public static final int SUBSCRIBE = 8;
    /** Subscribe acknowledgment (§3.9). */
    public static final int SUBACK = 9;
    /** Unsubscribe request (§3.10). */
    public static final int UNSUBSCRIBE = 10;
    /** Unsubscribe acknowledgment (§3.11). */
    public static final int UNSUBACK = 11;
    /** PING request (§3.12). */
    public static final int PINGREQ = 12;
    /** PING response (§3.13). */
    public static final int PINGRESP = 13;
    /** Client is disconnecting (§3.14). */
    public static final int DISCONNECT = 14;

    private PacketType() {
    }

    /**
     * Returns the spec name of a packet type.
     *
     * @param type a packet type, 0..15
     * @return e.g. {@code "PUBLISH"}; {@code "RESERVED"} for 0 and 15 and any other value (§2.2.1)
     */
    public static String name(int type) {
        switch (type) {
            case CONNECT: return "CONNECT";
            case CONNACK: return "CONNACK";
            case PUBLISH: return "PUBLISH";
            case PUBACK: return "PUBACK";
            case PUBREC: return "PUBREC";
            case PUBREL: return "PUBREL";
            case PUBCOMP: return "PUBCOMP";
            case SUBSCRIBE: return "SUBSCRIBE";
            case SUBACK: return "SUBACK";
            case UNSUBSCRIBE: return "UNSUBSCRIBE";
            case UNSUBACK: return "UNSUBACK";
            case PINGREQ: return "PINGREQ";
            case PINGRESP: return "PINGRESP";
            case DISCONNECT: return "DISCONNECT";
            default: return "RESERVED";
        }
    }
}
