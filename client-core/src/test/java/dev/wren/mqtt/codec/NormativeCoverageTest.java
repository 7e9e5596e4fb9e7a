package dev.wren.mqtt.codec;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every normative statement id the codec tests cite exists in the MQTT 3.1.1 list, and the covered ids are
 * counted per side (written to {@code target/normative-coverage.txt}).
 */
class NormativeCoverageTest {
    /** From the client-core module directory: the repository's sibling {@code shared/spec}. */
    static final Path STATEMENTS = Paths.get("../../shared/spec/mqtt-3.1.1-normative-statements.csv");

    @Test
    void everyCitedStatementIdExistsAndCoverageIsCounted() throws Exception {
        Map<String, String> sideById = readStatements();
        Map<String, List<String>> citedBy = new TreeMap<>(NormativeCoverageTest::byNumber);
        for (Class<?> c : testClasses()) {
            cite(citedBy, c.getAnnotation(Covers.class), c.getSimpleName());
            for (Method m : c.getDeclaredMethods()) {
                cite(citedBy, m.getAnnotation(Covers.class), c.getSimpleName() + "." + m.getName());
            }
        }
        for (GoldenFixtures.Fixture f : GoldenFixtures.all()) {
            cite(citedBy, f.covers(), "golden fixture " + f.name());
        }
        for (MalformedCases.Case c : MalformedCases.all()) {
            cite(citedBy, c.covers(), "malformed case " + c.name());
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
            bySide.computeIfAbsent(sideById.get(id), k -> new TreeSet<>(NormativeCoverageTest::byNumber)).add(id);
        }
        StringBuilder report = new StringBuilder();
        report.append("normative statements cited by codec tests: ").append(citedBy.size()).append(" of ")
                .append(sideById.size()).append('\n');
        bySide.forEach((side, ids) -> report.append(side).append(" (").append(ids.size()).append("): ")
                .append(String.join(" ", ids)).append('\n'));
        System.out.print(report);
        Files.createDirectories(Paths.get("target"));
        Files.write(Paths.get("target/normative-coverage.txt"), report.toString().getBytes(StandardCharsets.UTF_8));
        assertTrue(citedBy.size() >= 40, "only " + citedBy.size() + " statements cited");
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
        assertTrue(sideById.size() > 100, "read only " + sideById.size() + " statements from " + STATEMENTS);
        return sideById;
    }

    private static void cite(Map<String, List<String>> citedBy, Covers covers, String where) {
        if (covers != null) {
            cite(citedBy, covers.value(), where);
        }
    }

    private static void cite(Map<String, List<String>> citedBy, String[] ids, String where) {
        for (String id : ids) {
            citedBy.computeIfAbsent(id, k -> new ArrayList<>()).add(where);
        }
    }

    /** The compiled test classes of this package. */
    private static List<Class<?>> testClasses() throws URISyntaxException, IOException, ClassNotFoundException {
        Path root = Paths.get(NormativeCoverageTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path dir = root.resolve(NormativeCoverageTest.class.getPackage().getName().replace('.', '/'));
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String file = p.getFileName().toString();
                if (file.endsWith("Test.class")) {
                    String name = NormativeCoverageTest.class.getPackage().getName() + "."
                            + file.substring(0, file.length() - ".class".length());
                    classes.add(Class.forName(name));
                }
            }
        }
        assertTrue(classes.size() >= 5, "found only " + classes + " in " + dir);
        return classes;
    }

    /** Orders MQTT-3.10.1-1 after MQTT-3.9.3-2. */
    private static int byNumber(String a, String b) {
        return Arrays.compare(numbers(a), numbers(b));
    }

    private static int[] numbers(String id) {
        return Arrays.stream(id.replace("MQTT-", "").split("[.-]")).mapToInt(s -> {
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException e) {
                return -1;
            }
        }).toArray();
    }
}
