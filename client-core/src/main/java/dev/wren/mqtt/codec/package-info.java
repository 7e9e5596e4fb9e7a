/**
 * MQTT 3.1.1 control packets as pure functions over caller-owned {@code byte[]}: no I/O, no threads, no
 * allocation.
 *
 * <p>Encoding is two calls: size first with the matching {@code length} method, then {@code encode} into a
 * buffer at least that large. Decoding is two steps: {@link dev.wren.mqtt.codec.FrameHeader#decode} reads the
 * fixed header (or answers {@link dev.wren.mqtt.codec.CodecStatus#NEED_MORE}), then a reusable view
 * ({@link dev.wren.mqtt.codec.PublishView}, {@link dev.wren.mqtt.codec.AckView}, ...) decodes the body in
 * place. Malformed input never throws: every method returns an int status from {@link
 * dev.wren.mqtt.codec.CodecStatus}, negative for errors, each naming the rule and its normative statement.
 *
 * <p>Views reference the caller's buffer: their contents are valid until the buffer is overwritten.
 */
package dev.wren.mqtt.codec;
