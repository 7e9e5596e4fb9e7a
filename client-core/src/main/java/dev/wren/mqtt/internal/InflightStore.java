package dev.wren.mqtt.internal;

/**
 * Where the encoded bytes of each in-flight PUBLISH are kept for re-sending (MQTT 3.1.1 §4.4), one fixed-size
 * slot per window position. The client encodes straight into {@link #array()} at {@link #offset(int)} and then
 * reports each state change, so that an implementation can write through to durable storage (a crash-safe
 * journal) without the session changing.
 */
interface InflightStore {

    /** Bytes one slot holds: the largest outgoing packet. */
    int slotBytes();

    /** The array holding every slot. */
    byte[] array();

    /** Index in {@link #array()} of slot {@code slot}'s first byte. */
    int offset(int slot);

    /** The frame in {@code slot} is complete: {@code length} bytes, packet id {@code packetId}, in publish order. */
    void stored(int slot, int packetId, int length);

    /** Length of the frame in {@code slot}. */
    int length(int slot);

    /** PUBREC arrived for {@code slot}: from now on PUBREL, not the PUBLISH, is what a resume re-sends. */
    void released(int slot);

    /** {@code slot}'s message is complete (PUBACK/PUBCOMP); its bytes may be reused. */
    void removed(int slot);
}
