package dev.wren.tools.cli;

import dev.wren.tools.ExitCodes;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * The frame of {@code wren pub} and {@code wren sub}: runs the command, turns a {@link ToolFailure} into its
 * message on standard error and its exit code, and holds the {@link Streams} the command reads and writes.
 */
public abstract class MqttTool implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** The command's name when it runs without picocli ({@link #callWithoutPicocli}); picocli's spec otherwise. */
    private String name;

    private Streams streams = Streams.system();

    /** Replaces the standard streams (for running the command in-process); returns this. */
    public MqttTool streams(Streams replacement) {
        this.streams = replacement;
        return this;
    }

    /** The streams this run uses. */
    protected final Streams streams() {
        return streams;
    }

    /** Runs the command; see {@link #run()}. */
    @Override
    public final Integer call() {
        try {
            return run();
        } catch (ToolFailure failure) {
            if (!quiet()) {
                streams.err().println(failure.getMessage());
                streams.err().flush();
            }
            return failure.exitCode();
        }
    }

    /**
     * Runs the command bound without picocli (see {@link QuickArgs}), ending as picocli's {@code execute} ends
     * it: an exception that escapes {@link #run()} is printed with its stack trace to standard error and its exit
     * code is {@link ExitCodes#forException}.
     *
     * @param commandName the command's full name for messages, e.g. {@code wren pub}
     * @return the exit code
     */
    public final int callWithoutPicocli(String commandName) {
        this.name = commandName;
        try {
            return call();
        } catch (RuntimeException e) {
            e.printStackTrace(streams.err());
            streams.err().flush();
            return ExitCodes.forException(e);
        }
    }

    /** True with {@code --quiet}: no error message is printed, as mosquitto_pub and mosquitto_sub do. */
    protected boolean quiet() {
        return false;
    }

    /**
     * The command's work.
     *
     * @return the exit code ({@link ExitCodes#OK} on success)
     * @throws ToolFailure with the message to print and the exit code
     */
    protected abstract int run();

    /** The command's full name, e.g. {@code wren pub}. */
    protected final String commandName() {
        return spec != null ? spec.qualifiedName() : name;
    }

    /** A usage mistake found after parsing: "Error: ..." and a hint to {@code --help}, exit code 1. */
    protected final ToolFailure usage(String message) {
        return usage(commandName(), message);
    }

    /** As {@link #usage(String)}, for a command named {@code commandName} (e.g. {@code "wren pub"}). */
    public static ToolFailure usage(String commandName, String message) {
        return new ToolFailure(ExitCodes.USAGE, "Error: " + message + System.lineSeparator()
                + "Use '" + commandName + " --help' to see usage.");
    }
}
