package dev.wren.mqtt.testing;

import static dev.wren.mqtt.testing.Bytes.of;
import static dev.wren.mqtt.testing.Bytes.str;
import static dev.wren.mqtt.testing.Packets.withHeader;

/**
 * MQTT 5.0 packets as raw bytes, written field by field independently of the codec under test, for scripted
 * transports. Properties are given as their encoded bytes ({@link #props}), the property length is added here.
 */
public final class Packets5 {

    private Packets5() {
    }

    /** A property block's content: concatenated {@link Bytes#of} parts, e.g. {@code props(0x21, 0, 2)}. */
    public static byte[] props(Object... parts) {
        return of(parts);
    }

    /** The property length (one byte: blocks under 128 bytes in these tests), then the properties (§2.2.2.1). */
    private static byte[] block(byte[] props) {
        if (props.length > 127) {
            throw new IllegalArgumentException("property block of " + props.length + " bytes: one length byte only");
        }
        return of(props.length, props);
    }

    /** CONNECT (§3.1) without will or credentials, protocol level 5. */
    public static byte[] connect(String clientId, boolean cleanStart, int keepAliveSeconds, byte[] props) {
        return withHeader(0x10, of(str("MQTT"), 0x05, cleanStart ? 0x02 : 0x00, keepAliveSeconds >> 8,
                keepAliveSeconds & 0xFF, block(props), str(clientId)));
    }

    /** CONNACK (§3.2): acknowledge flags, reason code, properties. */
    public static byte[] connack(boolean sessionPresent, int reasonCode, byte[] props) {
        return withHeader(0x20, of(sessionPresent ? 1 : 0, reasonCode, block(props)));
    }

    /** PUBLISH (§3.3) without properties; {@code packetId} is written only at QoS &gt; 0. */
    public static byte[] publish(String topic, String payload, int qos, boolean retain, boolean dup, int packetId) {
        return publish(topic, payload, qos, retain, dup, packetId, new byte[0]);
    }

    /** PUBLISH (§3.3) with properties. */
    public static byte[] publish(String topic, String payload, int qos, boolean retain, boolean dup, int packetId,
                                 byte[] props) {
        byte[] body = qos == 0 ? of(str(topic), block(props), payload)
                : of(str(topic), packetId >> 8, packetId & 0xFF, block(props), payload);
        return withHeader(0x30 | (dup ? 0x08 : 0) | (qos << 1) | (retain ? 1 : 0), body);
    }

    /** PUBACK (§3.4) with a reason code and no properties (remaining length 3, §3.4.2.1). */
    public static byte[] puback(int id, int reasonCode) {
        return of(0x40, 0x03, id >> 8, id & 0xFF, reasonCode);
    }

    /** PUBREC (§3.5) with a reason code and no properties. */
    public static byte[] pubrec(int id, int reasonCode) {
        return of(0x50, 0x03, id >> 8, id & 0xFF, reasonCode);
    }

    /** SUBSCRIBE (§3.8) of one filter with its subscription options byte, no properties. */
    public static byte[] subscribe(int id, String filter, int options) {
        return withHeader(0x82, of(id >> 8, id & 0xFF, 0, str(filter), options));
    }

    /** SUBSCRIBE (§3.8) of several filters: filter, options byte, filter, options byte, ...; no properties. */
    public static byte[] subscribeAll(int id, Object... filterOptions) {
        Object[] parts = new Object[3 + filterOptions.length];
        parts[0] = id >> 8;
        parts[1] = id & 0xFF;
        parts[2] = 0;
        for (int i = 0; i < filterOptions.length; i++) {
            parts[3 + i] = filterOptions[i] instanceof String ? str((String) filterOptions[i]) : filterOptions[i];
        }
        return withHeader(0x82, of(parts));
    }

    /** SUBACK (§3.9): one reason code per filter, no properties. */
    public static byte[] suback(int id, int... reasonCodes) {
        return withHeader(0x90, of(id >> 8, id & 0xFF, 0, codes(reasonCodes)));
    }

    /** UNSUBSCRIBE (§3.10) of one filter, no properties. */
    public static byte[] unsubscribe(int id, String filter) {
        return withHeader(0xA2, of(id >> 8, id & 0xFF, 0, str(filter)));
    }

    /** UNSUBSCRIBE (§3.10) of several filters, no properties. */
    public static byte[] unsubscribeAll(int id, String... filters) {
        Object[] names = new Object[filters.length];
        for (int i = 0; i < filters.length; i++) {
            names[i] = str(filters[i]);
        }
        return withHeader(0xA2, of(id >> 8, id & 0xFF, 0, of(names)));
    }

    /** UNSUBACK (§3.11): one reason code per filter, no properties. */
    public static byte[] unsuback(int id, int... reasonCodes) {
        return withHeader(0xB0, of(id >> 8, id & 0xFF, 0, codes(reasonCodes)));
    }

    /** DISCONNECT (§3.14) with a reason code and a Reason String (0x1F). */
    public static byte[] disconnect(int reasonCode, String reasonString) {
        return withHeader(0xE0, of(reasonCode, block(of(0x1F, str(reasonString)))));
    }

    /**
     * AUTH (§3.15) with a reason code and an Authentication Method (0x15) and, unless null, Authentication Data
     * (0x16); the property length as a variable byte integer (§1.5.5), one or two bytes.
     */
    public static byte[] auth(int reasonCode, String method, String data) {
        byte[] props = data == null ? of(0x15, str(method)) : of(0x15, str(method), 0x16, str(data));
        byte[] length = props.length < 128 ? of(props.length) : of(0x80 | props.length & 0x7F, props.length >> 7);
        return withHeader(0xF0, of(reasonCode, length, props));
    }

    private static byte[] codes(int[] codes) {
        byte[] b = new byte[codes.length];
        for (int i = 0; i < codes.length; i++) {
            b[i] = (byte) codes[i];
        }
        return b;
    }
}
