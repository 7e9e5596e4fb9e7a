package dev.wren.tools.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The few MQTT 3.1.1 packets the benchmark's raw-socket peers need, written by hand so that the ceiling and the
 * subscriber measure the broker and the socket, not any client under test (Wren's codec included).
 */
final class RawMqtt {
    static final int PUBLISH = 3;
    static final int PUBACK = 4;
    static final int PUBREC = 5;
    static final int PUBREL = 6;
    static final int PUBCOMP = 7;

    private RawMqtt() {
    }

    /** Opens a socket with Nagle off and sends CONNECT (clean session, keep-alive 0), then checks CONNACK (§3.2). */
    static Socket connect(String host, int port, String clientId) throws IOException {
        return connect(host, port, clientId, null);
    }

    /**
     * Connects as {@link #connect(String, int, String)} does, over TLS with sockets of {@code tls} (host name
     * verified) unless it is null.
     */
    static Socket connect(String host, int port, String clientId, javax.net.ssl.SSLSocketFactory tls) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setReceiveBufferSize(1 << 20);
        s.setSendBufferSize(1 << 20);
        s.connect(new InetSocketAddress(host, port), 10_000);
        if (tls != null) {
            javax.net.ssl.SSLSocket t = (javax.net.ssl.SSLSocket) tls.createSocket(s, host, port, true);
            javax.net.ssl.SSLParameters parameters = t.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            t.setSSLParameters(parameters);
            try {
                t.startHandshake();
            } catch (IOException e) {
                t.close();
                throw e;
            }
            s = t;
        }
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        byte[] f = new byte[14 + id.length];
        f[0] = 0x10;
        f[1] = (byte) (12 + id.length);
        byte[] head = {0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 0};    // §3.1.2: level 4, clean session, keep-alive 0
        System.arraycopy(head, 0, f, 2, head.length);
        f[12] = (byte) (id.length >> 8);
        f[13] = (byte) id.length;
        System.arraycopy(id, 0, f, 14, id.length);
        s.getOutputStream().write(f);
        byte[] connack = readFully(s.getInputStream(), 4);
        if (connack[0] != 0x20 || connack[3] != 0) {
            s.close();
            throw new IOException("raw peer " + clientId + ": CONNACK " + hex(connack) + " from " + host + ":" + port);
        }
        return s;
    }

    /** Sends SUBSCRIBE for one filter (§3.8) and waits for its SUBACK (§3.9). */
    static void subscribe(Socket s, String filter, int qos) throws IOException {
        byte[] t = filter.getBytes(StandardCharsets.UTF_8);
        int remaining = 2 + 2 + t.length + 1;
        byte[] f = new byte[2 + remaining];
        f[0] = (byte) 0x82;
        f[1] = (byte) remaining;
        f[2] = 0;
        f[3] = 1;
        f[4] = (byte) (t.length >> 8);
        f[5] = (byte) t.length;
        System.arraycopy(t, 0, f, 6, t.length);
        f[6 + t.length] = (byte) qos;
        s.getOutputStream().write(f);
        byte[] suback = readFully(s.getInputStream(), 5);
        if (suback[0] != (byte) 0x90 || (suback[4] & 0xFF) > 2) {
            throw new IOException("raw subscriber: SUBACK " + hex(suback) + " for " + filter);
        }
    }

    /** Encodes a PUBLISH frame (§3.3); {@code packetId} is ignored at QoS 0. Returns the frame length. */
    static int encodePublish(byte[] dst, int off, byte[] topic, int qos, int packetId, byte[] payload, int payloadLength) {
        int remaining = 2 + topic.length + (qos > 0 ? 2 : 0) + payloadLength;
        int p = off;
        dst[p++] = (byte) (0x30 | qos << 1);
        p = putRemainingLength(dst, p, remaining);
        dst[p++] = (byte) (topic.length >> 8);
        dst[p++] = (byte) topic.length;
        System.arraycopy(topic, 0, dst, p, topic.length);
        p += topic.length;
        if (qos > 0) {
            dst[p++] = (byte) (packetId >> 8);
            dst[p++] = (byte) packetId;
        }
        System.arraycopy(payload, 0, dst, p, payloadLength);
        return p + payloadLength - off;
    }

    /** Whole frame length of a PUBLISH with these sizes. */
    static int publishLength(int topicLength, int qos, int payloadLength) {
        int remaining = 2 + topicLength + (qos > 0 ? 2 : 0) + payloadLength;
        return 1 + remainingLengthSize(remaining) + remaining;
    }

    /** Encodes a 4-byte acknowledgement (§3.4-3.7); PUBREL carries flags 0b0010. */
    static int encodeAck(byte[] dst, int off, int type, int packetId) {
        dst[off] = (byte) (type << 4 | (type == PUBREL ? 0x02 : 0));
        dst[off + 1] = 2;
        dst[off + 2] = (byte) (packetId >> 8);
        dst[off + 3] = (byte) packetId;
        return 4;
    }

    /** Sends DISCONNECT (§3.14) and closes; never throws. */
    static void disconnect(Socket s) {
        try {
            OutputStream out = s.getOutputStream();
            out.write(new byte[] {(byte) 0xE0, 0});
            out.flush();
        } catch (IOException ignored) {
            // the socket is closed below either way
        }
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }

    static int putRemainingLength(byte[] dst, int p, int value) {
        do {
            int digit = value & 0x7F;
            value >>>= 7;
            dst[p++] = (byte) (value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
        return p;
    }

    static int remainingLengthSize(int value) {
        return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
    }

    /**
     * Parses the fixed header at {@code off}: returns the whole frame length, or -1 when {@code len} bytes
     * do not yet hold the remaining length. Sets {@code header[0]} to the header length.
     */
    static int frameLength(byte[] buf, int off, int len, int[] header) {
        int value = 0;
        for (int i = 1; i <= 4; i++) {
            if (i >= len) {
                return -1;
            }
            int b = buf[off + i];
            value |= (b & 0x7F) << (7 * (i - 1));
            if ((b & 0x80) == 0) {
                header[0] = i + 1;
                return i + 1 + value;
            }
        }
        throw new IllegalStateException("remaining length longer than 4 bytes at offset " + off);
    }

    static byte[] readFully(InputStream in, int n) throws IOException {
        byte[] b = new byte[n];
        int got = 0;
        while (got < n) {
            int r = in.read(b, got, n - got);
            if (r < 0) {
                throw new EOFException("end of stream after " + got + " of " + n + " bytes");
            }
            got += r;
        }
        return b;
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x ", x));
        }
        return sb.toString().trim();
    }

    static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[off + i] & 0xFF);
        }
        return v;
    }

    static void writeLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }
}
