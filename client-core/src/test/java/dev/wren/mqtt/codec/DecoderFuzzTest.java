package dev.wren.mqtt.codec;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wren.mqtt.codec.v5.PacketDecoder5;
import dev.wren.mqtt.codec.v5.PacketType5;
import dev.wren.mqtt.codec.v5.Property;
import dev.wren.mqtt.codec.v5.PropertiesView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Coverage-guided fuzz tests (Jazzer) of every decoder: {@link FrameHeader}, then each body view, and the
 * MQTT 5.0 decoders ({@link #wholeFrame5}, {@link #properties5}). Whatever the
 * bytes, a decoder returns a status and nothing else: {@code OK}, {@code NEED_MORE} or a documented error
 * ({@link CodecStatus#name} knows it); no exception escapes, and after {@code OK} every accessor points inside
 * the bytes it was given and obeys the rule the decoder claims to check.
 *
 * <p>Without {@code JAZZER_FUZZ} (a normal {@code mvn verify}) each method runs its seed inputs as a JUnit test.
 * With {@code JAZZER_FUZZ=1} Jazzer fuzzes the one selected method; {@link #anyDecoder} reaches every decoder and
 * is the one the build's {@code fuzz-decoders} execution runs for a bounded time. {@code @Timeout} doubles as the
 * per-input hang limit: Jazzer passes it to libFuzzer as {@code -timeout}.
 */
class DecoderFuzzTest {

    /** Inputs executed in this JVM, printed when the class finishes (the figure the report quotes). */
    private static final AtomicLong INPUTS = new AtomicLong();
    /** One decoder set for all inputs: views are reusable by design, and reuse is what the client does. */
    private static final PacketDecoder DECODER = new PacketDecoder();
    /** The MQTT 5.0 decoders, both directions (the server's in the test sources), and a bare property view. */
    private static final PacketDecoder5 DECODER5 = new PacketDecoder5();
    private static final PropertiesView PROPERTIES5 = new PropertiesView();
    private static final int MAX_PREFIX = 7;
    private static final int MAX_LENGTH_OVERSHOOT = 4;

    @FuzzTest(maxDuration = "30s")
    @Timeout(120)
    void anyDecoder(FuzzedDataProvider data) {
        int which = data.consumeInt(0, 10);
        switch (which) {
            case 0:
                frameHeader(data.consumeRemainingAsBytes());
                break;
            case 1:
                wholeFrame(data.consumeRemainingAsBytes());
                break;
            case 2:
                connack(data);
                break;
            case 3:
                publish(data);
                break;
            case 4:
                ack(data);
                break;
            case 5:
                suback(data);
                break;
            case 6:
                connect(data);
                break;
            case 7:
                subscribe(data);
                break;
            case 8:
                unsubscribe(data);
                break;
            case 9:
                wholeFrame5(data.consumeRemainingAsBytes());
                break;
            default:
                properties5(data);
                break;
        }
    }

    @FuzzTest(maxDuration = "30s")
    @Timeout(120)
    void frameHeader(byte[] in) {
        INPUTS.incrementAndGet();
        FrameHeader h = DECODER.header;
        int status = h.decode(in, 0, in.length);
        requireStatus("FrameHeader", status);
        if (status == CodecStatus.NEED_MORE) {
            check(in.length <= 4, "NEED_MORE with %d bytes: a header is at most 5 bytes", in.length);
        } else if (status == CodecStatus.OK) {
            check(h.type() >= PacketType.CONNECT && h.type() <= PacketType.DISCONNECT, "type %d", h.type());
            check(h.flags() >= 0 && h.flags() <= 15, "flags %d", h.flags());
            check(h.headerLength() >= 2 && h.headerLength() <= 5 && h.headerLength() <= in.length,
                    "header length %d of %d bytes", h.headerLength(), in.length);
            check(h.remainingLength() >= 0 && h.remainingLength() <= RemainingLength.MAX,
                    "remaining length %d", h.remainingLength());
            check(h.frameLength() == h.headerLength() + h.remainingLength(), "frame length %d", h.frameLength());
        }
    }

    @FuzzTest(maxDuration = "30s")
    @Timeout(120)
    void wholeFrame(byte[] in) {
        INPUTS.incrementAndGet();
        requireStatus("client-side frame", DECODER.decode(in, 0, in.length, true));
        requireStatus("server-side frame", DECODER.decode(in, 0, in.length, false));
    }

    @FuzzTest(maxDuration = "30s")
    @Timeout(120)
    void connack(FuzzedDataProvider data) {
        Body b = body(data);
        int status = DECODER.connack.decode(b.buf, b.off, b.len);
        if (accepted(b, "ConnackView", status)) {
            int rc = DECODER.connack.returnCode();
            check(b.len == 2, "CONNACK OK with remaining length %d", b.len);
            check(rc >= 0 && rc <= 5, "return code %d", rc);
            check(rc == 0 || !DECODER.connack.sessionPresent(), "session present with return code %d", rc);
        }
    }

    @FuzzTest(maxDuration = "30s")
    @Timeout(120)
    void publish(FuzzedDataProvider data) {
        int flags = data.consumeInt(0, 15);
        Body b = body(data);
        PublishView p = DECODER.publish;
        int status = p.decode(b.buf, b.off, b.len, flags);
        if (accepted(b, "PublishView", status)) {
            check(p.qos() == ((flags >> 1) & 3) && p.qos() < 3, "qos %d from flags %d", p.qos(), flags);
            check(p.qos() == 0 ? p.packetId() == 0 : p.packetId() >= 1 && p.packetId() <= 0xFFFF,
                    "packet id %d at qos %d", p.packetId(), p.qos());
            check(p.topicOffset() == b.off + 2 && p.topicLength() >= 1, "topic at %d, %d bytes", p.topicOffset(), p.topicLength());
            check(p.topicOffset() + p.topicLength() <= p.payloadOffset() && p.payloadLength() >= 0
                    && p.payloadOffset() + p.payloadLength() == b.off + b.len,
                    "payload at %d, %d bytes, body ends at %d", p.payloadOffset(), p.payloadLength(), b.off + b.len);
            check(Utf8.validate(b.buf, p.topicOffset(), p.topicLength()) == CodecStatus.OK, "topic not valid UTF-8");
            for (int i = 0; i < p.topicLength(); i++) {
                byte c = b.buf[p.topicOffset() + i];
                check(c != '+' && c != '#', "wildcard in accepted topic name at %d", i);
            }
            check(p.topic().length() >= 1, "topic view empty");
        }
    }

    @FuzzTest(maxDuration = "30s")
    @Timeout(120)
    void ack(FuzzedDataProvider data) {
        Body b = body(data);
        int status = DECODER.ack.decode(b.buf, b.off, b.len);
        if (accepted(b, "AckView", status)) {
            check(b.len == 2, "ack OK with remaining length %d", b.len);
            check(DECODER.ack.packetId() >= 1 && DECODER.ack.packetId() <= 0xFFFF, "packet id %d", DECODER.ack.packetId());
        }
    }

    @FuzzTest(maxDuration = "30s")
    @Timeout(120)
    void suback(FuzzedDataProvider data) {
        Body b = body(data);
        SubackView s = DECODER.suback;
        int status = s.decode(b.buf, b.off, b.len);
        if (accepted(b, "SubackView", status)) {
            check(s.packetId() >= 1 && s.count() >= 1 && s.count() == b.len - 2,
                    "packet id %d, %d codes in %d bytes", s.packetId(), s.count(), b.len);
            for (int i = 0; i < s.count(); i++) {
                int rc = s.returnCode(i);
                check(rc == 0 || rc == 1 || rc == 2 || rc == SubackView.FAILURE, "return code %d", rc);
            }
        }
    }

    @FuzzTest(maxDuration = "30s")
    @Timeout(120)
    void connect(FuzzedDataProvider data) {
        Body b = body(data);
        ConnectView c = DECODER.connect;
        int status = c.decode(b.buf, b.off, b.len);
        if (accepted(b, "ConnectView", status)) {
            inside(b, c.clientIdOffset(), c.clientIdLength(), "client id");
            if (c.hasWill()) {
                inside(b, c.willTopicOffset(), c.willTopicLength(), "will topic");
                inside(b, c.willPayloadOffset(), c.willPayloadLength(), "will payload");
                check(c.willQos() <= 2, "will qos %d", c.willQos());
            }
            if (c.hasUserName()) {
                inside(b, c.userNameOffset(), c.userNameLength(), "user name");
            }
            if (c.hasPassword()) {
                check(c.hasUserName(), "password without user name accepted");
                inside(b, c.passwordOffset(), c.passwordLength(), "password");
            }
            check(c.keepAliveSeconds() >= 0 && c.keepAliveSeconds() <= 0xFFFF, "keep alive %d", c.keepAliveSeconds());
        }
    }

    @FuzzTest(maxDuration = "30s")
    @Timeout(120)
    void subscribe(FuzzedDataProvider data) {
        Body b = body(data);
        SubscribeView s = DECODER.subscribe;
        int status = s.decode(b.buf, b.off, b.len);
        if (accepted(b, "SubscribeView", status)) {
            check(s.packetId() >= 1 && s.count() >= 1, "packet id %d, %d filters", s.packetId(), s.count());
            for (int i = 0; i < s.count(); i++) {
                inside(b, s.filterOffset(i), s.filterLength(i), "filter");
                check(s.requestedQos(i) <= 2, "requested qos %d", s.requestedQos(i));
                check(Topics.validateFilter(s.filter(i)) == CodecStatus.OK, "accepted filter %d is invalid", i);
            }
        }
    }

    @FuzzTest(maxDuration = "30s")
    @Timeout(120)
    void unsubscribe(FuzzedDataProvider data) {
        Body b = body(data);
        UnsubscribeView u = DECODER.unsubscribe;
        int status = u.decode(b.buf, b.off, b.len);
        if (accepted(b, "UnsubscribeView", status)) {
            check(u.packetId() >= 1 && u.count() >= 1, "packet id %d, %d filters", u.packetId(), u.count());
            for (int i = 0; i < u.count(); i++) {
                inside(b, u.filterOffset(i), u.filterLength(i), "filter");
            }
        }
    }

    @FuzzTest(maxDuration = "30s")
    @Timeout(120)
    void wholeFrame5(byte[] in) {
        INPUTS.incrementAndGet();
        for (boolean clientSide : new boolean[] {true, false}) {
            int status = DECODER5.decode(in, 0, in.length, clientSide);
            requireStatus("MQTT 5.0 frame", status);
            if (status == CodecStatus.OK) {
                check(DECODER5.header.frameLength() <= in.length, "5.0 frame of %d bytes accepted from %d",
                        DECODER5.header.frameLength(), in.length);
                PropertiesView p = properties5Of(DECODER5.header.type());
                if (p != null) {
                    walk(p, DECODER5.header.frameLength());
                }
            }
        }
    }

    @FuzzTest(maxDuration = "30s")
    @Timeout(120)
    void properties5(FuzzedDataProvider data) {
        int packetType = data.consumeInt(0, 15);
        Body b = body(data);
        int status = PROPERTIES5.decode(b.buf, b.off, Math.min(b.buf.length, b.off + b.len), packetType);
        requireStatus("PropertiesView", status);
        if (status == CodecStatus.OK) {
            check(b.off + PROPERTIES5.encodedLength() <= b.buf.length, "block of %d bytes past the buffer",
                    PROPERTIES5.encodedLength());
            walk(PROPERTIES5, b.buf.length);
            for (PROPERTIES5.reset(); PROPERTIES5.next(); ) {
                check(Property.allowedIn(PROPERTIES5.id(), packetType), "property %d accepted in packet %d",
                        PROPERTIES5.id(), packetType);
            }
        }
    }

    /** After OK, iteration sees only defined properties, each inside {@code [0, limit)}. */
    private static void walk(PropertiesView p, int limit) {
        int n = 0;
        for (p.reset(); p.next(); n++) {
            check(Property.type(p.id()) != 0, "undefined property %d", p.id());
            check(p.valueOffset() >= 0 && p.valueOffset() + p.valueLength() <= p.buffer().length,
                    "property %d value at %d, %d bytes", p.id(), p.valueOffset(), p.valueLength());
            check(n < limit, "more properties than bytes");
        }
    }

    private static PropertiesView properties5Of(int type) {
        switch (type) {
            case PacketType.CONNACK: return DECODER5.connack.properties();
            case PacketType.PUBLISH: return DECODER5.publish.properties();
            case PacketType.PUBACK:
            case PacketType.PUBREC:
            case PacketType.PUBREL:
            case PacketType.PUBCOMP:
                return DECODER5.ack.properties();
            case PacketType.SUBACK:
            case PacketType.UNSUBACK:
                return DECODER5.suback.properties();
            case PacketType.DISCONNECT:
            case PacketType5.AUTH:
                return DECODER5.reason.properties();
            default:
                return null;
        }
    }

    @AfterAll
    static void reportInputs() {
        System.out.println("DecoderFuzzTest: " + INPUTS.get() + " inputs executed");
    }

    /** A body placed at the END of its array (after 0..7 bytes of other data), so a read past it throws. */
    private static final class Body {
        final byte[] buf;
        final int off;
        final int len;

        Body(byte[] buf, int off, int len) {
            this.buf = buf;
            this.off = off;
            this.len = len;
        }
    }

    private static Body body(FuzzedDataProvider data) {
        INPUTS.incrementAndGet();
        int prefix = data.consumeInt(0, MAX_PREFIX);
        // A declared length beyond the bytes present must give NEED_MORE, never a read past the array.
        int overshoot = data.consumeInt(0, MAX_LENGTH_OVERSHOOT);
        byte[] bytes = data.consumeRemainingAsBytes();
        byte[] buf = new byte[prefix + bytes.length];
        java.util.Arrays.fill(buf, 0, prefix, (byte) 0x5A);
        System.arraycopy(bytes, 0, buf, prefix, bytes.length);
        return new Body(buf, prefix, bytes.length + overshoot);
    }

    /** Checks the status; true when it is OK, which a body declared longer than its bytes must never get. */
    private static boolean accepted(Body b, String decoder, int status) {
        requireStatus(decoder, status);
        if (status != CodecStatus.OK) {
            return false;
        }
        check(b.off + b.len <= b.buf.length, "%s accepted a body of %d bytes with only %d present", decoder, b.len,
                b.buf.length - b.off);
        return true;
    }

    private static void requireStatus(String decoder, int status) {
        check(status == CodecStatus.OK || status == CodecStatus.NEED_MORE
                        || !"UNKNOWN_STATUS".equals(CodecStatus.name(status)),
                "%s returned undocumented status %d", decoder, status);
    }

    private static void inside(Body b, int off, int len, String field) {
        check(off >= b.off && len >= 0 && off + len <= b.off + b.len,
                "%s at %d, %d bytes, outside body [%d, %d)", field, off, len, b.off, b.off + b.len);
    }

    private static void check(boolean ok, String format, Object... args) {
        if (!ok) {
            throw new AssertionError(String.format(format, args));
        }
    }
}
