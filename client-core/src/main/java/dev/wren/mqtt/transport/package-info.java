/**
 * The byte stream under the MQTT session (MQTT 3.1.1 §4.2): the {@link dev.wren.mqtt.transport.Transport}
 * contract, its plain TCP implementation, {@link dev.wren.mqtt.transport.TcpTransportFactory}, and TLS 1.2/1.3
 * with verified server identity and optional client certificates (§5.4.3, §5.4.1),
 * {@link dev.wren.mqtt.transport.TlsTransportFactory} built from a {@link dev.wren.mqtt.transport.TlsConfig}.
 */
package dev.wren.mqtt.transport;
