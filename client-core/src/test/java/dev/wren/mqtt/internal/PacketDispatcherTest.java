package dev.wren.mqtt.internal;

import dev.wren.mqtt.MqttConfig;
import dev.wren.mqtt.MqttException.Reason;
import dev.wren.mqtt.MqttListener;
import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.codec.PublishView;
import dev.wren.mqtt.store.InflightStore;
import dev.wren.mqtt.testing.Bytes;
import dev.wren.mqtt.testing.FakeClock;
import dev.wren.mqtt.testing.ScriptedTransport;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.wren.mqtt.testing.Packets.connack;
import static dev.wren.mqtt.testing.Packets.puback;
import static dev.wren.mqtt.testing.Packets.pubcomp;
import static dev.wren.mqtt.testing.Packets.publish;
import static dev.wren.mqtt.testing.Packets.pubrec;
import static dev.wren.mqtt.testing.Packets.pubrel;
import static dev.wren.mqtt.testing.Packets.pingresp;
import static dev.wren.mqtt.testing.Packets.suback;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dispatcher alone: fed the reader's events over byte fixtures, it returns outcomes, moves the tables it was
 * given and queues acks; it never ends the connection itself.
 */
class PacketDispatcherTest {

    private final FakeClock clock = new FakeClock();
    private final List<String> events = new ArrayList<>();
    private final MqttListener listener = new MqttListener() {
        @Override
        public void onPublishComplete(int packetId) {
            events.add("complete " + packetId);
        }

        @Override
        public void onPubrec(int packetId) {
            events.add("pubrec " + packetId);
        }

        @Override
        public void onPubrel(int packetId) {
            events.add("pubrel " + packetId);
        }

        @Override
        public void onOversizeMessage(CharSequence topic, int byteCount, int qos) {
            events.add("oversize " + topic + " " + byteCount + " qos " + qos);
        }
    };
    private final MqttConfig config = MqttConfig.builder().host("broker.test").clientId("c").clock(clock)
            .receiveBufferBytes(64).maxInflight(4).listener(listener).build();
    private final RecordingLink link = new RecordingLink();
    private final Failure failure = new Failure();
    private final FrameReader reader = new FrameReader(config, failure);
    private final WriteBatch acks = new WriteBatch(link, 16, 0);
    private final InflightTable inflight = new InflightTable(4);
    private final InflightStore store = InflightStore.inMemory(4, 64);
    private final IncomingQos2Table incomingQos2 = new IncomingQos2Table(4);
    private final SubscriptionTable subscriptions = new SubscriptionTable(4);
    private final PacketDispatcher dispatcher = new PacketDispatcher(config, link, failure, reader, acks,
            new PublishView(), inflight, store, incomingQos2, subscriptions);

    /** Reads the next event of {@code packets} and dispatches it; returns the outcome. */
    private int dispatchNext(ScriptedTransport t) throws Exception {
        int event = reader.readFrame(t, 0, false);
        assertTrue(event > 0, "reader event " + event);
        return dispatcher.dispatch(event);
    }

    private byte[] flushed() throws Exception {
        acks.flush();
        return link.written();
    }

    @Test
    void pubackFreesTheRecordAndTellsTheListener() throws Exception {
        inflight.occupy(0, 5, InflightTable.AWAIT_PUBACK);
        ScriptedTransport t = new ScriptedTransport(clock).send(puback(5)).send(puback(5));
        assertEquals(PacketDispatcher.HANDLED, dispatchNext(t));
        assertEquals(0, inflight.count());
        assertEquals(PacketDispatcher.HANDLED, dispatchNext(t), "a late duplicate is ignored");
        assertEquals(List.of("complete 5"), events);
        assertEquals(0, flushed().length);
    }

    @Test
    void pubrecQueuesPubrelAndPubcompCompletes() throws Exception {
        inflight.occupy(1, 6, InflightTable.AWAIT_PUBREC);
        ScriptedTransport t = new ScriptedTransport(clock).send(pubrec(6)).send(pubcomp(6));
        dispatchNext(t);
        assertEquals(InflightTable.AWAIT_PUBCOMP, inflight.state(1));
        dispatchNext(t);
        assertEquals(List.of("pubrec 6", "complete 6"), events);
        assertArrayEquals(pubrel(6), flushed());
    }

    @Test
    void pubackForAMessageAwaitingPubrecIsAViolationReportedNotActedOn() throws Exception {
        inflight.occupy(0, 7, InflightTable.AWAIT_PUBREC);
        assertEquals(Failure.FAILED, dispatchNext(new ScriptedTransport(clock).send(puback(7))));
        assertEquals(Reason.PROTOCOL_VIOLATION, failure.reason);
        assertEquals("MQTT-4.3.3-1", failure.ruleId);
        assertEquals(InflightTable.AWAIT_PUBREC, inflight.state(0));
    }

    @Test
    void pingrespAndASecondConnackAreOutcomes() throws Exception {
        ScriptedTransport t = new ScriptedTransport(clock).send(pingresp()).send(connack(false, 0));
        assertEquals(PacketDispatcher.PINGRESP, dispatchNext(t));
        assertEquals(Failure.FAILED, dispatchNext(t));
        assertEquals("second CONNACK on one connection", failure.text);
    }

    @Test
    void qos2PublishIsDeliveredOnceAndAcknowledgedEachTime() throws Exception {
        List<String> delivered = new ArrayList<>();
        subscriptions.put("a/#", m -> delivered.add(m.topicAsString() + "=" + m.payloadAsString()), 2);
        byte[] p = publish("a/b", "hi", 2, false, false, 9);
        ScriptedTransport t = new ScriptedTransport(clock).send(p).send(publish("a/b", "hi", 2, false, true, 9))
                .send(pubrel(9));
        dispatchNext(t);
        dispatchNext(t);
        dispatchNext(t);
        assertEquals(List.of("a/b=hi"), delivered, "the re-sent copy is not delivered again [MQTT-4.3.3-2]");
        assertArrayEquals(Bytes.of(pubrec(9), pubrec(9), pubcomp(9)), flushed());
    }

    @Test
    void pubrelOfAnIncomingQos2MessageTellsTheListenerOnceItsPubcompIsQueued() throws Exception {
        subscriptions.put("a/#", m -> events.add("delivered " + m.packetId()), 2);
        ScriptedTransport t = new ScriptedTransport(clock).send(publish("a/b", "hi", 2, false, false, 9))
                .send(pubrel(9)).send(pubrel(12));
        dispatchNext(t);
        dispatchNext(t);
        assertArrayEquals(Bytes.of(pubrec(9), pubcomp(9)), flushed(), "PUBREC at the PUBLISH, PUBCOMP at the PUBREL");
        dispatchNext(t);
        assertEquals(List.of("delivered 9", "pubrel 9", "pubrel 12"), events,
                "a PUBREL for an id the client does not hold is answered and reported too (§4.3.3)");
    }

    @Test
    void theExpectedSubackIsAppliedAndARefusedFilterRestored() throws Exception {
        CharSequence[] filters = {"x", "y"};
        int[] codes = new int[2];
        subscriptions.put("x", m -> { }, 1);
        subscriptions.put("y", m -> { }, 1);
        dispatcher.rememberPrevious(0, null, 0);
        dispatcher.rememberPrevious(1, null, 0);
        dispatcher.expect(PacketType.SUBACK, 3, filters, 2, codes);
        ScriptedTransport t = new ScriptedTransport(clock).send(suback(2, 1, 1)).send(suback(3, 1, 0x80));
        assertEquals(PacketDispatcher.HANDLED, dispatchNext(t), "another packet id: not ours");
        assertEquals(PacketDispatcher.ACK_ARRIVED, dispatchNext(t));
        assertArrayEquals(new int[]{1, 0x80}, codes);
        assertEquals(0, subscriptions.indexOf("x"));
        assertEquals(-1, subscriptions.indexOf("y"), "refused and new: removed");
        assertEquals(3, dispatcher.awaitedId());
        dispatcher.expectNothing();
        assertEquals(0, dispatcher.awaitedId());
    }

    @Test
    void anOversizePublishIsAnnouncedAtItsStartAndAcknowledgedAtItsEnd() throws Exception {
        char[] payload = new char[150];
        Arrays.fill(payload, 'z');
        byte[] big = publish("big", new String(payload), 1, false, false, 12);
        ScriptedTransport t = new ScriptedTransport(clock).send(big);
        assertEquals(PacketDispatcher.HANDLED, dispatchNext(t));
        assertEquals(List.of("oversize big " + big.length + " qos 1"), events);
        assertEquals(0, flushed().length, "not acknowledged before its last byte");
        assertEquals(PacketDispatcher.HANDLED, dispatchNext(t));
        assertArrayEquals(puback(12), flushed());
        assertEquals(1, dispatcher.oversizeMessageCount());
    }
}
