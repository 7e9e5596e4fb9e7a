/**
 * Wren's MQTT client as a Java module (Java 9+; Java 8 loads the same jar from the class path and ignores this).
 * Exported: the client a user holds ({@code dev.wren.mqtt}), enhanced authentication ({@code dev.wren.mqtt.auth}), the transports and their TLS settings
 * ({@code dev.wren.mqtt.transport}), and the pure codec ({@code dev.wren.mqtt.codec}, MQTT 5.0 in {@code .v5}), usable on its own
 * like coreMQTT's serializer. The session state machine ({@code dev.wren.mqtt.internal}) is not exported.
 */
module dev.wren.mqtt {
    exports dev.wren.mqtt;
    exports dev.wren.mqtt.auth;
    exports dev.wren.mqtt.codec;
    exports dev.wren.mqtt.codec.v5;
    exports dev.wren.mqtt.transport;
}
