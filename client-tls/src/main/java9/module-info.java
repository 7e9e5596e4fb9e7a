/**
 * Wren's TLS layer as a Java module (Java 9+; Java 8 loads the same jar from the class path and ignores this).
 * It provides the {@code TransportFactory} that {@code ssl://} and {@code mqtts://} server URIs find through
 * {@link java.util.ServiceLoader}; {@code dev.wren.mqtt.tls} holds the factory and its settings.
 */
module dev.wren.mqtt.tls {
    requires transitive dev.wren.mqtt;

    exports dev.wren.mqtt.tls;

    provides dev.wren.mqtt.transport.TransportFactory with dev.wren.mqtt.tls.TlsTransportFactory;
}
