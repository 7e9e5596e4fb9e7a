package dev.wren.node;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The node's log setup for slf4j-simple: the level ({@code --log-level}) and, under systemd (when
 * {@code JOURNAL_STREAM} is set, systemd.exec(5)), lines without a timestamp (journald stamps them) that start with
 * the syslog priority journald reads from stdout/stderr ({@code <3>} error, {@code <4>} warning, {@code <6>} info,
 * {@code <7>} debug, sd-daemon(3)), so {@code journalctl -p warning} shows warnings and errors. The lines that
 * follow one event (a summary, a stack trace) carry its priority too.
 */
final class JournaldLog {
  private JournaldLog() {
  }

  /** Sets the level and, for journald, the format; call before the first logger is made. */
  static void configure(String level, boolean journal) {
    if (level != null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
    }
    if (journal) {
      System.setProperty("org.slf4j.simpleLogger.showDateTime", "false");
      System.setProperty("org.slf4j.simpleLogger.levelInBrackets", "true");
      System.setErr(new PrintStream(new PriorityPrefixer(System.err), true, StandardCharsets.UTF_8));
    }
  }

  /** Rewrites {@code [WARN] text} lines to {@code <4>text}; a line without a level takes the previous line's. */
  static final class PriorityPrefixer extends OutputStream {
    private final OutputStream out;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private String priority = "<6>";

    PriorityPrefixer(OutputStream out) {
      this.out = out;
    }

    @Override
    public synchronized void write(int b) throws java.io.IOException {
      line.write(b);
      if (b == '\n') {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        String[][] levels = {{"[ERROR] ", "<3>"}, {"[WARN] ", "<4>"}, {"[INFO] ", "<6>"}, {"[DEBUG] ", "<7>"},
            {"[TRACE] ", "<7>"}};
        for (String[] l : levels) {
          if (text.startsWith(l[0])) {
            priority = l[1];
            text = text.substring(l[0].length());
            break;
          }
        }
        out.write((priority + text).getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    }

    @Override
    public synchronized void flush() throws java.io.IOException {
      out.flush();
    }
  }
}
