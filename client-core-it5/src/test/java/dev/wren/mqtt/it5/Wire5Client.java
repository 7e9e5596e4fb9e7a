package dev.wren.mqtt.it5;

import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.EmptyPacketEncoder;
import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.codec.v5.AckEncoder;
import dev.wren.mqtt.codec.v5.AckView;
import dev.wren.mqtt.codec.v5.FixedHeader;
import dev.wren.mqtt.codec.v5.PacketType5;
import dev.wren.mqtt.codec.v5.PropertiesView;
import dev.wren.mqtt.codec.v5.Property;
import dev.wren.mqtt.codec.v5.PublishView;
import dev.wren.mqtt.codec.v5.ReasonCode;
import dev.wren.mqtt.transport.TcpTransportFactory;
import dev.wren.mqtt.transport.Transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One MQTT 5.0 connection driven by hand: the 5.0 codec over a plain {@link Transport}, no session. {@link #next()}
 * reads one whole frame (fixed header decoded with {@link FixedHeader}) into the receive buffer; the frame stays
 * valid until the next call. A test writes packets with the codec's encoders into {@link #tx} and {@link #send}s
 * them.
 */
final class Wire5Client implements AutoCloseable {
    /** Longest wait for one frame: generous, the machine is shared. */
    static final int FRAME_TIMEOUT_MILLIS = 15_000;

    final String name;
    final byte[] tx = new byte[8192];
    private final byte[] rx = new byte[65536];
    private final Transport transport;
    private final FixedHeader header = new FixedHeader();
    private int filled;
    private int frameStart;
    private int frameLength;

    Wire5Client(String name, String host, int port) throws IOException {
        this.name = name;
        this.transport = TcpTransportFactory.INSTANCE.open(host, port, FRAME_TIMEOUT_MILLIS);
    }

    /** Writes {@code tx[0..len)}. */
    void send(int len) throws IOException {
        transport.write(tx, 0, len);
    }

    /** Reads the next whole frame; fails the test on a timeout, end of stream or a malformed header. */
    Wire5Client next() throws IOException {
        // drop the previous frame, keep what followed it
        System.arraycopy(rx, frameStart + frameLength, rx, 0, filled - frameStart - frameLength);
        filled -= frameStart + frameLength;
        frameStart = 0;
        frameLength = 0;
        long deadline = System.nanoTime() + FRAME_TIMEOUT_MILLIS * 1_000_000L;
        while (true) {
            int status = header.decode(rx, 0, filled);
            if (status == CodecStatus.OK && header.frameLength() <= filled) {
                frameLength = header.frameLength();
                return this;
            }
            assertTrue(status == CodecStatus.OK || status == CodecStatus.NEED_MORE,
                    name + ": bad fixed header: " + CodecStatus.describe(status));
            int waitMillis = (int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000L);
            assertTrue(System.nanoTime() - deadline < 0, name + ": no whole frame within " + FRAME_TIMEOUT_MILLIS
                    + " ms (" + filled + " bytes buffered)");
            int n = transport.read(rx, filled, rx.length - filled, waitMillis);
            assertTrue(n >= 0, name + ": end of stream while waiting for a frame");
            filled += n;
        }
    }

    /** Reads the next frame and requires its type. */
    Wire5Client expect(int type) throws IOException {
        next();
        assertEquals(PacketType5.name(type), PacketType5.name(type()), name + ": packet type");
        return this;
    }

    int type() {
        return header.type();
    }

    int flags() {
        return header.flags();
    }

    byte[] buffer() {
        return rx;
    }

    /** First body byte of the current frame. */
    int bodyOffset() {
        return frameStart + header.headerLength();
    }

    int bodyLength() {
        return header.remainingLength();
    }

    /** Decodes the current frame as PUBLISH into {@code view}, requiring OK. */
    PublishView publish(PublishView view) {
        int status = view.decode(rx, bodyOffset(), bodyLength(), flags());
        assertEquals("OK", CodecStatus.name(status), name + ": PUBLISH decode");
        return view;
    }

    /** Decodes the current frame as an acknowledgement of {@code type} into {@code view}, requiring OK. */
    AckView ack(AckView view, int type) {
        int status = view.decode(rx, bodyOffset(), bodyLength(), type);
        assertEquals("OK", CodecStatus.name(status), name + ": " + PacketType5.name(type) + " decode");
        return view;
    }

    /** Sends PUBACK, PUBREC, PUBREL or PUBCOMP with reason Success and no properties. */
    void sendAck(int type, int packetId) throws IOException {
        send(AckEncoder.encode(tx, 0, type, packetId, ReasonCode.SUCCESS, null));
    }

    /** Sends PINGREQ and reads up to PINGRESP: a round trip that orders what the broker sent before it. */
    void ping() throws IOException {
        send(EmptyPacketEncoder.encode(tx, 0, PacketType.PINGREQ));
        expect(PacketType.PINGRESP);
    }

    /** Every property of a block as {@code name=value} lines, for the test output. */
    static String describe(PropertiesView props) {
        StringBuilder s = new StringBuilder();
        props.reset();
        while (props.next()) {
            s.append("  ").append(Property.name(props.id())).append(" = ");
            switch (props.type()) {
                case Property.UTF8_STRING:
                    s.append('"').append(props.valueText()).append('"');
                    break;
                case Property.UTF8_STRING_PAIR:
                    s.append('"').append(new String(props.buffer(), props.keyOffset(), props.keyLength(),
                            StandardCharsets.UTF_8)).append("\" : \"").append(props.valueText()).append('"');
                    break;
                case Property.BINARY_DATA:
                    s.append(props.valueLength()).append(" bytes");
                    break;
                default:
                    s.append(Integer.toUnsignedLong(props.intValue()));
                    break;
            }
            s.append('\n');
        }
        return s.toString();
    }

    @Override
    public void close() {
        transport.close();
    }
}
