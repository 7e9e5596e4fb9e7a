/**
 * The crash-safe file journal for a client's outgoing QoS 1/2 messages (MQTT 3.1.1 §4.4, [MQTT-4.6.0-2, -3]: sent
 * again in order after a restart): {@link dev.wren.mqtt.journal.JournalStore}, an
 * {@link dev.wren.mqtt.store.InflightStoreFactory} given to {@code MqttConfig.Builder.inflightStore}.
 */
package dev.wren.mqtt.journal;
