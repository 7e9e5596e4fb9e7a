/**
 * Wren's file journal as a Java module (Java 9+; Java 8 loads the same jar from the class path and ignores this):
 * {@code dev.wren.mqtt.journal.JournalStore}, given to {@code MqttConfig.Builder.inflightStore}.
 */
module dev.wren.mqtt.journal {
    requires transitive dev.wren.mqtt;

    exports dev.wren.mqtt.journal;
}
