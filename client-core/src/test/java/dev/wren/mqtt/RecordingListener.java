package dev.wren.mqtt;

import java.util.ArrayList;
import java.util.List;

/** Records listener events as text, for assertions. */
final class RecordingListener implements MqttListener {

    final List<String> events = new ArrayList<>();
    final List<MqttException> lost = new ArrayList<>();
    /** The delays announced by {@link #onReconnectScheduled}, in order. */
    final List<Long> retryDelaysMillis = new ArrayList<>();

    @Override
    public void onConnected(boolean sessionPresent) {
        events.add("connected " + sessionPresent);
    }

    @Override
    public void onConnectionLost(MqttException cause) {
        lost.add(cause);
        events.add("lost " + cause.reason());
    }

    @Override
    public void onReauthenticated() {
        events.add("reauthenticated");
    }

    @Override
    public void onPublishComplete(int packetId) {
        events.add("complete " + packetId);
    }

    @Override
    public void onProtocolFallback(String why) {
        events.add("fallback " + why);
    }

    @Override
    public void onPublishRefused(int packetId, int reasonCode) {
        events.add("refused " + packetId + " 0x" + Integer.toHexString(reasonCode));
    }

    @Override
    public void onOversizeMessage(CharSequence topic, int byteCount, int qos) {
        events.add("oversize " + topic + " " + byteCount + " qos" + qos);
    }

    @Override
    public void onHandlerError(CharSequence topic, Exception e) {
        events.add("handler error " + topic + " " + e.getMessage());
    }

    @Override
    public void onReconnectScheduled(Exception cause, int consecutiveFailures, long retryInMillis) {
        retryDelaysMillis.add(retryInMillis);
    }

    @Override
    public void onSubscribeAcknowledged(CharSequence filter, int returnCode) {
        events.add("subscribed " + filter + " 0x" + Integer.toHexString(returnCode));
    }

    @Override
    public void onResubscribeRefused(CharSequence filter, int returnCode) {
        events.add("resubscribe refused " + filter + " 0x" + Integer.toHexString(returnCode));
    }
}
