package dev.wren.mqtt.codec;

/** Encodes the 2-byte packets without a body: PINGREQ, PINGRESP, DISCONNECT (MQTT 3.1.1 §3.12..§3.14). */
public final class EmptyPacketEncoder {
    /** Size of every frame this class writes. */
    public static final int LENGTH = 2;

    private EmptyPacketEncoder() {
    }

    /**
     * Writes a fixed header with remaining length 0 and flags 0.
     *
     * @param dst destination with room for 2 bytes
     * @param off first byte to write
     * @param packetType {@link PacketType#PINGREQ}, {@link PacketType#PINGRESP} or {@link PacketType#DISCONNECT}
     * @return 2
     */
    public static int encode(byte[] dst, int off, int packetType) {
        dst[off] = (byte) (packetType << 4);
        dst[off + 1] = 0;
        return LENGTH;
    }
}
