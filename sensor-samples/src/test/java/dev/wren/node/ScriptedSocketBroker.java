package dev.wren.node;

import dev.wren.mqtt.testing.Packets;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A broker on a real loopback socket that the test scripts: it answers CONNECT with CONNACK, each SUBSCRIBE with a
 * SUBACK granting what was asked (or 0x80 for every filter once {@link #refuseSubscriptions}), each QoS 1 PUBLISH
 * with PUBACK and PINGREQ with PINGRESP, and records what the client sends. The test sends packets of its own
 * ({@link #send}), drops the connection ({@link #dropConnection}), or starts a trickle ({@link #startTrickle}): the
 * head of a PUBLISH announcing 268,435,455 bytes (the most MQTT 3.1.1 allows, §2.2.3), then one byte every
 * {@value #TRICKLE_GAP_MILLIS} ms, for as long as the connection lasts. Once the trickle has started nothing else
 * goes to the client (the bytes would land inside the PUBLISH), but everything the client sends is still read.
 *
 * <p>Waiting is on conditions with deadlines ({@link #await}): every change wakes the waiters.
 */
final class ScriptedSocketBroker implements AutoCloseable {
  static final long TRICKLE_GAP_MILLIS = 200;
  /** The head of a QoS 0 PUBLISH of remaining length 268,435,455 (FF FF FF 7F) on topic "t". */
  private static final byte[] OVERSIZE_PUBLISH_HEAD = {0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F, 0x00, 0x01,
      't'};

  /** A packet the client sent, as recorded; {@code connection} counts from 1. */
  record Received(int connection, int type, String topic, String payload, long atNanos) {
    @Override
    public String toString() {
      return "#" + connection + " " + (type == 3 ? "PUBLISH " + topic + "=" + payload
          : type == 8 ? "SUBSCRIBE " + topic : "type " + type);
    }
  }

  private final ServerSocket server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
  private final Thread acceptor = new Thread(this::accept, "scripted-broker");
  private final List<Received> received = new ArrayList<>();
  private volatile boolean refuseSubscriptions;
  private volatile boolean refuseProtocol5;
  private volatile boolean closed;
  /** The connection being served; guarded by this. */
  private Connection current;
  private int connections;
  private int trickledBytes;
  private boolean trickling;
  private boolean clientClosed;

  ScriptedSocketBroker() throws IOException {
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** {@code tcp://127.0.0.1:<port>}. */
  String uri() {
    return "tcp://" + server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
  }

  /** From now on every filter of every SUBSCRIBE is refused (return code 0x80, §3.9.3), as after an ACL change. */
  void refuseSubscriptions() {
    refuseSubscriptions = true;
  }

  /**
   * From now on a CONNECT at protocol level 5 is refused as a 3.1.1-only broker does: CONNACK return code 1,
   * unacceptable protocol level (MQTT 3.1.1 §3.1.2.2 [MQTT-3.1.2-2]).
   */
  void refuseProtocol5() {
    refuseProtocol5 = true;
  }

  /** Writes {@code packet} to the current connection. */
  void send(byte[] packet) throws IOException {
    Connection c;
    synchronized (this) {
      c = current;
      if (c == null || trickling) {
        throw new IllegalStateException("no connection to send on, or trickling: " + received);
      }
    }
    c.write(packet);
  }

  /** Closes the current connection (a reset as the client sees it); the next one is accepted as usual. */
  void dropConnection() throws IOException {
    Connection c;
    synchronized (this) {
      c = current;
    }
    if (c != null) {
      c.socket.close();
    }
  }

  /** Starts the trickle on the current connection, on a thread of its own; returns at once. */
  void startTrickle() {
    Connection c;
    synchronized (this) {
      c = current;
      if (c == null || trickling) {
        throw new IllegalStateException("no connection to trickle on, or trickling already");
      }
      trickling = true;
    }
    Thread t = new Thread(() -> trickle(c), "scripted-broker-trickle");
    t.setDaemon(true);
    t.start();
  }

  /** Bytes of the oversize PUBLISH's body sent so far. */
  synchronized int trickledBytes() {
    return trickledBytes;
  }

  /** Connections accepted so far. */
  synchronized int connections() {
    return connections;
  }

  /** True when the client closed the current connection (end of stream or a reset while reading). */
  synchronized boolean clientClosed() {
    return clientClosed;
  }

  /** What the client sent, in order. */
  synchronized List<Received> received() {
    return List.copyOf(received);
  }

  /** The first PUBLISH on {@code topic} with {@code payload} at or after {@code fromIndex} of {@link #received()}. */
  Received awaitPublish(String topic, String payload, int fromIndex, long timeoutMillis) throws InterruptedException {
    return await("PUBLISH " + topic + "=" + payload, fromIndex,
        r -> r.type() == 3 && r.topic().equals(topic) && r.payload().equals(payload), timeoutMillis);
  }

  /** The first packet at or after {@code fromIndex} of {@link #received()} that matches; fails at the deadline. */
  Received await(String what, int fromIndex, Predicate<Received> match, long timeoutMillis)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    synchronized (this) {
      for (int i = fromIndex; ; i++) {
        while (i >= received.size()) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new AssertionError(what + ": not within " + timeoutMillis + " ms; received " + received);
          }
          TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        if (match.test(received.get(i))) {
          return received.get(i);
        }
      }
    }
  }

  /** Waits until {@code condition} (read under this broker's lock) holds; fails at the deadline. */
  void awaitState(String what, Predicate<ScriptedSocketBroker> condition, long timeoutMillis)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    synchronized (this) {
      while (!condition.test(this)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(what + ": not within " + timeoutMillis + " ms; received " + received);
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }
  }

  private void accept() {
    while (!closed) {
      Socket s;
      try {
        s = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      Connection c;
      synchronized (this) {
        Connection previous = current;
        if (previous != null) {
          closeQuietly(previous.socket);
        }
        c = new Connection(s, ++connections);
        current = c;
        trickling = false;
        clientClosed = false;
        notifyAll();
      }
      Thread reader = new Thread(c::serve, "scripted-broker-conn-" + c.number);
      reader.setDaemon(true);
      reader.start();
    }
  }

  private void trickle(Connection c) {
    try {
      c.write(OVERSIZE_PUBLISH_HEAD);
      while (!c.socket.isClosed()) {
        Thread.sleep(TRICKLE_GAP_MILLIS); // the hostile broker's pace, not a test's wait
        c.write(new byte[] {'x'});
        synchronized (this) {
          trickledBytes++;
          notifyAll();
        }
      }
    } catch (IOException | InterruptedException e) {
      // the connection went, or the test ended
    }
  }

  private synchronized void record(Received r) {
    received.add(r);
    notifyAll();
  }

  private synchronized boolean tricklingOn(Connection c) {
    return trickling && current == c;
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    synchronized (this) {
      if (current != null) {
        closeQuietly(current.socket);
      }
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // closing
    }
  }

  /** One client connection: reads packets and answers them. */
  private final class Connection {
    final Socket socket;
    final int number;
    private final OutputStream out;

    Connection(Socket socket, int number) {
      this.socket = socket;
      this.number = number;
      OutputStream o;
      try {
        o = socket.getOutputStream();
      } catch (IOException e) {
        o = OutputStream.nullOutputStream();
      }
      this.out = o;
    }

    synchronized void write(byte[] packet) throws IOException {
      out.write(packet);
      out.flush();
    }

    /** Answers unless the trickle owns the output; an answer that cannot be written is dropped. */
    private void answer(byte[] packet) {
      if (tricklingOn(this)) {
        return;
      }
      try {
        write(packet);
      } catch (IOException e) {
        // the connection went; the reader sees it next
      }
    }

    void serve() {
      try (DataInputStream in = new DataInputStream(socket.getInputStream())) {
        while (true) {
          int byte1 = in.read();
          if (byte1 < 0) {
            break;
          }
          int remaining = 0;
          for (int shift = 0, digit = 0x80; (digit & 0x80) != 0; shift += 7) {
            digit = in.readUnsignedByte();
            remaining |= (digit & 0x7F) << shift;
          }
          byte[] body = new byte[remaining];
          in.readFully(body);
          handle(byte1, body);
        }
      } catch (EOFException e) {
        // the client closed mid-packet
      } catch (IOException e) {
        // reset, or closed by the test
      }
      synchronized (ScriptedSocketBroker.this) {
        if (current == this) {
          clientClosed = true;
        }
        ScriptedSocketBroker.this.notifyAll();
      }
    }

    private void handle(int byte1, byte[] body) {
      int type = byte1 >> 4;
      long now = System.nanoTime();
      switch (type) {
        case 1 -> { // CONNECT (§3.1): accepted, no session; recorded as "level <protocol level> clean <0|1>"
          int level = body[6];
          record(new Received(number, type, "", "level " + level + " clean " + ((body[7] >> 1) & 1), now));
          answer(Packets.connack(false, level == 5 && refuseProtocol5 ? 1 : 0));
        }
        case 3 -> { // PUBLISH (§3.3)
          int qos = (byte1 >> 1) & 3;
          int topicLength = u16(body, 0);
          String topic = new String(body, 2, topicLength, StandardCharsets.UTF_8);
          int p = 2 + topicLength + (qos > 0 ? 2 : 0);
          if (qos == 1) {
            answer(Packets.puback(u16(body, 2 + topicLength)));
          }
          record(new Received(number, type, topic, new String(body, p, body.length - p, StandardCharsets.UTF_8),
              now));
        }
        case 8 -> { // SUBSCRIBE (§3.8): one return code per filter, granted or refused (§3.9.3)
          byte[] suback = new byte[body.length];
          suback[0] = body[0];
          suback[1] = body[1];
          int codes = 2;
          List<String> filters = new ArrayList<>();
          for (int p = 2; p < body.length; ) {
            int length = u16(body, p);
            filters.add(new String(body, p + 2, length, StandardCharsets.UTF_8));
            int requestedQos = body[p + 2 + length];
            suback[codes++] = (byte) (refuseSubscriptions ? 0x80 : requestedQos);
            p += 3 + length;
          }
          answer(Packets.withHeader(0x90, java.util.Arrays.copyOf(suback, codes)));
          for (String f : filters) {
            record(new Received(number, type, f, "", now));
          }
        }
        case 12 -> answer(Packets.pingresp()); // PINGREQ (§3.12)
        default -> record(new Received(number, type, "", "", now)); // DISCONNECT and the rest: recorded only
      }
    }

    private static int u16(byte[] b, int at) {
      return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }
  }
}
