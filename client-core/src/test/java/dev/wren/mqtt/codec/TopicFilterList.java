package dev.wren.mqtt.codec;

/** The filter list of a SUBSCRIBE or UNSUBSCRIBE body, held as offsets into the buffer (§3.8.3, §3.10.3). */
final class TopicFilterList {
    final int[] offsets;
    final int[] lengths;
    final int[] qos;
    final Utf8Chars chars = new Utf8Chars();
    byte[] buf = new byte[0];
    int count;
    int packetId;

    TopicFilterList(int maxFilters) {
        if (maxFilters < 1) {
            throw new IllegalArgumentException("maxFilters " + maxFilters + " < 1");
        }
        offsets = new int[maxFilters];
        lengths = new int[maxFilters];
        qos = new int[maxFilters];
    }

    /** Decodes packet id and filters; {@code withQos} reads a requested-QoS byte after each filter. */
    int decode(byte[] buf, int off, int len, boolean withQos, int emptyStatus) {
        if (len < 2) {
            return CodecStatus.REMAINING_LENGTH_MISMATCH;
        }
        if (!Wire.inBounds(buf, off, len)) {
            return CodecStatus.NEED_MORE;
        }
        int id = Wire.readU16(buf, off);
        if (id == 0) {
            return CodecStatus.PACKET_ID_ZERO;
        }
        int end = off + len;
        int pos = off + 2;
        if (pos == end) {
            return emptyStatus;
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
            int status = Topics.validateFilter(buf, pos + 2, fl);
            if (status != CodecStatus.OK) {
                return status;
            }
            offsets[n] = pos + 2;
            lengths[n] = fl;
            pos += 2 + fl;
            if (withQos) {
                if (pos == end) {
                    return CodecStatus.REMAINING_LENGTH_MISMATCH;
                }
                int q = buf[pos++] & 0xFF;
                if (q > 2) {
                    return CodecStatus.INVALID_REQUESTED_QOS; // reserved bits 7-2 set, or QoS 3
                }
                qos[n] = q;
            }
            n++;
        }
        this.buf = buf;
        this.count = n;
        this.packetId = id;
        return CodecStatus.OK;
    }

    int check(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("filter " + i + " outside [0, " + count + ")");
        }
        return i;
    }
}
