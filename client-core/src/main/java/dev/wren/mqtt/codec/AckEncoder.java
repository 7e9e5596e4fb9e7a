package dev.wren.mqtt.codec;

/** Encodes the 4-byte acknowledgements that carry only a packet identifier (MQTT 3.1.1 §3.4..§3.7, §3.11). */
public final class AckEncoder {
    /** Size of every frame this class writes. */
    public static final int LENGTH = 4;

    private AckEncoder() {
    }

    /**
     * Writes PUBACK, PUBREC, PUBREL (flags 0b0010, [MQTT-3.6.1-1]), PUBCOMP or UNSUBACK.
     *
     * @param dst destination with room for 4 bytes
     * @param off first byte to write
     * @param packetType one of {@link PacketType#PUBACK}, {@link PacketType#PUBREC}, {@link PacketType#PUBREL},
     *     {@link PacketType#PUBCOMP}, {@link PacketType#UNSUBACK}
     * @param packetId 1..65535, the id of the packet acknowledged [MQTT-2.3.1-6, MQTT-2.3.1-7]
     * @return 4
     */
    public static int encode(byte[] dst, int off, int packetType, int packetId) {
        int pos = off + Wire.writeHeader(dst, off, packetType, packetType == PacketType.PUBREL ? 0b0010 : 0, 2);
        Wire.writeU16(dst, pos, packetId);
        return LENGTH;
    }
}
