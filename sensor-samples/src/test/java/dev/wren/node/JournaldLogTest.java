package dev.wren.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Under journald the node's lines carry syslog priorities instead of slf4j-simple's [LEVEL], and no timestamp. */
class JournaldLogTest {
  @Test
  void levelsBecomeSyslogPrioritiesAndFollowingLinesKeepTheirEventsPriority() {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(new JournaldLog.PriorityPrefixer(sink), true, StandardCharsets.UTF_8);
    err.println("[ERROR] NodeMain - cannot start: /dev/gpiochip0 does not exist");
    err.println("[WARN] Watchdog - node loop has not run for 1085 ms");
    err.println("[INFO] Node - starting node wren_hall");
    err.println("  broker tcp://b:1883 as wren_hall");
    err.println("[DEBUG] Node - unexpected message on x");
    assertEquals("""
        <3>NodeMain - cannot start: /dev/gpiochip0 does not exist
        <4>Watchdog - node loop has not run for 1085 ms
        <6>Node - starting node wren_hall
        <6>  broker tcp://b:1883 as wren_hall
        <7>Node - unexpected message on x
        """, sink.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
  }
}
