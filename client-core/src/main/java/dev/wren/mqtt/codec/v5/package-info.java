/**
 * MQTT 5.0 control packets as pure functions over caller-owned {@code byte[]}: no I/O, no threads, no allocation.
 *
 * <p>The same two-step model as {@link dev.wren.mqtt.codec}: size first ({@code length}), then {@code encode}
 * into a buffer at least that large; decode the {@link dev.wren.mqtt.codec.v5.FixedHeader} (or answer
 * {@link dev.wren.mqtt.codec.CodecStatus#NEED_MORE}), then the body into a reusable view. Properties are read
 * through a reused {@link dev.wren.mqtt.codec.v5.PropertiesView} (identifier, type, value as an int or an offset
 * and length into the buffer) and written through a {@link dev.wren.mqtt.codec.v5.PropertiesWriter} over a caller
 * buffer; neither creates an object per property. Every receive-side rule returns a named
 * {@link dev.wren.mqtt.codec.CodecStatus}.
 *
 * <p>This package holds the directions a client needs: it encodes what a client sends (CONNECT, PUBLISH, the
 * publish acknowledgements, SUBSCRIBE, UNSUBSCRIBE, DISCONNECT, AUTH; PINGREQ is
 * {@link dev.wren.mqtt.codec.EmptyPacketEncoder}) and decodes what a server sends (CONNACK, PUBLISH, the publish
 * acknowledgements, SUBACK, UNSUBACK, PINGRESP, DISCONNECT, AUTH). The server's directions live in the test
 * sources, for test peers, to keep the jar small.
 *
 * <p>Views reference the caller's buffer: their contents are valid until the buffer is overwritten.
 */
package dev.wren.mqtt.codec.v5;
