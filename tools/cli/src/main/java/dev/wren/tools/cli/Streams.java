package dev.wren.tools.cli;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * The standard streams a tool uses: payloads are bytes, so they go to a {@link PrintStream}, not to picocli's
 * character writers. Tests run a command in-process with their own streams.
 *
 * @param in  standard input (payloads for {@code pub -s} and {@code -l})
 * @param out standard output (received messages, {@code -d} trace)
 * @param err standard error (errors and warnings)
 */
public record Streams(InputStream in, PrintStream out, PrintStream err) {

    /** The process's {@link System#in}, {@link System#out} and {@link System#err}, as they are now. */
    public static Streams system() {
        return new Streams(System.in, System.out, System.err);
    }
}
