package dev.wren.mqtt.codec;

/** Encodes CONNACK (MQTT 3.1.1 §3.2), for a server or a test peer. */
public final class ConnackEncoder {
    /** Size of a CONNACK frame. */
    public static final int LENGTH = 4;

    private ConnackEncoder() {
    }

    /**
     * Writes a CONNACK frame: 0x20 0x02, acknowledge flags (bit 0 session present), return code.
     *
     * @param dst destination with room for 4 bytes
     * @param off first byte to write
     * @param sessionPresent session present flag (§3.2.2.2); a conforming server clears it on refusal
     *     [MQTT-3.2.2-4]
     * @param returnCode 0..5 (§3.2.2.3, Table 3.1)
     * @return 4
     */
    public static int encode(byte[] dst, int off, boolean sessionPresent, int returnCode) {
        int pos = off + Wire.writeHeader(dst, off, PacketType.CONNACK, 0, 2);
        dst[pos] = (byte) (sessionPresent ? 1 : 0);
        dst[pos + 1] = (byte) returnCode;
        return LENGTH;
    }
}
