/**
 * The byte stream under the MQTT session (MQTT 3.1.1 §4.2): the {@link dev.wren.mqtt.transport.Transport}
 * contract and its plain TCP implementation, {@link dev.wren.mqtt.transport.TcpTransportFactory}.
 */
package dev.wren.mqtt.transport;
