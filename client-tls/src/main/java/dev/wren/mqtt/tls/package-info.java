/**
 * TLS 1.2/1.3 under the MQTT session (MQTT 3.1.1 §4.2, §5.4.3: verified server identity; §5.4.1: optional
 * client certificates): {@link dev.wren.mqtt.tls.TlsTransportFactory} built from a
 * {@link dev.wren.mqtt.tls.TlsConfig}. With this artifact on the class or module path, {@code ssl://} and
 * {@code mqtts://} server URIs use {@link dev.wren.mqtt.tls.TlsTransportFactory#jvmDefault()} with no code.
 */
package dev.wren.mqtt.tls;
