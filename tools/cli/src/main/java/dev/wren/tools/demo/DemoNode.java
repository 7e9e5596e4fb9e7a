package dev.wren.tools.demo;

import dev.wren.node.ConfigException;
import dev.wren.node.Node;
import dev.wren.node.NodeConfig;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The sensor node of {@code sensor-samples}, simulated, running in this process on its own thread: the same
 * {@link Node} a Raspberry Pi runs, with simulated sensors and relay (the node's {@code --simulate}).
 */
final class DemoNode {

    private static final String CONFIG_RESOURCE = "demo-node.yaml";
    private static final String BROKER_PLACEHOLDER = "BROKER_URL";
    private static final String PROTOCOL_PLACEHOLDER = "BROKER_PROTOCOL";

    private final NodeConfig config;
    private final Node node;
    private final Thread thread;
    /** The node's journal lives here for this run only: a demo never replays an earlier run's readings. */
    private final Path journalDir;

    private DemoNode(NodeConfig config, Path journalDir) {
        this.config = config;
        this.journalDir = journalDir;
        this.node = Node.create(config);
        this.thread = new Thread(node::run, "wren-demo-node");
        thread.setDaemon(true);
    }

    /**
     * Starts the node against {@code brokerUrl} ({@code tcp://host:port}): at MQTT 3.1.1 on the {@code embedded}
     * Moquette 0.17, which speaks no 5.0 (and whose refusal of a 5.0 CONNECT client-core's AUTO does not take for
     * one: the node would retry 5.0 for ever), else {@code auto}.
     */
    static DemoNode start(String brokerUrl, boolean embedded) throws IOException, ConfigException {
        String yaml;
        try (InputStream in = DemoNode.class.getResourceAsStream(CONFIG_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(CONFIG_RESOURCE + " is missing from the jar");
            }
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        NodeConfig parsed = NodeConfig.parse(yaml.replace(BROKER_PLACEHOLDER, brokerUrl)
                .replace(PROTOCOL_PLACEHOLDER, embedded ? "3.1.1" : "auto"), "wren demo", Path.of("")).withSimulate(true);
        Path journalDir = Files.createTempDirectory("wren-demo-journal-");
        NodeConfig.Journal journal = parsed.journal();
        NodeConfig config = parsed.withJournal(new NodeConfig.Journal(journal.enabled(), journalDir.resolve("journal"),
                journal.sizeBytes(), journal.syncEveryRecords(), journal.syncIntervalMillis()));
        DemoNode demo;
        try {
            demo = new DemoNode(config, journalDir);
        } catch (RuntimeException e) {
            deleteJournal(journalDir);
            throw e;
        }
        demo.thread.start();
        return demo;
    }

    /** The node's room. */
    String room() {
        return config.room();
    }

    /** The filter covering every topic the node publishes: {@code <prefix>/#}. */
    String topicFilter() {
        return config.topicPrefix() + "/#";
    }

    /** {@code <prefix>/status}: online, offline. */
    String statusTopic() {
        return config.statusTopic();
    }

    /** The state topic of the first relay. */
    String relayTopic() {
        return config.topic(config.relays().get(0).name());
    }

    /** The command topic of the first relay. */
    String relayCommandTopic() {
        return config.commandTopic(config.relays().get(0).name());
    }

    /**
     * The protocol the node connected with ({@code MQTT 5.0}, {@code MQTT 3.1.1}, or {@code MQTT 3.1.1 (the broker
     * does not speak 5.0)} after its {@code auto} fell back), null before its first connection.
     */
    String protocol() {
        return node.protocol();
    }

    /** Asks the node to stop: it switches its relays to the safe state, publishes offline and disconnects. */
    void requestStop() {
        node.stop();
    }

    /** Waits for the node's thread to end; false if it is still running after {@code timeoutMillis}. */
    boolean awaitStopped(long timeoutMillis) throws InterruptedException {
        return node.awaitStopped(timeoutMillis);
    }

    /** Deletes this run's journal once the node has stopped (a no-op while it still runs). */
    void deleteJournalIfStopped() {
        if (!thread.isAlive()) {
            deleteJournal(journalDir);
        }
    }

    private static void deleteJournal(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a leftover file in the temporary folder costs nothing and must not hide the demo's own outcome
        }
    }
}
