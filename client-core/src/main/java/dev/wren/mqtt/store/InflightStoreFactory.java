package dev.wren.mqtt.store;

import dev.wren.mqtt.MqttConfig;

/**
 * Makes the {@link InflightStore} of one client, once, while the client is built
 * ({@link MqttConfig.Builder#inflightStore}); the default is {@link InflightStore#inMemory}. The file journal of
 * artifact client-journal ({@code dev.wren.mqtt.journal.JournalStore}) is one.
 */
@FunctionalInterface
public interface InflightStoreFactory {

    /**
     * A store of {@link MqttConfig#maxInflight()} slots of {@link MqttConfig#transmitBufferBytes()} bytes each, that
     * takes its time from {@link MqttConfig#clock()} and reports through {@link MqttConfig#listener()}.
     *
     * @throws java.io.UncheckedIOException when the store's medium cannot be opened (the message names it and why)
     */
    InflightStore create(MqttConfig config);
}
