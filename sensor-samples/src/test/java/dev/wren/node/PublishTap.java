package dev.wren.node;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A loopback relay between a client and a broker that counts, exactly as they cross the wire, the PUBLISH frames the
 * client sends: each frame's size, its topic as sent (empty when a Topic Alias stands for it), the Topic Alias, and
 * the topic the alias means on that connection (MQTT 5.0 §3.3.2.3.4), so a test can say how many bytes a reading
 * takes with and without aliases. The frames are parsed here from the bytes, field by field (§2.1, §3.3), not by
 * the codec of the client under test. Bytes are forwarded unchanged in both directions.
 */
final class PublishTap implements AutoCloseable {
  /** Topic Alias (MQTT 5.0 §2.2.2.2, Table 2-4). */
  private static final int TOPIC_ALIAS = 0x23;

  /**
   * One PUBLISH the client sent.
   *
   * @param topic        the topic it is for: as sent, or the one its alias was set to on this connection
   * @param topicSent    the bytes of the Topic Name field's text (0 when the alias stands for it)
   * @param alias        its Topic Alias, 0 for none
   * @param frameBytes   the whole frame: fixed header, variable header, payload
   * @param payloadBytes the payload alone
   * @param connection   the relayed connection it came on, 1 for the first
   */
  record Frame(String topic, int topicSent, int alias, int frameBytes, int payloadBytes, int connection) {
    /** Bytes of the frame other than the payload: what the topic and the properties cost. */
    int overheadBytes() {
      return frameBytes - payloadBytes;
    }
  }

  private final ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<Frame> frames = new CopyOnWriteArrayList<>();
  private final String brokerHost;
  private final int brokerPort;
  private int connections;

  /** Starts relaying each accepted connection to {@code brokerHost:brokerPort}. */
  PublishTap(String brokerHost, int brokerPort) throws IOException {
    this.brokerHost = brokerHost;
    this.brokerPort = brokerPort;
    Thread acceptor = new Thread(this::acceptLoop, "publish-tap-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** {@code tcp://127.0.0.1:<port>} of the relay. */
  String uri() {
    return "tcp://127.0.0.1:" + server.getLocalPort();
  }

  /** Every PUBLISH the client sent so far, in order. */
  List<Frame> frames() {
    return List.copyOf(frames);
  }

  /** Those for {@code topic}, in order. */
  List<Frame> on(String topic) {
    return frames.stream().filter(f -> f.topic().equals(topic)).toList();
  }

  /** Waits until {@code done} holds for the frames seen; fails naming them. Polls every 20 ms (a condition). */
  void await(String what, Predicate<List<Frame>> done, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    while (!done.test(frames())) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("no " + what + " within " + timeoutMillis + " ms; frames: " + frames());
      }
      Thread.sleep(20);
    }
  }

  private void acceptLoop() {
    try {
      while (true) {
        Socket client = server.accept();
        Socket broker = new Socket(brokerHost, brokerPort);
        client.setTcpNoDelay(true);
        broker.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(broker);
        int connection;
        synchronized (this) {
          connection = ++connections;
        }
        start(() -> pump(broker.getInputStream(), client.getOutputStream(), null, client), "publish-tap-down");
        Parser parser = new Parser(connection);
        start(() -> pump(client.getInputStream(), broker.getOutputStream(), parser, broker), "publish-tap-up");
      }
    } catch (IOException closed) {
      // The tap was closed.
    }
  }

  private interface Io {
    void run() throws IOException;
  }

  private static void start(Io io, String name) {
    Thread t = new Thread(() -> {
      try {
        io.run();
      } catch (IOException gone) {
        // One side closed or reset: the other is closed by the pump's end.
      }
    }, name);
    t.setDaemon(true);
    t.start();
  }

  private static void pump(InputStream in, OutputStream out, Parser parser, Socket to) throws IOException {
    byte[] buf = new byte[8192];
    try {
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        if (parser != null) {
          parser.feed(buf, n); // before forwarding: the broker's answer cannot overtake the record
        }
        out.write(buf, 0, n);
      }
      to.shutdownOutput();
    } finally {
      if (parser == null) {
        to.close();
      }
    }
  }

  /** Splits the client's byte stream into frames (§2.1) and records each PUBLISH. */
  private final class Parser {
    private final int connection;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final Map<Integer, String> aliases = new HashMap<>();
    private int level = 4;

    Parser(int connection) {
      this.connection = connection;
    }

    void feed(byte[] buf, int n) {
      pending.write(buf, 0, n);
      byte[] b = pending.toByteArray();
      int at = 0;
      while (true) {
        // Remaining Length: a variable byte integer of up to 4 bytes after the first (§2.1.4).
        int remaining = 0;
        int p = at + 1;
        int shift = 0;
        boolean complete = false;
        while (p < b.length && shift <= 21) {
          int digit = b[p++] & 0xFF;
          remaining |= (digit & 0x7F) << shift;
          shift += 7;
          if ((digit & 0x80) == 0) {
            complete = true;
            break;
          }
        }
        if (!complete || p + remaining > b.length) {
          break;
        }
        frame(b, at, p, p + remaining);
        at = p + remaining;
      }
      pending.reset();
      pending.write(b, at, b.length - at);
    }

    private void frame(byte[] b, int start, int body, int end) {
      int type = (b[start] & 0xF0) >> 4;
      if (type == 1) {
        level = b[body + 6] & 0xFF; // CONNECT: 00 04 'MQTT', then the protocol level (§3.1.2.2)
        aliases.clear(); // new connection: aliases start afresh [MQTT-3.3.2-7]
        return;
      }
      if (type != 3) {
        return;
      }
      int qos = (b[start] >> 1) & 0x03;
      int topicLength = u16(b, body);
      String topic = new String(b, body + 2, topicLength, StandardCharsets.UTF_8);
      int p = body + 2 + topicLength + (qos > 0 ? 2 : 0);
      int alias = 0;
      if (level == 5) {
        int propertyLength = 0;
        int shift = 0;
        int digit;
        do {
          digit = b[p++] & 0xFF;
          propertyLength |= (digit & 0x7F) << shift;
          shift += 7;
        } while ((digit & 0x80) != 0);
        alias = topicAlias(b, p, p + propertyLength);
        p += propertyLength;
      }
      if (alias != 0) {
        if (topicLength > 0) {
          aliases.put(alias, topic);
        } else {
          topic = aliases.getOrDefault(alias, "?alias " + alias);
        }
      }
      frames.add(new Frame(topic, topicLength, alias, end - start, end - p, connection));
    }
  }

  /**
   * The Topic Alias in a PUBLISH property block {@code b[from, to)}, 0 for none. Walks the properties a PUBLISH may
   * carry (§3.3.2.3): Payload Format (byte), Message Expiry (four bytes), Content Type and Response Topic (strings),
   * Correlation Data (binary), Subscription Identifier (variable byte integer), Topic Alias (two bytes), User
   * Property (string pair).
   */
  private static int topicAlias(byte[] b, int from, int to) {
    int p = from;
    while (p < to) {
      int id = b[p++] & 0xFF;
      switch (id) {
        case 0x01 -> p += 1;
        case 0x02 -> p += 4;
        case 0x03, 0x08, 0x09 -> p += 2 + u16(b, p);
        case 0x0B -> {
          while ((b[p++] & 0x80) != 0) {
            // continuation bytes of the variable byte integer
          }
        }
        case TOPIC_ALIAS -> {
          return u16(b, p);
        }
        case 0x26 -> {
          p += 2 + u16(b, p);
          p += 2 + u16(b, p);
        }
        default -> throw new AssertionError("property 0x" + Integer.toHexString(id) + " not allowed in PUBLISH");
      }
    }
    return 0;
  }

  private static int u16(byte[] b, int at) {
    return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : new ArrayList<>(sockets)) {
      s.close();
    }
  }
}
