package dev.wren.mqtt.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What the normative coverage tests of both protocol versions share: finding test classes, citing ids, ordering ids. */
public final class NormativeScan {

    private NormativeScan() {
    }

    /** Records that {@code where} cites each of {@code ids}. */
    public static void cite(Map<String, List<String>> citedBy, String[] ids, String where) {
        for (String id : ids) {
            citedBy.computeIfAbsent(id, k -> new ArrayList<>()).add(where);
        }
    }

    /**
     * Every compiled test class beside {@code anchor} (its module's test classes), loaded, not initialised: no broker
     * starts for a scan.
     */
    public static List<Class<?>> testClasses(Class<?> anchor) throws URISyntaxException, IOException, ClassNotFoundException {
        Path root = Paths.get(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> classes = new ArrayList<>();
        ClassLoader loader = anchor.getClassLoader();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String file = root.relativize(p).toString();
                if (file.endsWith("Test.class")) {
                    String name = file.substring(0, file.length() - ".class".length()).replace(File.separatorChar, '.');
                    classes.add(Class.forName(name, false, loader));
                }
            }
        }
        assertTrue(classes.size() >= 20, "found only " + classes + " under " + root);
        return classes;
    }

    /** Orders MQTT-3.10.1-1 after MQTT-3.9.3-2. */
    public static int byNumber(String a, String b) {
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
