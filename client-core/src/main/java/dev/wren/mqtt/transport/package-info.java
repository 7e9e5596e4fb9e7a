/**
 * The byte stream under the MQTT session (MQTT 3.1.1 §4.2): the {@link dev.wren.mqtt.transport.Transport}
 * contract and its plain TCP implementation, {@link dev.wren.mqtt.transport.TcpTransportFactory}. TLS is a layer
 * of its own (artifact {@code client-tls}, package {@code dev.wren.mqtt.tls}) that {@code ssl://} and
 * {@code mqtts://} URIs find through {@link java.util.ServiceLoader}.
 */
package dev.wren.mqtt.transport;
