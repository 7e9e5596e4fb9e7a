package dev.wren.mqtt.codec.v5;

import dev.wren.mqtt.testing.NormativeScan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.wren.mqtt.testing.Covers5;
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
 * The MQTT 5.0 twin of {@code NormativeCoverageTest}: every id cited by {@link Covers5} (on any test class or
 * method) or by the 5.0 fixture tables exists in the 5.0 list; the covered ids go to
 * {@code target/normative-coverage-5.0.txt}, one a line; and the client-side statements without a test are exactly
 * {@link #SESSION_ISSUE}, so a statement that loses its test fails the build, and one that gains a test must leave
 * that list.
 */
class NormativeCoverage5Test {
    /** From the client-core module directory: the repository's sibling {@code shared/spec}. */
    static final Path STATEMENTS = Paths.get("../../shared/spec/mqtt-5.0-normative-statements.csv");

    /** The list's {@code heuristic_side} values that bind a client. */
    private static final Set<String> CLIENT_SIDES = Set.of("client", "both", "both/format");

    /**
     * Client-side 5.0 statements that are session behaviour, not codec rules: the next issue (a session on this
     * codec) covers them. Kept exact, so coverage only ratchets up.
     */
    static final Set<String> SESSION_ISSUE = Set.of(
            // client-side statements no test cites yet: read as server-side, untestable from the client, or not written
            "MQTT-2.2.1-6", "MQTT-3.1.0-2", "MQTT-3.1.2-4", "MQTT-3.1.2-23", "MQTT-3.1.2-24", "MQTT-3.1.3-2",
            "MQTT-3.1.3-8", "MQTT-3.1.4-3", "MQTT-3.1.4-6", "MQTT-3.3.2-3", "MQTT-3.4.2-2", "MQTT-3.4.2-3",
            "MQTT-3.5.2-2", "MQTT-3.5.2-3", "MQTT-3.6.2-2", "MQTT-3.6.2-3", "MQTT-3.7.2-2", "MQTT-3.7.2-3",
            "MQTT-3.8.4-2", "MQTT-3.8.4-6", "MQTT-3.10.4-1", "MQTT-3.14.4-2", "MQTT-3.15.2-2", "MQTT-3.15.2-3",
            "MQTT-4.1.0-1", "MQTT-4.2-1", "MQTT-4.3.1-1", "MQTT-4.3.3-9", "MQTT-4.3.3-13");

    @Test
    void everyCitedStatementExistsAndNoClientSideStatementLosesItsTest() throws Exception {
        Map<String, String> sideById = readStatements();
        Map<String, List<String>> citedBy = new TreeMap<>(NormativeScan::byNumber);
        for (Class<?> c : NormativeScan.testClasses(NormativeCoverage5Test.class)) {
            cite(citedBy, c.getAnnotation(Covers5.class), c.getSimpleName());
            for (Method m : c.getDeclaredMethods()) {
                cite(citedBy, m.getAnnotation(Covers5.class), c.getSimpleName() + "." + m.getName());
            }
        }
        for (GoldenFixtures5.Fixture f : GoldenFixtures5.all()) {
            NormativeScan.cite(citedBy, f.covers(), "golden fixture " + f.name());
        }
        for (MalformedCases5.Case c : MalformedCases5.all()) {
            NormativeScan.cite(citedBy, c.covers(), "malformed case " + c.name());
        }
        List<String> unknown = new ArrayList<>();
        citedBy.forEach((id, where) -> {
            if (!sideById.containsKey(id)) {
                unknown.add(id + " (cited by " + where + ")");
            }
        });
        assertTrue(unknown.isEmpty(), "ids not in " + STATEMENTS.toAbsolutePath().normalize() + ": " + unknown);

        Files.createDirectories(Paths.get("target"));
        Files.write(Paths.get("target/normative-coverage-5.0.txt"), citedBy.keySet(), StandardCharsets.UTF_8);
        System.out.println("MQTT 5.0 statements cited by client-core tests: " + citedBy.size() + " of "
                + sideById.size() + ": " + String.join(" ", citedBy.keySet()));

        TreeSet<String> uncovered = new TreeSet<>(NormativeScan::byNumber);
        sideById.forEach((id, side) -> {
            if (CLIENT_SIDES.contains(side) && !citedBy.containsKey(id)) {
                uncovered.add(id);
            }
        });
        TreeSet<String> lost = new TreeSet<>(uncovered);
        lost.removeAll(SESSION_ISSUE);
        assertEquals(List.of(), List.copyOf(lost), "client-side 5.0 statements without a test citing them");
        TreeSet<String> gained = new TreeSet<>(SESSION_ISSUE);
        gained.removeAll(uncovered);
        assertEquals(List.of(), List.copyOf(gained), "now covered: remove them from SESSION_ISSUE");
    }

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
        assertEquals(243, sideById.size(), "statements read from " + STATEMENTS);
        return sideById;
    }

    private static void cite(Map<String, List<String>> citedBy, Covers5 covers, String where) {
        if (covers != null) {
            NormativeScan.cite(citedBy, covers.value(), where);
        }
    }
}
