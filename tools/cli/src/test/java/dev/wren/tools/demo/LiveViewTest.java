package dev.wren.tools.demo;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LiveViewTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private LiveView view(boolean ansi) {
        return new LiveView(out, ansi, "title", "home/r/status", "home/r/lights", nanos::get);
    }

    @Test
    void rendersEachTopicWithItsLatestValueAndAgeAndTheStatusAndRelay() {
        LiveView view = view(true);
        view.onMessage("home/r/status", "online", true);
        view.onMessage("home/r/temperature", "21.50", true);
        view.onMessage("home/r/lights", "OFF", true);
        nanos.addAndGet(3_000_000_000L);
        view.onMessage("home/r/temperature", "21.53", false);
        view.event("sent ON to home/r/lights/set");
        List<String> lines = view.render(nanos.get());
        String text = String.join("\n", lines);
        assertTrue(text.contains("status   online     3 s ago (retained)"), text);
        assertTrue(text.contains("relay    OFF        3 s ago (retained)"), text);
        assertTrue(lines.stream().anyMatch(l -> l.matches(" +home/r/temperature +21\\.53 +0 s ago")), text);
        assertFalse(text.contains("21.50"), "only the latest value:\n" + text);
        assertTrue(text.contains("sent ON to home/r/lights/set"), text);
        assertEquals(3, view.topicCount());
    }

    @Test
    void ansiRedrawMovesBackOverThePreviousDrawingAndErasesIt() {
        LiveView view = view(true);
        view.redraw();
        int firstLines = view.render(nanos.get()).size();
        bytes.reset();
        view.onMessage("home/r/status", "online", false);
        view.redraw();
        String second = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(second.startsWith("\u001b[" + firstLines + "F\u001b[J"), second);
    }

    @Test
    void plainOutputIsOneLinePerMessageAndEventWithoutEscapes() {
        LiveView view = view(false);
        view.onMessage("home/r/status", "online", true);
        view.event("demo stopped");
        view.redraw();
        String text = bytes.toString(StandardCharsets.UTF_8);
        String[] lines = text.split("\n");
        assertEquals(3, lines.length, text);
        assertEquals("title", lines[0]);
        assertTrue(lines[1].endsWith("  home/r/status = online  (retained)"), text);
        assertTrue(lines[2].endsWith("  demo stopped"), text);
        assertFalse(text.contains("\u001b"), text);
    }
}
