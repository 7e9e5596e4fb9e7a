/**
 * Wren's MQTT 3.1.1 client: {@link dev.wren.mqtt.MqttClient} built from one {@link dev.wren.mqtt.MqttConfig},
 * with fixed memory, no threads of its own and no allocation per message once connected.
 */
package dev.wren.mqtt;
