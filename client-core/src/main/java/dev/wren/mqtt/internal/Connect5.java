package dev.wren.mqtt.internal;

import dev.wren.mqtt.MqttConfig;
import dev.wren.mqtt.codec.ConnectFields;
import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.codec.v5.ConnectEncoder;
import dev.wren.mqtt.codec.v5.PropertiesWriter;
import dev.wren.mqtt.codec.v5.Property;

/**
 * The MQTT 5.0 CONNECT of a configuration (MQTT 5.0 §3.1), encoded with the 5.0 codec: a pure function of the
 * config and the Clean Start flag. A property is written only when its value differs from the spec's default for an
 * absent one (§3.1.2.11, §3.1.3.2): with the config's defaults only Receive Maximum (the config's default is
 * {@code maxIncomingQos2}, not the spec's 65,535). It allocates the
 * frame and two scratch blocks: call it when the client is built (once per Clean Start value), not per connection.
 */
public final class Connect5 {
    private Connect5() {
    }

    /**
     * Encodes the CONNECT frame.
     *
     * @param c a config (validated by its builder; its protocol version is not looked at)
     * @param cleanStart the Clean Start flag (§3.1.2.4): true discards a session the server holds
     * @return the whole frame, fixed header included
     */
    public static byte[] encode(MqttConfig c, boolean cleanStart) {
        return encode(c, cleanStart, null, 0);
    }

    /**
     * Encodes the CONNECT frame with, when the config has an {@link MqttConfig#authenticator()}, its Authentication
     * Method and, when {@code authLength} is above 0, {@code authData[0..authLength)} as Authentication Data
     * (§3.1.2.11.9-10): once per connection, since the data starts a new exchange each time.
     */
    public static byte[] encode(MqttConfig c, boolean cleanStart, byte[] authData, int authLength) {
        ConnectFields f = fields(c, cleanStart, new ConnectFields());
        String method = c.authenticator() == null ? null : c.authenticator().method();
        PropertiesWriter props = new PropertiesWriter().wrap(new byte[32 + userPropertiesLength(c.userProperties())
                + stringLength(method) + PropertiesWriter.sizeOfBinary(authLength)], 0, PacketType.CONNECT);
        putIfNot(props, Property.SESSION_EXPIRY_INTERVAL, c.sessionExpiryIntervalSeconds(), 0);
        putIfNot(props, Property.RECEIVE_MAXIMUM, c.receiveMaximum(), 65535);
        putIfNot(props, Property.MAXIMUM_PACKET_SIZE, c.maximumPacketSize(), MqttConfig.MAX_PACKET_BYTES);
        putIfNot(props, Property.TOPIC_ALIAS_MAXIMUM, c.topicAliasMaximum(), 0);
        putIfNot(props, Property.REQUEST_RESPONSE_INFORMATION, c.requestResponseInformation() ? 1 : 0, 0);
        putIfNot(props, Property.REQUEST_PROBLEM_INFORMATION, c.requestProblemInformation() ? 1 : 0, 1);
        putUserProperties(props, c.userProperties());
        if (method != null) {
            props.putString(Property.AUTHENTICATION_METHOD, method);
            if (authLength > 0) {
                props.putBinary(Property.AUTHENTICATION_DATA, authData, 0, authLength);
            }
        }
        PropertiesWriter willProps = null;
        if (c.willTopic() != null) {
            byte[] correlation = c.willCorrelationData();
            willProps = new PropertiesWriter().wrap(new byte[32 + userPropertiesLength(c.willUserProperties())
                    + stringLength(c.willContentType()) + stringLength(c.willResponseTopic())
                    + (correlation == null ? 0 : PropertiesWriter.sizeOfBinary(correlation.length))], 0, Property.WILL);
            putIfNot(willProps, Property.WILL_DELAY_INTERVAL, c.willDelayIntervalSeconds(), 0);
            putIfNot(willProps, Property.PAYLOAD_FORMAT_INDICATOR, c.willPayloadUtf8() ? 1 : 0, 0);
            putIfNot(willProps, Property.MESSAGE_EXPIRY_INTERVAL, c.willMessageExpirySeconds(), -1);
            if (c.willContentType() != null) {
                willProps.putString(Property.CONTENT_TYPE, c.willContentType());
            }
            if (c.willResponseTopic() != null) {
                willProps.putString(Property.RESPONSE_TOPIC, c.willResponseTopic());
            }
            if (correlation != null) {
                willProps.putBinary(Property.CORRELATION_DATA, correlation, 0, correlation.length);
            }
            putUserProperties(willProps, c.willUserProperties());
        }
        byte[] frame = new byte[ConnectEncoder.length(f, props, willProps)];
        ConnectEncoder.encode(frame, 0, f, props, willProps);
        return frame;
    }

    /**
     * Fills the CONNECT fields both protocol levels share (MQTT 3.1.1 §3.1.2-3.1.3, MQTT 5.0 §3.1.2-3.1.3) from a
     * config: client id, the caller's Clean Session / Clean Start, keep alive, will, user name and password (the
     * will payload and password are the config's copies).
     *
     * @param c a config
     * @param cleanStart the Clean Session (3.1.1) or Clean Start (5.0) flag
     * @param f the fields to fill
     * @return {@code f}
     */
    public static ConnectFields fields(MqttConfig c, boolean cleanStart, ConnectFields f) {
        f.clear();
        f.clientId = c.clientId();
        f.cleanSession = cleanStart;
        f.keepAliveSeconds = c.keepAliveSeconds();
        f.willTopic = c.willTopic();
        f.willPayload = c.willPayload();
        f.willPayloadLength = f.willPayload == null ? 0 : f.willPayload.length;
        f.willQos = c.willQos();
        f.willRetain = c.willRetain();
        f.userName = c.userName();
        f.password = c.password();
        f.passwordLength = f.password == null ? 0 : f.password.length;
        return f;
    }

    /** Writes an integer property unless it holds the value an absent one means; four byte values as their bits. */
    private static void putIfNot(PropertiesWriter w, int id, long value, long absent) {
        if (value != absent) {
            w.putInt(id, (int) value);
        }
    }

    private static void putUserProperties(PropertiesWriter w, String[] pairs) {
        for (int i = 0; i < pairs.length; i += 2) {
            w.putUserProperty(pairs[i], pairs[i + 1]);
        }
    }

    private static int userPropertiesLength(String[] pairs) {
        int n = 0;
        for (int i = 0; i < pairs.length; i += 2) {
            n += PropertiesWriter.sizeOfUserProperty(pairs[i], pairs[i + 1]);
        }
        return n;
    }

    private static int stringLength(String s) {
        return s == null ? 0 : PropertiesWriter.sizeOfString(s);
    }
}
