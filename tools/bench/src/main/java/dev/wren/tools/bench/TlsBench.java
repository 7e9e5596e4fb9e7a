package dev.wren.tools.bench;

import dev.wren.mqtt.tls.TlsConfig;
import dev.wren.mqtt.tls.TlsTransportFactory;
import dev.wren.tools.bench.ResultTable.Column;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * What TLS costs in allocation: bytes allocated per message (all threads) publishing 32 B at QoS 0 and QoS 1,
 * over the bench broker's plain listener and over its TLS listener, back to back in this JVM, with the warm-up and
 * measurement of the main table's allocation rows ({@link BenchRun#bytesPerMessage}). Every client trusts the
 * bench's throwaway CA and verifies the host name. Raw-socket rows give JSSE's own floor: the same PUBLISH frames
 * written in 64 KiB writes, or one write (so one TLS record) per PUBLISH, or through a QoS 1 window.
 */
final class TlsBench {
    /** Header of the rendered table; the smoke test finds the table by it. */
    static final String[] HEADER = {"TLS section: publisher, 32 B payload", "over TCP [B/msg]", "over TLS [B/msg]",
            "TLS − TCP [B/msg]"};
    /** Row labels of the raw-socket floor. */
    static final String RAW_BATCHED = "raw socket, QoS 0, 64 KiB writes";
    static final String RAW_EACH = "raw socket, QoS 0, one write per PUBLISH";
    static final String RAW_QOS1 = "raw socket, QoS 1, window writes";

    private final String host;
    private final int port;
    private final int tlsPort;
    private final long count;
    private final int window;
    private final PrintWriter log;
    private final SSLSocketFactory sockets;
    private final TrustManagerFactory trust;
    private final TlsTransportFactory wrenTls;
    private final String[] jdkProtocols;
    private final Map<String, double[]> rows = new LinkedHashMap<>();   // label -> {tcp, tls}
    private String negotiated = "not measured";
    private int topicSeq;

    /**
     * @param count  messages per measurement (after a warm-up of a fifth of it)
     * @param window in-flight window of the QoS 1 measurements
     */
    TlsBench(String host, int port, int tlsPort, BenchCertificates certificates, long count, int window,
             PrintWriter log) throws IOException {
        this.host = host;
        this.port = port;
        this.tlsPort = tlsPort;
        this.count = count;
        this.window = window;
        this.log = log;
        SSLContext context = certificates.sslContext();
        this.sockets = context.getSocketFactory();
        this.jdkProtocols = context.getDefaultSSLParameters().getProtocols();
        this.trust = certificates.trustManagers();
        this.wrenTls = TlsTransportFactory.create(TlsConfig.builder().trustPemFile(certificates.caPem).build());
    }

    /** The raw-socket rows: JSSE's cost with nothing of a client around it. */
    void measureRaw() throws Exception {
        log.println("TLS section: raw socket, " + count + " messages per measurement, TCP port " + port
                + ", TLS port " + tlsPort);
        try (RawPublisher probe = RawPublisher.connect(host, tlsPort, sockets)) {
            negotiated = probe.protocol();
        }
        log.println("TLS section: JDK negotiates " + negotiated);
        rows.put(RAW_BATCHED, new double[] {raw(0, false, null), raw(0, false, sockets)});
        rows.put(RAW_EACH, new double[] {raw(0, true, null), raw(0, true, sockets)});
        rows.put(RAW_QOS1 + " (w" + window + ")", new double[] {raw(1, false, null), raw(1, false, sockets)});
    }

    /** A client's rows: publishing QoS 0 and QoS 1 over TCP, then over TLS. */
    void measureClient(Column column) throws Exception {
        log.println("TLS section: " + column.label);
        Supplier<BenchClient> tcp;
        Supplier<BenchClient> tls;
        switch (column) {
            case WREN:
                tcp = WrenClient::new;
                tls = () -> new WrenClient(b -> b.transportFactory(wrenTls));
                break;
            case PAHO:
                tcp = PahoClient::new;
                tls = () -> new PahoClient(sockets);
                break;
            case PAHO_BLOCKING:
                tcp = PahoBlockingClient::new;
                tls = () -> new PahoBlockingClient(sockets);
                break;
            case HIVEMQ:
                tcp = HivemqClient::new;
                tls = () -> new HivemqClient(trust);
                break;
            default:
                throw new IllegalArgumentException("no TLS measurement for " + column.label);
        }
        for (int qos = 0; qos <= 1; qos++) {
            rows.put(column.label + ", QoS " + qos, new double[] {client(tcp, port, qos), client(tls, tlsPort, qos)});
        }
    }

    private double raw(int qos, boolean writeEach, SSLSocketFactory tls) throws Exception {
        String topic = newTopic("raw-q" + qos + (writeEach ? "-each" : "") + (tls != null ? "-tls" : "-tcp"));
        try (RawSubscriber sub = RawSubscriber.start(host, port, topic, 0);
             RawPublisher pub = RawPublisher.connect(host, tls != null ? tlsPort : port, tls)) {
            pub.prepare(topic, qos, BenchRun.payload(32), window);
            return BenchRun.bytesPerMessage(count, (n, total) -> {
                if (writeEach) {
                    pub.publishEach(n);
                } else {
                    pub.publish(n);
                }
                sub.awaitReceived(total, BenchRun.STALL_MILLIS);
            });
        }
    }

    /** As {@code BenchRun.publishAllocation}, with the client connected to {@code clientPort}. */
    private double client(Supplier<BenchClient> factory, int clientPort, int qos) throws Exception {
        String topic = newTopic("q" + qos + (clientPort == tlsPort ? "-tls" : "-tcp"));
        byte[] payload = BenchRun.payload(32);
        try (RawSubscriber sub = RawSubscriber.start(host, port, topic, 0); BenchClient c = factory.get()) {
            c.connect(host, clientPort, "bench-tls-alloc", window);
            c.topic(topic);
            return BenchRun.bytesPerMessage(count, (n, total) -> {
                BenchRun.publishAll(c, payload, qos, n);
                sub.awaitReceived(total, BenchRun.STALL_MILLIS);
            });
        }
    }

    private String newTopic(String what) {
        return "wren-bench/" + Long.toHexString(System.nanoTime()) + "/tls-" + what + "/" + (++topicSeq);
    }

    /** The table with its footnotes (Markdown). */
    String render() {
        List<String[]> lines = new ArrayList<>();
        lines.add(HEADER);
        rows.forEach((label, v) -> lines.add(new String[] {label, format(v[0]), format(v[1]), format(v[1] - v[0])}));
        return ResultTable.markdown(lines)
                + "\nBytes allocated per message by all threads, publishing " + count + " messages of 32 B after a warm-up of"
                + " a fifth of that, to one raw-socket QoS 0 subscriber on the plain listener; QoS 1 window " + window + "."
                + "\nTLS: mosquitto's second listener (TLS 1.2 and 1.3, throwaway CA and server certificate made by openssl"
                + " at run time); every publisher trusts that CA and verifies the host name. The JDK negotiates "
                + negotiated + " with it; Wren offers " + String.join(", ", TlsConfig.TLS_1_3, TlsConfig.TLS_1_2)
                + " (TlsConfig's default), Paho the SSLContext's " + Arrays.toString(jdkProtocols)
                + ", HiveMQ Netty's JDK defaults."
                + "\nRaw rows: the main table's ceiling publisher, frames encoded once; \"one write per PUBLISH\" gives JSSE"
                + " one record per message, as a client that writes each packet on its own does.\n";
    }

    private static String format(double bytes) {
        return String.format(Locale.ROOT, "%,.1f", bytes);
    }
}
