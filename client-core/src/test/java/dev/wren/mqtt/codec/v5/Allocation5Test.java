package dev.wren.mqtt.codec.v5;

import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.ConnectFields;
import dev.wren.mqtt.testing.AllocationMeter;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Writing a full property set, encoding and decoding every MQTT 5.0 packet type (and a CONNECT with will
 * properties, type 0) and reading every property back allocates 0 bytes on the current thread in the steady state,
 * measured as {@code AllocationTest} measures the 3.1.1 codec ({@link AllocationMeter#assertSteadyStateAllocatesNothing}
 * over rounds of {@value #ITERATIONS}).
 */
@Timeout(120)
class Allocation5Test {
    private static final int ITERATIONS = 20_000;

    private final byte[] buf = new byte[1024];
    private final byte[] scratch = new byte[512];
    private final PropertiesWriter writer = new PropertiesWriter();
    private final PacketDecoder5 d = new PacketDecoder5();
    private final ConnectFields connect = GoldenFixtures5.fullConnect();
    private long sink;

    @ParameterizedTest(name = "packet type {0}")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
    void writeEncodeDecodeAndReadAllocateNothing(int type) throws Exception {
        AllocationMeter.assertSteadyStateAllocatesNothing("5.0 " + PacketType5.name(type)
                + " write+encode+decode+read", ITERATIONS, n -> run(type, n));
    }

    private void run(int type, int iterations) {
        for (int i = 0; i < iterations; i++) {
            Packets5.fill(writer.wrap(scratch, 0, type), type);
            int len = Packets5.encode(type, buf, writer, connect);
            int status = d.decode(buf, 0, len, Packets5.toClient(type));
            if (status != CodecStatus.OK) {
                throw new AssertionError(PacketType5.name(type) + ": " + CodecStatus.describe(status));
            }
            sink += inspect(Packets5.view(d, type)) + d.publish.checkPayloadFormat();
        }
    }

    /** Reads every property the way a caller would, so the reads are measured too. */
    private static long inspect(PropertiesView p) {
        if (p == null) {
            return 0;
        }
        long sum = p.intValue(Property.SESSION_EXPIRY_INTERVAL, 0) + p.valueLength(Property.REASON_STRING);
        for (p.reset(); p.next(); ) {
            sum += p.id() + p.intValue() + p.valueLength();
            if (p.type() == Property.UTF8_STRING) {
                CharSequence text = p.valueText();
                for (int k = 0; k < text.length(); k++) {
                    sum += text.charAt(k);
                }
            }
        }
        return sum;
    }
}
