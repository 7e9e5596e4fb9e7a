package dev.wren.mqtt.internal;

import dev.wren.mqtt.MqttConfig;
import dev.wren.mqtt.MqttException.Reason;
import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.codec.PublishView;
import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.testing.FakeClock;
import dev.wren.mqtt.testing.ScriptedTransport;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.wren.mqtt.testing.Packets.puback;
import static dev.wren.mqtt.testing.Packets.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The frame reader alone, over a scripted transport and the fake clock: statuses, one deadline, the oversize drain. */
class FrameReaderTest {

    private static final int BUFFER = 64;
    private static final int OPERATION_TIMEOUT_MILLIS = 1000;

    private final FakeClock clock = new FakeClock();
    private final Failure failure = new Failure();
    private final FrameReader reader = new FrameReader(MqttConfig.builder().host("broker.test").clientId("c")
            .clock(clock).receiveBufferBytes(BUFFER).operationTimeoutMillis(OPERATION_TIMEOUT_MILLIS).build(), failure);

    private static String payloadOf(int n) {
        char[] c = new char[n];
        Arrays.fill(c, 'p');
        return new String(c);
    }

    @Test
    void aFrameSplitIntoOneByteReadsIsReturnedOnceWholeThenConsumed() {
        ScriptedTransport t = new ScriptedTransport(clock).maxBytesPerRead(1).send(puback(7)).send(puback(8));
        long start = clock.nanoTime();
        assertEquals(FrameReader.FRAME, reader.readFrame(t, 100, false));
        assertEquals(PacketType.PUBACK, reader.header().type());
        assertEquals(7, reader.buffer()[reader.bodyOffset() + 1]);
        reader.consumeFrame();
        assertEquals(FrameReader.FRAME, reader.readFrame(t, 100, false));
        assertEquals(8, reader.buffer()[reader.bodyOffset() + 1]);
        assertEquals(0, clock.millisSince(start), "bytes were there: no waiting");
    }

    @Test
    void silenceIsATimeoutAtTheDeadlineAndAPartialFrameWaitsForTheNextCall() {
        byte[] ack = puback(9);
        ScriptedTransport t = new ScriptedTransport(clock).send(Arrays.copyOf(ack, 2));
        long start = clock.nanoTime();
        assertEquals(FrameReader.TIMEOUT, reader.readFrame(t, 100, false));
        assertEquals(100, clock.millisSince(start), "one deadline over the partial read and the silence");
        assertTrue(reader.midPacket());
        t.send(Arrays.copyOfRange(ack, 2, 4));
        assertEquals(FrameReader.FRAME, reader.readFrame(t, 100, false));
    }

    @Test
    void endOfStreamIsAFailureThatSaysSo() {
        ScriptedTransport t = new ScriptedTransport(clock).endOfStream();
        assertEquals(Failure.FAILED, reader.readFrame(t, 100, false));
        assertEquals(Reason.CONNECTION_LOST, failure.reason);
        assertTrue(failure.text.contains("end of stream"), failure.text);
    }

    @Test
    void whileConnectingTheFirstPacketMustBeConnack() {
        ScriptedTransport t = new ScriptedTransport(clock).send(puback(1));
        assertEquals(Failure.FAILED, reader.readFrame(t, 100, true));
        assertEquals(Reason.PROTOCOL_VIOLATION, failure.reason);
        assertEquals("MQTT-3.2.0-1", failure.ruleId);
    }

    @Test
    void aTlsAlertAnsweringConnectIsNamed() {
        ScriptedTransport t = new ScriptedTransport(clock).send(new byte[]{0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28});
        assertEquals(Failure.FAILED, reader.readFrame(t, 100, true));
        assertTrue(failure.text.contains("TLS alert"), failure.text);
    }

    @Test
    void aForbiddenPacketTypeIsAViolationOfTheCodecRule() {
        ScriptedTransport t = new ScriptedTransport(clock).send(new byte[]{(byte) 0xC0, 0x00}); // PINGREQ from the server
        assertEquals(Failure.FAILED, reader.readFrame(t, 100, false));
        assertEquals(CodecStatus.ruleId(CodecStatus.FORBIDDEN_FROM_SERVER), failure.ruleId);
    }

    @Test
    void anOversizePublishIsHandedOverAsStartThenEndAndTheStreamStaysInStep() {
        byte[] big = publish("a/b", payloadOf(200), 1, false, false, 0x0102);
        ScriptedTransport t = new ScriptedTransport(clock).maxBytesPerRead(16).send(big).send(puback(3));
        assertEquals(FrameReader.OVERSIZE_START, reader.readFrame(t, 100, false));
        assertTrue(reader.oversizePrefixBuffered());
        assertEquals(big.length, reader.oversizeFrameLength());
        PublishView view = new PublishView();
        assertEquals(CodecStatus.OK, view.decode(reader.buffer(), reader.oversizeBodyOffset(),
                reader.oversizePrefixLength(), reader.header().flags()));
        assertEquals("a/b", view.topic().toString());
        assertEquals(0x0102, view.packetId());
        assertEquals(FrameReader.OVERSIZE_END, reader.readFrame(t, 100, false));
        assertEquals(FrameReader.FRAME, reader.readFrame(t, 100, false));
        assertEquals(PacketType.PUBACK, reader.header().type());
    }

    @Test
    void aTopicLongerThanTheBufferIsValidatedAsItPassesAndItsPacketIdRead() {
        byte[] big = publish(payloadOf(100), "x", 2, false, false, 77);
        ScriptedTransport t = new ScriptedTransport(clock).maxBytesPerRead(10).send(big);
        assertEquals(FrameReader.OVERSIZE_START, reader.readFrame(t, 100, false));
        assertFalse(reader.oversizePrefixBuffered());
        assertEquals(77, reader.oversizePacketId());
        assertEquals(FrameReader.OVERSIZE_END, reader.readFrame(t, 100, false));

        ScriptedTransport wildcard = new ScriptedTransport(clock).send(publish(payloadOf(99) + "+", "x", 0, false, false, 0));
        reader.clear();
        assertEquals(Failure.FAILED, reader.readFrame(wildcard, 100, false));
        assertEquals(CodecStatus.ruleId(CodecStatus.WILDCARD_IN_TOPIC_NAME), failure.ruleId);
    }

    @Test
    void aStalledDrainReturnsByEachDeadlineAndFailsAfterOperationTimeoutWithoutAByte() {
        byte[] big = publish("t", payloadOf(200), 0, false, false, 0);
        ScriptedTransport t = new ScriptedTransport(clock).send(Arrays.copyOf(big, 100)); // then silence
        long start = clock.nanoTime();
        assertEquals(FrameReader.OVERSIZE_START, reader.readFrame(t, 100, false));
        int calls = 0;
        int status;
        do {
            long before = clock.nanoTime();
            status = reader.readFrame(t, 100, false);
            assertTrue(clock.millisSince(before) <= 100, "returns by its deadline");
            calls++;
        } while (status == FrameReader.TIMEOUT && calls < 100);
        assertEquals(Failure.FAILED, status);
        assertEquals(OPERATION_TIMEOUT_MILLIS, clock.millisSince(start), "a stall limit of operationTimeoutMillis");
        assertTrue(failure.text.contains("after 100 of the " + big.length + " bytes"), failure.text);
    }
}
