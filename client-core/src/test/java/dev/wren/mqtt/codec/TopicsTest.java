package dev.wren.mqtt.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wren.mqtt.testing.Covers;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Topic filter and name validation and matching, MQTT 3.1.1 §4.7. */
class TopicsTest {
    private static boolean matches(String filter, String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] f = filter.getBytes(StandardCharsets.UTF_8);
        boolean fromText = Topics.matches(filter, n, 0, n.length);
        boolean fromBytes = Topics.matches(f, 0, f.length, n, 0, n.length);
        assertEquals(fromText, fromBytes, "text and byte matchers disagree on " + filter + " vs " + name);
        return fromText;
    }

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        // the examples of §4.7.1.2 and §4.7.1.3
        "sport/tennis/player1/# | sport/tennis/player1 | true",
        "sport/tennis/player1/# | sport/tennis/player1/ranking | true",
        "sport/tennis/player1/# | sport/tennis/player1/score/wimbledon | true",
        "sport/# | sport | true",
        "# | sport/tennis | true",
        "sport/tennis/+ | sport/tennis/player1 | true",
        "sport/tennis/+ | sport/tennis/player1/ranking | false",
        "sport/+ | sport | false",
        "sport/+ | sport/ | true",
        "+/+ | /finance | true",
        "/+ | /finance | true",
        "+ | /finance | false",
        "+/tennis/# | sport/tennis/player1 | true",
        "a/b | a/b | true",
        "a/b | a/b/c | false",
        "a/b/c | a/b | false",
        "a/b | A/b | false",
        "a/+/c | a//c | true",
        "\u00e9/+ | \u00e9/x | true",
        "\u00e9/\ud83d\ude00 | \u00e9/\ud83d\ude00 | true",
        "\u00e9/\ud83d\ude00 | \u00e9/\ud83d\ude01 | false",
    })
    @Covers({"MQTT-4.7.1-2", "MQTT-4.7.1-3", "MQTT-4.7.3-4"})
    void matchesAsSection4_7Says(String filter, String name, boolean expected) {
        assertEquals(expected, matches(filter, name));
    }

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "# | $SYS/broker | false",
        "+/broker | $SYS/broker | false",
        "+ | $SYS | false",
        "$SYS/# | $SYS/broker | true",
        "$SYS/+ | $SYS/broker | true",
        "a/# | a/$b | true",
    })
    @Covers({"MQTT-4.7.2-1"})
    void wildcardsAtTheFirstLevelNeverMatchDollarTopics(String filter, String name, boolean expected) {
        assertEquals(expected, matches(filter, name));
    }

    @Test
    @Covers({"MQTT-4.7.2-1", "MQTT-4.7.1-2", "MQTT-4.7.1-3"})
    void matcherAgreesWithALevelByLevelReferenceOnRandomPairs() {
        long seed = Long.getLong("wren.seed", System.nanoTime());
        Random r = new Random(seed);
        for (int i = 0; i < 20_000; i++) {
            String name = RandomPackets.topicName(r);
            // Derive half of the filters from the name so that matches are common, not only misses.
            String filter = r.nextBoolean() ? RandomPackets.topicFilter(r) : filterFrom(name, r);
            assertEquals(reference(filter, name), matches(filter, name),
                    "seed " + seed + ": filter " + filter + " name " + name);
        }
    }

    private static String filterFrom(String name, Random r) {
        String[] levels = name.split("/", -1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < levels.length; i++) {
            if (i > 0) {
                sb.append('/');
            }
            if (r.nextInt(5) == 0) {
                return sb.append('#').toString();
            }
            sb.append(r.nextInt(3) == 0 ? "+" : levels[i]);
        }
        return sb.toString();
    }

    /** §4.7 restated over split levels. */
    private static boolean reference(String filter, String name) {
        if (name.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
            return false;
        }
        String[] f = filter.split("/", -1);
        String[] n = name.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= n.length) {
                return false;
            }
            if (!f[i].equals("+") && !f[i].equals(n[i])) {
                return false;
            }
        }
        return f.length == n.length;
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
        "a/b/c | OK",
        "# | OK",
        "+ | OK",
        "+/+/# | OK",
        "a/+/b/# | OK",
        "/ | OK",
        "'' | EMPTY_TOPIC_FILTER",
        "a# | MULTI_LEVEL_WILDCARD_MISPLACED",
        "a/#/b | MULTI_LEVEL_WILDCARD_MISPLACED",
        "## | MULTI_LEVEL_WILDCARD_MISPLACED",
        "a+ | SINGLE_LEVEL_WILDCARD_MISPLACED",
        "+a | SINGLE_LEVEL_WILDCARD_MISPLACED",
        "a/++ | SINGLE_LEVEL_WILDCARD_MISPLACED",
        "a/\ud800 | UTF8_SURROGATE",
    })
    @Covers({"MQTT-4.7.1-2", "MQTT-4.7.1-3", "MQTT-4.7.3-1"})
    void filterValidationNamesTheRuleBroken(String filter, String expected) {
        assertEquals(expected, CodecStatus.name(Topics.validateFilter(filter)));
        if (!filter.contains("\ud800")) {
            byte[] b = filter.getBytes(StandardCharsets.UTF_8);
            assertEquals(expected, CodecStatus.name(Topics.validateFilter(b, 0, b.length)));
        }
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
        "a/b | OK",
        "$SYS/x | OK",
        "/ | OK",
        "'' | EMPTY_TOPIC_NAME",
        "a/+ | WILDCARD_IN_TOPIC_NAME",
        "a/# | WILDCARD_IN_TOPIC_NAME",
        "\udc00 | UTF8_SURROGATE",
    })
    @Covers({"MQTT-3.3.2-2", "MQTT-4.7.1-1", "MQTT-4.7.3-1"})
    void nameValidationNamesTheRuleBroken(String name, String expected) {
        assertEquals(expected, CodecStatus.name(Topics.validateName(name)));
        if (!name.contains("\udc00")) {
            byte[] b = name.getBytes(StandardCharsets.UTF_8);
            assertEquals(expected, CodecStatus.name(Topics.validateName(b, 0, b.length)));
        }
    }

    @Test
    @Covers({"MQTT-4.7.3-2"})
    void nullCharacterIsRefusedInNamesAndFilters() { // kept out of @CsvSource, whose parser drops U+0000
        assertEquals(CodecStatus.UTF8_NULL, Topics.validateName("a\u0000"));
        assertEquals(CodecStatus.UTF8_NULL, Topics.validateFilter("a/\u0000"));
        byte[] b = {'a', 0};
        assertEquals(CodecStatus.UTF8_NULL, Topics.validateName(b, 0, 2));
        assertEquals(CodecStatus.UTF8_NULL, Topics.validateFilter(b, 0, 2));
    }

    @Test
    @Covers({"MQTT-4.7.3-3"})
    void namesAndFiltersAreLimitedTo65535Utf8Bytes() {
        String longest = "a".repeat(65_535);
        assertEquals(CodecStatus.OK, Topics.validateName(longest));
        assertEquals(CodecStatus.OK, Topics.validateFilter(longest));
        assertEquals(CodecStatus.TOPIC_TOO_LONG, Topics.validateName(longest + "b"));
        // 21,846 three-byte characters are 65,538 bytes although only 21,846 chars
        String wide = "\u20ac".repeat(21_846);
        assertEquals(CodecStatus.TOPIC_TOO_LONG, Topics.validateFilter(wide));
        assertEquals(CodecStatus.TOPIC_TOO_LONG, Topics.validateName(wide));
    }
}
