package dev.wren.mqtt.testing;

import static dev.wren.mqtt.testing.Bytes.of;
import static dev.wren.mqtt.testing.Bytes.str;

/**
 * MQTT 3.1.1 packets as raw bytes, written field by field independently of the codec under test, for scripted
 * transports.
 */
public final class Packets {

    private Packets() {
    }

    /** CONNECT (§3.1) without will or credentials. */
    public static byte[] connect(String clientId, boolean cleanSession, int keepAliveSeconds) {
        byte[] body = of(str("MQTT"), 0x04, cleanSession ? 0x02 : 0x00, keepAliveSeconds >> 8, keepAliveSeconds & 0xFF,
                str(clientId));
        return withHeader(0x10, body);
    }

    /** CONNACK (§3.2): session present flag, return code. */
    public static byte[] connack(boolean sessionPresent, int returnCode) {
        return of(0x20, 0x02, sessionPresent ? 1 : 0, returnCode);
    }

    /** PUBLISH (§3.3); {@code packetId} is written only at QoS &gt; 0. */
    public static byte[] publish(String topic, String payload, int qos, boolean retain, boolean dup, int packetId) {
        byte[] body = qos == 0 ? of(str(topic), payload) : of(str(topic), packetId >> 8, packetId & 0xFF, payload);
        return withHeader(0x30 | (dup ? 0x08 : 0) | (qos << 1) | (retain ? 1 : 0), body);
    }

    /** PUBACK (§3.4). */
    public static byte[] puback(int id) {
        return of(0x40, 0x02, id >> 8, id & 0xFF);
    }

    /** PUBREC (§3.5). */
    public static byte[] pubrec(int id) {
        return of(0x50, 0x02, id >> 8, id & 0xFF);
    }

    /** PUBREL (§3.6), flags 0b0010. */
    public static byte[] pubrel(int id) {
        return of(0x62, 0x02, id >> 8, id & 0xFF);
    }

    /** PUBCOMP (§3.7). */
    public static byte[] pubcomp(int id) {
        return of(0x70, 0x02, id >> 8, id & 0xFF);
    }

    /** SUBSCRIBE (§3.8) of one filter, flags 0b0010. */
    public static byte[] subscribe(int id, String filter, int qos) {
        return withHeader(0x82, of(id >> 8, id & 0xFF, str(filter), qos));
    }

    /** SUBACK (§3.9) with one return code. */
    public static byte[] suback(int id, int returnCode) {
        return of(0x90, 0x03, id >> 8, id & 0xFF, returnCode);
    }

    /** UNSUBSCRIBE (§3.10) of one filter, flags 0b0010. */
    public static byte[] unsubscribe(int id, String filter) {
        return withHeader(0xA2, of(id >> 8, id & 0xFF, str(filter)));
    }

    /** SUBSCRIBE (§3.8) of several filters, {@code filterQos} alternating filter and requested QoS. */
    public static byte[] subscribe(int id, Object... filterQos) {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes(of(id >> 8, id & 0xFF));
        for (int i = 0; i < filterQos.length; i += 2) {
            body.writeBytes(of(str((String) filterQos[i]), (Integer) filterQos[i + 1]));
        }
        return withHeader(0x82, body.toByteArray());
    }

    /** SUBACK (§3.9) with one return code per filter. */
    public static byte[] suback(int id, int... returnCodes) {
        byte[] body = new byte[2 + returnCodes.length];
        body[0] = (byte) (id >> 8);
        body[1] = (byte) id;
        for (int i = 0; i < returnCodes.length; i++) {
            body[2 + i] = (byte) returnCodes[i];
        }
        return withHeader(0x90, body);
    }

    /** UNSUBSCRIBE (§3.10) of several filters, flags 0b0010. */
    public static byte[] unsubscribe(int id, String... filters) {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes(of(id >> 8, id & 0xFF));
        for (String f : filters) {
            body.writeBytes(str(f));
        }
        return withHeader(0xA2, body.toByteArray());
    }

    /** UNSUBACK (§3.11). */
    public static byte[] unsuback(int id) {
        return of(0xB0, 0x02, id >> 8, id & 0xFF);
    }

    /** PINGREQ (§3.12). */
    public static byte[] pingreq() {
        return of(0xC0, 0x00);
    }

    /** PINGRESP (§3.13). */
    public static byte[] pingresp() {
        return of(0xD0, 0x00);
    }

    /** DISCONNECT (§3.14). */
    public static byte[] disconnect() {
        return of(0xE0, 0x00);
    }

    /** Byte 1, the remaining length (§2.2.3, minimal encoding), then {@code body}. */
    public static byte[] withHeader(int byte1, byte[] body) {
        int value = body.length;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(byte1);
        do {
            int digit = value % 128;
            value /= 128;
            out.write(value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
        out.writeBytes(body);
        return out.toByteArray();
    }
}
