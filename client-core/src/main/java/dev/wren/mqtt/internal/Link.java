package dev.wren.mqtt.internal;

import dev.wren.mqtt.MqttException;

/**
 * What the parts of a session ({@link WriteBatch}, {@link PacketDispatcher}) may ask of the connection the session
 * owns: whether it is up, and a write to it. The session implements it; the parts never see the session itself.
 */
interface Link {

    /** True while connected (CONNACK accepted, not yet ended). */
    boolean isConnected();

    /** Writes to the transport as it is; a failed write ends the connection and is thrown. */
    void write(byte[] buf, int off, int len) throws MqttException;
}
