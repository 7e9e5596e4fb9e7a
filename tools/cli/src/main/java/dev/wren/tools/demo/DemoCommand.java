package dev.wren.tools.demo;

import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttConfig;
import dev.wren.mqtt.MqttException;
import dev.wren.mqtt.MqttMessage;
import dev.wren.tools.ExitCodes;
import dev.wren.tools.HelpOption;
import dev.wren.tools.cli.Connections;
import dev.wren.tools.cli.MqttTool;
import dev.wren.tools.cli.StopSignal;
import dev.wren.tools.cli.ToolFailure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code wren demo}: the whole system on one machine, no hardware and no broker to install. It starts an
 * embedded broker (or uses the one given with {@code -h}/{@code -p}), runs the sensor node with simulated
 * hardware against it, and shows what arrives: each topic with its latest value and age, the node's status
 * and its relay. Once the relay's state is known it sends one {@code /set} command and shows the round trip.
 * Ctrl-C or {@code --duration} stops the node first, so its {@code offline} status arrives before the end.
 */
@Command(name = "demo", sortOptions = false, usageHelpAutoWidth = true,
        // one string per paragraph: picocli wraps each element on its own, so a sentence split in two breaks badly
        description = {"Runs the Wren sensor node with simulated hardware against an embedded MQTT broker and shows"
                + " live what it publishes. Ctrl-C stops it."})
public final class DemoCommand extends MqttTool {

    private static final long POLL_MILLIS = 50;
    /** Pause between connecting the viewer and its first SUBSCRIBE (see {@link #watch}). */
    private static final long SETTLE_MILLIS = 100;
    private static final long REDRAW_MILLIS = 250;
    /** How long to wait for the node's offline status after asking it to stop. */
    private static final long OFFLINE_WAIT_MILLIS = 10_000;
    private static final long STOP_GRACE_MILLIS = 20_000;
    private static final String OFFLINE = "offline";

    @Mixin
    HelpOption help;

    @Option(names = {"-h", "--host"}, paramLabel = "HOST",
            description = "Use this broker instead of the embedded one (port 1883 unless -p).")
    String host;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "Port of the broker given with -h (or on localhost).")
    Integer port;

    @Option(names = "--duration", paramLabel = "SECONDS",
            description = "Stop by itself after SECONDS (1..86400); default: run until Ctrl-C.")
    Integer durationSeconds;

    @Option(names = "--plain", description = "Print one line per message instead of redrawing the view in place.")
    boolean plain;

    @Override
    protected int run() {
        if (durationSeconds != null && (durationSeconds < 1 || durationSeconds > 86_400)) {
            throw usage("--duration " + durationSeconds + " not in 1..86400 seconds.");
        }
        quietLogging();
        StopSignal stop = StopSignal.trap(STOP_GRACE_MILLIS);
        EmbeddedBroker embedded = null;
        try {
            String brokerHost;
            int brokerPort;
            String brokerName;
            if (host == null && port == null) {
                embedded = EmbeddedBroker.start();
                brokerHost = embedded.host();
                brokerPort = embedded.port();
                brokerName = "embedded Moquette";
            } else {
                brokerHost = host != null ? host : "localhost";
                brokerPort = port != null ? port : 1883;
                brokerName = "given with -h/-p";
            }
            DemoNode node = DemoNode.start("tcp://" + brokerHost + ":" + brokerPort, embedded != null);
            try {
                String title = "wren demo: node " + node.room() + " (simulated hardware) on broker " + brokerHost
                        + ":" + brokerPort + " (" + brokerName + ")" + (durationSeconds == null ? ", Ctrl-C stops"
                        : ", stops after " + durationSeconds + " s");
                LiveView view = new LiveView(streams().out(), !plain && isTerminal(), title, node.statusTopic(),
                        node.relayTopic(), System::nanoTime);
                MqttConfig viewerConfig = MqttConfig.builder().host(brokerHost).port(brokerPort)
                        .clientId("wren-demo-view-" + ProcessHandle.current().pid()).build();
                MqttClient viewer = Connections.connect(viewerConfig);
                try {
                    watch(viewer, node, view, stop, embedded != null);
                    stopNode(viewer, node, view);
                    viewer.disconnect();
                } catch (IOException | MqttException e) {
                    throw Connections.lost(viewerConfig, e);
                } finally {
                    viewer.close();
                }
            } finally {
                // A no-op after stopNode; on a failure it keeps the node from outliving the demo.
                node.requestStop();
                node.awaitStopped(OFFLINE_WAIT_MILLIS);
                node.deleteJournalIfStopped();
            }
            return ExitCodes.OK;
        } catch (IOException e) {
            throw new ToolFailure(ExitCodes.IO, "Error: the demo could not start: " + e.getMessage(), e);
        } catch (dev.wren.node.ConfigException e) {
            throw new ToolFailure(ExitCodes.UNKNOWN, "Error: the demo's node configuration is wrong: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.UNKNOWN;
        } finally {
            // Broker first, then the signal: should the JVM be shutting down (SIGHUP), it exits once the signal
            // is closed, and the broker's temporary folder must be gone by then.
            if (embedded != null) {
                embedded.close();
            }
            streams().out().flush();
            stop.close();
        }
    }

    /** Shows what arrives until Ctrl-C or the duration; sends the one relay command on the way. */
    private void watch(MqttClient viewer, DemoNode node, LiveView view, StopSignal stop, boolean embedded)
            throws IOException, MqttException {
        boolean protocolShown = false;
        RelayRoundTrip roundTrip = new RelayRoundTrip(node.relayTopic(), node.relayCommandTopic(), view);
        // Moquette 0.17 writes CONNACK before it marks the connection connected and closes a connection whose
        // first packet lands in between (about 1 connect in 100 under load): give it a moment before subscribing.
        // The node rides out the same race through its reconnect; the viewer has no reason to reconnect.
        long settled = System.nanoTime() + SETTLE_MILLIS * 1_000_000L;
        while (System.nanoTime() - settled < 0) {
            viewer.poll(SETTLE_MILLIS);
        }
        viewer.subscribe(node.topicFilter(), 1, message -> {
            String topic = message.topicAsString();
            if (!topic.endsWith("/set")) {
                view.onMessage(topic, payload(message), message.retain());
                roundTrip.onState(topic, payload(message));
            }
        });
        long start = System.nanoTime();
        long lastRedraw = 0;
        while (!stop.requested()) {
            long now = System.nanoTime();
            if (durationSeconds != null && now - start >= durationSeconds * 1_000_000_000L) {
                break;
            }
            viewer.poll(POLL_MILLIS);
            if (!protocolShown && node.protocol() != null) {
                protocolShown = true;
                view.event(protocolText(node.protocol(), embedded));
            }
            roundTrip.sendOnceReady(viewer);
            if (now - lastRedraw >= REDRAW_MILLIS * 1_000_000L) {
                view.redraw();
                lastRedraw = now;
            }
        }
    }

    /** Stops the node and keeps watching until its offline status arrives. */
    private void stopNode(MqttClient viewer, DemoNode node, LiveView view)
            throws IOException, MqttException, InterruptedException {
        view.event("stopping the node: it sets its relay to the safe state, publishes offline and disconnects");
        view.redraw();
        long asked = System.nanoTime();
        // Stopped before the node was ever online (Ctrl-C during the start): there is no offline to wait for.
        boolean wasOnline = view.value(node.statusTopic()) != null;
        node.requestStop();
        long deadline = asked + OFFLINE_WAIT_MILLIS * 1_000_000L;
        while (wasOnline && !OFFLINE.equals(view.value(node.statusTopic())) && System.nanoTime() - deadline < 0) {
            viewer.poll(POLL_MILLIS);
        }
        if (OFFLINE.equals(view.value(node.statusTopic()))) {
            view.event("status offline arrived " + (System.nanoTime() - asked) / 1_000_000 + " ms after the stop");
        } else if (wasOnline) {
            view.event("status offline did not arrive within " + OFFLINE_WAIT_MILLIS + " ms");
        }
        if (!node.awaitStopped(OFFLINE_WAIT_MILLIS)) {
            view.event("the node did not stop within " + OFFLINE_WAIT_MILLIS + " ms");
        }
        view.event("demo stopped");
        view.redraw();
    }

    /**
     * What the view says of the node's protocol, once: the embedded Moquette 0.17 speaks 3.1.1 only, so the node
     * runs at 3.1.1 there; on a broker given with {@code -h}/{@code -p} it runs {@code auto} (5.0, else 3.1.1).
     */
    static String protocolText(String nodeProtocol, boolean embedded) {
        if (embedded) {
            return "MQTT 3.1.1: the embedded broker does not speak 5.0 (will delay, session and message expiry need"
                    + " 5.0: wren demo -h HOST for a broker that does)";
        }
        if (nodeProtocol.startsWith("MQTT 3.1.1")) {
            return "MQTT 3.1.1: the broker does not speak 5.0 (the node fell back)";
        }
        return "node connected over " + nodeProtocol;
    }

    private static String payload(MqttMessage message) {
        return new String(message.payloadBuffer(), message.payloadOffset(), message.payloadLength(),
                StandardCharsets.UTF_8);
    }

    /**
     * Keeps logging out of the view: the node says only warnings, the broker and its Netty only errors
     * (slf4j-simple reads these once; a {@code -D} on the command line wins). Netty is told not to use
     * {@code sun.misc.Unsafe}, which JDK 24+ warns about on standard error; the demo needs no speed from it.
     */
    private static void quietLogging() {
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.io.moquette", "error");
        setIfAbsent("org.slf4j.simpleLogger.log.io.netty", "error");
        setIfAbsent("io.netty.noUnsafe", "true");
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    /** Whether standard output is a terminal (Java 22+ answers with Console.isTerminal, 21 with a null console). */
    private boolean isTerminal() {
        if (streams().out() != System.out) {
            return false;
        }
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException java21) {
            return true;
        }
    }

    /** The one {@code /set} command: sent when the relay's state is known, done when the new state comes back. */
    private static final class RelayRoundTrip {
        private final String stateTopic;
        private final String commandTopic;
        private final LiveView view;
        private String state;
        private String wanted;
        private long sentNanos;
        private boolean done;
        private final long createdNanos;
        private static final long STATE_WAIT_NANOS = 1_000_000_000L;

        RelayRoundTrip(String stateTopic, String commandTopic, LiveView view) {
            this.createdNanos = System.nanoTime();
            this.stateTopic = stateTopic;
            this.commandTopic = commandTopic;
            this.view = view;
        }

        void onState(String topic, String payload) {
            if (!topic.equals(stateTopic)) {
                return;
            }
            state = payload;
            if (wanted != null && !done && wanted.equals(payload)) {
                done = true;
                view.event("relay round trip: " + stateTopic + " = " + payload + " arrived "
                        + (System.nanoTime() - sentNanos) / 1_000_000 + " ms after the /set");
            }
        }

        void sendOnceReady(MqttClient viewer) throws IOException, MqttException {
            if (wanted != null) {
                return;
            }
            // The node publishes its relay's (safe) state retained on connect; should it not have arrived a
            // second after subscribing (seen once with the embedded Moquette 0.17: a retained message published
            // while the subscription was being set up never reached it), the command goes out anyway.
            if (state == null && System.nanoTime() - createdNanos < STATE_WAIT_NANOS) {
                return;
            }
            wanted = "ON".equals(state) ? "OFF" : "ON";
            byte[] command = wanted.getBytes(StandardCharsets.US_ASCII);
            sentNanos = System.nanoTime();
            viewer.publish(commandTopic, command, 0, command.length, 1, false);
            view.event("sent " + wanted + " to " + commandTopic);
        }
    }
}
