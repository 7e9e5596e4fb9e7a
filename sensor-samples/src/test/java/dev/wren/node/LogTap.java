package dev.wren.node;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Copies what the node logs while it is open: slf4j-simple writes each line to {@code System.err} as it is at that
 * moment, so the tap replaces {@code System.err} with a tee (the lines still reach the test's output) and puts
 * the original back on {@link #close()}. Waiting for a line is on a condition with a deadline.
 */
final class LogTap implements AutoCloseable {
  private final PrintStream original = System.err;
  private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

  LogTap() {
    OutputStream tee = new OutputStream() {
      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        original.write(b, off, len);
        synchronized (LogTap.this) {
          copy.write(b, off, len);
          LogTap.this.notifyAll();
        }
      }

      @Override
      public void flush() {
        original.flush();
      }
    };
    System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
  }

  /** The complete lines logged so far. */
  synchronized List<String> lines() {
    String text = copy.toString(StandardCharsets.UTF_8);
    int end = text.lastIndexOf('\n');
    return end < 0 ? List.of() : Arrays.asList(text.substring(0, end).split("\r?\n"));
  }

  /** The complete lines logged so far that contain {@code part}. */
  List<String> containing(String part) {
    return lines().stream().filter(l -> l.contains(part)).toList();
  }

  /** Everything logged so far, for a failure message. */
  String text() {
    return String.join("\n", lines());
  }

  /** Waits up to {@code timeoutMillis} for {@code count} lines containing {@code part}; returns the last of them. */
  synchronized String awaitCount(String part, int count, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (true) {
      List<String> found = containing(part);
      if (found.size() >= count) {
        return found.get(found.size() - 1);
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(count + " log lines with '" + part + "' not within " + timeoutMillis + " ms in:\n"
            + text());
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /** The first line that matches, waiting for it up to {@code timeoutMillis}. */
  synchronized String await(String what, Predicate<String> match, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (true) {
      for (String line : lines()) {
        if (match.test(line)) {
          return line;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(what + ": no such line within " + timeoutMillis + " ms in " + lines());
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  @Override
  public void close() {
    System.err.flush();
    System.setErr(original);
  }
}
