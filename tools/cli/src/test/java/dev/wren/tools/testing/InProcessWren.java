package dev.wren.tools.testing;

import dev.wren.tools.Wren;
import dev.wren.tools.cli.MqttTool;
import dev.wren.tools.cli.Streams;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Runs {@code wren ...} in this JVM with its own standard streams, as {@code Wren.main} does: without picocli
 * where {@link Wren#quick} reads the command line, else through picocli's {@code execute}.
 */
public final class InProcessWren {

    private InProcessWren() {
    }

    /** What one run left behind. */
    public record Result(int exitCode, byte[] out, String err, long elapsedMillis) {
        /** Standard output as UTF-8 text. */
        public String outText() {
            return new String(out, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + " after " + elapsedMillis + " ms\n--- out:\n" + outText() + "--- err:\n" + err;
        }
    }

    /** Runs {@code args} with empty standard input. */
    public static Result run(String... args) {
        return run(new byte[0], args);
    }

    /** Runs {@code args} with {@code stdin} as standard input. */
    public static Result run(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        Streams streams = new Streams(new ByteArrayInputStream(stdin), new PrintStream(out, true, StandardCharsets.UTF_8),
                errStream);
        long start = System.nanoTime();
        int code;
        MqttTool quick = Wren.quick(args);
        if (quick != null) {
            code = quick.streams(streams).callWithoutPicocli("wren " + args[0]);
        } else {
            CommandLine cmd = Wren.commandLine();
            for (CommandLine sub : cmd.getSubcommands().values()) {
                if (sub.getCommand() instanceof MqttTool tool) {
                    tool.streams(streams);
                }
            }
            cmd.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
            cmd.setErr(new PrintWriter(errStream, true));
            code = cmd.execute(args);
        }
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        return new Result(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8), elapsed);
    }

    /** Starts {@code run(args)} on another thread (for {@code wren sub} while something publishes). */
    public static CompletableFuture<Result> start(String... args) {
        CompletableFuture<Result> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(run(args));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "wren " + String.join(" ", args));
        t.setDaemon(true);
        t.start();
        return result;
    }
}
