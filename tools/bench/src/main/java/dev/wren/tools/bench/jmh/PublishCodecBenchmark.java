package dev.wren.tools.bench.jmh;

import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.FrameHeader;
import dev.wren.mqtt.codec.PublishEncoder;
import dev.wren.mqtt.codec.PublishView;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encode and decode of a typical sensor PUBLISH (MQTT 3.1.1 §3.3): topic {@code home/living_room/temperature},
 * payload {@code 21.53}, QoS 1. Run with the gc profiler to see bytes per operation:
 * {@code java -cp tools/bench/target/wren-bench.jar org.openjdk.jmh.Main PublishCodecBenchmark -prof gc} (Java 21+).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PublishCodecBenchmark {
    private static final String TOPIC = "home/living_room/temperature";

    private final byte[] topicUtf8 = TOPIC.getBytes(StandardCharsets.UTF_8);
    private final byte[] payload = "21.53".getBytes(StandardCharsets.US_ASCII);
    private final byte[] transmit = new byte[128];
    private final byte[] frame = new byte[128];
    private final FrameHeader header = new FrameHeader();
    private final PublishView view = new PublishView();
    private int frameLength;

    /** Encodes the frame the decode benchmark reads. */
    @Setup
    public void encodeFrame() {
        frameLength = PublishEncoder.encode(frame, 0, topicUtf8, 0, topicUtf8.length, 1, false, false, 4242,
                payload, 0, payload.length);
    }

    /** Encodes the PUBLISH from a topic already in UTF-8 (how the node publishes a fixed topic). */
    @Benchmark
    public int encodeUtf8Topic() {
        return PublishEncoder.encode(transmit, 0, topicUtf8, 0, topicUtf8.length, 1, false, false, 4242,
                payload, 0, payload.length);
    }

    /** Encodes the PUBLISH from a String topic (UTF-8 encoded on the fly). */
    @Benchmark
    public int encodeCharSequenceTopic() {
        return PublishEncoder.encode(transmit, 0, TOPIC, 1, false, false, 4242, payload, 0, payload.length);
    }

    /** Decodes fixed header and body, validating the topic; returns something the JIT cannot drop. */
    @Benchmark
    public int decode() {
        int status = header.decode(frame, 0, frameLength);
        if (status != CodecStatus.OK) {
            throw new IllegalStateException("frame header: " + CodecStatus.name(status));
        }
        status = view.decode(frame, header.headerLength(), header.remainingLength(), header.flags());
        if (status != CodecStatus.OK) {
            throw new IllegalStateException("publish body: " + CodecStatus.name(status));
        }
        return view.packetId() + view.payloadLength();
    }
}
