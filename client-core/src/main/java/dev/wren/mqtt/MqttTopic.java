package dev.wren.mqtt;

import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.Topics;
import dev.wren.mqtt.codec.Utf8;

import java.util.Arrays;

/**
 * A topic name (MQTT 3.1.1 §4.7) validated and encoded to UTF-8 once, so that publishing to it repeatedly costs
 * neither validation nor encoding. Immutable.
 */
public final class MqttTopic {

    final byte[] utf8;
    private final String name;

    private MqttTopic(String name, byte[] utf8) {
        this.name = name;
        this.utf8 = utf8;
    }

    /**
     * Validates and encodes {@code name}.
     *
     * @throws IllegalArgumentException naming the broken rule: empty [MQTT-4.7.3-1], wildcard [MQTT-3.3.2-2],
     *                                  ill-formed UTF-8 or U+0000 [MQTT-1.5.3-1, MQTT-1.5.3-2], longer than 65535 bytes
     */
    public static MqttTopic of(CharSequence name) {
        if (name == null) {
            throw new IllegalArgumentException("topic name is null");
        }
        int status = Topics.validateName(name);
        if (status != CodecStatus.OK) {
            throw new IllegalArgumentException("topic name \"" + name + "\": " + CodecStatus.describe(status));
        }
        int length = Utf8.encodedLength(name);
        byte[] utf8 = new byte[length];
        Utf8.encode(name, utf8, 0);
        return new MqttTopic(name.toString(), utf8);
    }

    /** True if {@code s} is this topic, compared without allocating. */
    public boolean contentEquals(CharSequence s) {
        return Utf8.equals(s, utf8, 0, utf8.length);
    }

    /** True if {@code buf[off..off+len)} holds exactly this topic's UTF-8 bytes. */
    public boolean utf8Equals(byte[] buf, int off, int len) {
        if (len != utf8.length) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (buf[off + i] != utf8[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MqttTopic && Arrays.equals(utf8, ((MqttTopic) o).utf8);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(utf8);
    }

    /** The topic name. */
    @Override
    public String toString() {
        return name;
    }
}
