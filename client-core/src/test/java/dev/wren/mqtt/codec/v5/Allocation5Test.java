package dev.wren.mqtt.codec.v5;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wren.mqtt.codec.CodecStatus;
import dev.wren.mqtt.codec.ConnectFields;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Writing a full property set, encoding and decoding every MQTT 5.0 packet type (and a CONNECT with will
 * properties, type 0) and reading every property back allocates exactly 0 bytes on the current thread after a
 * warm-up, measured as {@code AllocationTest} measures the 3.1.1 codec, with
 * {@link com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes()}.
 */
@Timeout(120)
class Allocation5Test {
    private static final int ITERATIONS = 50_000;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final byte[] buf = new byte[1024];
    private final byte[] scratch = new byte[512];
    private final PropertiesWriter writer = new PropertiesWriter();
    private final PacketDecoder5 d = new PacketDecoder5();
    private final ConnectFields connect = GoldenFixtures5.fullConnect();
    private long sink;

    @BeforeAll
    static void allocationCountingIsOn() {
        assertEquals(true, THREADS.isThreadAllocatedMemorySupported(), "this JVM cannot count allocated bytes");
        THREADS.setThreadAllocatedMemoryEnabled(true);
    }

    @ParameterizedTest(name = "packet type {0}")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
    void writeEncodeDecodeAndReadAllocateNothing(int type) {
        run(type, ITERATIONS); // warm-up: class loading, interpreter, JIT
        run(type, ITERATIONS);
        long before = THREADS.getCurrentThreadAllocatedBytes();
        run(type, ITERATIONS);
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        System.out.println("allocation 5.0 " + PacketType5.name(type) + ": " + allocated + " bytes in "
                + ITERATIONS + " write+encode+decode+read iterations");
        assertEquals(0, allocated, PacketType5.name(type) + ": bytes allocated in " + ITERATIONS + " iterations");
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
