package dev.wren.mqtt.codec.v5;

import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.codec.Topics;
import dev.wren.mqtt.codec.Utf8;
import dev.wren.mqtt.codec.Wire;

/**
 * Test peer: a reusable view of a CONNECT body at protocol level 3 ({@code "MQIsdp"}, MQTT 3.1), 4 ({@code "MQTT"},
 * 3.1.1) or 5 ({@code "MQTT"}, 5.0, with properties and will properties), for a fake server decoding what the
 * client sent. Kept in the test sources: a client never decodes CONNECT.
 */
public final class ServerConnectView {
    final PropertiesView properties = new PropertiesView();
    final PropertiesView willProperties = new PropertiesView();
    byte[] buf = new byte[0];
    int level;
    int connectFlags;
    int keepAliveSeconds;
    int clientIdOffset;
    int clientIdLength;
    int willTopicOffset;
    int willTopicLength;
    int willPayloadOffset;
    int willPayloadLength;
    int userNameOffset;
    int userNameLength;
    int passwordOffset;
    int passwordLength;
    private int pos;
    private int fieldOffset;
    private int fieldLength;

    /**
     * Decodes a CONNECT body.
     *
     * @return OK, NEED_MORE, or the first rule broken
     */
    public int decode(byte[] buf, int off, int len) {
        if (!Wire.inBounds(buf, off, len)) {
            return CodecStatus.NEED_MORE;
        }
        int end = off + len;
        pos = off;
        int status = field(buf, end);
        if (status != CodecStatus.OK) {
            return CodecStatus.REMAINING_LENGTH_MISMATCH;
        }
        boolean mqtt = fieldLength == 4 && buf[fieldOffset] == 'M' && buf[fieldOffset + 1] == 'Q'
                && buf[fieldOffset + 2] == 'T' && buf[fieldOffset + 3] == 'T';
        boolean mqisdp = fieldLength == 6 && buf[fieldOffset] == 'M' && buf[fieldOffset + 1] == 'Q'
                && buf[fieldOffset + 2] == 'I' && buf[fieldOffset + 3] == 's' && buf[fieldOffset + 4] == 'd'
                && buf[fieldOffset + 5] == 'p';
        if (!mqtt && !mqisdp) {
            return CodecStatus.PROTOCOL_NAME;
        }
        if (end - pos < 4) {
            return CodecStatus.REMAINING_LENGTH_MISMATCH;
        }
        int lv = buf[pos] & 0xFF;
        if (mqisdp ? lv != 3 : lv != 4 && lv != 5) {
            return CodecStatus.PROTOCOL_LEVEL;
        }
        int f = buf[pos + 1] & 0xFF;
        if ((f & 0x01) != 0) {
            return CodecStatus.CONNECT_RESERVED_FLAG;
        }
        boolean will = (f & ConnectEncoder.FLAG_WILL) != 0;
        int willQos = (f >>> ConnectEncoder.WILL_QOS_SHIFT) & 0b11;
        if (!will && (willQos != 0 || (f & ConnectEncoder.FLAG_WILL_RETAIN) != 0)) {
            return CodecStatus.WILL_FIELDS_WITHOUT_WILL;
        }
        if (willQos == 3) {
            return CodecStatus.INVALID_WILL_QOS;
        }
        if (lv < 5 && (f & ConnectEncoder.FLAG_PASSWORD) != 0 && (f & ConnectEncoder.FLAG_USER_NAME) == 0) {
            return CodecStatus.PASSWORD_WITHOUT_USER_NAME;
        }
        keepAliveSeconds = Wire.readU16(buf, pos + 2);
        pos += 4;
        if (lv == 5) {
            status = properties.decode(buf, pos, end, PacketType.CONNECT);
            if (status != CodecStatus.OK) {
                return status;
            }
            pos += properties.encodedLength();
        }
        status = utf8Field(buf, end);
        if (status != CodecStatus.OK) {
            return status;
        }
        clientIdOffset = fieldOffset;
        clientIdLength = fieldLength;
        if (will) {
            if (lv == 5) {
                status = willProperties.decode(buf, pos, end, Property.WILL);
                if (status != CodecStatus.OK) {
                    return status;
                }
                pos += willProperties.encodedLength();
            }
            status = field(buf, end);
            if (status == CodecStatus.OK) {
                status = Topics.validateName(buf, fieldOffset, fieldLength);
            }
            if (status != CodecStatus.OK) {
                return status;
            }
            willTopicOffset = fieldOffset;
            willTopicLength = fieldLength;
            status = field(buf, end);
            if (status != CodecStatus.OK) {
                return status;
            }
            willPayloadOffset = fieldOffset;
            willPayloadLength = fieldLength;
        }
        if ((f & ConnectEncoder.FLAG_USER_NAME) != 0) {
            status = utf8Field(buf, end);
            if (status != CodecStatus.OK) {
                return status;
            }
            userNameOffset = fieldOffset;
            userNameLength = fieldLength;
        }
        if ((f & ConnectEncoder.FLAG_PASSWORD) != 0) {
            status = field(buf, end);
            if (status != CodecStatus.OK) {
                return status;
            }
            passwordOffset = fieldOffset;
            passwordLength = fieldLength;
        }
        if (pos != end) {
            return CodecStatus.REMAINING_LENGTH_MISMATCH;
        }
        this.buf = buf;
        this.level = lv;
        this.connectFlags = f;
        return CodecStatus.OK;
    }

    private int field(byte[] buf, int end) {
        int n = Wire.fieldLength(buf, pos, end);
        if (n < 0) {
            return n;
        }
        fieldOffset = pos + 2;
        fieldLength = n;
        pos += 2 + n;
        return CodecStatus.OK;
    }

    private int utf8Field(byte[] buf, int end) {
        int status = field(buf, end);
        return status != CodecStatus.OK ? status : Utf8.validate(buf, fieldOffset, fieldLength);
    }

    boolean cleanStart() {
        return (connectFlags & ConnectEncoder.FLAG_CLEAN_START) != 0;
    }

    boolean hasWill() {
        return (connectFlags & ConnectEncoder.FLAG_WILL) != 0;
    }

    int willQos() {
        return (connectFlags >>> ConnectEncoder.WILL_QOS_SHIFT) & 0b11;
    }

    boolean willRetain() {
        return (connectFlags & ConnectEncoder.FLAG_WILL_RETAIN) != 0;
    }

    boolean hasUserName() {
        return (connectFlags & ConnectEncoder.FLAG_USER_NAME) != 0;
    }

    boolean hasPassword() {
        return (connectFlags & ConnectEncoder.FLAG_PASSWORD) != 0;
    }
}
