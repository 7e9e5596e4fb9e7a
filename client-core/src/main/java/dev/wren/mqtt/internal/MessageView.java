package dev.wren.mqtt.internal;

import dev.wren.mqtt.MqttMessage;
import dev.wren.mqtt.MqttTopic;
import dev.wren.mqtt.codec.PublishView;

import java.nio.charset.StandardCharsets;

/** The one {@link MqttMessage} of a client: a view over the decoded PUBLISH in the receive buffer. */
final class MessageView implements MqttMessage {

    private final PublishView publish;
    /** At MQTT 5.0 the whole PUBLISH, whose payload follows its properties ({@code publish} is its head); else null. */
    private final dev.wren.mqtt.codec.v5.PublishView publish5;
    /** The message is a 5.0 PUBLISH (false after an MQTT_AUTO fallback: {@code publish} then decodes alone). */
    private boolean v5;
    /** The topic name: in the packet, or a server's topic alias's (MQTT 5.0 §3.3.2.3.4) from the alias table. */
    private boolean aliased;
    private final dev.wren.mqtt.codec.Utf8Chars aliasedTopic = new dev.wren.mqtt.codec.Utf8Chars();
    private byte[] topicBuf;
    private int topicOff;
    private int topicLen;

    MessageView(PublishView publish, dev.wren.mqtt.codec.v5.PublishView publish5) {
        this.publish = publish;
        this.publish5 = publish5;
        this.v5 = publish5 != null;
    }

    void protocol5(boolean on) {
        v5 = on;
    }

    /** The message's topic is the one in its packet. */
    void topicInPacket() {
        aliased = false;
        topicBuf = publish.buffer();
        topicOff = publish.topicOffset();
        topicLen = publish.topicLength();
    }

    /** The message's topic is a topic alias's name, {@code buf[off..off+len)}, for this message. */
    void topicFromAlias(byte[] buf, int off, int len) {
        aliased = true;
        topicBuf = buf;
        topicOff = off;
        topicLen = len;
        aliasedTopic.wrap(buf, off, len);
    }

    byte[] topicBuffer() {
        return topicBuf;
    }

    int topicOffset() {
        return topicOff;
    }

    int topicLength() {
        return topicLen;
    }

    @Override
    public CharSequence topic() {
        return aliased ? aliasedTopic : publish.topic();
    }

    @Override
    public int qos() {
        return publish.qos();
    }

    @Override
    public boolean retain() {
        return publish.retain();
    }

    @Override
    public boolean dup() {
        return publish.dup();
    }

    @Override
    public int packetId() {
        return publish.packetId();
    }

    @Override
    public byte[] payloadBuffer() {
        return publish.buffer();
    }

    @Override
    public int payloadOffset() {
        return v5 ? publish5.payloadOffset() : publish.payloadOffset();
    }

    @Override
    public int payloadLength() {
        return v5 ? publish5.payloadLength() : publish.payloadLength();
    }

    @Override
    public dev.wren.mqtt.codec.v5.PropertiesView properties() {
        return v5 ? publish5.properties() : null;
    }

    @Override
    public boolean topicEquals(MqttTopic t) {
        return t.utf8Equals(topicBuf, topicOff, topicLen);
    }

    @Override
    public boolean payloadEquals(byte[] b, int off, int len) {
        if (len != payloadLength()) {
            return false;
        }
        byte[] buf = publish.buffer();
        int p = payloadOffset();
        for (int i = 0; i < len; i++) {
            if (buf[p + i] != b[off + i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean payloadEqualsAscii(CharSequence s) {
        int len = payloadLength();
        if (s.length() != len) {
            return false;
        }
        byte[] buf = publish.buffer();
        int p = payloadOffset();
        for (int i = 0; i < len; i++) {
            if ((buf[p + i] & 0xFF) != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int copyPayload(byte[] dst, int off) {
        int len = payloadLength();
        System.arraycopy(publish.buffer(), payloadOffset(), dst, off, len);
        return len;
    }

    @Override
    public String payloadAsString() {
        return new String(publish.buffer(), payloadOffset(), payloadLength(), StandardCharsets.UTF_8);
    }

    @Override
    public String topicAsString() {
        return topic().toString();
    }

    @Override
    public String toString() {
        return "MqttMessage[" + topicAsString() + ", qos " + qos() + ", " + payloadLength() + " bytes]";
    }
}
