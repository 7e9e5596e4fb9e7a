package dev.wren.mqtt.codec;

import dev.wren.mqtt.testing.NormativeScan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.wren.mqtt.testing.Covers;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every normative statement id a test of this module cites ({@link Covers} on any test class or method, and the
 * codec's fixture tables) exists in the MQTT 3.1.1 list; the covered ids are counted per side (written to
 * {@code target/normative-coverage.txt}); and every statement the list puts on the client's side is covered, so a
 * test that loses its {@code @Covers} (or a rule that loses its test) fails the build.
 */
class NormativeCoverageTest {
    /** From the client-core module directory: the repository's sibling {@code shared/spec}. */
    static final Path STATEMENTS = Paths.get("../../shared/spec/mqtt-3.1.1-normative-statements.csv");

    @Test
    void everyCitedStatementIdExistsAndCoverageIsCounted() throws Exception {
        Map<String, String> sideById = readStatements();
        Map<String, List<String>> citedBy = new TreeMap<>(NormativeScan::byNumber);
        for (Class<?> c : NormativeScan.testClasses(NormativeCoverageTest.class)) {
            cite(citedBy, c.getAnnotation(Covers.class), c.getSimpleName());
            for (Method m : c.getDeclaredMethods()) {
                cite(citedBy, m.getAnnotation(Covers.class), c.getSimpleName() + "." + m.getName());
            }
        }
        for (GoldenFixtures.Fixture f : GoldenFixtures.all()) {
            NormativeScan.cite(citedBy, f.covers(), "golden fixture " + f.name());
        }
        for (MalformedCases.Case c : MalformedCases.all()) {
            NormativeScan.cite(citedBy, c.covers(), "malformed case " + c.name());
        }

        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : citedBy.entrySet()) {
            if (!sideById.containsKey(e.getKey())) {
                unknown.add(e.getKey() + " (cited by " + e.getValue() + ")");
            }
        }
        assertTrue(unknown.isEmpty(), "ids not in " + STATEMENTS.toAbsolutePath().normalize() + ": " + unknown);

        Map<String, TreeSet<String>> bySide = new TreeMap<>();
        for (String id : citedBy.keySet()) {
            bySide.computeIfAbsent(sideById.get(id), k -> new TreeSet<>(NormativeScan::byNumber)).add(id);
        }
        StringBuilder report = new StringBuilder();
        report.append("normative statements cited by client-core tests: ").append(citedBy.size()).append(" of ")
                .append(sideById.size()).append('\n');
        bySide.forEach((side, ids) -> report.append(side).append(" (").append(ids.size()).append("): ")
                .append(String.join(" ", ids)).append('\n'));
        System.out.print(report);
        Files.createDirectories(Paths.get("target"));
        Files.write(Paths.get("target/normative-coverage.txt"), report.toString().getBytes(StandardCharsets.UTF_8));
        assertTrue(citedBy.size() >= 90, "only " + citedBy.size() + " statements cited");

        List<String> clientSideUncovered = new ArrayList<>();
        sideById.forEach((id, side) -> {
            if (CLIENT_SIDES.contains(side) && !citedBy.containsKey(id) && !OUT_OF_SCOPE.contains(id)) {
                clientSideUncovered.add(id + " [" + side + "]");
            }
        });
        assertEquals(List.of(), clientSideUncovered, "client-side statements without a test citing them");
    }

    /** The list's {@code heuristic_side} values that bind a client. */
    private static final Set<String> CLIENT_SIDES = Set.of("client", "client(mixed)", "both");
    /** MQTT over WebSocket (§6): Wren has no WebSocket transport. */
    private static final Set<String> OUT_OF_SCOPE = Set.of("MQTT-6.0.0-1", "MQTT-6.0.0-2");

    private static Map<String, String> readStatements() throws IOException {
        if (!Files.isRegularFile(STATEMENTS)) {
            fail("normative statement list missing: expected " + STATEMENTS.toAbsolutePath().normalize()
                    + " (the repository's sibling directory shared/spec)");
        }
        Map<String, String> sideById = new TreeMap<>();
        List<String> lines = Files.readAllLines(STATEMENTS, StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            String[] cols = line.split(",", 3);
            if (cols.length == 3 && cols[0].startsWith("MQTT-")) {
                sideById.put(cols[0], cols[1]);
            }
        }
        assertTrue(sideById.size() > 100, "read only " + sideById.size() + " statements from " + STATEMENTS);
        return sideById;
    }

    private static void cite(Map<String, List<String>> citedBy, Covers covers, String where) {
        if (covers != null) {
            NormativeScan.cite(citedBy, covers.value(), where);
        }
    }
}
