package dev.wren.mqtt;

/** Receives the messages of one subscription (or all unclaimed ones), on the thread that drives the client. */
@FunctionalInterface
public interface MessageHandler {

    /**
     * Handles one message. The view is valid only until this method returns (copy what must outlive it).
     * Publishing from here is safe. An exception is reported to {@link MqttListener#onHandlerError} and the
     * message is acknowledged all the same (MQTT 3.1.1 §4.3): the handler owns the failure.
     */
    void onMessage(MqttMessage message) throws Exception;
}
