package dev.wren.mqtt;

/** Receives the messages of one subscription (or all unclaimed ones), on the thread that drives the client. */
@FunctionalInterface
public interface MessageHandler {

    /**
     * Handles one message. The view is valid only until this method returns (copy what must outlive it).
     * Publishing from here is safe. An exception is reported to {@link MqttListener#onHandlerError} and the
     * message is acknowledged all the same (MQTT 3.1.1 §4.3): the handler owns the failure.
     *
     * <p>An {@link Error} (or an exception thrown by {@link MqttListener#onHandlerError}) is not caught: it
     * propagates out of {@link MqttClient#poll} (or whichever call was reading packets), the connection stays up,
     * and the message is consumed but not acknowledged, and no further handler is called for it. The server
     * re-sends an unacknowledged QoS 1/2 message on the next connection with a session, when it is delivered again
     * (also at QoS 2); the next poll goes on with the next packet.
     */
    void onMessage(MqttMessage message) throws Exception;
}
