package dev.wren.tools.bench.jmh;

import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.PacketType;
import dev.wren.mqtt.codec.v5.FixedHeader;
import dev.wren.mqtt.codec.v5.PropertiesView;
import dev.wren.mqtt.codec.v5.PropertiesWriter;
import dev.wren.mqtt.codec.v5.Property;
import dev.wren.mqtt.codec.v5.PublishEncoder;
import dev.wren.mqtt.codec.v5.PublishView;
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
 * The sensor PUBLISH of {@link PublishCodecBenchmark} at MQTT 5.0 (§3.3), without properties and with the ones
 * a sensor node would send: Payload Format Indicator 1, Message Expiry Interval 300 s, Content Type
 * {@code text/plain}, User Property {@code unit=°C}. The "with properties" variants write the property block
 * on every encode and read every property on every decode. Run beside the 3.1.1 figures:
 * {@code java -cp tools/target/wren.jar org.openjdk.jmh.Main "Publish5?CodecBenchmark" -prof gc} (Java 21+).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Publish5CodecBenchmark {
    private static final String TOPIC = "home/living_room/temperature";

    private final byte[] topicUtf8 = TOPIC.getBytes(StandardCharsets.UTF_8);
    private final byte[] payload = "21.53".getBytes(StandardCharsets.US_ASCII);
    private final byte[] transmit = new byte[128];
    private final byte[] scratch = new byte[64];
    private final byte[] plainFrame = new byte[128];
    private final byte[] propertiesFrame = new byte[128];
    private final PropertiesWriter properties = new PropertiesWriter();
    private final FixedHeader header = new FixedHeader();
    private final PublishView view = new PublishView();
    private int plainLength;
    private int propertiesLength;

    /** Encodes the frames the decode benchmarks read. */
    @Setup
    public void encodeFrames() {
        plainLength = PublishEncoder.encodeHeader(plainFrame, 0, topicUtf8, 0, topicUtf8.length, 1, false, false,
                4242, null, payload.length);
        System.arraycopy(payload, 0, plainFrame, plainLength, payload.length);
        plainLength += payload.length;
        propertiesLength = encodeWithProperties(propertiesFrame);
    }

    private int writeProperties() {
        properties.wrap(scratch, 0, PacketType.PUBLISH)
                .putInt(Property.PAYLOAD_FORMAT_INDICATOR, 1)
                .putInt(Property.MESSAGE_EXPIRY_INTERVAL, 300)
                .putString(Property.CONTENT_TYPE, "text/plain")
                .putUserProperty("unit", "\u00b0C");
        return properties.length();
    }

    private int encodeWithProperties(byte[] dst) {
        writeProperties();
        int n = PublishEncoder.encodeHeader(dst, 0, topicUtf8, 0, topicUtf8.length, 1, false, false, 4242,
                properties, payload.length);
        System.arraycopy(payload, 0, dst, n, payload.length);
        return n + payload.length;
    }

    /** Encodes the PUBLISH without properties (a property length of 0). */
    @Benchmark
    public int encodeWithoutProperties() {
        int n = PublishEncoder.encodeHeader(transmit, 0, topicUtf8, 0, topicUtf8.length, 1, false, false, 4242,
                null, payload.length);
        System.arraycopy(payload, 0, transmit, n, payload.length);
        return n + payload.length;
    }

    /** Writes the four properties, then encodes the PUBLISH carrying them. */
    @Benchmark
    public int encodeWithProperties() {
        return encodeWithProperties(transmit);
    }

    /** Decodes fixed header and body of the PUBLISH without properties. */
    @Benchmark
    public int decodeWithoutProperties() {
        return decode(plainFrame, plainLength);
    }

    /** Decodes the PUBLISH with properties, validating them, and reads every property back. */
    @Benchmark
    public int decodeWithProperties() {
        int sum = decode(propertiesFrame, propertiesLength);
        PropertiesView p = view.properties();
        for (p.reset(); p.next(); ) {
            sum += p.id() + p.intValue() + p.valueLength();
        }
        return sum + view.checkPayloadFormat();
    }

    private int decode(byte[] frame, int length) {
        int status = header.decode(frame, 0, length);
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
