/**
 * Where a client keeps its outgoing QoS 1/2 messages until acknowledged (MQTT 3.1.1 §4.4):
 * {@link dev.wren.mqtt.store.InflightStore}, in memory by default, or durable through an
 * {@link dev.wren.mqtt.store.InflightStoreFactory} such as the file journal of artifact client-journal.
 */
package dev.wren.mqtt.store;
