package dev.wren.mqtt.codec.v5;

import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.codec.Topics;
import dev.wren.mqtt.codec.Wire;

/**
 * Test peer: a reusable view of an MQTT 5.0 SUBSCRIBE (§3.8) or UNSUBSCRIBE (§3.10) body, for a fake server.
 * Checks the subscription options (§3.8.3.1), No Local on a shared subscription [MQTT-3.8.3-4] and the
 * {@code $share/} form [MQTT-4.8.2-1, MQTT-4.8.2-2].
 */
public final class ServerSubscribeView {
    private static final byte[] SHARE_PREFIX = {'$', 's', 'h', 'a', 'r', 'e', '/'};
    final PropertiesView properties = new PropertiesView();
    final int[] offsets;
    final int[] lengths;
    final int[] options;
    byte[] buf = new byte[0];
    int count;
    int packetId;

    ServerSubscribeView(int maxFilters) {
        offsets = new int[maxFilters];
        lengths = new int[maxFilters];
        options = new int[maxFilters];
    }

    /**
     * Decodes a body of {@code packetType} SUBSCRIBE or UNSUBSCRIBE.
     *
     * @return OK, NEED_MORE or the first rule broken
     */
    public int decode(byte[] buf, int off, int len, int packetType) {
        if (!Wire.inBounds(buf, off, len)) {
            return CodecStatus.NEED_MORE;
        }
        if (len < 2) {
            return CodecStatus.REMAINING_LENGTH_MISMATCH;
        }
        int id = Wire.readU16(buf, off);
        if (id == 0) {
            return CodecStatus.PACKET_ID_ZERO;
        }
        int end = off + len;
        int status = properties.decode(buf, off + 2, end, packetType);
        if (status != CodecStatus.OK) {
            return status;
        }
        boolean subscribe = packetType == PacketType.SUBSCRIBE;
        int pos = off + 2 + properties.encodedLength();
        if (pos == end) {
            return subscribe ? CodecStatus.EMPTY_SUBSCRIBE : CodecStatus.EMPTY_UNSUBSCRIBE;
        }
        int n = 0;
        while (pos < end) {
            if (n == offsets.length) {
                return CodecStatus.TOO_MANY_FILTERS;
            }
            int fl = Wire.fieldLength(buf, pos, end);
            if (fl < 0) {
                return fl;
            }
            status = Topics.validateFilter(buf, pos + 2, fl);
            if (status != CodecStatus.OK) {
                return status;
            }
            int shared = sharedFilterStatus(buf, pos + 2, fl);
            if (shared < 0) {
                return shared;
            }
            offsets[n] = pos + 2;
            lengths[n] = fl;
            pos += 2 + fl;
            if (subscribe) {
                if (pos == end) {
                    return CodecStatus.REMAINING_LENGTH_MISMATCH;
                }
                int o = buf[pos++] & 0xFF;
                if ((o & 0xC0) != 0 || (o & 0b11) == 3 || (o >>> 4 & 0b11) == 3) {
                    return CodecStatus.INVALID_SUBSCRIPTION_OPTIONS;
                }
                if (shared == 1 && (o & SubscribeEncoder.NO_LOCAL) != 0) {
                    return CodecStatus.NO_LOCAL_ON_SHARED;
                }
                options[n] = o;
            }
            n++;
        }
        this.buf = buf;
        this.count = n;
        this.packetId = id;
        return CodecStatus.OK;
    }

    /**
     * Checks a {@code $share/ShareName/filter} (§4.8.2).
     *
     * @return 0 for an ordinary filter, 1 for a well-formed shared one, or INVALID_SHARED_SUBSCRIPTION
     */
    static int sharedFilterStatus(byte[] buf, int off, int len) {
        byte[] prefix = SHARE_PREFIX;
        if (len < prefix.length) {
            return 0;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (buf[off + i] != prefix[i]) {
                return 0;
            }
        }
        int nameStart = off + prefix.length;
        int end = off + len;
        int p = nameStart;
        while (p < end && buf[p] != '/') {
            if (buf[p] == '+' || buf[p] == '#') {
                return CodecStatus.INVALID_SHARED_SUBSCRIPTION;
            }
            p++;
        }
        // ShareName at least one character [MQTT-4.8.2-1], then '/' and a topic filter [MQTT-4.8.2-2].
        return p == nameStart || p >= end - 1 ? CodecStatus.INVALID_SHARED_SUBSCRIPTION : 1;
    }
}
