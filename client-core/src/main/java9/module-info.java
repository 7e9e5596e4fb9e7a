/**
 * Wren's MQTT client as a Java module (Java 9+; Java 8 loads the same jar from the class path and ignores this).
 * Exported: the client a user holds ({@code dev.wren.mqtt}), enhanced authentication
 * ({@code dev.wren.mqtt.auth}), the transport contract and TCP
 * ({@code dev.wren.mqtt.transport}; TLS is module {@code dev.wren.mqtt.tls}, found through {@code uses}), and the pure
 * codec ({@code dev.wren.mqtt.codec}, MQTT 5.0 in {@code .v5}), usable on its own like coreMQTT's serializer, and the
 * in-flight store SPI ({@code dev.wren.mqtt.store}; the file journal is module {@code dev.wren.mqtt.journal}). The
 * session state machine ({@code dev.wren.mqtt.internal}) is not exported.
 */
module dev.wren.mqtt {
    exports dev.wren.mqtt;
    exports dev.wren.mqtt.auth;
    exports dev.wren.mqtt.codec;
    exports dev.wren.mqtt.codec.v5;
    exports dev.wren.mqtt.store;
    exports dev.wren.mqtt.transport;

    uses dev.wren.mqtt.transport.TransportFactory;
}
